"""Finding content files and reading each one into a Page.

`load_page` is a pure function of (path, text, settings): it never looks at
other files, so it can be cached and run in parallel. Checks that need the
whole site (references, links, URL collisions) happen in `model.assemble`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

from ..config.languages import main_code
from ..config.siteyaml import Config
from ..core.errors import ContentError, Problems, nearest
from ..core.loads import body_loads
from ..core.urls import MAX_SLUG, item_url, page_url, slug_from_filename, slugify
from ..core.yamltext import comment_message, hidden_by_comment
from ..schema import fields as f
from ..schema.fields import FieldContext
from ..schema.kinds import Field, Kind
from . import markdown as markup
from .discover import kind_of
from .frontmatter import split
from .hubcheck import unreadable
from .page import Page, Settings, empty_fields


def read_text(path: Path, rel: str, problems: Problems | None = None) -> str:
    """A content file's text. Windows-1252 (as old Windows editors save) is read too, with a warning."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise unreadable(rel, exc) from None
    return decode_text(data, rel, problems)


def decode_text(data: bytes, rel: str, problems: Problems | None = None) -> str:
    """The text of a content file's bytes (see read_text)."""
    if b"\x00" in data[:8192]:
        raise ContentError("is not a text file (it looks binary): a content file must be Markdown text", rel, None)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        mixed = _utf8_with_strays(data, rel, problems)
        if mixed is not None:
            return mixed.replace("\r\n", "\n").replace("\r", "\n")
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            raise ContentError("is not UTF-8 text: open it and save it again as UTF-8", rel, line) from None
        if problems is not None:
            line = data[: exc.start].count(b"\n") + 1
            problems.warn(rel, line, "is saved as Windows-1252, not UTF-8: it was read as Windows-1252; save it as UTF-8 to silence this")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utf8_with_strays(data: bytes, rel: str, problems: Problems | None) -> str | None:
    """A UTF-8 file with a few bytes that are not (a curly quote pasted from an old Windows program):
    read as UTF-8, each stray byte as the Windows-1252 character it stands for, and named in a warning.
    None when nothing in the file is UTF-8 beyond plain ASCII (then it is a Windows-1252 file), or when a
    stray byte is not Windows-1252 either (then it is neither, and an error)."""
    text = data.decode("utf-8-sig", errors="surrogateescape")
    if not any("\x80" <= c < "\udc80" or c > "\udcff" for c in text):
        return None
    try:
        bytes(ord(c) - 0xDC00 for c in text if "\udc80" <= c <= "\udcff").decode("cp1252")
    except UnicodeDecodeError:
        return None
    out: list[str] = []
    line = 1
    for c in text:
        if "\udc80" <= c <= "\udcff":
            byte = bytes([ord(c) - 0xDC00])
            shown = byte.decode("cp1252")
            out.append(shown)
            if problems is not None:
                problems.warn(rel, line, f"byte 0x{byte[0]:02X} is not UTF-8, as the rest of the file is: it was read as "
                                         f'the Windows-1252 "{shown}"; type it again and save the file as UTF-8 to silence this')
        else:
            line += c == "\n"
            out.append(c)
    return "".join(out)


def load_page(source: str, text: str, settings: Settings) -> tuple[Page | None, Problems]:
    """Read one content file. Returns the Page (None when it cannot be used at all) and its problems.

    A page with errors is still returned (marked `broken` when it cannot be published), so that the
    whole-site checks report every other problem, the links in its text included, in the same run;
    the errors stop the build before anything is written."""
    problems = Problems()
    if not text.strip():
        problems.error(source, 1, "the file is empty: it needs front matter with at least a title")
        return None, problems
    rel = source.split("/", 1)[1]  # path under content/
    language, rel = language_of(rel, settings)
    original = "content/" + rel if "content/" + rel != source else ""
    kind_name = kind_of(rel, settings.schema)
    kind = settings.schema.kind(kind_name)
    try:
        fm = split(text, source)
    except ContentError as exc:
        problems.errors.append(exc)
        body = body_of(text)
        if body is None:
            return None, problems
        rendered = markup.render(body[0], source, body[1], settings.markdown_extensions)
        return Page(kind_name, source, "", "", "", empty_fields(kind), rendered.html, rendered.links, broken=True), problems

    values, key_lines = read_fields(kind, fm.meta, fm.key_lines, source, settings.context.fresh(), problems)
    text_lines = text.split("\n")
    commented = set()
    for key, raw in fm.meta.items():
        hidden = hidden_by_comment(text_lines[fm.line_of(key) - 1]) if raw is None and fm.line_of(key) <= len(text_lines) else None
        if hidden:
            problems.error(source, fm.line_of(key), comment_message(key, hidden))
            commented.add(key)

    def given(field: Field) -> bool:  # a wrong value (in fm.meta, not in values) has been reported already
        return field.given(values.get(field.name)) or (field.name in fm.meta and field.name not in values and field.given(fm.meta[field.name]))

    for field in kind.required if not language else ():  # a translation takes what it leaves out from its original
        if not given(field) and field.name not in commented:
            what = "every file needs one" if field.name == "title" else f"{kind.one} needs one"
            problems.error(source, key_lines.get(field.name, 1), field.missing(what))
    check_pairs(kind, values, key_lines, source, problems)

    stem = rel.rsplit("/", 1)[-1][: -len(".md")]
    check_file_date(kind, stem, values, key_lines, source, problems)
    slug = slugify(values["slug"]) if "slug" in values else slug_from_filename(stem, bool(kind.date_field))
    line_of = key_lines.get
    if "slug" in values and len(values["slug"]) > MAX_SLUG:
        problems.error(source, line_of("slug"), f"slug: is {len(values['slug'])} characters long; keep it under {MAX_SLUG}")
    elif "slug" in values and (not slug or slug != values["slug"]):
        problems.error(source, line_of("slug"), f'slug: "{values["slug"]}" may hold only lowercase letters, digits and hyphens (e.g. "{slug or "my-page"}")')
    if not slug and kind_name != "home":
        problems.error(source, 1, "the file name gives no usable address: rename it with letters or digits, or set 'slug:'")
    folders = rel.split("/")[:-1]
    if kind_name == "pages" and any(not slugify(f) for f in folders):
        problems.error(source, None, "a folder in this file's path has no letters or digits to make an address from; rename the folder")
        return None, problems
    if kind_name == "home":
        url = "/"
    elif kind_name == "pages":
        url = page_url(rel) if "slug" not in values else page_url("/".join([*rel.split("/")[:-1], slug + ".md"]))
    else:
        url = item_url(kind_name, slug)
    if language:
        url = f"/{language}{url}"

    rendered = markup.render(fm.body, source, fm.body_line, settings.markdown_extensions)
    for line, message in rendered.problems:
        problems.error(source, line, message)
    all_fields = empty_fields(kind)
    all_fields.update(values)
    if not all_fields["summary"]:
        all_fields["summary"] = first_sentences(rendered.html)
    all_fields["draft"] = bool(all_fields["draft"])
    broken = not language and any(field.name not in values for field in kind.required)
    page = Page(kind_name, source, slug, url, values.get("title", ""), all_fields, rendered.html, rendered.links, key_lines,
                content=rendered.html, broken=broken, language=language, original=original)  # model.assemble resolves the links in `content`, if it has any
    return page, problems


def read_fields(kind: Kind, meta: dict[str, Any], key_lines: dict[str, int], source: str, ctx: f.FieldContext,
                problems: Problems) -> tuple[dict[str, Any], dict[str, int]]:
    """Every value of the front matter read by its field's type; names other tools use are taken with a warning."""
    values: dict[str, Any] = {}
    lines = dict(key_lines)
    aliases = kind.aliases
    for key, raw in meta.items():
        line = key_lines.get(key, 1)
        field = kind.field(key)
        if field is None and key in aliases:
            field = kind.field(aliases[key])
            assert field is not None
            if field.name in meta:
                problems.error(source, line, f"'{key}' and '{field.name}' say the same thing: keep '{field.name}' only")
                continue
            problems.warn(source, line, f"'{key}' is read as '{field.name}', sitegen's name for it: rename it to silence this")
            lines[field.name] = line
        if field is None:
            near = nearest(key, [f.name for f in kind.fields] + list(aliases))
            hint = f" (did you mean {aliases.get(near, near)}?)" if near else ""
            takes = "" if hint else f"; {kind.one} takes {', '.join(f.name for f in kind.fields)}"
            problems.error(source, line, f"unknown field '{key}'{hint}{takes}; put your own fields under 'extra:'")
            continue
        if raw is None or raw == "" or raw == []:
            continue  # an empty field is the same as a missing one
        try:
            values[field.name] = f.read(raw, field, ctx)
        except f.FieldError as exc:
            for message in exc.messages:
                problems.error(source, line, f"{field.name}: {message}")
        for note in ctx.notes:
            problems.warn(source, line, f"{field.name}: {note}")
        ctx.notes.clear()
    for field in kind.fields:  # a time alone ("end: 17:00") is on the day of the field it goes with
        value = values.get(field.name)
        if isinstance(value, dt.time):
            day = values.get(field.same_day_as)
            if isinstance(day, dt.datetime):
                values[field.name] = day.replace(hour=value.hour, minute=value.minute, second=value.second)
            else:
                values.pop(field.name)
                if day is not None:
                    problems.error(source, lines.get(field.name, 1), f"{field.name}: a time alone needs {field.same_day_as} to have a time too "
                                   f"(write {field.same_day_as} like \"{day.isoformat()} 16:00\")")
    return values, lines


def body_of(text: str) -> tuple[str, int] | None:
    """The body of a file whose front matter could not be read, when its end can be found."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for end, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[end + 1:]), end + 2
    return None


def check_pairs(kind: Kind, values: dict[str, Any], lines: dict[str, int], source: str, problems: Problems) -> None:
    """Fields that only make sense together."""
    line_of = lambda key: lines.get(key, 1)  # noqa: E731
    for field in kind.fields:
        alt = kind.field(field.name + "_alt")
        if field.type == "image" and alt is not None and values.get(field.name) and not values.get(alt.name):
            problems.error(source, line_of(field.name), f"{field.name}: needs {alt.name}, a few words saying what the picture shows")
    if "file" in values and "url" in values and kind.name == "resources":
        problems.error(source, line_of("url"), "give either file (a download) or url (a link elsewhere), not both")
    if kind.name == "vacancies":  # how to apply: a link or an email address, one of them
        if "apply_url" in values and "apply_email" in values:
            problems.error(source, line_of("apply_email"), "give either apply_url (a web address) or apply_email (an address to "
                           "send applications to), not both")
        elif "apply_url" not in values and "apply_email" not in values:
            problems.warn(source, 1, "say how to apply: give apply_url (a web address) or apply_email (an address to send "
                          "applications to), so that people, and job search engines, can apply")
    if "date" in values and "updated" in values and _moment(values["updated"]) < _moment(values["date"]):
        problems.error(source, line_of("updated"), f"updated: {_show(values['updated'])} is before the post's date ({_show(values['date'])})")
    for field in kind.fields:
        if field.same_day_as and field.same_day_as in values and field.name in values:
            start, end = values[field.same_day_as], values[field.name]
            if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
                problems.error(source, line_of(field.name), f"{field.name}: give both {field.same_day_as} and {field.name} as dates, "
                               "or both as dates with times")
            elif end < start:
                problems.error(source, line_of(field.name), f"{field.name}: the event ends ({_show(end)}) before it starts ({_show(start)})")


def check_file_date(kind: Kind, stem: str, values: dict[str, Any], lines: dict[str, int], source: str, problems: Problems) -> None:
    """A dated file name (2026-03-10-visit.md) whose date is not the item's own is a warning: one of them is a slip."""
    named = re.match(r"^(\d{4}-\d{2}-\d{2})[-_ ]", stem)
    value = values.get(kind.date_field) if kind.date_field else None
    if not named or not isinstance(value, dt.date):
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if day.isoformat() != named.group(1):
        problems.warn(source, lines.get(kind.date_field, 1), f"{kind.date_field}: {day.isoformat()} is not the date in the file name "
                      f"({named.group(1)}); correct one of them so that they agree")


def _moment(value: dt.date) -> tuple[dt.date, dt.time]:
    """For comparing a date with a date and time: a bare date counts from its start."""
    if isinstance(value, dt.datetime):
        return value.date(), value.timetz().replace(tzinfo=None)
    return value, dt.time()


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


def reading_settings(config: Config) -> Settings:
    """What reading one content file depends on."""
    return Settings(FieldContext(config.tz, config.vocabularies), config.markdown_extensions, config.schema,
                    tuple(lang.code for lang in config.languages), main_code(config.language))


def language_of(rel: str, settings: Settings) -> tuple[str, str]:
    """(the language a file under content/ is in, "" for the main one; its path without the language):
    'news/2026-10-02-linking.cy.md' -> ('cy', 'news/2026-10-02-linking.md'). Without `languages:`, a dot is just a dot."""
    stem, dot, code = rel[: -len(".md")].rpartition(".")
    if not dot or "/" in code or not settings.languages:
        return "", rel
    if code in settings.languages:
        return code, stem + ".md"
    return ("", stem + ".md") if code == settings.main_language else ("", rel)


def read_page(rel: str, raw: bytes, settings: Settings) -> tuple[str, Page | None, Problems]:
    """A content file's bytes read into a Page (None when it cannot be used), with its problems."""
    problems = Problems()
    try:
        text = decode_text(raw, rel, problems)
    except ContentError as exc:
        problems.errors.append(exc)
        return rel, None, problems
    page, page_problems = load_page(rel, text, settings)
    page_problems.extend(problems)
    if page is not None:  # parsed here, in parallel and once per file content, not on every build
        page = dataclasses.replace(page, loads=body_loads(page.body_html))
    return rel, page, page_problems
