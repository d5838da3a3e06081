"""File helpers: the built-in theme's folder, a file's name in messages, a hard link (else a copy),
and a copy that shares the blocks where the file system can (a reflink), never the file."""

from __future__ import annotations

import os
import shutil
import sys
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


FICLONE = 0x40049409  # Linux's ioctl for a copy-on-write clone (Btrfs, XFS, ...)


_NO_CLONES: set[tuple[int, int]] = set()  # (source's device, destination's) where a reflink was refused: not asked again


def clone_or_copy(src: str | Path, dest: str | Path) -> None:
    """A new file with the bytes of `src`: a reflink where the file system makes them, else a copy.
    Unlike a hard link, changing one never changes the other. Each file is opened once (a search
    index copies thousands of small files)."""
    with open(src, "rb") as source, open(dest, "wb") as target:
        if sys.platform.startswith("linux"):
            import fcntl

            devices = (os.fstat(source.fileno()).st_dev, os.fstat(target.fileno()).st_dev)
            if devices not in _NO_CLONES:
                try:
                    fcntl.ioctl(target.fileno(), FICLONE, source.fileno())
                    return
                except OSError:  # not a file system that makes reflinks (ext4, tmpfs...), or across two
                    _NO_CLONES.add(devices)
        shutil.copyfileobj(source, target)
