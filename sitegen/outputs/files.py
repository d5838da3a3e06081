"""Files copied as they are: the theme's assets, static/, and the files beside content."""

from __future__ import annotations

from pathlib import Path

from ..images import Pictures
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


def processed(copies: list[Copy], pictures: Pictures, made: dict[str, Path]) -> list[Copy]:
    """The copies with every picture replaced by its re-encoded file, and its smaller copies added
    (`made`: site path -> processed file, from images.materialise)."""
    result = [Copy(made[c.url] if c.url in pictures.rasters else c.src, c.url) for c in copies]  # never an original picture
    for picture in pictures.rasters.values():
        result += [Copy(made[v.url], v.url) for v in picture.variants[1:] if v.url in made]
    return result
