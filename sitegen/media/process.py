"""Pictures processed once and kept in the cache: cleaned of camera data, turned upright, and resized to the widths pages use."""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, ImageSequence

from ..core.errors import Problems
from .pictures import JPEG_QUALITY, RECIPE, WEBP_QUALITY, Picture, Variant, _reason


class Cache:
    """Processed files, named by a hash of the source's bytes, the recipe and the variant.

    Each file is written whole (to a temporary name, then renamed), so a build that is killed
    never leaves half a file that a later build would use."""

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def for_hub(cls, cache_dir: Path) -> Cache:
        """images/ in the hub's cache folder (the cache_dir setting; safe to delete at any time), or a
        folder in the system's temporary folder when that cannot be written to."""
        folder = cache_dir / "images"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / f".probe-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError:
            digest = hashlib.sha256(str(cache_dir.resolve()).encode()).hexdigest()[:16]
            folder = Path(tempfile.gettempdir()) / f"sitegen-images-{digest}"
            folder.mkdir(parents=True, exist_ok=True)
        return cls(folder)

    def path(self, digest: str, variant: Variant) -> Path:
        key = hashlib.sha256(f"{digest}|{RECIPE}|{variant.format}|{variant.width}x{variant.height}".encode()).hexdigest()
        ext = posixpath.splitext(variant.url)[1].lower()
        return self.folder / key[:2] / f"{key[2:34]}{ext}"

    def store(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def materialise(pictures: Iterable[Picture], cache_dir: Path, jobs: int | None = None) -> tuple[dict[str, Path], Problems]:
    """Make (or find in the hub's cache folder, `cache_dir`) every file of every picture; returns site path -> processed file."""
    problems = Problems()
    made: dict[str, Path] = {}
    todo = list(pictures)
    if not todo:
        return made, problems  # a hub without pictures gets no cache folder
    cache = Cache.for_hub(cache_dir)
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:  # Pillow decodes and encodes without the GIL
        for picture, result in zip(todo, pool.map(lambda p: _materialise_one(p, cache), todo), strict=True):
            if isinstance(result, str):
                problems.error(picture.source, None, result)
            else:
                made.update(result)
    return made, problems


def _materialise_one(picture: Picture, cache: Cache) -> dict[str, Path] | str:
    data = picture.path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    paths = {v.url: cache.path(digest, v) for v in picture.variants}
    missing = [v for v in picture.variants if not paths[v.url].is_file()]
    if missing:
        try:
            for variant, encoded in process(data, picture, missing).items():
                cache.store(paths[variant.url], encoded)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
            return f"could not be re-encoded (it is damaged: {_reason(exc)}): open it and save or export it again"
    return paths


def process(data: bytes, picture: Picture, variants: Iterable[Variant]) -> dict[Variant, bytes]:
    """Pure: the bytes of each variant of a picture, from the original's bytes."""
    with Image.open(io.BytesIO(data)) as img:
        if picture.animated:
            return {v: _animation(img, v.format) for v in variants}
        img.load()
        upright = _clean(img)
        return {v: _encode(upright if (v.width, v.height) == upright.size else _resized(upright, v), v.format) for v in variants}


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


def _encode(img: Image.Image, fmt: str) -> bytes:
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
