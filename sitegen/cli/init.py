"""`sitegen init DIR`: a new hub that builds at once, with its publishing set up.

The files come from `sitegen/scaffold/`: settings, one example of each kind of content, a README
that explains publishing step by step, the GitHub Actions workflows, netlify.toml, requirements.txt
and .gitignore. Files whose names start with a dot are stored as `dot-...`, since packaging tools
leave dotfiles out. Beside them goes the wheel of the running sitegen,
`vendor/sitegen_hub-VERSION-py3-none-any.whl`, which requirements.txt pins (see `vendor.py`), so
the hub installs from its own files wherever it is built.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from ..config.siteyaml import check_base_url
from ..core.errors import UsageError
from ..model.facets import facet_label
from ..schema.curricula import CURRICULA, ENGLAND, Curriculum, curriculum_named
from ..schema.kinds import BUILTIN
from ..version import __version__
from .vendor import VENDOR, pin, running_wheel

SCAFFOLD = Path(__file__).parent / "scaffold"


EVENT_AFTER = dt.timedelta(days=30)  # the example event is a month ahead, so it shows as upcoming


def init_hub(folder: Path, today: dt.date, title: str | None = None, base_url: str | None = None, force: bool = False,
             curriculum: str = "england") -> tuple[list[Path], list[Path]]:
    """Write a new hub into `folder`; returns (files written, files kept because they were there).

    Refuses a folder with anything in it (a git repository's .git aside) unless `force`;
    even then, it never overwrites a file."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder")
    if folder.is_dir() and not force and any(p.name != ".git" for p in folder.iterdir()):
        raise UsageError(f"{folder} is not empty: give the name of a new folder, or add --force to add the hub's files "
                         "to this one (files already there are kept)")
    if base_url and check_base_url(base_url):
        raise UsageError(f"--base-url: {check_base_url(base_url)}")
    chosen = curriculum_named(curriculum)
    if chosen is None:
        raise UsageError(f'--curriculum: "{curriculum}" is not a curriculum: write one of {", ".join(CURRICULA)}')
    title = (title or "").strip() or folder.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "Our Network"
    host = urlsplit(base_url or "").hostname
    wheel = running_wheel()  # before writing anything: if it cannot be made, nothing is written
    values = {
        "__TITLE_YAML__": json.dumps(title, ensure_ascii=False)[1:-1],
        "__TITLE__": title,
        "__BASE_URL__": base_url or "/",
        "__IDS_LINE__": f'ids: "tag:{host},{today.year}"' if host else f'# ids: "tag:our-network.org.uk,{today.year}"',
        "__VERSION__": __version__,
        "__TODAY__": today.isoformat(),
        "__EVENT_DATE__": (today + EVENT_AFTER).isoformat(),
        "__PIN__": pin(wheel.name),
        **curriculum_values(chosen),
    }
    written, kept = [], []
    for source in sorted(SCAFFOLD.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        rel = "/".join("." + part[len("dot-"):] if part.startswith("dot-") else part for part in source.relative_to(SCAFFOLD).parts)
        target = folder / fill(rel, values)
        if target.exists():
            kept.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix in (".txt", ".md", ".yaml", ".yml", ".toml") or source.name.startswith("dot-"):
            target.write_text(fill(source.read_text(encoding="utf-8"), values), encoding="utf-8")
        else:
            target.write_bytes(source.read_bytes())
        written.append(target)
    vendored = folder / VENDOR / wheel.name
    if vendored.exists():
        kept.append(vendored)
    else:
        vendored.parent.mkdir(exist_ok=True)
        shutil.copyfile(wheel, vendored)
        written.append(vendored)
    return written, kept


def curriculum_values(curriculum: Curriculum) -> dict[str, str]:
    """What the scaffold says that depends on the curriculum: its name, the example resource's stages, the school's number."""
    resources = curriculum.apply(BUILTIN).kind("resources")
    facets = [facet_label(f).lower() for f in resources.facets]
    stages = [f for f in resources.fields if f.name in curriculum.stage_names]
    number = curriculum.apply(BUILTIN).kind("schools").field("urn")
    if curriculum == ENGLAND:
        note = ("Add its `urn:` (its number on Get Information\nAbout Schools) to link to its public record. Many schools at once "
                "can come from\na CSV file instead: see docs/writing.md.")
    else:
        label = number.label if number else "number"
        label = label if label[1:2].isupper() else label.lower()  # "school number", but "SEED code"
        note = f"Add its {label} as `urn:`, such as\n{number.example if number else ''}."
    return {
        "__CURRICULUM__": curriculum.name,
        "__STAGES__": "key_stages: [KS2]" if curriculum == ENGLAND else "\n".join(f"{f.name}: {f.example}" for f in stages),
        "__FACETS__": ", ".join(facets[:-1]) + " and " + facets[-1],
        "__SCHOOL_NOTE__": note,
    }


def fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():  # __TITLE_YAML__ before __TITLE__, as listed
        text = text.replace(key, value)
    return text
