"""Finding the hub's content files, and which kind each belongs to by its folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..schema.kinds import Schema

IGNORED = re.compile(r"(^|/)([._~#]|.*~$|.*\.(swp|swx|tmp|bak)$)")


def kind_of(relative_to_content: str, schema: Schema) -> str:
    if relative_to_content == "index.md":
        return "home"
    top = relative_to_content.split("/", 1)[0]
    kind = schema.get(top)
    return top if kind is not None and kind.is_section and "/" in relative_to_content else "pages"


def discover(root: Path) -> tuple[list[str], list[str]]:
    """The hub-relative paths of every Markdown file and every other file under content/, sorted
    (folder by folder, as paths compare).

    Links that lead outside the hub are left out (`hubcheck` reports them). Links to folders are
    not followed, so only an entry that is itself a link, or content/ when it is one, can lead out:
    only those are resolved (resolving every file's path would take most of the time)."""
    content = root / "content"
    pages: list[str] = []
    files: list[str] = []
    if not content.is_dir():
        return pages, files
    content_inside = not content.is_symlink() or is_inside(content, root)
    found: list[tuple[list[str], str]] = []
    todo = [("", str(content))]
    while todo:
        prefix, folder = todo.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            continue
        for entry in listed:
            rel = prefix + entry.name
            try:
                link = entry.is_symlink()
                if entry.is_dir(follow_symlinks=False):
                    todo.append((rel + "/", entry.path))
                    continue
                if not entry.is_file():  # follows a link: a link to a file is a file
                    continue
            except OSError:
                continue
            if IGNORED.search(rel) or not (is_inside(Path(entry.path), root) if link else content_inside):
                continue
            found.append((rel.split("/"), rel))
    for _, rel in sorted(found):
        (pages if rel.lower().endswith(".md") else files).append("content/" + rel)
    return pages, files


def is_inside(path: Path, root: Path) -> bool:
    """Whether `path`, with every link in it followed, is still inside the hub (a link loop is not)."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False
