"""SVG files: their size, and the two ways one could hurt the site, refused at build time.

An SVG opened on its own (not through <img>) is a document on the site's address: a script in it
would run there, next to the editor's login at /admin/. GitHub Pages sends no security headers, so
the only safe place to stop it is here: an SVG with a script, an event handler, HTML inside it
(<foreignObject>), a javascript: address or a reference that loads from another site is refused.

A photo embedded in an SVG as a `data:` address is a copy sitegen cannot re-encode in place; one
that carries metadata (GPS position, camera, comments) is refused, one without is published.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import io
import re
from pathlib import Path
from urllib.parse import unquote_to_bytes
from xml.etree import ElementTree

from PIL import Image, UnidentifiedImageError

MAX_SVG_BYTES = 50 * 1000 * 1000  # an .svgz is unpacked to at most this much to be checked

_SCRIPT_TAGS = {"script": "a script (<script>)", "foreignobject": "HTML inside it (<foreignObject>)", "iframe": "an <iframe>",
                "embed": "an <embed>", "object": "an <object>", "handler": "a script (<handler>)"}

_DATA = re.compile(r"data:\s*image/([a-z0-9.+-]+)((?:;[^,;\"')]*)*?)(;base64)?,([^\"')\s]*)", re.I)

_EXTERNAL_CSS = re.compile(r"@import|url\(\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:|//|\\\\)", re.I)

_METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop", "iptc")


def read_svg(path: Path) -> tuple[int, int] | str | None:
    """(width, height) from the root element (width/height, else viewBox); None when it gives
    neither; a message when the SVG is refused."""
    try:
        data = path.read_bytes()
        if path.suffix.lower() == ".svgz" or data[:2] == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as packed:
                data = packed.read(MAX_SVG_BYTES + 1)
            if len(data) > MAX_SVG_BYTES:
                return f"unpacks to more than {MAX_SVG_BYTES // 1000 // 1000} MB: save it as a plain .svg"
    except (OSError, EOFError) as exc:
        return f"cannot be read as an SVG ({exc}): open it and save it again"
    problem = active(data) or embedded(data)
    if problem:
        return problem
    return _size(data)


def active(data: bytes) -> str | None:
    """Why an SVG would run code or load from another site when opened, or None."""
    reasons: list[str] = []
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        root = None
    if root is None:  # browsers would not draw it either; still, never publish a script in one
        text = data.decode("utf-8", errors="replace")
        for pattern, reason in ((r"<\s*script", _SCRIPT_TAGS["script"]), (r"<\s*foreignObject", _SCRIPT_TAGS["foreignobject"]),
                                (r"\son[a-z]+\s*=", "an event handler (on...=)"), (r"javascript\s*:", "a javascript: address")):
            if re.search(pattern, text, re.I):
                reasons.append(reason)
    else:
        for element in root.iter():
            _element_reasons(element, reasons)
    if not reasons:
        return None
    unique = list(dict.fromkeys(reasons))
    return (f"is an SVG with {', '.join(unique[:3])}: opened on its own it would run code or load from another site "
            "on the site's own address (GitHub Pages cannot stop it); remove that part, or export the drawing again as plain SVG")


def _element_reasons(element: ElementTree.Element, reasons: list[str]) -> None:
    tag = _local(str(element.tag)).lower()
    if tag in _SCRIPT_TAGS:
        reasons.append(_SCRIPT_TAGS[tag])
    if tag == "style" and element.text and _EXTERNAL_CSS.search(element.text):
        reasons.append("a style that loads from another address (@import or url(...))")
    for key, value in element.attrib.items():
        name = _local(key).lower()
        plain = re.sub(r"[\x00-\x20]", "", value).lower()
        if name.startswith("on"):
            reasons.append(f"an event handler ({name}=)")
        elif "javascript:" in plain or "vbscript:" in plain:
            reasons.append(f"a javascript: address (on <{tag}>)")
        elif name in ("href", "src") and tag != "a" and re.match(r"([a-z][a-z0-9+.-]*:|//|\\\\)", plain) and not plain.startswith("data:"):
            reasons.append(f'a reference to another site ("{value.strip()}" on <{tag}>)')
        elif name == "style" and _EXTERNAL_CSS.search(value):
            reasons.append("a style that loads from another address (@import or url(...))")


def embedded(data: bytes) -> str | None:
    """Why a picture embedded as data: in an SVG cannot be published, or None."""
    text = data.decode("utf-8", errors="replace")
    for match in _DATA.finditer(text):
        kind = match.group(1).lower()
        if kind.startswith("svg"):
            continue  # an SVG drawn through <image> runs no script and has no camera
        try:
            raw = base64.b64decode(unquote_to_bytes(match.group(4)), validate=False) if match.group(3) else unquote_to_bytes(match.group(4))
            with Image.open(io.BytesIO(raw)) as img:
                fmt = img.format or kind.upper()
                if _has_metadata(img):
                    return (f"embeds a {fmt} picture (as a data: address) with camera details in it (such as its GPS position), "
                            "which sitegen cannot remove from inside an SVG: save the picture as a file of its own "
                            "and link it, or export the SVG again without the picture's metadata")
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, binascii.Error, Image.DecompressionBombError):
            return (f"embeds a picture (data:image/{kind}) that sitegen cannot read, so cannot check for camera details: "
                    "save the picture as a file of its own and link it")
    return None


def _has_metadata(img: Image.Image) -> bool:
    if any(key in img.info for key in _METADATA_KEYS) or len(img.getexif()):
        return True
    if any(marker in ("APP1", "APP13", "COM") for marker, _ in getattr(img, "applist", [])):
        return True
    return bool(getattr(img, "text", None)) if img.format == "PNG" else False


def _size(data: bytes) -> tuple[int, int] | None:
    try:
        for _, element in ElementTree.iterparse(io.BytesIO(data), events=("start",)):
            width, height = _length(element.get("width")), _length(element.get("height"))
            box = (element.get("viewBox") or "").replace(",", " ").split()
            if width and height:
                return width, height
            if len(box) == 4:
                w, h = float(box[2]), float(box[3])
                if w > 0 and h > 0:
                    return (width, round(width * h / w)) if width else (round(w), round(h))
            return None
    except (ElementTree.ParseError, ValueError):
        return None
    return None


def _length(value: str | None) -> int | None:
    match = re.fullmatch(r"\s*([0-9.]+)\s*(px)?\s*", value or "")
    try:
        return round(float(match.group(1))) if match and float(match.group(1)) > 0 else None
    except ValueError:
        return None


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]
