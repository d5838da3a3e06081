"""Writing the built site: into a staging folder first, then swapped in whole.

A build that fails or is interrupted leaves the previous site exactly as it was, and no path
can lead outside the output folder. Only one build at a time writes into a folder (lock.py).
"""

from __future__ import annotations

import os
import posixpath
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import BuildFailed, OutputError, UsageError
from .hubcheck import unreadable

MARKER = ".sitegen-output"  # marks a folder sitegen built, so it never replaces one it did not


def check_output_folder(output: Path) -> None:
    """Repair what a killed build left behind, and refuse to replace a folder that sitegen
    did not make (it may hold someone's work). Call it holding the output's lock."""
    try:
        _remove_leftovers(output)
        foreign = output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / MARKER).exists()))
    except OSError as exc:
        raise UsageError(f"cannot build into {output}: {exc.strerror or exc}") from None
    if foreign:
        raise UsageError(f"{output} exists and was not made by sitegen: delete it or build elsewhere with -o")


def write_site(output: Path, pages: Iterable[tuple[str, bytes]], copies: Iterable[tuple[Path, str]],
               before_swap: Callable[[Path], None] | None = None, name: Callable[[Path], str] = str,
               reuse: Iterable[tuple[Path, str]] = ()) -> int:
    """Write every (relative path, bytes) and copy every (source, relative path); return the file count.

    `before_swap(staging)` post-processes the complete staged site (the search index) before it replaces
    the old one; it adds files or replaces them (a new file renamed over the old), never changes one in
    place. `name` gives the hub-relative name of a source file, for the error when it cannot be read.
    `reuse` are (file of the previous site, relative path): unchanged outputs, linked rather than
    copied (the previous site is removed after the swap, so nothing stays shared)."""
    check_output_folder(output)
    staging = output.parent / f".{output.name}.staging-{os.getpid()}"
    old = output.parent / f".{output.name}.old-{os.getpid()}"
    count = 0
    made: set[str] = set()
    try:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            staging.mkdir()
        except OSError as exc:
            raise UsageError(f"cannot build into {output}: {exc.strerror or exc}") from None
        try:
            (staging / MARKER).write_text("This folder is built by sitegen and replaced whole on every build.\n")
            for rel, data in pages:
                Path(_inside(staging, rel, made)).write_bytes(data)
                count += 1
            for src, rel in reuse:
                dest = _inside(staging, rel, made)
                try:
                    os.link(src, dest)
                except OSError:  # a file system without hard links
                    shutil.copyfile(src, dest)
                count += 1
            for src, rel in copies:
                _readable(src, name)
                dest = _inside(staging, rel, made)
                if os.path.lexists(dest):
                    os.unlink(dest)  # never write into a file linked from the previous site
                shutil.copyfile(src, dest)
                count += 1
            if before_swap is not None:
                before_swap(staging)
            _swap(staging, output, old)
        except OSError as exc:
            raise OutputError(f"cannot write the site into {output}: {exc.strerror or exc}; the previous site is unchanged") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return count


def _swap(staging: Path, output: Path, old: Path) -> None:
    """Put the staged site in place of the previous one (which is put back if that fails)."""
    if output.exists():
        output.rename(old)
    try:
        staging.rename(output)
    except OSError:
        if old.exists() and not output.exists():
            old.rename(output)
        raise


def _readable(src: Path, name: Callable[[Path], str]) -> None:
    """A file to copy that the system will not let sitegen read is the hub's problem, not the output's."""
    try:
        os.close(os.open(src, os.O_RDONLY))
    except OSError as exc:
        raise BuildFailed([unreadable(name(src), exc)]) from None


def _inside(folder: Path, rel: str, made: set[str]) -> str:
    """folder/rel, with its parent folders made; refuses any path that leads outside `folder`.

    The check is on the text of the path: the staging folder is new, so no link inside it can lead out.
    Plain strings rather than Path objects: this runs for every file of the site."""
    norm = posixpath.normpath(rel)
    if rel.startswith("/") or norm.startswith("..") or norm in ("", ".") or "\\" in rel or "\x00" in rel:
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    dest = os.path.join(folder, norm)
    parent = os.path.dirname(dest)
    if parent not in made:
        os.makedirs(parent, exist_ok=True)
        made.add(parent)
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
