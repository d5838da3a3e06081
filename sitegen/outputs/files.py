"""Files copied as they are: the theme's assets, static/, and the files beside content."""

from __future__ import annotations

from pathlib import Path

from ..model import Site
from ..urls import content_file_url
from . import Copy


def plan(site: Site, static: dict[str, Path]) -> list[Copy]:
    """`static` maps site paths to files (the theme's first, the site's static/ over them)."""
    copies = [Copy(src, url) for url, src in sorted(static.items())]
    root = site.config.root
    for rel in site.content_files:
        copies.append(Copy(root / rel, content_file_url(rel.split("/", 1)[1])))
    return copies
