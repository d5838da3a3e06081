"""The one place that decides where things live: an item's URL and the file it is written to.

Site paths ("/news/a-visit/") are what the rest of sitegen passes around; the
base path ("/our-network/") is added only when a link is written out, by
`Urls.href`, so the same site can be served from any sub-path.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}[-_ ]")


MAX_SLUG = 80  # file names on every host and file system stay well under their limits


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """'Reading for Pleasure!' -> 'reading-for-pleasure' (ASCII letters, digits and hyphens only, at most MAX_SLUG)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    return slug


def tag_slug(tag: str) -> str:
    """A tag's address: its slug, or for a tag with no Latin letters or digits ("🎉", "数学") a stable code."""
    return slugify(tag) or "tag-" + hashlib.sha1(tag.encode("utf-8")).hexdigest()[:8]


def slug_from_filename(stem: str, dated: bool) -> str:
    """A file's slug: its name without '.md', and without a leading date for dated kinds (news, events)."""
    if dated:
        stem = DATE_PREFIX.sub("", stem)
    return slugify(stem)


def item_url(kind: str, slug: str) -> str:
    return f"/{kind}/{slug}/"


def section_url(kind: str) -> str:
    return f"/{kind}/"


def page_url(relative_to_content: str) -> str:
    """The URL of a plain page from its path under content/: 'about.md' -> '/about/'."""
    parts = [slugify(p) for p in relative_to_content[: -len(".md")].split("/")]
    if parts[-1] == "index":
        parts.pop()
    return "/" + "".join(p + "/" for p in parts)


def content_file_url(relative_to_content: str) -> str:
    """A non-Markdown file under content/ is published at the same path: 'resources/plan.pdf' -> '/resources/plan.pdf'."""
    return "/" + relative_to_content


@lru_cache(maxsize=65536)
def output_file(url: str) -> str:
    """The file (relative to the output folder) that serves a site path: '/news/' -> 'news/index.html'.

    Raises ValueError for a path that would leave the output folder.
    """
    path = url.split("#")[0].split("?")[0]
    if not path.startswith("/") or "\\" in path or "\x00" in path:
        raise ValueError(f"not a site path: {url!r}")
    if any(seg in ("..", ".") for seg in path.split("/")):
        raise ValueError(f"a site path may not contain '..' or '.': {url!r}")
    rel = posixpath.normpath(path.lstrip("/")) if path.strip("/") else ""
    if path.endswith("/") or not rel:
        rel = posixpath.join(rel, "index.html") if rel else "index.html"
    return rel


URL_SAFE = "/#?&=%:@!$'()*+,;~"  # kept as they are; spaces and other letters are percent-encoded ("my plan.pdf")


_QUOTED = re.compile(r"[A-Za-z0-9_.\-~" + re.escape(URL_SAFE) + "]*")  # what quote() leaves as it is


@dataclass(frozen=True)
class Urls:
    """Turns site paths into the links written into pages."""

    base_path: str = "/"  # "/" or "/our-network/"
    origin: str = ""  # "https://user.github.io" when known

    def href(self, path: str) -> str:
        """A link for a page: '/news/' -> '/our-network/news/'; absolute URLs pass through."""
        if is_external(path) or path.startswith("#"):
            return path
        path = path.lstrip("/")
        return self.base_path + (path if _QUOTED.fullmatch(path) else quote(path, safe=URL_SAFE))

    def absolute(self, path: str) -> str:
        """A full URL, for feeds, sitemaps and share cards; a root-relative link when no host is set."""
        if is_external(path):
            return path
        return self.origin + self.href(path)


_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def is_external(link: str) -> bool:
    return link.startswith("//") or bool(_SCHEME.match(link))
