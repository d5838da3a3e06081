"""`sitegen import wordpress EXPORT.xml`: read the export, plan every file, then write the ones that may be written
(write.py's guard), site.yaml's menu and import-report.md. A bad export stops the import before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config.siteyaml import CONFIG_FILE, load_config
from .media import Media
from .menu import add_to_site_yaml, wordpress_menu
from .plan import Planner
from .report import REPORT_FILE, Report
from .write import Outcome, apply, decide
from .wxr import MAX_MB, ExportError, read_export


@dataclass
class Imported:
    report: Report
    outcome: Outcome
    dry_run: bool

    def summary(self) -> str:
        o = self.outcome
        verb = "would write" if self.dry_run else "wrote"
        kept = f", left {len(o.kept)} alone (see the report)" if o.kept else ""
        return f"{self.report.summary()}\n{verb} {len(o.write)} file(s), {len(o.unchanged)} unchanged{kept}"


def import_wordpress(root: Path, export_path: Path, uploads: Path | None = None, dry_run: bool = False, max_mb: int = MAX_MB) -> Imported:
    config = load_config(root)  # not a hub: the build's own message, before the export is read
    if uploads is not None and not uploads.is_dir():
        raise ExportError("is not a folder: give --uploads a copy of the old site's wp-content/uploads folder", str(uploads))
    export = read_export(export_path, max_mb)
    report = Report(export_path.name, export.site_url or export.title)
    attachments = [i.attachment_url for i in export.items if i.type == "attachment" and i.attachment_url]
    media = Media(export.site_url, attachments, uploads)
    planner = Planner(config, export, media, report)
    planner.plan()
    files = dict(planner.files)
    for rel, why in sorted(media.refused.items()):
        report.add("media", "", "", f"{rel} {why}")
    sections = {f"/{k.name}/": k.title for k in config.schema.sections}
    entries = wordpress_menu(export, planner.targets, planner.by_old, sections, report)
    if entries:
        urls = {e["url"] for e in entries}
        for kind in ("news", "events"):
            if any(t.kind == kind for t in planner.targets.values()) and f"/{kind}/" not in urls:
                entries.append({"title": config.schema.kind(kind).title, "url": f"/{kind}/"})
                report.add("menu", "", "", f"the menu also leads to /{kind}/, where the imported {kind} are listed")
    outcome = decide(root, files)
    for rel, why in sorted(outcome.kept.items()):
        report.add("kept", "", "", f"{rel} {why}")
    site_yaml = add_to_site_yaml(root, entries, report)
    if not dry_run:
        apply(root, outcome)
        if site_yaml is not None:
            (root / CONFIG_FILE).write_bytes(site_yaml)
        text = report.markdown().encode("utf-8")
        report_path = root / REPORT_FILE
        if not report_path.exists() or report_path.read_bytes() != text:
            report_path.write_bytes(text)
    return Imported(report, outcome, dry_run)
