"""The dependency graph: what every output read while it rendered, and how to tell what changed since.

While an output renders, everything it reads is recorded as keys (render/record.py lists them).
The graph keeps each output's keys and the fingerprint each key had when it was read; the
next run renders an output again only when one of its keys has another fingerprint now
(`Resolver.digest`), or when what the plan gave it changed (its record's `shape`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from ..content.page import Page
from ..media.pictures import Pictures
from ..model.site import Site
from ..render.record import Key, PageRef, fingerprint, from_ref

Stat = tuple[int, int, int]  # a file's inode, size and modification time (ns)


@dataclass(frozen=True)
class Record:  # frozen: the cache saves only the records that are not equal to those it saved before
    shape: bytes  # fingerprint of what the plan gave the output (its template, items, pagination...)
    keys: tuple[Key, ...]  # what it read while it rendered, each once (a tuple: a set of each output's keys would take four times the memory)
    stat: Stat | None = None  # its file in the output folder
    digest: bytes | None = None  # of its bytes as rendered: a file whose time changed (a fresh checkout) is still known by them


@dataclass
class Graph:
    """Every output's record, and the fingerprint of every key as it was when read."""

    settings: bytes = b""  # the settings the records were made with: other settings, other site
    output: str = ""  # the output folder holding the records' files ("" in memory)
    records: dict[str, Record] = field(default_factory=dict)  # output file -> record
    digests: dict[Key, bytes] = field(default_factory=dict)
    calls: dict[Key, tuple[str, Any]] = field(default_factory=dict)  # ("c", ...) key -> (query, arguments)
    items: dict[str, bytes] = field(default_factory=dict)  # item url -> fingerprint of the whole item
    outline: bytes = b""  # fingerprint of the site but its items' text (staleness.Tracker.outline)
    tree: dict[str, Stat] = field(default_factory=dict)  # every file in the output folder after the last build
    copied: dict[str, tuple[str, Stat | None]] = field(default_factory=dict)  # copied file -> (its source, its stat)

    def reading(self, keys: dict[Key, bytes]) -> set[str]:
        """The output files that read any of `keys`."""
        return {file for file, record in self.records.items() if not keys.keys().isdisjoint(record.keys)} if keys else set()


PAGE_FIELDS = tuple(f.name for f in dataclasses.fields(Page))
TEXT_FIELDS = ("content", "body_html", "links", "key_lines")  # an item's text, and what only messages about it use
OUTLINE_FIELDS = tuple(name for name in PAGE_FIELDS if name not in TEXT_FIELDS)


def item_fingerprint(page: Page) -> bytes:
    """Everything about an item, at once: when it is as before, nothing read from it has changed.

    Pickled rather than walked (much faster); pickling the same values gives the same bytes."""
    return digest(pickle.dumps(tuple(getattr(page, name) for name in PAGE_FIELDS), protocol=5))


def outline_fingerprint(page: Page) -> bytes:
    """Everything about an item but its text (see staleness.Tracker.outline)."""
    return digest(pickle.dumps(tuple(getattr(page, name) for name in OUTLINE_FIELDS), protocol=5))


def pictures_fingerprint(pictures: Pictures) -> bytes:
    """What pages can read of the hub's pictures, but each file's modification time and full path: no page shows
    them, and a fresh checkout (as on every CI run, in whatever folder) gives every file new ones."""
    timeless = {url: dataclasses.replace(picture, modified=0, path=Path(picture.source)) for url, picture in pictures.rasters.items()}
    return fingerprint(dataclasses.replace(pictures, rasters=timeless))


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class Resolver:
    """Fingerprints of keys in the current site (each worked out once per run)."""

    def __init__(self, site: Site, env: jinja2.Environment, settings: bytes, data_digest: bytes, pictures_digest: bytes,
                 calls: dict[Key, tuple[str, Any]], prints: Callable[[Page], tuple[bytes, bytes]]):
        self.site, self.env, self.settings, self.data_digest, self.calls = site, env, settings, data_digest, calls
        self.pictures_digest = pictures_digest
        self.prints = prints  # an item's fingerprints (inputs.Reader.prints)
        self.memo: dict[Key, bytes] = {}
        self.values: dict[int, tuple[Any, bytes]] = {}

    def item(self, url: str) -> bytes | None:
        page = self.site.by_url.get(url)
        if page is None:
            return None
        return self.prints(page)[0]

    def digest(self, key: Key) -> bytes:
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._digest(key)
        return found

    def in_language(self, key: Key, length: int) -> Site | None:
        """The site a site-wide key was read from: the main language's, or (its code after `length` parts) another's
        (None when the hub no longer has that language)."""
        return self.site if len(key) == length else self.site.languages.get(key[length])

    def _digest(self, key: Key) -> bytes:
        kind = key[0]
        if kind in ("i", "f"):
            page = self.site.by_url.get(key[1])
            if page is None:
                return b"-"
            if kind == "f":
                return fingerprint(("f", page.fields[key[2]]) if key[2] in page.fields else "missing", self.values)
            if key[2] == "*":
                return self.item(key[1]) or b"-"
            return fingerprint(getattr(page, key[2], None), self.values)
        if kind == "c":
            name, (args, kwargs) = self.calls[key]
            site = self.in_language(key, 3)
            if site is None:
                return b"-"
            values = tuple(from_ref(a, self.site) for a in args)
            named = {k: from_ref(v, self.site) for k, v in kwargs}
            if any(v is None and isinstance(a, PageRef) for a, v in zip(args, values, strict=True)):
                return b"-"  # an item it was asked about is gone
            try:
                return fingerprint(getattr(site, name)(*values, **named), self.values)
            except Exception as exc:  # the render will meet the same error and report it
                return b"!" + repr(exc).encode()
        if kind == "a":
            if key[1] in ("config", "urls", "schema"):
                return self.settings
            try:
                return fingerprint(getattr(self.in_language(key, 2), key[1]), self.values)
            except AttributeError:  # None too: the language is gone
                return b"-"
        if kind == "t":
            try:
                source, filename, _ = self.env.loader.get_source(self.env, key[1])  # type: ignore[union-attr]
            except jinja2.TemplateNotFound:
                return b"-"
            except (OSError, UnicodeDecodeError):
                return b"!"
            return fingerprint((filename, source))
        if kind == "d":
            return self.data_digest
        if kind == "g":
            return self.pictures_digest
        return b"?"
