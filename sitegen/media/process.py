"""Pictures processed once and kept in the cache: cleaned of camera data, turned upright, and resized to the widths pages use."""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import tempfile
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, ImageSequence

from ..core.cachedir import cache_folder
from ..core.errors import Problems
from .pictures import JPEG_QUALITY, RECIPE, WEBP_QUALITY, Picture, Variant, _reason
from .recognise import BUILD_PIXELS


class Cache:
    """Processed files, named by a hash of the source's bytes, the recipe and the variant.

    Each file is written whole (to a temporary name, then renamed), so a build that is killed
    never leaves half a file that a later build would use."""

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def for_hub(cls, cache_dir: Path) -> Cache:
        """images/ in the hub's cache folder (the cache_dir setting; safe to delete at any time), or in
        a private temporary folder when that cannot be read and written (core/cachedir.py)."""
        return cls(cache_folder(cache_dir)[0] / "images")

    def path(self, digest: str, variant: Variant) -> Path:
        key = hashlib.sha256(f"{digest}|{RECIPE}|{variant.format}|{variant.width}x{variant.height}".encode()).hexdigest()
        ext = posixpath.splitext(variant.url)[1].lower()
        return self.folder / key[:2] / f"{key[2:34]}{ext}"

    def store(self, path: Path, data: bytes) -> None:
        """The file, and beside it the digest of its bytes (written first: a file without one is not used)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write(_sum_of(path), _digest(data).encode())
        self._write(path, data)

    def _write(self, path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def intact(self, path: Path) -> bool | None:
        """True when the file is there and its bytes are those it was stored with; False when it
        was changed or damaged since; None when it is not there (or its digest is not)."""
        try:
            data = path.read_bytes()
            digest = _sum_of(path).read_bytes().decode("ascii", "replace")
        except OSError:
            return None
        return _digest(data) == digest


def _sum_of(path: Path) -> Path:
    return path.with_name(path.name + ".b2")


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def materialise(pictures: Iterable[Picture], cache_dir: Path, jobs: int | None = None) -> tuple[dict[str, Path], Problems]:
    """Make (or find in the hub's cache folder, `cache_dir`) every file of every picture; returns site path -> processed file."""
    problems = Problems()
    made: dict[str, Path] = {}
    todo = list(pictures)
    if not todo:
        return made, problems  # a hub without pictures gets no cache folder
    cache = Cache.for_hub(cache_dir)
    budget = Budget(BUILD_PIXELS)
    damaged: list[Path] = []
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:  # Pillow decodes and encodes without the GIL
        for picture, result in zip(todo, pool.map(lambda p: _materialise_one(p, cache, budget, damaged), todo), strict=True):
            if isinstance(result, str):
                problems.error(picture.source, None, result)
            else:
                made.update(result)
    for path in sorted(damaged):
        problems.warn(None, None, f"{path}: a processed picture in the cache had been changed or damaged; it was made again")
    return made, problems


class Budget:
    """Pixels that may be decoded at the same moment by all threads together: a thread waits until
    the pictures in hand leave room for its own, so many cores never mean many large pictures in memory."""

    def __init__(self, pixels: int):
        self.free = self.total = pixels
        self.lock = threading.Condition()

    def take(self, pixels: int) -> int:
        wanted = min(pixels, self.total)  # one picture is never larger than the budget (scan refuses those)
        with self.lock:
            self.lock.wait_for(lambda: self.free >= wanted)
            self.free -= wanted
        return wanted

    def give(self, pixels: int) -> None:
        with self.lock:
            self.free += pixels
            self.lock.notify_all()


def _materialise_one(picture: Picture, cache: Cache, budget: Budget | None = None,
                     damaged: list[Path] | None = None) -> dict[str, Path] | str:
    data = picture.path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    paths = {v.url: cache.path(digest, v) for v in picture.variants}
    found = {v: cache.intact(paths[v.url]) for v in picture.variants}
    missing = [v for v, ok in found.items() if not ok]
    if damaged is not None:
        damaged.extend(paths[v.url] for v, ok in found.items() if ok is False)  # changed since it was made: made again
    if missing:
        held = budget.take(picture.pixels) if budget else 0
        try:
            for variant, encoded in process(data, picture, missing).items():
                cache.store(paths[variant.url], encoded)
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as exc:
            return f"could not be re-encoded (it is damaged: {_reason(exc)}): open it and save or export it again"
        except MemoryError:
            return "could not be re-encoded: the computer ran out of memory; make the picture smaller and save it again"
        finally:
            if budget:
                budget.give(held)
    return paths


def process(data: bytes, picture: Picture, variants: Iterable[Variant]) -> dict[Variant, bytes]:
    """Pure: the bytes of each variant of a picture, from the original's bytes."""
    with Image.open(io.BytesIO(data)) as img:
        if picture.animated:
            return {v: _animation(img, v.format) for v in variants}
        sizes = sorted(img.info.get("sizes") or ()) if img.format == "ICO" else []  # an icon keeps the sizes it has
        img.load()
        upright = _clean(img)
        return {v: _encode(upright if (v.width, v.height) == upright.size else _resized(upright, v), v.format, sizes) for v in variants}


def _clean(img: Image.Image) -> Image.Image:
    """Upright, in sRGB, in a mode every format takes, and with no metadata left in `info`."""
    upright = ImageOps.exif_transpose(img) or img
    profile = img.info.get("icc_profile")
    transparency = upright.info.get("transparency")
    if upright.mode == "P":
        upright = upright.convert("RGBA" if transparency is not None else "RGB")
    elif upright.mode not in ("RGB", "RGBA", "L", "LA"):
        upright = upright.convert("RGBA" if upright.mode in ("PA", "RGBa", "La") or transparency is not None else "RGB")
    elif upright is img:
        upright = img.copy()
    if profile:
        upright = _to_srgb(upright, profile)
    upright.info = {}  # EXIF, XMP, ICC, comments, text chunks, dpi: none of it is written
    return upright


def _to_srgb(img: Image.Image, profile: bytes) -> Image.Image:
    """Colours converted from the picture's ICC profile (a phone's Display P3, say) to sRGB, which the web assumes."""
    if img.mode not in ("RGB", "RGBA"):
        return img
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(img, source, ImageCms.createProfile("sRGB"), outputMode=img.mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return img  # a broken profile: keep the colours as they are
    return converted if converted is not None else img


def _resized(img: Image.Image, variant: Variant) -> Image.Image:
    resized = img.resize((variant.width, variant.height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    resized.info = {}
    return resized


def _encode(img: Image.Image, fmt: str, sizes: list[tuple[int, int]] | None = None) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        flat = img if img.mode in ("RGB", "L") else _flatten(img)
        flat.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif fmt == "WEBP":
        img.save(out, "WEBP", quality=WEBP_QUALITY, method=5)
    elif fmt == "PNG":
        img.save(out, "PNG", optimize=True)
    elif fmt == "GIF":
        img.save(out, "GIF", optimize=True)
    elif fmt == "AVIF":
        img.save(out, "AVIF")
    elif fmt == "BMP":
        (img if img.mode in ("RGB", "L") else _flatten(img)).save(out, "BMP")
    elif fmt == "ICO":
        img.save(out, "ICO", sizes=sizes or [img.size])
    else:
        raise ValueError(f"cannot write {fmt}")
    return out.getvalue()


def _flatten(img: Image.Image) -> Image.Image:
    """A picture with transparency on white, for JPEG."""
    rgba = img.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _animation(img: Image.Image, fmt: str) -> bytes:
    """An animated GIF, PNG or WebP again, frame by frame, with its timing and none of its metadata."""
    frames, durations = [], []
    for frame in ImageSequence.Iterator(img):
        durations.append(frame.info.get("duration", 100))
        copy = frame.convert("RGBA")
        copy.info = {}
        frames.append(copy)
    out = io.BytesIO()
    options: dict[str, object] = {"save_all": True, "append_images": frames[1:], "duration": durations, "loop": img.info.get("loop", 0)}
    if fmt == "GIF":
        options["disposal"] = 2
    frames[0].save(out, fmt, **options)
    return out.getvalue()
