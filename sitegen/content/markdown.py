"""Markdown to HTML with one configured Python-Markdown converter.

Links and images that point inside the hub are rewritten to markers
(`sitegen:content/resources/toolkit.md`, `sitegen:/img/visit.jpg`) and listed
with the line they are on. Turning a marker into a URL needs the whole site
(`model.assemble` does it), so converting one file stays a pure function.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

import markdown as md
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

from ..core.urls import is_external

MARKER = "\ue000sitegen:"  # an internal link until it is resolved; a private-use character never typed in text


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


class _HubLinks(Treeprocessor):
    """Rewrites internal links to markers and checks images for alt text."""

    def __init__(self, md_: md.Markdown, state: dict):
        super().__init__(md_)
        self.state = state

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag == "a":
                attr = "href"
            elif el.tag == "img":
                attr = "src"
                self._check_alt(el)
            else:
                continue
            value = (el.get(attr) or "").strip()
            target = self._target(value)
            if target is None:
                continue
            el.set(attr, MARKER + target)
            self.state["links"].append(Link(target, self._line_of(value), el.tag == "img", value))

    def _check_alt(self, el: etree.Element) -> None:
        classes = (el.get("class") or "").split()
        if "decorative" in classes:
            el.set("alt", "")
            return
        if not (el.get("alt") or "").strip():
            src = el.get("src") or ""
            self.state["problems"].append(
                (self._line_of(src), f"image {src} has no alt text: write ![what it shows]({src}), or add {{.decorative}} after it if it only decorates")
            )

    def _target(self, value: str) -> str | None:
        if not value or value.startswith("#") or is_external(value):
            return None
        if value.startswith("/"):
            return unquote(value)  # "/files/Year%206%20plan.pdf" names the file "Year 6 plan.pdf"
        path, sep, frag = value.partition("#")
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(self.state["source"]), unquote(path)))
        return joined + sep + frag

    def _line_of(self, value: str) -> int:
        """The body line that mentions `value` first (Python-Markdown keeps no line numbers)."""
        for i, line in enumerate(self.state["lines"]):
            if value and value in line:
                return self.state["first_line"] + i
        return self.state["first_line"]


class _RawHtmlLinks(Postprocessor):
    """Links and images written as HTML in the text (<a href="../x.md">, <img src="/img/a.jpg">),
    which Python-Markdown passes through: they get the same rewriting and checks as Markdown links."""

    ATTRIBUTE = re.compile(r'(<(a|img)\b[^>]*?\s(?:href|src)\s*=\s*")([^"]*)(")', re.I)

    def __init__(self, md_: md.Markdown, links: _HubLinks):
        super().__init__(md_)
        self.links = links

    def run(self, text: str) -> str:
        if "<a" not in text.lower() and "<img" not in text.lower():
            return text

        def rewrite(match: re.Match[str]) -> str:
            value = match.group(3).strip()
            target = None if value.startswith(MARKER) else self.links._target(value)
            if target is None:
                return match.group(0)
            self.links.state["links"].append(Link(target, self.links._line_of(value), match.group(2).lower() == "img", value))
            return f"{match.group(1)}{MARKER}{target}{match.group(4)}"

        return self.ATTRIBUTE.sub(rewrite, text)


class _HubLinksExtension(Extension):
    def __init__(self, state: dict):
        super().__init__()
        self.state = state

    def extendMarkdown(self, md_: md.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        links = _HubLinks(md_, self.state)
        md_.treeprocessors.register(links, "sitegen_links", 0)
        md_.postprocessors.register(_RawHtmlLinks(md_, links), "sitegen_raw_links", 0)  # after raw HTML is put back


@lru_cache(maxsize=4)
def _converter(extensions: tuple[str, ...]) -> tuple[md.Markdown, dict]:
    state: dict = {}
    converter = md.Markdown(
        extensions=[*extensions, _HubLinksExtension(state)],
        extension_configs={"toc": {"permalink": False}, "footnotes": {"BACKLINK_TITLE": "Back to the text"}},
        output_format="html",
    )
    return converter, state


_RAW_IMG = re.compile(r"<img\b[^>]*>", re.I)


def _raw_images_without_alt(body: str, first_line: int) -> list[tuple[int, str]]:
    """<img> tags written as HTML in the text, which Python-Markdown passes through unchecked."""
    problems = []
    for i, line in enumerate(body.split("\n")):
        for tag in _RAW_IMG.findall(line):
            if not re.search(r"\balt\s*=", tag, re.I):
                problems.append((first_line + i, f"{tag} has no alt text: add alt=\"what it shows\", or alt=\"\" if it only decorates"))
    return problems


MAX_INDENT = 200  # columns before a list item or quote; Python-Markdown slows down steeply beyond (minutes at 4,000)


_DEEP_ITEM = re.compile(rf"^[ \t]{{{MAX_INDENT // 4},}}(?:[-*+>]|\d+[.)])")


def _too_deep(body: str, first_line: int) -> tuple[int, str] | None:
    """A list item or quote indented so deep that converting the text would take minutes or crash."""
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
    converter, state = _converter(extensions)
    state.update(source=source, first_line=first_line, lines=body.split("\n"), links=[], problems=[])
    try:
        html = converter.reset().convert(body)
    except RecursionError:  # Python-Markdown recurses once per level of nesting
        _converter.cache_clear()  # it may be left half-way through: start the next file with a new one
        html = ""
        state["links"], state["problems"] = [], [(first_line, ("the text nests lists or quotes hundreds of levels deep, "
                                                               "more than sitegen can read; flatten it"))]
    finally:
        links, problems = tuple(state.get("links", ())), tuple(state.get("problems", ()))
        state.clear()
    if "<img" in body.lower():
        problems += tuple(_raw_images_without_alt(body, first_line))
    return Rendered(html, links, problems)
