"""The import's report: how many items of each kind and status came in, and every item that was skipped or needs a
person, with its old address. Printed, and written to import-report.md in the hub; the same export gives the same
report, so importing it again does not change the file."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

REPORT_FILE = "import-report.md"

SECTIONS = {  # heading -> what a person should do; in the report's order
    "protected": "Password-protected: imported as drafts without their text. Copy the text in by hand if it may be public.",
    "skipped": "Not imported",
    "types": "Content types sitegen does not import (from plugins): copy what matters by hand",
    "media": "Files the pages use that were not found (run again with --uploads, pointing at a copy of wp-content/uploads)",
    "shortcodes": "Shortcodes left as text: replace each with what it showed",
    "pictures": "Pictures and players to look at",
    "addresses": "Old addresses that cannot redirect (a host cannot match ?p= query addresses; see docs/moving-from-wordpress.md)",
    "menu": "Menu",
    "kept": "Files left alone (not overwritten)",
    "other": "Other things to check",
}


@dataclass(frozen=True)
class Issue:
    section: str  # a key of SECTIONS
    title: str
    old: str  # the item's old address (or "" when there is none)
    message: str
    file: str = ""  # the file it is in, in the hub


@dataclass
class Report:
    export: str
    site: str
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, status) -> items
    issues: list[Issue] = field(default_factory=list)

    def add(self, section: str, title: str, old: str, message: str, file: str = "") -> None:
        self.issues.append(Issue(section, title, old, message, file))

    def count(self, kind: str, status: str) -> None:
        self.counts[(kind, status)] += 1

    def summary(self) -> str:
        kinds: dict[str, list[str]] = {}
        for (kind, status), n in sorted(self.counts.items()):
            kinds.setdefault(kind, []).append(f"{n} {status}")
        return "; ".join(f"{kind}: {', '.join(parts)}" for kind, parts in kinds.items()) or "nothing imported"

    def markdown(self) -> str:
        lines = [f"# Import from WordPress: {self.site or self.export}", "",
                 f"Export: `{self.export}`. Made by `sitegen import wordpress`; importing the same export again gives the same report.", "",
                 "| kind | status | items |", "|---|---|---|"]
        lines += [f"| {kind} | {status} | {n} |" for (kind, status), n in sorted(self.counts.items())]
        lines += ["", f"{len(self.issues)} thing(s) to look at." if self.issues else "Nothing needs a person: check the site with `sitegen serve`."]
        for section, heading in SECTIONS.items():
            issues = [i for i in self.issues if i.section == section]
            if not issues:
                continue
            lines += ["", f"## {heading} ({len(issues)})", ""]
            for issue in issues:
                where = f" (`{issue.file}`)" if issue.file else ""
                old = f" <{issue.old}>" if issue.old else ""
                title = f"**{_cell(issue.title)}**{where}{old}: " if issue.title else ""
                lines.append(f"- {title}{_cell(issue.message)}")
        return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())
