"""The cache folder a build may use: the hub's own (`cache_dir`), or, when that cannot be read and
written (a read-only checkout, a folder left by another user), a private temporary one.

The fallback is made with `mkdtemp` (readable by this user only, with a name no one can guess)
and removed when the process ends: a predictable folder in the shared temporary directory would
let another user of the computer plant processed pictures that the next build publishes.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from pathlib import Path

PARTS = ("", "build", "search", "images")  # the cache folder and the sub-folders sitegen writes in

_private: dict[Path, Path] = {}  # cache folder that cannot be used -> the private folder used instead
_lock = threading.Lock()


def unusable(folder: Path) -> str | None:
    """Why `folder` (and the sub-folders sitegen keeps in it) cannot be read and written, or None.
    Nothing is made: a folder not there yet only needs a parent this user may write in."""
    for part in PARTS:
        path = folder / part if part else folder
        try:
            if not path.exists():
                parent = next(p for p in path.parents if p.exists())
                if not os.access(parent, os.W_OK | os.X_OK):
                    return f"{path}: the cache folder cannot be made in {parent} (Permission denied)"
                continue
            os.listdir(path)
            probe = path / f".probe-{os.getpid()}-{threading.get_ident()}"
            os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            os.unlink(probe)
        except OSError as exc:
            return f"{path}: the cache folder cannot be read and written ({exc.strerror or exc})"
    return None


def cache_folder(folder: Path) -> tuple[Path, str | None]:
    """(the folder to keep the cache in, a warning when it is not `folder`)."""
    with _lock:
        if folder in _private:
            return _private[folder], None
        why = unusable(folder)
        if why is None:
            return folder, None
        private = Path(tempfile.mkdtemp(prefix="sitegen-cache-"))
        atexit.register(shutil.rmtree, private, ignore_errors=True)
        _private[folder] = private
    return private, (f"{why}: this build keeps its cache in a private temporary folder instead, "
                     "so the next build will take longer (check the permissions of cache_dir)")
