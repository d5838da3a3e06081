"""Pictures: re-encoded without their metadata, turned upright, and resized for the page (with Pillow).

Every raster image the site publishes (from static/ or beside content) goes through here:
- the file at its own address is re-encoded in its own format, turned upright by its EXIF
  orientation, with no EXIF, XMP, GPS, ICC profile (colours are converted to sRGB first),
  comments or text chunks; the original is never touched;
- WebP copies at a few widths (`WIDTHS`) feed `srcset`; one JPEG (PNG when it has transparency)
  at most `FALLBACK_WIDTH` wide is the `src` for browsers without WebP and the picture of link
  previews (og:image). An animated image keeps its frames and gets no smaller copies.
Processed files are kept in a cache folder keyed by the source's bytes and the recipe, so a
rebuild does not redo them; writing the site copies them from there.

Reading sizes (`scan`) only opens each file's header, so `check` and page rendering stay quick;
`enhance` then gives every <img> in a rendered page its width, height, srcset and loading hints.
"""

from __future__ import annotations

import posixpath
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import PIL
from PIL import Image, ImageOps, UnidentifiedImageError

from ..config.hero import Hero
from ..config.siteyaml import Config
from ..core.downloads import human_size
from ..core.errors import Problems, did_you_mean
from .recognise import CLEANED, CLEANED_EXTENSIONS, MAX_PIXELS, REFUSED_EXTENSIONS, megapixels, sniff
from .recognise import REFUSED as REFUSED_FORMATS
from .svg import read_svg

# The formats sitegen re-encodes, by file extension (Pillow's name for each); a file is a picture by its
# content as well (recognise.py), whatever its name.
RASTER = CLEANED_EXTENSIONS


# Photos that browsers cannot show and Pillow cannot clean: refused, since they would be published with their GPS position.
REFUSED = {".heic": "an iPhone HEIC photo", ".heif": "a HEIF photo", ".tif": "a TIFF image", ".tiff": "a TIFF image"}


_PILLOW_FORMATS = sorted(CLEANED)  # what Pillow may read a picture as (its JPEG reader also gives MPO: a phone's JPEG with a second picture)


WIDTHS = (400, 800, 1200, 1600)  # the WebP copies made for srcset (only those narrower than the picture, plus its own width)


FALLBACK_WIDTH = 1200  # the JPEG/PNG for old browsers and link previews: 1200 px wide suits every social site


WEBP_QUALITY = 78


JPEG_QUALITY = 82


# Everything that changes the bytes made: a different recipe gives different cache entries.
RECIPE = f"sitegen-images 1; Pillow {PIL.__version__}; widths {WIDTHS}; fallback {FALLBACK_WIDTH}; webp {WEBP_QUALITY}; jpeg {JPEG_QUALITY}"


# `sizes` for an <img> whose page does not say how wide it is shown: the theme's text column (42rem).
DEFAULT_SIZES = "(min-width: 46rem) 42rem, calc(100vw - 2rem)"


LARGE_BYTES = 8 * 1000 * 1000  # `check` warns about originals heavier than this...


LARGE_PIXELS = 24 * 1000 * 1000  # ...or with more pixels than this (a 6000 x 4000 camera photo)


MUCH_SMALLER = 3  # ...and about pictures more than this many times wider than they are shown (at 2x density)


@dataclass(frozen=True)
class Variant:
    """One file made from a picture."""

    url: str  # site path
    width: int
    height: int
    format: str  # Pillow's name: "WEBP", "JPEG", "PNG", "GIF"


@dataclass(frozen=True)
class Picture:
    """A raster image of the hub, as its header describes it (width and height once upright)."""

    url: str  # site path: "/img/visit.jpg"
    path: Path  # the original
    source: str  # hub-relative, for messages: "static/img/visit.jpg"
    format: str  # JPEG, PNG, GIF, WEBP, AVIF, BMP, ICO
    width: int
    height: int
    size: int  # bytes
    animated: bool = False
    alpha: bool = False
    modified: int = 0  # the file's modification time (ns): an edited picture is a different Picture
    frames: int = 1

    @property
    def pixels(self) -> int:
        """Every pixel of every frame: what decoding it takes in memory."""
        return self.width * self.height * self.frames

    @property
    def own(self) -> Variant:
        """The re-encoded picture at its own address, full size."""
        return Variant(self.url, self.width, self.height, self.format)

    @property
    def webp(self) -> tuple[Variant, ...]:
        if self.animated or self.format == "ICO":
            return ()
        widths = [w for w in WIDTHS if w < self.width] + ([self.width] if self.width <= WIDTHS[-1] else [])
        return tuple(self._variant(w, "WEBP") for w in widths)

    @property
    def fallback(self) -> Variant:
        """The JPEG or PNG that old browsers show and link previews use."""
        if self.animated or self.format == "ICO" or (self.format in ("JPEG", "PNG") and self.width <= FALLBACK_WIDTH):
            return self.own
        return self._variant(min(self.width, FALLBACK_WIDTH), "PNG" if self.alpha else "JPEG")

    @property
    def variants(self) -> tuple[Variant, ...]:
        """Every file made from this picture, its own first."""
        made = [self.own, *self.webp]
        if self.fallback != self.own:
            made.append(self.fallback)
        return tuple(made)

    def _variant(self, width: int, fmt: str) -> Variant:
        height = max(1, round(self.height * width / self.width))
        ext = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}[fmt]
        return Variant(f"{posixpath.splitext(self.url)[0]}-{width}w.{ext}", width, height, fmt)


@dataclass
class Pictures:
    """What the pages need to know about the hub's images and files; templates see it as `images`."""

    rasters: dict[str, Picture] = field(default_factory=dict)  # site path -> picture
    vectors: dict[str, tuple[int, int]] = field(default_factory=dict)  # SVG site path -> (width, height), where it says
    files: dict[str, int] = field(default_factory=dict)  # every copied file's site path -> size in bytes
    sources: dict[str, str] = field(default_factory=dict)  # every copied file's site path -> hub-relative path, for messages
    base_path: str = "/"
    _by_href: dict[str, Picture] = field(default_factory=dict, repr=False, compare=False)

    def get(self, url: str | None) -> Picture | None:
        return self.rasters.get(url or "")

    def size_of(self, url: str | None) -> tuple[int, int] | None:
        """(width, height) of a picture, raster or SVG, when known."""
        picture = self.get(url)
        if picture is not None:
            return picture.width, picture.height
        return self.vectors.get(url or "")

    def social(self, *candidates: str | None) -> Variant | None:
        """The picture for link previews: the fallback JPEG/PNG of the first raster candidate.

        An SVG cannot be a link preview (social sites do not show it) and Pillow cannot draw one,
        so SVG candidates are passed over: the hub's default_image or logo, if raster, stands in."""
        for url in candidates:
            picture = self.get(url)
            if picture is not None:
                return picture.fallback
        return None

    def srcset(self, url: str) -> str:
        picture = self.get(url)
        return ", ".join(f"{self.href(v.url)} {v.width}w" for v in picture.webp) if picture else ""

    def by_href(self) -> dict[str, Picture]:
        """Each picture by the links to its own file and to its fallback, as pages write them."""
        if not self._by_href:
            for picture in self.rasters.values():
                self._by_href[self.href(picture.url)] = self._by_href[self.href(picture.fallback.url)] = picture
        return self._by_href

    def href(self, url: str) -> str:
        """A link to a site path, with the base path, safe inside srcset (spaces and commas encoded)."""
        return self.base_path + quote(url.lstrip("/"), safe="/:@!$&'()*+;=-._~")


def is_raster(name: str) -> bool:
    return posixpath.splitext(name.lower())[1] in RASTER


NOT_A_PICTURE = False  # what the memo keeps for a file that is no picture


def scan(files: dict[str, Path], root: Path, memo: dict[tuple[str, int, int], object] | None = None) -> tuple[Pictures, Problems]:
    """Read the header of every picture among `files` (site path -> file), known by its content
    whatever its name. `memo` (kept by the dev server between rebuilds) skips files whose size and
    modification time have not changed."""
    problems = Problems()
    pictures = Pictures()
    memo = {} if memo is None else memo
    for url, path in sorted(files.items()):
        stat = path.stat()
        source = pictures.sources[url] = _relative(path, root)
        pictures.files[url] = stat.st_size
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        found = memo.get(key)
        if found is None:
            found = _inspect(url, path, source, stat.st_size, stat.st_mtime_ns)
            memo[key] = found
        if isinstance(found, Picture):
            pictures.rasters[url] = found
        elif isinstance(found, tuple):
            pictures.vectors[url] = found
        elif isinstance(found, str):
            problems.error(source, None, found)
    return pictures, problems


def _inspect(url: str, path: Path, source: str, size: int, modified: int) -> object:
    """A Picture, an SVG's (width, height), a message when the file is refused, None for an SVG
    that gives no size, or NOT_A_PICTURE."""
    ext = posixpath.splitext(url.lower())[1]
    if ext in (".svg", ".svgz"):
        return read_svg(path)
    try:
        with path.open("rb") as file:
            head = file.read(64)
    except OSError:
        return NOT_A_PICTURE  # the copy reports it
    fmt = sniff(head)
    named = RASTER.get(ext) or REFUSED_EXTENSIONS.get(ext)
    refused = fmt if fmt in REFUSED_FORMATS else None if fmt else named if named in REFUSED_FORMATS else None
    if refused:
        what = REFUSED.get(ext) or REFUSED_FORMATS[refused]
        return (f"is {what}, which browsers cannot show and sitegen cannot strip of its location and camera details: "
                "export it as JPEG (or PNG) and use that")
    if named is None and fmt is None:
        return NOT_A_PICTURE
    found = _read_header(url, path, source, size, modified, fmt if fmt in CLEANED else named or "")
    if isinstance(found, str) and named is None and fmt == "BMP":
        return NOT_A_PICTURE  # text that happens to start with "BM"
    return found


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def _read_header(url: str, path: Path, source: str, size: int, modified: int = 0, expected: str = "") -> Picture | str:
    """The picture's size and kind, or why it cannot be read or is too large to process."""
    expected = expected or RASTER.get(posixpath.splitext(url.lower())[1], "")
    Image.init()  # every plugin, so that Pillow knows each of _PILLOW_FORMATS (once; quick after)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the limit below says it in a sentence
            with Image.open(path, formats=_PILLOW_FORMATS) as img:
                width, height = img.size
                fmt = "JPEG" if img.format == "MPO" else img.format or expected  # only an MPO's first picture is shown
                animated = fmt != "JPEG" and bool(getattr(img, "is_animated", False))
                frames = int(getattr(img, "n_frames", 1)) if animated else 1
                if img.getexif().get(ImageOps.ExifTags.Base.Orientation) in (5, 6, 7, 8):
                    width, height = height, width  # stored on its side: upright it is the other way round
                alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info
    except Image.DecompressionBombError as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        return _too_large(int(found.group(1)) if found else 0, "")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return f"cannot be read as a {expected} image (it is damaged, or not really a {expected}): open it and save or export it again"
    if fmt != expected and fmt not in CLEANED:
        return f"is a {fmt} image named like a {expected} one; save it as {expected}"
    if width * height * frames > MAX_PIXELS:
        return _too_large(width * height * frames, f"{width} x {height} pixels" + (f" in {frames} frames" if frames > 1 else ""))
    return Picture(url, path, source, fmt if fmt in CLEANED else expected, width, height, size, animated, alpha, modified, frames)


def _too_large(pixels: int, shape: str) -> str:
    """Refused before it is decoded: a small file can unpack to gigabytes (a decompression bomb)."""
    total = f"{megapixels(pixels)} megapixels" if pixels else "too many pixels"
    return (f"is {shape + ' (' + total + ' in all)' if shape else total}, more than sitegen processes in one picture "
            f"({megapixels(MAX_PIXELS)} megapixels, all frames together): make it smaller, or give it fewer frames, and save it again")


def _reason(exc: BaseException) -> str:
    text = str(exc).split(" '")[0].split(" <")[0].strip().rstrip(".")
    return text or type(exc).__name__


def check_hub(config: Config, home_hero: Hero | None, pictures: Pictures, pages: set[str]) -> Problems:
    """The pictures that settings name exist (and can be link previews), no picture's copies take
    the address of another file, and no file is larger than `large_file_mb`."""
    problems = Problems()
    if config.default_image and config.default_image not in pictures.rasters:
        problems.error("site.yaml", None, f'default_image: "{config.default_image}" does not exist{did_you_mean(config.default_image, pictures.rasters)}; '
                                          "put a JPEG or PNG in static/")
    for where, hero in (("site.yaml", config.hero), ("content/index.md", home_hero)):
        if hero and hero.image and hero.image not in pictures.files:
            problems.error(where, None, f'hero: image "{hero.image}" does not exist{did_you_mean(hero.image, pictures.files)}')
    seen: dict[str, str] = {}
    for picture in pictures.rasters.values():
        for variant in picture.variants[1:]:
            other = seen.get(variant.url) or pictures.sources.get(variant.url) or ("a page" if variant.url in pages else None)
            if other:
                problems.error(picture.source, None, f"sitegen makes a smaller copy of it at {variant.url}, which is also {other}: rename one of them")
            seen[variant.url] = picture.source
    limit = config.large_file_mb * 1000 * 1000
    for url, size in sorted(pictures.files.items()):
        if size > limit:
            problems.warn(pictures.sources[url], None, f"is {human_size(size)}, over large_file_mb ({config.large_file_mb:g} MB): "
                          "large files are slow to download on school networks (and GitHub Pages refuses files over 100 MB)")
    return problems
