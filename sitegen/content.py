"""Finding content files and reading each one into a Page.

`load_page` is a pure function of (path, text, settings): it never looks at
other files, so it can be cached and run in parallel. Checks that need the
whole site (references, links, URL collisions) happen in `model.assemble`.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fields as f
from . import markup
from .errors import ContentError, Problems, did_you_mean
from .frontmatter import split
from .urls import KINDS, MAX_SLUG, item_url, page_url, slug_from_filename, slugify

# Fields every kind takes.
COMMON: dict[str, f.Validator] = {
    "title": f.text,
    "summary": f.text,
    "slug": f.text,
    "draft": f.boolean,
    "tags": f.text_list,
    "networks": f.references,
    "aliases": f.text_list,
    "template": f.text,
    "publish_date": f.date_or_datetime,
    "expires": f.date_or_datetime,
    "extra": f.mapping,
}

# Each kind's own fields; the required ones are listed in REQUIRED.
SCHEMAS: dict[str, dict[str, f.Validator]] = {
    "pages": {"menu": f.menu, "reviewed": f.date},
    "news": {
        "date": f.date, "author": f.text, "author_role": f.text, "image": f.link, "image_alt": f.text,
        "updated": f.date,
    },
    "networks": {
        "focus": f.text, "aims": f.text_list, "region": f.text, "members": f.references, "contacts": f.contacts,
        "website": f.link, "logo": f.link,
    },
    "schools": {
        "urn": f.urn, "phase": f.vocabulary_one("phases"), "type": f.text, "local_authority": f.text,
        "address": f.text, "postcode": f.text, "website": f.link, "headteacher": f.text, "age_range": f.text,
    },
    "resources": {
        "subjects": f.vocabulary_list("subjects"), "key_stages": f.vocabulary_list("key_stages"),
        "phases": f.vocabulary_list("phases"), "type": f.vocabulary_one("resource_types"), "file": f.text,
        "url": f.link, "licence": f.text, "author": f.text, "school": f.text, "date": f.date,
        "reviewed": f.date, "duration": f.text, "featured": f.boolean,
    },
    "events": {
        "start": f.date_or_datetime, "end": f.date_or_datetime,
        "attendance": f.choice("in person", "online", "mixed"), "location": f.text, "online_url": f.link,
        "booking_url": f.link, "audience": f.text, "cost": f.text, "provider": f.text,
        "status": f.choice("scheduled", "cancelled", "postponed"),
    },
}
REQUIRED: dict[str, tuple[str, ...]] = {"news": ("date",), "events": ("start",)}
LIST_FIELDS = {"tags", "networks", "aliases", "aims", "members", "contacts", "subjects", "key_stages", "phases"}

IGNORED = re.compile(r"(^|/)([._~#]|.*~$|.*\.(swp|swx|tmp|bak)$)")


@dataclass
class Page:
    """One content item, as read from its file. Template fields: page.title, page.date, ..."""

    kind: str  # "pages", "news", "networks", "schools", "resources", "events", or "home"
    source: str  # hub-relative path: "content/news/2026-03-10-a-visit.md"
    slug: str
    url: str  # site path, without the base path: "/news/a-visit/"
    title: str
    fields: dict[str, Any]  # every field of the kind's schema; None (or ()) when not given
    body_html: str = ""  # internal links still as markers
    links: tuple[markup.Link, ...] = ()
    key_lines: dict[str, int] = field(default_factory=dict)
    line: int = 1  # where the item starts in its source (a CSV row's line)
    content: str = ""  # the HTML of the text, with its links resolved by model.assemble

    def __getattr__(self, name: str) -> Any:
        # page.date, page.author, ... read the kind's fields; a field the kind lacks is an error
        if name.startswith("__") or "fields" not in self.__dict__:
            raise AttributeError(name)
        try:
            return self.__dict__["fields"][name]
        except KeyError:
            raise AttributeError(f"a {self.kind} item has no field '{name}'") from None

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    @property
    def sort_date(self) -> dt.date:
        value = self.fields.get("date") or self.fields.get("start") or dt.date.min
        return value.date() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class Settings:
    """The parts of the configuration that reading one file depends on."""

    context: f.FieldContext
    markdown_extensions: tuple[str, ...]


def empty_fields(kind: str) -> dict[str, Any]:
    """Every field a kind takes, unset: templates can test `page.author` without an error."""
    schema = {**COMMON, **SCHEMAS.get(kind, SCHEMAS["pages"])}
    fields = {key: () if key in LIST_FIELDS else None for key in schema}
    fields.update(draft=False, extra={})
    return fields


def kind_of(relative_to_content: str) -> str:
    if relative_to_content == "index.md":
        return "home"
    top = relative_to_content.split("/", 1)[0]
    return top if top in KINDS and "/" in relative_to_content else "pages"


def discover(root: Path) -> tuple[list[str], list[str]]:
    """The hub-relative paths of every Markdown file and every other file under content/, sorted.

    Links that lead outside the hub are left out (`links_leading_out` reports them)."""
    content = root / "content"
    pages, files = [], []
    if not content.is_dir():
        return pages, files
    for path in sorted(content.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if IGNORED.search(path.relative_to(content).as_posix()) or not path.is_file() or not is_inside(path, root):
            continue
        (pages if path.suffix.lower() == ".md" else files).append(rel)
    return pages, files


def is_inside(path: Path, root: Path) -> bool:
    """Whether `path`, with every link in it followed, is still inside the hub."""
    return path.resolve().is_relative_to(root.resolve())


def links_leading_out(root: Path) -> list[str]:
    """Hub-relative paths of links (to files or folders) in the hub's own folders that lead outside it.

    sitegen never reads through them, so a hub cannot publish or copy files from elsewhere on the computer."""
    found = []
    for folder in ("content", "static", "data", "templates"):
        top = root / folder
        if not top.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            for name in dirnames + filenames:
                path = Path(dirpath) / name
                if path.is_symlink() and not is_inside(path, root):
                    found.append(path.relative_to(root).as_posix())
    return sorted(found)


def read_text(path: Path, rel: str) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise ContentError("is not a text file (it looks binary): a content file must be Markdown text", rel, None)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError("is not UTF-8 text: open it and save it again as UTF-8", rel, line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_page(source: str, text: str, settings: Settings) -> tuple[Page | None, Problems]:
    """Read one content file. Returns the Page (None when it cannot be used at all) and its problems."""
    problems = Problems()
    if not text.strip():
        problems.error(source, 1, "the file is empty: it needs front matter with at least a title")
        return None, problems
    try:
        fm = split(text, source)
    except ContentError as exc:
        problems.errors.append(exc)
        return None, problems

    rel = source.split("/", 1)[1]  # path under content/
    kind = kind_of(rel)
    schema = {**COMMON, **SCHEMAS.get(kind, SCHEMAS["pages"])}
    values: dict[str, Any] = {}
    for key, raw in fm.meta.items():
        line = fm.line_of(key)
        validator = schema.get(key)
        if validator is None:
            problems.error(source, line, f"unknown field '{key}'{did_you_mean(key, schema)}; put your own fields under 'extra:'")
            continue
        if raw is None or raw == "" or raw == []:
            continue  # an empty field is the same as a missing one
        try:
            values[key] = validator(raw, settings.context)
        except f.FieldError as exc:
            problems.error(source, line, f"{key}: {exc}")

    def given(key: str) -> bool:  # present and not empty (a wrong value has been reported already)
        return bool(values.get(key)) or (key in fm.meta and key not in values and fm.meta[key] not in (None, "", []))

    if not given("title"):
        problems.error(source, fm.key_lines.get("title", 1), "title: missing; every file needs one, e.g. 'title: Our autumn conference'")
    for key in REQUIRED.get(kind, ()):
        if not given(key):
            example = "2026-03-10" if key == "date" else '"2026-03-10 16:00"'
            problems.error(source, fm.key_lines.get(key, 1), f"{key}: missing; a {kind} item needs one, e.g. '{key}: {example}'")
    _check_pairs(kind, values, fm, source, problems)

    stem = rel.rsplit("/", 1)[-1][: -len(".md")]
    slug = slugify(values["slug"]) if "slug" in values else slug_from_filename(stem, kind)
    if "slug" in values and len(values["slug"]) > MAX_SLUG:
        problems.error(source, fm.line_of("slug"), f"slug: is {len(values['slug'])} characters long; keep it under {MAX_SLUG}")
    elif "slug" in values and (not slug or slug != values["slug"]):
        problems.error(source, fm.line_of("slug"), f'slug: "{values["slug"]}" may hold only lowercase letters, digits and hyphens (e.g. "{slug or "my-page"}")')
    if not slug and kind != "home":
        problems.error(source, 1, "the file name gives no usable address: rename it with letters or digits, or set 'slug:'")
    folders = rel.split("/")[:-1]
    if kind == "pages" and any(not slugify(f) for f in folders):
        problems.error(source, None, "a folder in this file's path has no letters or digits to make an address from; rename the folder")
        return None, problems
    if kind == "home":
        url = "/"
    elif kind == "pages":
        url = page_url(rel) if "slug" not in values else page_url("/".join([*rel.split("/")[:-1], slug + ".md"]))
    else:
        url = item_url(kind, slug)

    rendered = markup.render(fm.body, source, fm.body_line, settings.markdown_extensions)
    for line, message in rendered.problems:
        problems.error(source, line, message)
    if any(key not in values for key in REQUIRED.get(kind, ())):
        return None, problems
    # A page with other errors is still returned, so that the whole-site checks can report
    # every other problem in this run; the errors stop the build before anything is written.
    all_fields = empty_fields(kind)
    all_fields.update(values)
    if not all_fields["summary"]:
        all_fields["summary"] = first_sentences(rendered.html)
    all_fields["draft"] = bool(all_fields["draft"])
    page = Page(kind, source, slug, url, values.get("title", ""), all_fields, rendered.html, rendered.links, fm.key_lines,
                content=rendered.html)  # model.assemble resolves the links in `content`, if it has any
    return page, problems


def _check_pairs(kind: str, values: dict[str, Any], fm: Any, source: str, problems: Problems) -> None:
    """Fields that only make sense together."""
    if kind == "news" and values.get("image") and not values.get("image_alt"):
        problems.error(source, fm.line_of("image"), "image: needs image_alt, a few words saying what the picture shows")
    if kind == "resources" and "file" in values and "url" in values:
        problems.error(source, fm.line_of("url"), "give either file (a download) or url (a link elsewhere), not both")
    if kind == "news" and "date" in values and "updated" in values and values["updated"] < values["date"]:
        problems.error(source, fm.line_of("updated"), f"updated: {values['updated'].isoformat()} is before the post's date ({values['date'].isoformat()})")
    if kind == "events" and "start" in values and "end" in values:
        start, end = values["start"], values["end"]
        if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
            problems.error(source, fm.line_of("end"), "end: give both start and end as dates, or both as dates with times")
        elif end < start:
            problems.error(source, fm.line_of("end"), f"end: the event ends ({_show(end)}) before it starts ({_show(start)})")


def _show(value: dt.date | dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value.isoformat()


def first_sentences(body_html: str, limit: int = 180) -> str:
    """A plain-text summary from the first paragraph, for listings and share cards."""
    match = re.search(r"<p>(.*?)</p>", body_html, re.S)
    if not match:
        return ""
    words = html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split()
    summary = " ".join(words)
    if len(summary) > limit:
        summary = summary[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return summary
