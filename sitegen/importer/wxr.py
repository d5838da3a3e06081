"""Reading a WordPress export (WXR 1.0 to 1.2, from Tools > Export) into plain items, or a clear reason why not.

The XML is parsed with defusedxml: an export never declares entities, so a file that does
(the "billion laughs") is refused instead of expanded."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..core.errors import SitegenError

MAX_MB = 64  # the default limit on an export's size (--max-size raises it)

NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_WP = re.compile(r"^\{https?://wordpress\.org/export/1\.[0-9]/\}")
_EXCERPT = re.compile(r"^\{https?://wordpress\.org/export/1\.[0-9]/excerpt/\}")


class ExportError(SitegenError):
    """The export cannot be imported: nothing is written."""


@dataclass
class Item:
    id: int
    type: str  # post, page, attachment, nav_menu_item, tribe_events, ...
    title: str
    link: str
    slug: str
    status: str
    date: str  # "YYYY-MM-DD HH:MM:SS" in the WordPress site's time
    date_gmt: str  # the same in UTC; "0000-00-00 00:00:00" for a draft never saved with a date
    creator: str
    content: str
    excerpt: str
    parent: int
    menu_order: int
    password: str
    attachment_url: str
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (domain: category/post_tag/nav_menu, nicename, name)
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class Export:
    title: str
    site_url: str  # the blog's address, from <wp:base_blog_url> or the channel's <link>
    version: str
    authors: dict[str, str]  # login -> display name
    items: list[Item]


def read_export(path: Path, max_mb: int = MAX_MB) -> Export:
    """The export at `path`; raises ExportError (path: message) for anything that is not a whole WordPress export."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExportError(f"cannot be read ({exc.strerror or exc})", name) from None
    if size > max_mb * 1024 * 1024:
        raise ExportError(
            f"is {size / 1024 / 1024:.0f} MB, more than the {max_mb} MB sitegen reads at once. Split the export: in WordPress, "
            "Tools > Export > Posts lets you choose a start and end date; export a few years at a time and import each file "
            f"(or raise the limit with --max-size {int(size / 1024 / 1024) + 1})", name)
    data = path.read_bytes()
    try:
        root = fromstring(data)
    except DefusedXmlException:
        raise ExportError("declares XML entities or a DTD, which a WordPress export never does: it was not made by "
                           "WordPress's Tools > Export, so it is not imported", name) from None
    except ParseError as exc:
        line = exc.position[0] if exc.position else None
        at_end = data.lstrip()[:1] == b"<" and line is not None and line >= data.rstrip().count(b"\n") + 1  # breaks off at the end
        hint = ("the file ends before the export does: it was cut short (a download that stopped?); export it again"
                if at_end or "no element found" in str(exc)
                else f"this is not well-formed XML ({str(exc).split(':')[0]}): is it really the .xml file from Tools > Export?")
        raise ExportError(hint, name, line) from None
    return _export(root, name)


def _export(root: Element, name: str) -> Export:
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        what = {"{http://www.w3.org/2005/Atom}feed": "an Atom feed (Blogger and others export these)"}.get(root.tag, f"<{_local(root.tag)}> XML")
        raise ExportError(f"is {what}, not a WordPress export: in WordPress, use Tools > Export > All content and import that .xml file", name)
    version = _wp(channel, "wxr_version")
    if not version:
        raise ExportError("is an RSS feed, not a WordPress export (it has no <wp:wxr_version>): in WordPress, use Tools > Export "
                           "> All content, not the site's feed", name)
    if not re.fullmatch(r"1\.[0-9]", version):
        raise ExportError(f"is a WordPress export of version {version}; sitegen reads versions 1.0 to 1.2", name)
    authors = {}
    for author in _wp_all(channel, "author"):
        login = _wp(author, "author_login")
        authors[login] = _wp(author, "author_display_name") or login
    items = [_item(el) for el in channel.findall("item")]
    site = _wp(channel, "base_blog_url") or (channel.findtext("link") or "").strip()
    return Export((channel.findtext("title") or "").strip(), site.rstrip("/"), version, authors, items)


def _item(el: Element) -> Item:
    def number(tag: str) -> int:
        text = _wp(el, tag)
        return int(text) if text.lstrip("-").isdigit() else 0

    meta = {}
    for pm in _wp_all(el, "postmeta"):
        meta[_wp(pm, "meta_key")] = _wp(pm, "meta_value", strip=False)
    terms = [(c.get("domain", ""), c.get("nicename", ""), (c.text or "").strip()) for c in el.findall("category")]
    return Item(
        id=number("post_id"), type=_wp(el, "post_type") or "post", title=(el.findtext("title") or "").strip(),
        link=(el.findtext("link") or "").strip(), slug=_wp(el, "post_name"), status=_wp(el, "status"),
        date=_wp(el, "post_date"), date_gmt=_wp(el, "post_date_gmt"), creator=(el.findtext("dc:creator", "", NS) or "").strip(),
        content=el.findtext("content:encoded", "", NS) or "", excerpt=_child_text(el, _EXCERPT, "encoded"),
        parent=number("post_parent"), menu_order=number("menu_order"), password=_wp(el, "post_password", strip=False),
        attachment_url=_wp(el, "attachment_url"), terms=terms, meta=meta,
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(el: Element, namespace: re.Pattern[str], name: str) -> str:
    for child in el:
        if namespace.match(child.tag) and _local(child.tag) == name:
            return child.text or ""
    return ""


def _wp(el: Element, name: str, strip: bool = True) -> str:
    text = _child_text(el, _WP, name)
    return text.strip() if strip else text


def _wp_all(el: Element, name: str) -> list[Element]:
    return [child for child in el if _WP.match(child.tag) and _local(child.tag) == name]
