"""Before anything is read: the parts of a hub that sitegen refuses to read, each an error.

sitegen reads only files inside the hub. Without these checks a link (symlink) leading out
of the hub would publish files from elsewhere on the computer, a link leading round in a
circle would crash the build, a name that is not UTF-8 text cannot become an address, and a folder the system will not let sitegen list would make
its pages silently disappear from a site that then replaces the good one.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from ..core.errors import ContentError, Problems

FOLDERS = ("content", "templates", "static", "data")


ADDRESSED = ("content", "static")  # the folders whose files' names become addresses of the site


OUTSIDE = "is a link to something outside the hub: sitegen only reads files inside the hub's own folders; copy the file in instead"


NOT_UTF8 = "this name is not UTF-8 text, so it cannot be part of a web address: rename it (plain letters, digits and hyphens are safest)"


LOOP = "is a link that leads round in a circle (to itself, or to a link back to it): delete it or point it at a real file"


def check_hub(root: Path) -> Problems:
    """Errors for site.yaml or a hub folder that leads outside the hub, for links inside the hub's
    folders that lead outside it or in a circle, and for folders that cannot be read."""
    root = root.resolve()
    problems = Problems()
    for name in ("site.yaml", *FOLDERS):
        path = root / name
        problem = _link_problem(path, root) if path.is_symlink() else None
        if problem:
            problems.error(name, None, problem)
        elif name in FOLDERS and path.exists() and not path.is_dir():
            problems.error(name, None, f"is a file, but {name}/ must be a folder")
        elif name in FOLDERS and path.is_dir():
            _walk(path, root, problems)
    return problems


def _walk(top: Path, root: Path, problems: Problems) -> None:
    """Every entry under `top`, without following links (a link is checked, not entered).

    Plain strings and DirEntry flags keep this quick: the dev server runs it on every rebuild."""
    todo = [str(top)]
    while todo:
        folder = todo.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if not _is_text(entry.name) and top.name in ADDRESSED:
                        problems.error(_shown(Path(entry.path).relative_to(root).as_posix()), None, NOT_UTF8)
                        continue
                    if entry.is_symlink():
                        problem = _link_problem(Path(entry.path), root)
                        if problem:
                            problems.error(Path(entry.path).relative_to(root).as_posix(), None, problem)
                    elif entry.is_dir(follow_symlinks=False):
                        todo.append(entry.path)
        except OSError as exc:
            rel = Path(folder).relative_to(root).as_posix()
            problems.error(rel, None, f"this folder cannot be read ({exc.strerror or exc}): the files in it would be missing from the site")


def _is_text(name: str) -> bool:
    """Whether a file name is text: bytes that are not UTF-8 come from the system as lone surrogates."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(rel: str) -> str:
    """A name with bytes that are not UTF-8 shown as \\xNN, so that the message can be printed."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def _link_problem(path: Path, root: Path) -> str | None:
    """Why sitegen will not follow the link at `path`, or None when it leads inside the hub (or nowhere)."""
    try:
        os.stat(path)
    except OSError as exc:
        return LOOP if exc.errno == errno.ELOOP else None  # a link to nothing is skipped like a missing file
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a loop
        return LOOP
    return None if target.is_relative_to(root) else OUTSIDE


def unreadable(rel: str, exc: OSError) -> ContentError:
    """The error for a file the operating system will not let sitegen read."""
    return ContentError(f"cannot be read ({exc.strerror or exc}): check the file's permissions", rel, None)
