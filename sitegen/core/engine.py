"""What code made a cache: sitegen's version, the bytes of its own modules, and the versions of the libraries
whose output the cache keeps (a page rendered by another Markdown engine or Jinja is not reused)."""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

from ..version import __version__


def engine_fingerprint() -> str:
    """sitegen's version and its own code: a cache made by other code is not trusted."""
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    package = Path(__file__).resolve().parent.parent  # sitegen/
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    for library in LIBRARIES:
        try:
            h.update(f"{library}=={metadata.version(library)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{library} missing;".encode())
    return h.hexdigest()


LIBRARIES = ("pyromark", "PyYAML", "Jinja2", "MarkupSafe", "Pillow", "pagefind", "Babel", "icalendar")


ENGINE = engine_fingerprint()
