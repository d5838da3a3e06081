"""Files copied as they are: the theme's assets, static/, and the files beside content."""

from __future__ import annotations

from pathlib import Path

from ..config import hero
from ..content.discover import IGNORED, is_inside
from ..core.errors import Problems
from ..core.files import THEME
from ..core.urls import content_file_url
from ..media import pictures as images
from ..media.pictures import Pictures
from ..model.site import Site
from .output import Copy, Output


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


def scan_pictures(site: Site, outputs: list[Output], copies: list[Copy], problems: Problems,
                  memo: dict[tuple[str, int, int], object] | None = None) -> images.Pictures:
    """The size of every picture among the files copied, and the checks that need them."""
    pictures, found = images.scan({c.url: c.src for c in copies}, site.config.root, memo)
    pictures.base_path = site.config.base_path
    problems.extend(found)
    home_hero = None
    if site.home and site.home.fields.get("hero") is not None:
        try:
            home_hero = hero.parse(site.home.fields["hero"], folder="/")  # index.md sits at the top of content/
        except ValueError as exc:
            problems.error(site.home.source, site.home.line_of("hero"), f"hero: {exc}")
    problems.extend(images.check_hub(site.config, home_hero, pictures, {o.url for o in outputs}))
    return pictures


def static_files(root: Path) -> dict[str, Path]:
    """Site path -> file, for the theme's assets and then the site's static/ (which wins)."""
    files: dict[str, Path] = {}
    for folder in (THEME / "static", root / "static"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder).as_posix()
                if path.is_file() and not IGNORED.search(rel) and (folder == THEME / "static" or is_inside(path, root)):
                    files["/" + rel] = path
    return files
