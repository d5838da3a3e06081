"""One build at a time into an output folder.

Two builds writing into one folder at once (two terminals, or a save that starts a hook
while a build runs) would tear each other's work apart. Each build holds an operating-system
lock on a file beside the output folder; the second one is told and stops. The system drops
the lock when the process ends, however it ends, so a killed build never blocks the next.

Only the build's own process holds the lock: a forked worker (parallel.py) closes its copy of
the lock file at once, so workers that outlive a killed build (they are made to die with it too)
keep nothing locked. A lock file whose recorded holder is no longer running (left locked by the
workers of a build from an older sitegen) is replaced rather than obeyed.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ..core.errors import UsageError

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


_HELD: set[int] = set()  # the lock files this process holds open


def _close_in_child() -> None:
    """In a forked child: close the inherited lock files, so that only the parent holds the lock."""
    for fd in _HELD:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


def lock_path(output: Path) -> Path:
    return output.parent / f".{output.name}.lock"


@contextlib.contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the lock of `output` for the `with` block; raise UsageError when another build holds it."""
    path = lock_path(output)
    for folder in output.parents:
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"cannot build into {output}: {folder} is not a folder")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot build into {output}: {exc.strerror or exc}") from None
    replaced = False
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise UsageError(f"cannot build into {output}: {exc.strerror or exc}") from None
        try:
            _try_lock(fd)
        except OSError:
            pid = _holder(fd)
            if pid and not replaced and not _running(int(pid)) and _same_file(fd, path):
                replaced = True  # (once: a file that cannot be removed is obeyed)
                with contextlib.suppress(OSError):
                    os.unlink(path)  # locked by what a dead build left behind: lock a new file instead
                os.close(fd)
                continue
            os.close(fd)
            holder = f" (process {pid})" if pid else ""
            raise UsageError(f"another build{holder} is writing into {output}: wait for it to finish, or build elsewhere with -o") from None
        if _same_file(fd, path):
            break
        os.close(fd)  # the build before us removed the file after we opened it: lock the new one
    _HELD.add(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # removed while still locked, so no build can lock a file that is going away
        _HELD.discard(fd)
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except OSError:
        return False


def _holder(fd: int) -> str:
    """The process number in the lock file ('1234'), or '' when it cannot be read. The holder writes
    its number just after it takes the lock: a moment's wait when it is not there yet."""
    for _ in range(20):
        try:
            pid = os.pread(fd, 32, 0).decode().strip()
        except (OSError, AttributeError, UnicodeDecodeError):
            return ""
        if pid.isdigit():
            return pid
        time.sleep(0.01)
    return ""


def _running(pid: int) -> bool:
    """Whether process `pid` exists (one of another user's counts: it may be a build)."""
    if sys.platform == "win32" or pid <= 0:
        return True  # no cheap way to tell: obey the lock
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
