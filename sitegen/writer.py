"""Writing the built site: into a staging folder first, then swapped in whole.

A build that fails or is interrupted leaves the previous site exactly as it
was, and no path can lead outside the output folder.
"""

from __future__ import annotations

import os
import posixpath
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import UsageError

MARKER = ".sitegen-output"  # marks a folder sitegen built, so it never replaces one it did not


def check_output_folder(output: Path) -> None:
    """Repair what a killed build left behind, and refuse to replace a folder that sitegen
    did not make (it may hold someone's work)."""
    _remove_leftovers(output)
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / MARKER).exists())):
        raise UsageError(f"{output} exists and was not made by sitegen: delete it or build elsewhere with -o")


def write_site(output: Path, pages: Iterable[tuple[str, bytes]], copies: Iterable[tuple[Path, str]],
               before_swap: Callable[[Path], None] | None = None) -> int:
    """Write every (relative path, bytes) and copy every (source, relative path); return the file count.

    `before_swap(staging)` post-processes the complete staged site (the search index) before it replaces the old one."""
    check_output_folder(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.parent / f".{output.name}.staging-{os.getpid()}"
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    count = 0
    made: set[Path] = set()
    try:
        staging.mkdir()
        (staging / MARKER).write_text("This folder is built by sitegen and replaced whole on every build.\n")
        for rel, data in pages:
            _inside(staging, rel, made).write_bytes(data)
            count += 1
        for src, rel in copies:
            shutil.copyfile(src, _inside(staging, rel, made))
            count += 1
        if before_swap is not None:
            before_swap(staging)
        if output.exists():
            output.rename(old)
        staging.rename(output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return count


def _inside(folder: Path, rel: str, made: set[Path]) -> Path:
    """folder/rel, with its parent folders made; refuses any path that leads outside `folder`.

    The check is on the text of the path: the staging folder is new, so no link inside it can lead out.
    """
    norm = posixpath.normpath(rel)
    if rel.startswith("/") or norm.startswith("..") or norm in ("", ".") or "\\" in rel or "\x00" in rel:
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    dest = folder / norm
    if dest.parent not in made:
        dest.parent.mkdir(parents=True, exist_ok=True)
        made.add(dest.parent)
    return dest


def _remove_leftovers(output: Path) -> None:
    """Staging folders left by a build that was killed before it could clean up."""
    for stale in output.parent.glob(f".{output.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in output.parent.glob(f".{output.name}.old-*"):
        if output.exists():
            shutil.rmtree(stale, ignore_errors=True)
        else:  # killed between the two renames: put the previous site back
            stale.rename(output)
