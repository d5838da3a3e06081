"""The <img> tags and file links of a rendered page: sizes, srcset and loading hints on pictures; format and size on file links."""

from __future__ import annotations

import re
from urllib.parse import unquote

from ..core.downloads import file_format, human_size
from .pictures import DEFAULT_SIZES, MUCH_SMALLER, Pictures, is_raster

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.IGNORECASE | re.DOTALL)


_MAIN = re.compile(r"<main\b", re.IGNORECASE)


def enhance(html: str, pictures: Pictures) -> str:
    """Every <img> of a page with width and height (no layout shift), WebP copies in a <picture>
    with srcset and sizes, and loading hints: images before <main> and the first one in it load at
    once (the first is likely the largest thing on screen), the others when scrolled near.
    Links to files get their format and size: "the plan (PDF, 240 KB)"."""
    if "<img" in html or "<IMG" in html:
        html = _enhance_images(html, pictures)
    if pictures.files and "<a" in html:
        html = _LINK.sub(lambda m: _annotate_link(m, pictures), html)
    return html


def _enhance_images(html: str, pictures: Pictures) -> str:
    main = _MAIN.search(html)
    main_at = main.start() if main else 0
    parts: list[str] = []
    last = 0
    first_in_main = True
    for match in _IMG.finditer(html):
        attrs = _attributes(match.group(0))
        url = _site_path(attrs.get("src", ""), pictures.base_path)
        picture, size = pictures.get(url), pictures.size_of(url)
        given = _pixels(attrs.get("width")) or _pixels(attrs.get("height"))  # the page says how large it is shown
        if size and not ("width" in attrs and "height" in attrs):
            _fill_size(attrs, size)
        if match.start() > main_at:
            if first_in_main and picture is not None:
                attrs.setdefault("fetchpriority", "high")
            elif not first_in_main:
                attrs.setdefault("loading", "lazy")
                attrs.setdefault("decoding", "async")
            first_in_main = False
        inside_picture = html.rfind("<picture", 0, match.start()) > html.rfind("</picture>", 0, match.start())
        if picture is not None and picture.webp and not inside_picture and "srcset" not in attrs:
            sizes = attrs.pop("sizes", "") or (f"{attrs['width']}px" if given else DEFAULT_SIZES)
            attrs["src"] = pictures.href(picture.fallback.url)
            replacement = (f'<picture><source type="image/webp" srcset="{pictures.srcset(picture.url)}" sizes="{sizes}">'
                           f"{_tag(attrs)}</picture>")
        else:
            if "srcset" not in attrs:
                attrs.pop("sizes", None)  # `sizes` means nothing without srcset (an SVG, a GIF that moves)
            replacement = _tag(attrs)
        parts += [html[last:match.start()], replacement]
        last = match.end()
    parts.append(html[last:])
    return "".join(parts)


def shown_too_small(html: str, pictures: Pictures) -> list[tuple[str, int]]:
    """(picture, width shown) for each <img> of a rendered page whose smallest file a browser may choose
    is more than MUCH_SMALLER times wider than it is shown on a high-density (2x) screen."""
    found = []
    for match in _IMG.finditer(html):
        attrs = _attributes(match.group(0))
        srcset = html.rfind("<picture", 0, match.start()) > html.rfind("</picture>", 0, match.start())
        shown = _pixels(attrs.get("width"))
        picture = pictures.by_href().get(attrs.get("src", ""))
        if picture is not None and shown:
            smallest = min((v.width for v in picture.webp), default=picture.width) if srcset else picture.width
            if smallest > MUCH_SMALLER * 2 * shown:
                found.append((picture.url, shown))
    return found


def _fill_size(attrs: dict[str, str], size: tuple[int, int]) -> None:
    """width and height from the picture; when the page gives one of them, the other in proportion."""
    width, height = size
    given_w, given_h = _pixels(attrs.get("width")), _pixels(attrs.get("height"))
    if given_w:
        attrs["height"] = str(max(1, round(given_w * height / width)))
    elif given_h:
        attrs["width"] = str(max(1, round(given_h * width / height)))
    else:
        attrs["width"], attrs["height"] = str(width), str(height)


def _pixels(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() and int(value) > 0 else None


def _attributes(tag: str) -> dict[str, str]:
    body = re.sub(r"^<img\b|/?>$", "", tag, flags=re.IGNORECASE)
    attrs: dict[str, str] = {}
    for match in _ATTR.finditer(body):
        name = match.group(1).lower()
        value = next((g for g in match.groups()[1:] if g is not None), None)
        attrs.setdefault(name, "" if value is None else value)
    return attrs


def _tag(attrs: dict[str, str]) -> str:
    return "<img" + "".join(f' {k}="{v}"' if v != "" or k == "alt" else f" {k}" for k, v in attrs.items()) + ">"


def _site_path(src: str, base_path: str) -> str:
    """'/vale/img/a%20b.jpg' -> '/img/a b.jpg' (None-like '' for addresses elsewhere)."""
    src = src.replace("&amp;", "&").strip()
    if not src.startswith(base_path) or src.startswith("//"):
        return ""
    return "/" + unquote(src[len(base_path):].split("#")[0].split("?")[0])


def _annotate_link(match: re.Match[str], pictures: Pictures) -> str:
    attrs, text = match.group(1), match.group(2)
    href = re.search(r"""\bhref\s*=\s*["']([^"']*)["']""", attrs)
    if not href or re.search(r"\bdownload\b|\bdata-no-size\b", attrs):
        return match.group(0)
    url = _site_path(href.group(1), pictures.base_path)
    size = pictures.files.get(url)
    if size is None or url.endswith((".html", "/", ".svg")) or is_raster(url):
        return match.group(0)
    label = f"{file_format(url)}, {human_size(size)}"
    if label in text:
        return match.group(0)
    return f'<a{attrs}>{text}<span class="file-meta"> ({label})</span></a>'
