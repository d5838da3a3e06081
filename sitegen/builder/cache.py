"""The persistent build cache: `.sitegen-cache/build/` beside the hub (the `cache_dir` setting).

It keeps what earlier builds worked out: every content file as read (keyed by its bytes, the
settings reading depends on and the engine), and what each output read while it rendered (so
an unchanged output is taken from the previous site instead of rendered again). It is only an
aid: deleting it, or keeping it between CI runs, never changes the site. A file that is
damaged, cut short, or made by another version of sitegen is ignored, with a warning, and
written afresh. Other parts of sitegen keep their own sub-folders (images/, ...).

A large record that changes a little from build to build (what every content file was read as,
what every output read) is kept as a base file and a small delta beside it (`save_split`): a
build that changed a few files writes only the delta, until it grows to a part of the base.
The delta names the base it applies to, so a delta left beside a newer base is ignored.

Each file is `MAGIC`, the engine's fingerprint, a checksum of the rest, then a pickle. Like
the hub's own Markdown extensions and templates, the cache is trusted by whoever runs the
build (a pickle can run code when it is loaded): keep it out of reach of people who may not
change the hub. A cache folder that cannot be read and written is replaced, with a warning, by
a private temporary one (core/cachedir.py).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from ..core.cachedir import cache_folder
from ..core.engine import ENGINE
from ..core.errors import Problems

MAGIC = b"sitegen build cache\n"




Split = tuple[Any, list[dict[Any, Any]]]  # (a small header, kept whole; dicts, kept as base + delta)
_MISSING = object()


class BuildCache:
    def __init__(self, folder: Path, problems: Problems):
        usable, why = cache_folder(folder)  # a cache folder that cannot be read and written: a private one instead
        if why:
            problems.warn(None, None, why)
        self.folder = usable / "build"
        self.problems = problems  # where warnings about a damaged cache go
        self.bases: dict[str, tuple[str, list[dict[Any, Any]]]] = {}  # name -> (token, the dicts as in the base file)

    def load_split(self, name: str) -> Split | None:
        """The header and dicts saved by save_split (the base file with its delta applied), or None."""
        base = self.load(name)
        if not (isinstance(base, tuple) and len(base) == 3 and isinstance(base[2], list)):
            return None
        token, header, dicts = base
        self.bases[name] = (token, [d.copy() for d in dicts])
        delta = self.load(f"{name}.delta")
        if isinstance(delta, tuple) and len(delta) == 3 and delta[0] == token and len(delta[2]) == len(dicts):
            header = delta[1]
            for d, (changed, removed) in zip(dicts, delta[2], strict=True):
                d.update(changed)
                for key in removed:
                    d.pop(key, None)
        return header, dicts

    def save_split(self, name: str, header: Any, dicts: list[dict[Any, Any]]) -> None:
        """Save the header and dicts: only what differs from the base file (as a delta), or a new base
        when there is none yet or the delta would be more than an eighth of it. Values are compared
        with ==: a value must not be changed in place (replace it)."""
        known = self.bases.get(name)
        if known is not None and len(known[1]) == len(dicts):
            token, bases = known
            changes = [_diff(base, d) for base, d in zip(bases, dicts, strict=True)]
            if sum(len(changed) + len(removed) for changed, removed in changes) <= max(64, sum(map(len, dicts)) // 8):
                self.save(f"{name}.delta", (token, header, changes))
                return
        token = os.urandom(8).hex()
        if self.save(name, (token, header, dicts)):
            self.bases[name] = (token, [d.copy() for d in dicts])
            (self.folder / f"{name}.delta").unlink(missing_ok=True)

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
        first = data.find(b"\n", len(MAGIC))
        second = data.find(b"\n", first + 1) if first >= 0 else -1
        engine = data[len(MAGIC):first] if first >= 0 else b""
        checksum = data[first + 1:second] if second >= 0 else b""
        payload = memoryview(data)[second + 1:] if second >= 0 else memoryview(b"")  # not a copy of the megabytes
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

    def save(self, name: str, value: Any) -> bool:
        """Written whole or not at all (a temporary file renamed over the old one). Returns whether it was."""
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
            return False
        return True

    def _ignore(self, path: Path, why: str) -> None:
        self.problems.warn(None, None, f"{path}: the build cache {why}: it was ignored and will be made again")


def _diff(base: dict[Any, Any], now: dict[Any, Any]) -> tuple[dict[Any, Any], list[Any]]:
    """(entries of `now` not in `base` as they are, keys of `base` no longer in `now`)."""
    changed = {key: value for key, value in now.items() if base.get(key, _MISSING) != value}
    return changed, [key for key in base if key not in now]
