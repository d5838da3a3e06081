"""File helpers: the built-in theme's folder, a file's name in messages, and a hard link (else a copy)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

THEME = Path(__file__).resolve().parent.parent / "theme"  # sitegen/theme: the built-in templates and assets


def hub_name(path: Path, root: Path) -> str:
    """A file's name in messages: hub-relative, or sitegen/theme/... for the built-in theme's."""
    for base, label in ((root, ""), (THEME, "sitegen/theme/")):
        if path.is_relative_to(base):
            return label + path.relative_to(base).as_posix()
    return str(path)


def link_or_copy(src: str | Path, dest: str | Path) -> None:
    """A hard link where the file system allows it (sitegen never changes a written file in place)."""
    try:
        os.link(src, dest)
    except OSError:  # a file system without hard links
        shutil.copyfile(src, dest)
