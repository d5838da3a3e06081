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
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from ..config.siteyaml import check_base_url
from ..core.errors import BuildFailed, SitegenError, UsageError
from ..model.facets import facet_label
from ..schema.curricula import CURRICULA, ENGLAND, Curriculum, curriculum_named
from ..schema.kinds import BUILTIN
from ..version import __version__
from .vendor import VENDOR, pin, running_wheel

SCAFFOLD = Path(__file__).parent / "scaffold"


EVENT_AFTER = dt.timedelta(days=30)  # the example event is a month ahead, so it shows as upcoming


URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")  # RFC 3986's: no quotes, backslashes or braces


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>&#!|~{}])")  # in a Markdown line, these could start a link, HTML or emphasis


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
    if base_url and not URL_CHARACTERS.fullmatch(base_url):
        odd = next(c for c in base_url if not URL_CHARACTERS.fullmatch(c))
        raise UsageError(f'--base-url: "{base_url}" has a character an address cannot have ({odd}): percent-encode it, e.g. %{ord(odd):02X}')
    chosen = curriculum_named(curriculum)
    if chosen is None:
        raise UsageError(f'--curriculum: "{curriculum}" is not a curriculum: write one of {", ".join(CURRICULA)}')
    if title and not all(c.isprintable() for c in title):
        odd = next(c for c in title if not c.isprintable())
        raise UsageError(f"--title: the title is one line of text, without line breaks, tabs or other invisible characters ({ascii(odd)[1:-1]})")
    named = " ".join("".join(c for c in folder.resolve().name if c.isprintable()).replace("-", " ").replace("_", " ").split()).title()
    title = (title or "").strip() or named or "Our Network"
    host = urlsplit(base_url or "").hostname
    wheel = running_wheel()  # before writing anything: if it cannot be made, nothing is written
    values = {
        "__TITLE_YAML__": json.dumps(title, ensure_ascii=False)[1:-1],  # inside "..." in YAML
        "__TITLE__": MARKDOWN_SPECIAL.sub(r"\\\1", title),  # in Markdown (README.md, content/index.md)
        "__BASE_URL__": json.dumps(base_url or "/")[1:-1],
        "__IDS_LINE__": f'ids: "tag:{host},{today.year}"' if host else f'# ids: "tag:our-network.org.uk,{today.year}"',
        "__VERSION__": __version__,
        "__TODAY__": today.isoformat(),
        "__EVENT_DATE__": (today + EVENT_AFTER).isoformat(),
        "__PIN__": pin(wheel.name),
        **curriculum_values(chosen),
    }
    files = {}
    for source in sorted(SCAFFOLD.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        rel = "/".join("." + part[len("dot-"):] if part.startswith("dot-") else part for part in source.relative_to(SCAFFOLD).parts)
        files[fill(rel, values)] = source
    refuse_links(folder, [*files, f"{VENDOR}/{wheel.name}"])  # before writing anything
    written, kept = [], []
    for rel, source in files.items():
        target = folder / rel
        if target.exists():
            kept.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix in (".txt", ".md", ".yaml", ".yml", ".toml") or source.name.startswith("dot-"):
            write_new(target, fill(source.read_text(encoding="utf-8"), values).encode("utf-8"))
        else:
            write_new(target, source.read_bytes())
        written.append(target)
    vendored = folder / VENDOR / wheel.name
    if vendored.exists():
        kept.append(vendored)
    else:
        vendored.parent.mkdir(exist_ok=True)
        write_new(vendored, wheel.read_bytes())
        written.append(vendored)
    return written, kept


def refuse_links(folder: Path, files: list[str]) -> None:
    """Every file init writes, and every folder on the way to it, must be the folder's own: a link (even one that
    leads nowhere yet) would have init write somewhere else, and a file where a folder goes would stop it half-way."""
    problems: dict[str, SitegenError] = {}
    for rel in files:
        parts = rel.split("/")
        for depth in range(1, len(parts) + 1):
            step = "/".join(parts[:depth])
            path = folder / step
            if step in problems:
                break
            if path.is_symlink():
                problems[step] = SitegenError(f"is a link (to {os.readlink(path)}): sitegen init writes only into the hub's own files "
                                              "and folders; remove the link, or start the hub in another folder", step)
                break
            if depth < len(parts) and path.exists() and not path.is_dir():
                problems[step] = SitegenError(f"is a file, but sitegen init puts a folder there (for {rel}): "
                                              "rename or remove the file, or start the hub in another folder", step)
                break
    if problems:
        raise BuildFailed(problems.values())


def write_new(path: Path, data: bytes) -> None:
    """Create the file, never through a link: O_EXCL does not follow one, even a link that leads nowhere."""
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644), "wb") as out:
        out.write(data)


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
    """Each placeholder replaced once, in one pass: a title that itself says __TODAY__ stays as written."""
    names = re.compile("|".join(re.escape(k) for k in values))  # __TITLE_YAML__ before __TITLE__, as listed
    return names.sub(lambda m: values[m.group(0)], text)
