"""Files that belong only to unpublished items (drafts, posts whose date or publish_date has not
come, expired items) stay out of the site, like the items themselves.

A file is held back when an unpublished item uses it (a field of type file, image or link, or a
link or image in its text) and nothing published does: no published item, no setting in site.yaml,
and no template or data file of the hub that mentions its name. Anything else in content/ and
static/ is copied as it always is.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path

from ..content.page import Page
from ..core.urls import content_file_url, is_external
from ..model.site import Site
from .output import Copy

FILE_TYPES = ("file", "image", "link")  # the schema's field types that may name a file of the hub


FileFields = Callable[[Page], Iterable[str]]  # the names of an item's fields of those types


def used_by(page: Page, file_fields: FileFields) -> set[str]:
    """The site paths of the files an item uses ('/img/visit.jpg', '/resources/plan.pdf')."""
    used = set()
    for key in file_fields(page):
        value = page.fields.get(key)
        for name in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(name, str) and name and not is_external(name):
                used.add(_site_path(name, page.source))
    for link in page.links:
        target = link.target.split("#")[0].split("?")[0]
        if target.startswith("content/"):
            used.add(content_file_url(target.split("/", 1)[1]))
        elif target.startswith("/"):
            used.add(target)
    return used


def _site_path(name: str, source: str) -> str:
    name = name.split("#")[0].split("?")[0]
    if name.startswith("/"):
        return name
    rel = posixpath.normpath(posixpath.join(posixpath.dirname(source), name))
    return content_file_url(rel.split("/", 1)[1]) if rel.startswith("content/") else "/" + rel


def held_back(copies: list[Copy], unpublished: Iterable[Page], published: Iterable[Page], mentioned: Callable[[], str],
              file_fields: FileFields) -> dict[str, str]:
    """Site path of each copied file that only unpublished items use -> the first such item's source.

    `mentioned` is the text of everything else that may name a file (settings, templates, data)."""
    wanted: dict[str, str] = {}
    for page in sorted(unpublished, key=lambda p: p.source):
        for path in used_by(page, file_fields):
            wanted.setdefault(path, page.source)
    if not wanted:
        return {}
    for page in published:
        for path in used_by(page, file_fields):
            wanted.pop(path, None)
    copied = {c.url for c in copies}
    wanted = {path: source for path, source in wanted.items() if path in copied}
    text = mentioned() if wanted else ""
    return {path: source for path, source in wanted.items() if posixpath.basename(path) not in text}


def hub_texts(root: Path) -> str:
    """site.yaml, the hub's templates and data files: what may name a file besides the content."""
    texts = []
    for pattern in ("site.yaml", "templates/**/*", "data/*"):
        for path in sorted(root.glob(pattern)):
            try:
                if path.is_file():
                    texts.append(path.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue  # an unreadable file is reported where it is read
    return "\n".join(texts)


def withheld(root: Path, site: Site, hidden: list[Page], copies: list[Copy]) -> dict[str, str]:
    """Files that only unpublished items use, left out of the site (see py):
    site path -> why, e.g. 'content/resources/plan.md, a draft'."""
    if not hidden:
        return {}
    schema = site.config.schema

    def file_fields(page: Page) -> list[str]:
        return [f.name for f in schema.kind(page.kind).fields if f.type in FILE_TYPES]

    held = held_back(copies, hidden, site.by_url.values(), lambda: hub_texts(root), file_fields)
    drafts = {p.source for p in hidden if p.fields.get("draft")}
    return {path: f"{source}, {'a draft' if source in drafts else 'not published yet'}" for path, source in held.items()}
