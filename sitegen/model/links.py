"""Links between files: the writer links to a file as it sees it on disk; this turns it into the URL.

`[the toolkit](../resources/toolkit.md)` becomes that page's address under the base path;
a link to a file that does not exist is an error naming the nearest file that does.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from typing import Any

from ..content.markdown import MARKER
from ..content.page import Page
from ..core.errors import Problems, did_you_mean
from ..core.urls import Urls, content_file_url

# Only at the start of an attribute's value. The quote is matched (and put back) rather than looked
# behind for: a pattern that starts with text is searched for much faster.
_MARKERS = re.compile('"' + re.escape(MARKER) + r'([^"]*)')


class FileIndex:
    """Finds a file named by a content file: relative to it, or from the site root (static/)."""

    def __init__(self, content_files: dict[str, int], static_files: dict[str, int]):
        self.content_files = content_files
        self.static_files = static_files

    def find(self, name: str, source: str) -> tuple[str, int] | None:
        """(site path, size in bytes) of the file, or None."""
        if name.startswith("/"):
            path = name.split("#")[0].split("?")[0]
            if path in self.static_files:
                return path, self.static_files[path]
            rel = "content" + path
            return (path, self.content_files[rel]) if rel in self.content_files else None
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(source), name))
        if rel in self.content_files:
            return content_file_url(rel.split("/", 1)[1]), self.content_files[rel]
        return None

    def nearest(self, name: str, source: str) -> str:
        if name.startswith("/"):
            return did_you_mean(name, self.static_files)
        folder = posixpath.dirname(source)
        beside = [posixpath.relpath(p, folder) for p in self.content_files if posixpath.dirname(p) == folder]
        return did_you_mean(name, beside)


@dataclasses.dataclass(frozen=True)
class LinkWorld:
    """What every link resolves against: when it is as before, so are unchanged pages' links."""

    source_urls: dict[str, str]  # content file (or section folder) -> its site path
    files: FileIndex
    hidden: set[str]  # content files that are drafts or not yet published
    unreadable: frozenset[str]  # content files too broken to load (their errors are reported already)
    urls: Urls


def resolve_links(page: Page, world: LinkWorld, problems: Problems, cache: dict[str, Any] | None = None) -> Page:
    """The page with every internal link in its text turned into a URL under the base path."""
    if not page.links:
        return page  # its content is its body_html already
    generation = cache.get("generation", 0) if cache is not None else 0
    if cache is not None:  # the same page, and links that resolve as before: the same resolved page, not a copy
        known = cache.get(page.source)
        if known is not None and known[0] is page:
            if known[3] == generation:
                return known[1]  # type: ignore[no-any-return]
            if tuple(_resolve(link.target, world) for link in page.links) == known[2]:  # items or files came or went, not these
                cache[page.source] = (*known[:3], generation)
                return known[1]  # type: ignore[no-any-return]
    targets = tuple(_resolve(link.target, world) for link in page.links)
    resolved: dict[str, str] = {}
    for link, target in zip(page.links, targets, strict=True):
        if target is not None:
            resolved[link.target] = world.urls.href(target)
            continue
        path = link.target.split("#")[0]
        written = link.written.split("#")[0] or path
        what = "image" if link.image else "link"
        if path in world.unreadable:
            continue
        if path in world.hidden:
            problems.error(page.source, link.line, f"{what} to {written}, which is a draft or not yet published")
        else:
            folder = posixpath.dirname(page.source)
            choices = [posixpath.relpath(p, folder) for p in sorted(set(world.source_urls) | set(world.files.content_files))
                       if "." in p.rsplit("/", 1)[-1]]
            problems.error(page.source, link.line, f"{what} to {written}: there is no file {path}{did_you_mean(posixpath.relpath(path, folder), choices)}")
    resolved_page = dataclasses.replace(page, content=_MARKERS.sub(lambda m: '"' + resolved.get(m.group(1), "#"), page.body_html))
    if cache is not None and None not in targets:
        cache[page.source] = (page, resolved_page, targets, generation)
    return resolved_page


def _resolve(target: str, world: LinkWorld) -> str | None:
    path, sep, frag = target.partition("#")
    if path in world.source_urls:
        return world.source_urls[path] + sep + frag
    if path.startswith("/"):
        return target  # checked once every output is planned: it may be a page sitegen makes (check_root_links)
    if path.startswith("content/"):
        rel = path.rstrip("/")
        if rel + "/index.md" in world.source_urls:
            return world.source_urls[rel + "/index.md"] + sep + frag
        if path in world.files.content_files:
            return content_file_url(path.split("/", 1)[1]) + sep + frag
    return None
