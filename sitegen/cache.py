"""The persistent build cache: `.sitegen-cache/build/` beside the hub (the `cache_dir` setting).

It keeps what earlier builds worked out: every content file as read (keyed by its bytes, the
settings reading depends on and the engine), and what each output read while it rendered (so
an unchanged output is taken from the previous site instead of rendered again). It is only an
aid: deleting it, or keeping it between CI runs, never changes the site. A file that is
damaged, cut short, or made by another version of sitegen is ignored, with a warning, and
written afresh. Other parts of sitegen keep their own sub-folders (images/, ...).

Each file is `MAGIC`, the engine's fingerprint, a checksum of the rest, then a pickle. Like
the hub's own Markdown extensions and templates, the cache is trusted by whoever runs the
build: keep it out of reach of people who may not change the hub.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from . import __version__
from .errors import Problems

MAGIC = b"sitegen build cache\n"


def engine_fingerprint() -> str:
    """sitegen's version and its own code: a cache made by other code is not trusted."""
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


ENGINE = engine_fingerprint()


class BuildCache:
    def __init__(self, folder: Path, problems: Problems):
        self.folder = folder / "build"
        self.problems = problems  # where warnings about a damaged cache go

    def load(self, name: str) -> Any | None:
        path = self.folder / name
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._ignore(path, f"cannot be read ({exc.strerror})")
            return None
        if not data.startswith(MAGIC):
            self._ignore(path, "is not a sitegen build cache")
            return None
        rest = data[len(MAGIC):]
        engine, _, rest = rest.partition(b"\n")
        checksum, _, payload = rest.partition(b"\n")
        if engine.decode("ascii", "replace") != ENGINE:
            self._ignore(path, "was made by another version of sitegen")
            return None
        if hashlib.blake2b(payload, digest_size=16).hexdigest().encode() != checksum:
            self._ignore(path, "is damaged or incomplete")
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # the checksum matched, but be safe: any failure means "not usable"
            self._ignore(path, "is damaged or incomplete")
            return None

    def save(self, name: str, value: Any) -> None:
        """Written whole or not at all (a temporary file renamed over the old one)."""
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        data = MAGIC + ENGINE.encode() + b"\n" + hashlib.blake2b(payload, digest_size=16).hexdigest().encode() + b"\n" + payload
        path = self.folder / name
        temporary = path.with_name(f".{name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            marker = self.folder.parent / "CACHEDIR.TAG"  # backup tools skip folders marked so
            if not marker.exists():
                marker.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# made by sitegen: safe to delete\n")
            temporary.write_bytes(data)
            os.replace(temporary, path)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            self.problems.warn(None, None, f"{path}: the build cache could not be written ({exc.strerror}); the next build will take longer")

    def _ignore(self, path: Path, why: str) -> None:
        self.problems.warn(None, None, f"{path}: the build cache {why}: it was ignored and will be made again")
