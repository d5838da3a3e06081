"""Where each item of the export goes (its file, its address, its old address), and what the file says."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from ..config.siteyaml import Config
from ..core.urls import item_url, output_file, page_url, slugify
from ..model.assemble import _unsafe_alias
from ..schema.own_kinds import RESERVED
from .convert import plain_text, relative_link, to_markdown
from .events import event_fields
from .media import Media
from .report import Report
from .shortcodes import Attachment, Shortcodes
from .write import front_matter
from .wxr import Export, Item

KINDS = {"post": "news", "page": "pages", "tribe_events": "events"}
QUIET = {"attachment", "nav_menu_item", "revision", "custom_css", "customize_changeset", "oembed_cache", "wp_global_styles",
         "wp_template", "wp_template_part", "wp_navigation", "wp_font_family", "wp_font_face", "user_request",
         "tribe_venue", "tribe_organizer", "wp_block"}  # read for what they add to other items, or WordPress's own machinery
SKIPPED_STATUS = {"trash": "in WordPress's bin", "auto-draft": "an empty draft WordPress made by itself", "inherit": "a revision"}
PROTECTED_TEXT = ("*This post was password-protected on WordPress; its text was not imported, so that it cannot be published by "
                  "mistake. Copy it in from WordPress if it may be public.*\n")
_REF_BLOCK = re.compile(r'<!--\s*wp:block\s*\{"ref":\s*(\d+)\}\s*/-->')


@dataclass
class Target:
    item: Item
    kind: str  # news, pages, events
    file: str  # content/news/2024-03-01-reading-week.md
    url: str  # its new address
    old: str  # its old path, for aliases ("" when it has none that a host can match)
    date: str  # "YYYY-MM-DD HH:MM" in the hub's time zone


class Planner:
    def __init__(self, config: Config, export: Export, media: Media, report: Report):
        self.config, self.export, self.media, self.report = config, export, media, report
        self.by_id = {item.id: item for item in export.items}
        self.attachments = {i.id: Attachment(i.attachment_url, html.unescape(i.meta.get("_wp_attachment_image_alt", "")).strip(), i.title)
                            for i in export.items if i.type == "attachment" and i.attachment_url}
        self.children: dict[int, list[int]] = {}
        for i in export.items:
            if i.type == "attachment":
                self.children.setdefault(i.parent, []).append(i.id)
        self.targets: dict[int, Target] = {}
        self.by_old: dict[str, Target] = {}  # old path or "?p=ID" -> target, for links between imported items
        self.files: dict[str, bytes | Any] = {}

    def plan(self) -> None:
        taken: set[tuple[str, str]] = set()
        for item in self.export.items:
            if item.type in QUIET:
                continue
            kind = KINDS.get(item.type)
            if kind is None:
                self.report.add("types", _title(item), item.link, f"a '{item.type}' (from a plugin or the theme): not imported")
                continue
            if item.status in SKIPPED_STATUS:
                if item.status == "trash":
                    self.report.add("skipped", _title(item), item.link, f"{SKIPPED_STATUS[item.status]}: not imported")
                continue
            target = self._target(item, kind, taken)
            if target is not None:
                self.targets[item.id] = target
                if target.old:
                    self.by_old[target.old] = target
                self.by_old[f"?p={item.id}"] = self.by_old[f"?page_id={item.id}"] = target
        for target in self.targets.values():
            self.files[target.file] = self._file(target)
        self.files.update(self.media.copies)

    def _target(self, item: Item, kind: str, taken: set[tuple[str, str]]) -> Target | None:
        date = self._date(item)
        slug = slugify(html.unescape(_unquote(item.slug))) or slugify(html.unescape(item.title)) or f"{kind.rstrip('s')}-{item.id}"
        if kind == "pages":
            path = self._page_path(item, slug)
            if path is None:
                return None
            file, url = f"content/{path}.md", page_url(path + ".md")
        else:
            day = date[:10]
            if kind == "events":
                start = event_fields(item, self.by_id, self.config.timezone)[0].get("start") or date
                day = str(start)[:10]
            if (kind, slug) in taken:
                slug = f"{slug}-{item.id}"
            file, url = f"content/{kind}/{day}-{slug}.md", item_url(kind, slug)
        taken.add((kind, file if kind == "pages" else slug))
        return Target(item, kind, file, url, self._old(item, url), date)

    def _page_path(self, item: Item, slug: str) -> str | None:
        """about/team for a page whose parent is 'about': WordPress's page tree, kept in the file's path."""
        parts, seen, parent = [slug], {item.id}, self.by_id.get(item.parent)
        while parent is not None and parent.type == "page" and parent.id not in seen:
            seen.add(parent.id)
            parts.insert(0, slugify(html.unescape(_unquote(parent.slug))) or slugify(parent.title) or f"page-{parent.id}")
            parent = self.by_id.get(parent.parent)
        sections = {k.name for k in self.config.schema.sections} | RESERVED | {"index", "uploads", "404"}
        if parts[0] in sections:
            if not item.content.strip() and len(parts) == 1:
                self.report.add("skipped", _title(item), item.link, f"an empty page at /{parts[0]}/, which is the hub's own "
                                f"{parts[0]} page: not imported (a menu entry for it leads to /{parts[0]}/)")
                return None
            self.report.add("other", _title(item), item.link, f"its address /{'/'.join(parts)}/ belongs to the hub's own "
                            f"{parts[0]} pages: imported as /{parts[0]}-page/{'/'.join(parts[1:])}")
            parts[0] += "-page"
        return "/".join(parts)

    def _old(self, item: Item, url: str) -> str:
        parts = urlsplit(item.link)
        site = urlsplit(self.export.site_url)
        if parts.query or not parts.path or parts.path == "/":
            if item.status == "publish" and item.link:
                self.report.add("addresses", _title(item), item.link, f"its old address has a query string: links to it "
                                f"will not redirect to {url}")
            return f"?{parts.query}" if parts.query else ""
        if parts.netloc and site.netloc and parts.netloc.lower() != site.netloc.lower():
            return ""
        old = re.sub(r"/{2,}", "/", parts.path)  # WordPress.com writes //greek/... for a child page
        try:
            output_file(old)
        except ValueError:
            return ""
        return "" if _unsafe_alias(old) else old

    def _date(self, item: Item) -> str:
        """The item's date and time in the hub's time zone (WordPress gives it in UTC too, when it has one)."""
        gmt = item.date_gmt if item.date_gmt[:4] not in ("", "0000") else ""
        try:
            if gmt:
                moment = dt.datetime.fromisoformat(gmt).replace(tzinfo=dt.UTC).astimezone(self.config.tz)
                return moment.strftime("%Y-%m-%d %H:%M")
            if item.date[:4] not in ("", "0000"):
                return dt.datetime.fromisoformat(item.date).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            pass
        self.report.add("other", _title(item), item.link, "has no date in the export: dated 2000-01-01; set its date by hand")
        return "2000-01-01 00:00"

    def _file(self, target: Target) -> bytes:
        item, kind = target.item, target.kind
        fields: dict[str, Any] = {"title": _title(item)}
        protected = bool(item.password)
        if kind == "news":
            fields["date"] = target.date
            fields["author"] = self.export.authors.get(item.creator, item.creator)
        if kind == "events":
            own, notes = event_fields(item, self.by_id, self.config.timezone)
            fields.update(own)
            for note in notes:
                self.report.add("other", fields["title"], item.link, note, target.file)
        if not protected and item.excerpt.strip():
            fields["summary"] = plain_text(item.excerpt)
        if kind != "pages":
            fields["tags"] = _tags(item)
        picture = "" if protected else self._featured(target, fields)
        if item.status in ("draft", "pending", "private") or protected:
            fields["draft"] = True
        if item.status == "future":
            fields["publish_date"] = target.date
        if target.old and not target.old.startswith("?") and target.old != target.url:
            fields["aliases"] = [target.old]
        self.report.count(kind, "protected" if protected else item.status)
        if protected:
            self.report.add("protected", fields["title"], item.link, "password-protected: imported as a draft without its text", target.file)
            return front_matter(fields, PROTECTED_TEXT)
        body = to_markdown(_expand_blocks(item.content, self.by_id), self._shortcodes(item), self.media, lambda href: self._link(href, target))
        for url in body.missing:
            self.report.add("media", fields["title"], item.link, f"uses {url}", target.file)
        for note in body.notes:
            self.report.add("shortcodes" if note.startswith("shortcode") else "pictures", fields["title"], item.link, note, target.file)
        return front_matter(fields, picture + body.markdown)

    def _featured(self, target: Target, fields: dict[str, Any]) -> str:
        """Puts the featured image in `image`/`image_alt` (news, events); a page, which has no image field, gets it atop its text."""
        found = self.attachments.get(_int(target.item.meta.get("_thumbnail_id", "")))
        if found is None:
            return ""
        rel = self.media.upload_path(found.url)
        local = self.media.local(rel) if rel else None
        title, old = fields["title"], target.item.link
        if local is None:
            self.report.add("media", title, old, f"its featured image {found.url} was not found: it is left out", target.file)
            return ""
        if not found.alt:
            self.report.add("pictures", title, old, f"its featured image {found.url} has no description (alt text) in WordPress: "
                            "left out; add image: and image_alt: by hand", target.file)
            return ""
        if target.kind == "pages":
            return f"![{found.alt}]({local})\n\n"
        fields["image"], fields["image_alt"] = local, found.alt
        return ""

    def _shortcodes(self, item: Item) -> Shortcodes:
        return Shortcodes(self.attachments, self.children.get(item.id, []), [])

    def _link(self, href: str, source: Target) -> str | None:
        """A link to another imported item (not a draft): to its new file, as a writer would write it."""
        parts = urlsplit(href)
        site = urlsplit(self.export.site_url)
        if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc.lower() != site.netloc.lower()):
            return None
        key = f"?{parts.query}" if parts.query and parts.path in ("", "/") else parts.path
        target = self.by_old.get(key) or self.by_old.get(key.rstrip("/") + "/")
        if target is None or target.item.status != "publish" or target.item.password:
            return None
        return relative_link(target.file, source.file) + (f"#{parts.fragment}" if parts.fragment else "")


def _expand_blocks(content: str, by_id: dict[int, Item]) -> str:
    """A reusable block (<!-- wp:block {"ref":12} /-->) is kept in a wp_block item: its text, in place."""
    def one(match: re.Match[str]) -> str:
        block = by_id.get(int(match[1]))
        return block.content if block is not None and block.type == "wp_block" else ""
    return _REF_BLOCK.sub(one, content)


def _title(item: Item) -> str:
    return " ".join(html.unescape(item.title).split()) or f"Untitled {item.type} {item.id}"


def _tags(item: Item) -> list[str]:
    seen: dict[str, str] = {}
    for domain, nicename, name in item.terms:
        if domain in ("category", "post_tag", "tribe_events_cat") and nicename != "uncategorized":
            label = " ".join(html.unescape(name).split())
            if label:
                seen.setdefault(label.lower(), label)
    return list(seen.values())


def _unquote(slug: str) -> str:
    return unquote(slug)


def _int(text: str) -> int:
    return int(text) if text.strip().isdigit() else -1
