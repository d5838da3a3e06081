"""Markdown to HTML: CommonMark with GitHub's extensions, as the editor (Decap CMS) and github.com read it.

The engine is pulldown-cmark (through pyromark): CommonMark 0.31.2, GitHub tables, strikethrough,
task lists, footnotes, alerts (`> [!NOTE]`), definition lists and `{#id .class}` after a heading.
What sitegen adds works on the engine's HTML (markdown_extras.py): heading ids as Python-Markdown's
toc made them (in-page links keep working), footnotes gathered at the end, `{.decorative}` after an
image, `*[ABBR]: full form`, `[TOC]`, and `!!! note` boxes for hubs that named `admonition`.

Links and images that point inside the hub are rewritten to markers
(`sitegen:content/resources/toolkit.md`, `sitegen:/img/visit.jpg`) and listed with the line they
are on. Turning a marker into a URL needs the whole site (`model.assemble` does it), so converting
one file stays a pure function.
"""

from __future__ import annotations

import html as htmllib
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

import pyromark

from ..core.urls import is_external
from . import markdown_extras as extras

MARKER = "\ue000sitegen:"  # an internal link until it is resolved; a private-use character never typed in text

_O = pyromark.Options
OPTIONS = (_O.ENABLE_TABLES | _O.ENABLE_FOOTNOTES | _O.ENABLE_STRIKETHROUGH | _O.ENABLE_TASKLISTS
           | _O.ENABLE_HEADING_ATTRIBUTES | _O.ENABLE_DEFINITION_LIST | _O.ENABLE_GFM)


@dataclass(frozen=True)
class Link:
    target: str  # "content/resources/toolkit.md#part-2" (hub-relative) or "/img/visit.jpg" (site root)
    line: int
    image: bool = False
    written: str = ""  # as the writer wrote it: "../resources/toolkit.md"


@dataclass(frozen=True)
class Rendered:
    html: str
    links: tuple[Link, ...]
    problems: tuple[tuple[int, str], ...]  # (line, message)


def to_html(body: str, extensions: tuple[str, ...] = ()) -> str:
    """The engine's HTML with sitegen's additions, before any link is rewritten."""
    text, abbreviations = extras.take_abbreviations(body)
    if "admonition" in extensions and "!!!" in text:
        text = extras.admonitions(text)
    options = OPTIONS | (_O.ENABLE_SMART_PUNCTUATION if "smarty" in extensions else 0)
    if "](" in text:
        text = extras.spaced_addresses(text, options)
    html = pyromark.html(text, options=options)
    if "}" in html:
        html = extras.attributes(html)
    html = extras.heading_ids(html)
    if 'class="footnote-reference"' in html:
        html = extras.footnotes(html)
    if abbreviations:
        html = extras.abbreviate(html, abbreviations)
    return html


class _HubLinks:
    """Rewrites the links and images of one text that point inside the hub to markers, and checks images' alt text."""

    # Markdown's links and images and those written as HTML alike; the engine quotes every attribute it writes
    ATTRIBUTE = re.compile(r'(<(a|img)\b[^>]*?\s(href|src)\s*=\s*")([^"]*)(")', re.I)

    def __init__(self, body: str, source: str, first_line: int):
        self.lines = body.split("\n")
        self.source = source
        self.first_line = first_line
        self.links: list[Link] = []
        self.problems: list[tuple[int, str]] = []
        self.raw_sources = {src for src, _ in _raw_images(body)}

    def rewrite(self, html: str) -> str:
        if "<a" not in html and "<img" not in html and "<A" not in html and "<IMG" not in html:
            return html
        return self.ATTRIBUTE.sub(self._one, html)

    def _one(self, match: re.Match[str]) -> str:
        image = match.group(2).lower() == "img"
        written = unquote(htmllib.unescape(match.group(4).strip()))  # the engine %-encodes and escapes what it writes
        if image:
            self._check_alt(match, written)
        target = self.target(written)
        if target is None:
            return match.group(0)
        self.links.append(Link(target, self.line_of(written), image, written))
        return f"{match.group(1)}{MARKER}{target}{match.group(5)}"

    def _check_alt(self, match: re.Match[str], src: str) -> None:
        end = match.string.find(">", match.end())
        tag = match.string[match.start():end + 1]
        if src in self.raw_sources or 'alt=""' not in tag or re.search(r'class="[^"]*\bdecorative\b', tag):
            return  # written as HTML (checked on the source), described, or marked as decoration
        self.problems.append((self.line_of(src), f"image {src} has no alt text: write ![what it shows]({_as_address(src)}), "
                                                 "or add {.decorative} after it if it only decorates"))

    def target(self, value: str) -> str | None:
        if not value or value.startswith("#") or is_external(value):
            return None
        value = value.replace('"', "%22")  # the marker stands in a quoted attribute
        if value.startswith("/"):
            return value  # "/files/Year%206%20plan.pdf" names the file "Year 6 plan.pdf": unquoted already
        path, sep, frag = value.partition("#")
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.source), path)) + sep + frag

    def line_of(self, value: str) -> int:
        """The body line that mentions `value` first (how the writer wrote it, %-encoded, or with `\\(` escapes)."""
        for candidate in (value, value.replace(" ", "%20"), re.sub(r"([()<>\\])", r"\\\1", value)):
            for i, line in enumerate(self.lines):
                if candidate and candidate in line:
                    return self.first_line + i
        return self.first_line


def _as_address(name: str) -> str:
    """`name` as a writer writes it between `](` and `)`: as it is (spaces too), or in <...> when it holds
    what would end or change the link there (parentheses, <, >, a quote after a space)."""
    if not re.search(r"""[()<>\\\n]|\s["']""", name):
        return name
    return "<" + name.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>") + ">"


_RAW_IMG = re.compile(r"<img\b[^>]*>", re.I)
_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def _raw_images(body: str) -> list[tuple[str, int]]:
    """(src, line index) of the <img> tags written as HTML in the text."""
    found = []
    if "<img" in body.lower():
        for i, line in enumerate(body.split("\n")):
            for tag in _RAW_IMG.findall(line):
                src = _SRC.search(tag)
                found.append((unquote(htmllib.unescape(next(g for g in src.groups() if g is not None))) if src else "", i))
    return found


def _raw_images_without_alt(body: str, first_line: int) -> list[tuple[int, str]]:
    """<img> tags written as HTML in the text, which the engine passes through as they are."""
    problems = []
    for i, line in enumerate(body.split("\n")):
        for tag in _RAW_IMG.findall(line):
            if not re.search(r"\balt\s*=", tag, re.I):
                problems.append((first_line + i, f"{tag} has no alt text: add alt=\"what it shows\", or alt=\"\" if it only decorates"))
    return problems


MAX_INDENT = 200  # columns before a list item or quote; the engine's time grows with the square of the depth


_DEEP_ITEM = re.compile(rf"^[ \t]{{{MAX_INDENT // 4},}}(?:[-*+>]|\d+[.)])")


def _too_deep(body: str, first_line: int) -> tuple[int, str] | None:
    """A list item or quote indented so deep that converting the text would take minutes."""
    for i, line in enumerate(body.split("\n")):
        if _DEEP_ITEM.match(line) and len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip()) >= MAX_INDENT:
            return first_line + i, (f"a list item or quote is indented {MAX_INDENT} or more spaces (lists nested that deep "
                                    "are more than sitegen can read); flatten it")
    return None


def render(body: str, source: str, first_line: int, extensions: tuple[str, ...]) -> Rendered:
    """Convert a Markdown body from `source` (e.g. 'content/news/a.md') whose first line is `first_line`."""
    deep = _too_deep(body, first_line)
    if deep:
        return Rendered("", (), (deep,))
    links = _HubLinks(body, source, first_line)
    html = links.rewrite(to_html(body, extensions))
    problems = links.problems
    if "<img" in body.lower():
        problems += _raw_images_without_alt(body, first_line)
    return Rendered(html, tuple(links.links), tuple(problems))
