"""Writing the built site, so that it is never half-written: a build that fails or is interrupted
leaves the previous site exactly as it was, and no path can lead outside the output folder.
Only one build at a time writes into a folder (lock.py).

Two ways, both atomic:

- `write_site`: the whole site into a staging folder beside the output, then swapped in whole.
  For a first build, or when the output folder does not hold the site the last build wrote.
- `update_site`: only what changed. The new files are written into an update folder beside the
  output (`.NAME.update-PID/new/`), then a journal of every step is written there (the commit
  point), then the steps are carried out: each file put in place by a rename, each file that
  goes moved aside into `old/` (a file replaced is kept there too, as a hard link), folders made
  and removed. A build stopped before the journal leaves the previous site untouched; one killed
  while carrying it out is finished by the next build (`check_output_folder`), or, when that
  cannot be done, undone from `old/`: either way the site is wholly the old one or the new one.
"""

from __future__ import annotations

import errno
import json
import os
import posixpath
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..content.hubcheck import unreadable
from ..core.errors import BuildFailed, OutputError, UsageError
from ..core.files import clone_or_copy, link_or_copy
from .spool import spool_folder

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


def write_site(output: Path, pages: Iterable[tuple[str, bytes | Path]], copies: Iterable[tuple[Path, str]],
               before_swap: Callable[[Path], None] | None = None, name: Callable[[Path], str] = str,
               reuse: Iterable[tuple[Path, str]] = ()) -> int:
    """Write every (relative path, bytes or a spooled file to move) and copy every (source, relative path);
    return the file count.

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
                _put(data, _inside(staging, rel, made))
                count += 1
            for src, rel in reuse:
                link_or_copy(src, _inside(staging, rel, made))
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
    dest = os.path.join(folder, _checked(rel))
    parent = os.path.dirname(dest)
    if parent not in made:
        os.makedirs(parent, exist_ok=True)
        made.add(parent)
    return dest


def index_folder(output: Path) -> Path:
    """Where a build that updates the site in place makes its search index, beside the output."""
    return output.parent / f".{output.name}.index-{os.getpid()}"


def _remove_leftovers(output: Path) -> None:
    """Staging and update folders left by a build that was killed before it could clean up."""
    for update in sorted(output.parent.glob(f".{output.name}.update-*")):
        if (update / JOURNAL).exists() and (output / MARKER).exists():  # killed after the commit point: finish the update (or undo it)
            _recover(output, update)
        shutil.rmtree(update, ignore_errors=True)
    for stale in output.parent.glob(f".{output.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for pattern, own in ((".index-*", index_folder(output)), (".spool-*", spool_folder(output))):  # (this build's own are in use)
        for stale in output.parent.glob(f".{output.name}{pattern}"):
            if stale.name != own.name:
                shutil.rmtree(stale, ignore_errors=True)
    for stale in output.parent.glob(f".{output.name}.old-*"):
        if output.exists():
            shutil.rmtree(stale, ignore_errors=True)
        else:  # killed between the two renames: put the previous site back
            stale.rename(output)


# updating the site in place, from a journal ------------------------------------------------------

JOURNAL = "journal"
Step = tuple[str, str, int]  # ("remove" | "rmdir" | "mkdir" | "put", path in the output, number in new/ and old/)


def update_site(output: Path, files: Iterable[str], present: Iterable[str], folders: Iterable[str],
                pages: Iterable[tuple[str, bytes | Path]], copies: Iterable[tuple[Path, str]],
                name: Callable[[Path], str] = str, links: Iterable[tuple[Path, str]] = ()) -> tuple[list[str], list[str]]:
    """Make the site in `output` the one whose files are `files`, doing only what changed.

    `present` and `folders` are the files (any entry that is not a folder) and the real folders
    now in `output`, as found when the build began; `pages` (bytes, or a spooled file to move)
    and `copies` are the files to put in place (every other file of `files` is already there, as it should be); `links` too (the
    search index's files, kept in the build cache), copied as a reflink where the file system
    can. Whatever else is there goes. Returns (files put in place, files removed)."""
    check_output_folder(output)
    files = set(files)
    files.add(MARKER)
    puts: dict[str, bytes | Path] = {}
    moved = set()
    for rel, data in pages:
        puts[_checked(rel)] = data
        if isinstance(data, Path):
            moved.add(_checked(rel))
    for src, rel in copies:
        puts[_checked(rel)] = src
    linked = set()
    for src, rel in links:
        puts[_checked(rel)] = src
        linked.add(_checked(rel))
    wanted_folders = {parent for rel in files for parent in _parents(rel)}
    folders = set(folders)
    removed = sorted(set(present) - files)
    steps: list[Step] = [("remove", rel, n) for n, rel in enumerate(removed)]
    steps += [("rmdir", d, 0) for d in sorted(folders - wanted_folders, key=lambda d: -d.count("/"))]
    made = {parent for rel in puts for parent in _parents(rel)} - folders
    steps += [("mkdir", d, 0) for d in sorted(made, key=lambda d: d.count("/"))]
    first = len(removed)
    steps += [("put", rel, first + n) for n, rel in enumerate(puts)]
    if not steps:
        return [], []
    update = output.parent / f".{output.name}.update-{os.getpid()}"
    committed = False
    try:
        (update / "new").mkdir(parents=True)
        (update / "old").mkdir()
        for n, (rel, what) in enumerate(puts.items(), first):
            if isinstance(what, bytes) or rel in moved:
                _put(what, os.path.join(update, "new", str(n)))
            elif rel in linked:
                clone_or_copy(what, update / "new" / str(n))
            else:
                _readable(what, name)
                shutil.copyfile(what, update / "new" / str(n))
        temporary = update / f"{JOURNAL}.tmp"
        temporary.write_text(json.dumps({"steps": steps}))
        temporary.rename(update / JOURNAL)  # the commit point: from here, a killed build is finished by the next
        committed = True
        _carry_out(output, update, steps)
    except BaseException as exc:
        if committed:  # stopped part-way (interrupted, or a step failed): put the previous site back
            try:
                _undo(output, update, steps)
            except OSError as failed:  # the journal stays: the next build finishes the update or undoes it
                raise OutputError(f"cannot write the site into {output}: {failed.strerror or failed}; "
                                  "the next build will finish or undo this one") from None
        shutil.rmtree(update, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the site into {output}: {exc.strerror or exc}; the previous site is unchanged") from None
        raise
    shutil.rmtree(update, ignore_errors=True)
    return list(puts), removed


def _put(what: bytes | Path, dest: str) -> None:
    """Bytes written at `dest`, or a spooled file moved there (spool.py: beside the output, so a rename)."""
    if isinstance(what, bytes):
        with open(dest, "wb") as file:
            file.write(what)
    else:
        os.replace(what, dest)


def add_files(folder: Path, files: dict[str, Path | bytes]) -> None:
    """Put each file (relative path -> a file to copy, or bytes) in `folder`, with its parent folders.
    A copy, not a link: the files come from the build cache, which editing the site must not change."""
    made: set[str] = set()
    for rel, what in files.items():
        dest = _inside(folder, rel, made)
        if isinstance(what, bytes):
            Path(dest).write_bytes(what)
        else:
            clone_or_copy(what, dest)


def _checked(rel: str) -> str:
    """`rel`, normalised, or ValueError when it would lead outside the output folder (see _inside)."""
    norm = posixpath.normpath(rel)
    if rel.startswith("/") or norm.startswith("..") or norm in ("", ".") or "\\" in rel or "\x00" in rel:
        raise ValueError(f"refusing to write outside the output folder: {rel!r}")
    return norm


def _parents(rel: str) -> Iterator[str]:
    while "/" in rel:
        rel = rel.rsplit("/", 1)[0]
        yield rel


def _carry_out(output: Path, update: Path, steps: list[Step]) -> None:
    """Each step, in order; doing one again after it was done changes nothing (see _recover)."""
    for kind, rel, n in steps:
        target, new, old = os.path.join(output, rel), os.path.join(update, "new", str(n)), os.path.join(update, "old", str(n))
        if kind == "remove":
            if os.path.lexists(target) and not os.path.lexists(old):
                os.rename(target, old)
        elif kind == "rmdir":
            try:
                os.rmdir(target)
            except FileNotFoundError:
                pass
        elif kind == "mkdir":
            try:
                os.mkdir(target)
            except FileExistsError:
                if not os.path.isdir(target) or os.path.islink(target):
                    raise
        elif os.path.lexists(new):  # put, not done yet
            if os.path.lexists(target) and not os.path.lexists(old):
                try:
                    os.link(target, old, follow_symlinks=False)  # the old file stays in place until the new one replaces it
                except OSError:
                    os.rename(target, old)
            os.replace(new, target)


def _undo(output: Path, update: Path, steps: list[Step]) -> None:
    """Every step undone, the last first, whether it was done or not: the previous site as it was."""
    for kind, rel, n in reversed(steps):
        target, new, old = os.path.join(output, rel), os.path.join(update, "new", str(n)), os.path.join(update, "old", str(n))
        if kind == "put":
            if not os.path.lexists(new) and os.path.lexists(target):  # the new file is in place
                if os.path.lexists(old):
                    os.replace(old, target)
                else:
                    os.unlink(target)
            elif os.path.lexists(old):  # moved aside or linked, not replaced
                if os.path.lexists(target):
                    os.unlink(old)
                else:
                    os.rename(old, target)
        elif kind == "mkdir":
            try:
                os.rmdir(target)
            except (FileNotFoundError, NotADirectoryError):  # not made (something else is there)
                pass
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):  # a stray file in it: the next build removes it
                    raise
        elif kind == "rmdir":
            os.makedirs(target, exist_ok=True)
        elif os.path.lexists(old):  # remove
            os.rename(old, target)


def _recover(output: Path, update: Path) -> None:
    """A build was killed after committing its update: finish it, or else undo it."""
    try:
        steps = [(str(kind), _checked(str(rel)), int(n)) for kind, rel, n in json.loads((update / JOURNAL).read_text())["steps"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OSError(errno.EIO, f"the journal of an interrupted build in {update} cannot be read ({exc}): "
                                 f"delete {output} and build again") from None
    try:
        _carry_out(output, update, steps)
    except OSError:
        _undo(output, update, steps)
