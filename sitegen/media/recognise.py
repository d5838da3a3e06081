"""Which files are pictures, by what is in them rather than by their names, and how large a picture may be.

A photo named .jfif, .jpe or photo.JPG_original, or with no extension at all, is still a photo with its
GPS position in it: every file is recognised by its first bytes, and each picture is either cleaned
(re-encoded) or refused.
"""

from __future__ import annotations

# Formats sitegen re-encodes (Pillow's names), by the extensions browsers show them under.
CLEANED_EXTENSIONS = {
    ".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG", ".jfif": "JPEG", ".pjpeg": "JPEG", ".pjp": "JPEG",
    ".png": "PNG", ".apng": "PNG", ".gif": "GIF", ".webp": "WEBP", ".avif": "AVIF", ".avifs": "AVIF",
    ".bmp": "BMP", ".dib": "BMP", ".ico": "ICO",
}


CLEANED = frozenset(CLEANED_EXTENSIONS.values())


# Pictures that sitegen cannot clean: refused wherever they are, since they would be published with
# their location (by format, what to call it).
REFUSED = {"HEIF": "an iPhone HEIC (HEIF) photo", "TIFF": "a TIFF image (or a camera's raw photo)", "JXL": "a JPEG XL image",
           "JPEG2000": "a JPEG 2000 image", "PSD": "a Photoshop file"}


REFUSED_EXTENSIONS = {".heic": "HEIF", ".heif": "HEIF", ".tif": "TIFF", ".tiff": "TIFF", ".jxl": "JXL", ".jp2": "JPEG2000"}


MAX_PIXELS = 80 * 1000 * 1000  # one picture, all its frames together: a 10,000 x 8,000 scan; far above any page's need


BUILD_PIXELS = 2 * MAX_PIXELS  # pictures decoded at the same moment, across all the build's threads: memory stays bounded


_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")


def sniff(head: bytes) -> str | None:
    """Pillow's name for the picture format the first bytes of a file announce (64 are enough), or None.

    Only signatures no text or document starts with by chance (BMP's "BM" is checked by Pillow after)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        brands = [head[8:12]] + [head[i:i + 4] for i in range(16, min(len(head), int.from_bytes(head[:4], "big")), 4)]
        if b"avif" in brands or b"avis" in brands:
            return "AVIF"
        if any(b in _HEIF_BRANDS for b in brands):
            return "HEIF"
        return None  # a video (mp4, mov)
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head.startswith((b"\xff\x0a", b"\x00\x00\x00\x0cJXL \r\n\x87\n")):
        return "JXL"
    if head.startswith((b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51")):
        return "JPEG2000"
    if head[:4] == b"8BPS":
        return "PSD"
    if head[:4] == b"\x00\x00\x01\x00" and len(head) > 6 and head[4:6] != b"\x00\x00":
        return "ICO"
    if head[:2] == b"BM":
        return "BMP"
    return None


def megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:,.0f}" if pixels >= 10_000_000 else f"{pixels / 1_000_000:,.1f}"
