"""What code made a cache: sitegen's version and the bytes of its own modules."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..version import __version__


def engine_fingerprint() -> str:
    """sitegen's version and its own code: a cache made by other code is not trusted."""
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    package = Path(__file__).resolve().parent.parent  # sitegen/
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


ENGINE = engine_fingerprint()
