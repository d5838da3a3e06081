"""What an output read while it rendered, recorded as it happens, and stable fingerprints of values.

A template (or a render function) sees the site, its items and its context through thin views
that note each thing read: an item's field (`page.title`, `page.fields.get("updated")`), a
site-wide list or query (`site.news`, `site.related(page)`), a template it extends or includes,
the data files. The build driver keeps those notes with the output, and later renders it again
only when one of the things it read has a different fingerprint. Nothing has to be declared
by hand, so a hub's own templates are tracked exactly like the built-in theme.

Keys of what was read (all plain tuples, so they can be kept in the persistent cache):
    ("i", url, attr)        an item's own attribute (title, content, kind, ...)
    ("f", url, field)       one field of an item (date, tags, updated, ...)
    ("c", name, args-id)    a site query such as related(page); its arguments are kept beside
    ("a", name)             a site attribute: a kind's list (news), menu, now, urls, config
    ("t", name)             a template, as the loader finds it (an override in templates/ wins)
    ("d",)                  the data files
    ("g",)                  the sizes of the hub's pictures (every page's <img> is given them)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import PurePath
from typing import Any

from ..content.page import Page

Key = tuple[Any, ...]


PAGE_ATTRS = frozenset(f.name for f in dataclasses.fields(Page))


@dataclasses.dataclass(frozen=True)
class PageRef:
    """An item named in a site query's arguments, by its address (the item itself changes between builds)."""

    url: str


class Recorder:
    """The keys one output read, and the arguments of the site queries it made."""

    __slots__ = ("keys", "calls", "memo")

    def __init__(self) -> None:
        self.keys: set[Key] = set()
        self.calls: dict[Key, tuple[str, tuple[Any, ...]]] = {}
        self.memo: dict[int, Any] = {}  # id(value) -> its view, so a list shown twice is wrapped once


def wrap(value: Any, rec: Recorder) -> Any:
    """`value` as a template may see it: items (also inside lists, dicts and dataclasses) become views."""
    if value is None or isinstance(value, (str, int, float, bool, dt.date, PurePath)):
        return value
    if isinstance(value, Page):
        return PageView(value, rec)
    known = rec.memo.get(id(value))
    if known is not None:
        return known[1]
    if isinstance(value, list):
        view: Any = [wrap(v, rec) for v in value]
    elif isinstance(value, tuple) and not hasattr(value, "_fields"):
        view = tuple(wrap(v, rec) for v in value)
    elif isinstance(value, dict):
        view = {k: wrap(v, rec) for k, v in value.items()}
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        view = ObjectView(value, rec)
    else:
        return value
    rec.memo[id(value)] = (value, view)  # the value is kept alive with its view, so its id is not reused
    return view


def unwrap(value: Any) -> Any:
    if isinstance(value, (PageView, ObjectView)):
        return object.__getattribute__(value, "_obj")
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    if isinstance(value, tuple):
        return tuple(unwrap(v) for v in value)
    return value


class PageView:
    """An item as templates see it: reading `page.title` or `page.date` is noted."""

    __slots__ = ("_obj", "_rec")

    def __init__(self, page: Page, rec: Recorder):
        self._obj = page
        self._rec = rec

    @property  # type: ignore[misc]
    def __class__(self) -> type:  # isinstance(view, Page) holds, as templates' helpers expect
        return Page

    def __getattr__(self, name: str) -> Any:
        page = self._obj
        if name in PAGE_ATTRS:
            if name == "fields":
                return FieldsView(page, self._rec)
            if name != "url":  # the address is what names the item: reading it is not a dependency
                self._rec.keys.add(("i", page.url, name))
            return wrap(getattr(page, name), self._rec)
        if name.startswith("__") or name not in page.fields:
            value = getattr(page, name)  # a method (line_of, sort_date) or an error: it may read anything
            self._rec.keys.add(("i", page.url, "*"))
            return value
        self._rec.keys.add(("f", page.url, name))
        return wrap(page.fields[name], self._rec)

    def __eq__(self, other: object) -> bool:
        return self._obj is unwrap(other) or self._obj == unwrap(other)

    def __hash__(self) -> int:
        return hash(self._obj.url)

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"<page {self._obj.url}>"


class FieldsView(Mapping[str, Any]):
    """`page.fields`: each field read is noted; iterating over all of them notes the whole item."""

    __slots__ = ("_page", "_rec")

    def __init__(self, page: Page, rec: Recorder):
        self._page = page
        self._rec = rec

    def __getitem__(self, name: str) -> Any:
        self._rec.keys.add(("f", self._page.url, name))
        return wrap(self._page.fields[name], self._rec)

    def __contains__(self, name: object) -> bool:
        self._rec.keys.add(("f", self._page.url, name))
        return name in self._page.fields

    def __iter__(self) -> Iterator[str]:
        self._rec.keys.add(("i", self._page.url, "*"))
        return iter(self._page.fields)

    def __len__(self) -> int:
        return len(self._page.fields)


class ObjectView:
    """A dataclass from the plan (a facet, a pagination, a menu entry) whose items must be seen as views."""

    __slots__ = ("_obj", "_rec")

    def __init__(self, obj: Any, rec: Recorder):
        self._obj = obj
        self._rec = rec

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return type(self._obj)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._obj, name)
        if callable(value) and not isinstance(value, type):
            return lambda *args, **kwargs: wrap(value(*map(unwrap, args), **kwargs), self._rec)
        return wrap(value, self._rec)

    def __eq__(self, other: object) -> bool:
        return bool(self._obj == unwrap(other))

    def __hash__(self) -> int:
        return hash(self._obj)

    def __repr__(self) -> str:
        return repr(self._obj)


class SiteView:
    """`site` as templates see it: each list, attribute and query used is noted (for one of the hub's other
    languages, with its code at the end of the key: ("a", "news", "cy") is the Welsh news)."""

    __slots__ = ("_obj", "_rec", "_in")

    def __init__(self, site: Any, rec: Recorder):
        self._obj = site
        self._rec = rec
        self._in: tuple[str, ...] = (site.root[1:],) if getattr(site, "root", "") else ()

    def __getattr__(self, name: str) -> Any:
        if name == "data":
            return DataView(self._obj.data, self._rec)
        if name.startswith("_") or name in ("main", "languages"):  # memos, and the other languages' sites: what they hold is read through them
            return getattr(self._obj, name)
        value = getattr(self._obj, name)
        if callable(value) and not isinstance(value, type):
            return self._query(name, value)
        self._rec.keys.add(("a", name, *self._in))
        if name in ("config", "urls", "schema"):  # settings: their fingerprint is the settings'
            return value
        return wrap(value, self._rec)

    def _query(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def query(*args: Any, **kwargs: Any) -> Any:
            plain = tuple(unwrap(a) for a in args)
            named = tuple(sorted((k, unwrap(v)) for k, v in kwargs.items()))
            refs = (tuple(_as_ref(a) for a in plain), tuple((k, _as_ref(v)) for k, v in named))
            key = ("c", name, fingerprint(refs), *self._in)
            self._rec.keys.add(key)
            self._rec.calls.setdefault(key, (name, refs))
            return wrap(method(*plain, **dict(named)), self._rec)

        return query


class DataView(Mapping[str, Any]):
    """`data` in templates: reading any of it makes the output depend on the data files."""

    __slots__ = ("_data", "_rec")

    def __init__(self, data: dict[str, Any], rec: Recorder):
        self._data = data
        self._rec = rec

    def __getitem__(self, name: str) -> Any:
        self._rec.keys.add(("d",))
        return self._data[name]

    def __iter__(self) -> Iterator[str]:
        self._rec.keys.add(("d",))
        return iter(self._data)

    def __len__(self) -> int:
        self._rec.keys.add(("d",))
        return len(self._data)


def _as_ref(value: Any) -> Any:
    return PageRef(value.url) if isinstance(value, Page) else value


def from_ref(value: Any, site: Any) -> Any:
    """The argument of a site query again, in `site` (None when the item is gone)."""
    return site.by_url.get(value.url) if isinstance(value, PageRef) else value


def fingerprint(value: Any, memo: dict[int, tuple[Any, bytes]] | None = None) -> bytes:
    """A 16-byte digest of a value that is the same in every process and every run.

    An item counts by its address only: what a template reads of it is recorded separately.
    `memo` remembers the digests of lists and dataclasses that many outputs share."""
    h = hashlib.blake2b(digest_size=16)
    _feed(h, value, memo)
    return h.digest()


def _feed(h: Any, value: Any, memo: dict[int, tuple[Any, bytes]] | None) -> None:
    if isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        h.update(b"s%d:" % len(data))
        h.update(data)
    elif value is None or isinstance(value, (bool, int, float)):
        h.update(b"v" + repr(value).encode() + b";")
    elif isinstance(value, (Page, PageRef)):
        h.update(b"P" + value.url.encode() + b";")
    elif isinstance(value, (PageView, ObjectView)):
        _feed(h, object.__getattribute__(value, "_obj"), memo)
    elif isinstance(value, (dt.date, dt.time)):
        h.update(b"D" + value.isoformat().encode() + repr(getattr(value, "tzinfo", None)).encode() + b";")
    elif isinstance(value, bytes):
        h.update(b"b%d:" % len(value))
        h.update(value)
    elif type(value) in (list, tuple) and value and all(type(v) is Page for v in value):  # the usual list: items, by address
        data = "\x00".join([v.url for v in value]).encode()
        h.update(b"L%d:" % len(data))
        h.update(data)
    elif isinstance(value, (list, tuple, dict, set, frozenset)) or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        if memo is not None and id(value) in memo:
            h.update(memo[id(value)][1])
            return
        inner = hashlib.blake2b(digest_size=16)
        if isinstance(value, dict):
            inner.update(b"{")
            for k, v in value.items():
                _feed(inner, k, memo)
                _feed(inner, v, memo)
        elif isinstance(value, (set, frozenset)):
            inner.update(b"<")
            for digest in sorted(fingerprint(v, memo) for v in value):
                inner.update(digest)
        elif isinstance(value, (list, tuple)):
            inner.update(b"[")
            for v in value:
                _feed(inner, v, memo)
        else:
            inner.update(b"O" + type(value).__qualname__.encode())
            for f in dataclasses.fields(value):
                _feed(inner, getattr(value, f.name), memo)
        digest = inner.digest()
        if memo is not None and not isinstance(value, (set, frozenset)):
            memo[id(value)] = (value, digest)
        h.update(digest)
    elif callable(value):
        h.update(b"F" + getattr(value, "__module__", "").encode() + b"." + getattr(value, "__qualname__", repr(value)).encode() + b";")
    elif isinstance(value, PurePath):
        h.update(b"p" + str(value).encode() + b";")
    else:
        h.update(b"r" + repr(value).encode() + b";")
