"""Translations: a file beside its original with the language before `.md` (`linking.cy.md` translates `linking.md`).

A translation takes from its original every field it does not give itself (dates, networks, members,
facets, the file), and is published under /<code>/ at the original's address. A file in a language
with no original exists in that language only, and must then be complete on its own.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from ..content.page import Page
from ..core.errors import Problems
from ..schema.kinds import Schema

OWN_FIELDS = ("summary", "aliases")  # a translation's own even when it does not give them: its text's first words, its old addresses


def by_language(pages: list[Page], schema: Schema, problems: Problems) -> tuple[list[Page], dict[str, list[Page]]]:
    """(the main language's pages, each other language's pages with what they leave out taken from their originals)."""
    main: list[Page] = []
    others: dict[str, list[Page]] = defaultdict(list)
    originals = {page.original or page.source: page for page in pages if not page.language}
    for page in pages:
        if not page.language:
            main.append(page)
            continue
        original = originals.get(page.original)
        if original is not None:
            others[page.language].append(translated(page, original))
        else:
            others[page.language].append(complete_alone(page, schema, problems))
    return main, dict(others)


def translated(page: Page, original: Page) -> Page:
    """A translation with the fields it leaves out taken from its original, at the original's address in its language."""
    given = set(page.key_lines) | set(OWN_FIELDS)
    fields = {**original.fields, **{name: value for name, value in page.fields.items() if name in given}}
    same_slug = "slug" not in page.key_lines
    return dataclasses.replace(
        page, fields=fields, title=page.title or original.title, broken=page.broken or original.broken,
        slug=original.slug if same_slug else page.slug,
        url=f"/{page.language}{original.url}" if same_slug else page.url,
        key_lines={**{name: 1 for name in original.key_lines}, **page.key_lines})


def complete_alone(page: Page, schema: Schema, problems: Problems) -> Page:
    """A page in one language only: it has no original to take its required fields from."""
    kind = schema.get(page.kind)
    missing = [field for field in kind.required if not field.given(page.fields.get(field.name))] if kind is not None else []
    for field in missing:
        problems.error(page.source, 1, field.missing(f"a page in {page.language} only (there is no "
                                                     f"{page.original.rsplit('/', 1)[-1]} to translate) needs one"))
    return dataclasses.replace(page, broken=True) if missing else page


def translation_key(page: Page) -> str:
    """What a page and its translations share: the original's source ('content/news/2026-10-02-linking.md')."""
    return page.original or page.source
