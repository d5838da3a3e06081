"""Page: one content file (or one row of data/schools.csv) as read, and the settings reading it depends on."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..schema import fields as f
from ..schema.kinds import BUILTIN, Kind, Schema
from . import markdown as markup


@dataclass
class Page:
    """One content item, as read from its file. Template fields: page.title, page.date, ..."""

    kind: str  # a kind of the schema ("news", "events", "pages", a hub's own...), or "home"
    source: str  # hub-relative path: "content/news/2026-03-10-a-visit.md"
    slug: str
    url: str  # site path, without the base path: "/news/a-visit/"
    title: str
    fields: dict[str, Any]  # every field of the kind's schema; None (or ()) when not given
    body_html: str = ""  # internal links still as markers
    links: tuple[markup.Link, ...] = ()
    key_lines: dict[str, int] = dataclasses.field(default_factory=dict)
    line: int = 1  # where the item starts in its source (a CSV row's line)
    content: str = ""  # the HTML of the text, with its links resolved by model.assemble
    broken: bool = False  # too wrong to publish: kept only so that the links in its text are checked too
    # (CSP directive, address) for what the text loads from other sites; worked out when the file is
    # read (and kept in the cache with the page), None when not yet (model/policy.py then parses it)
    loads: tuple[tuple[str, str], ...] | None = None
    language: str = ""  # "" in the main language; a code of `languages:` ("cy") for a translation or a page in that language only
    original: str = ""  # for a file with a language in its name (about.cy.md, about.en.md): the source without it (content/about.md)

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

    def sort_date(self, field: str) -> dt.date:
        value = self.fields.get(field) or dt.date.min
        return value.date() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class Settings:
    """The parts of the configuration that reading one file depends on."""

    context: f.FieldContext
    markdown_extensions: tuple[str, ...]
    schema: Schema = BUILTIN
    languages: tuple[str, ...] = ()  # the codes of the hub's other languages: about.cy.md is in Welsh
    main_language: str = "en"  # the main language's code: about.en.md is the original, as the editor may name it


def empty_fields(kind: Kind) -> dict[str, Any]:
    """Every field a kind takes, unset: templates can test `page.author` without an error."""
    fields = {field.name: field.empty for field in kind.fields}
    fields.update(draft=False, extra={})
    return fields
