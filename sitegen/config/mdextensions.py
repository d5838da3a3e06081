"""site.yaml's `markdown_extensions`: the names of Python-Markdown extensions, which sitegen used to read
Markdown with, mapped to what the CommonMark engine (content/markdown.py) does now.

Most are always on; `admonition` (`!!! note` boxes) and `smarty` (curly quotes, dashes) are on when named.
Any other name is an error saying what to write instead: extensions are no longer code that runs.
"""

from __future__ import annotations

# always on: what Python-Markdown needed these for, the engine does (docs/writing.md, "Markdown")
DEFAULT_MARKDOWN_EXTENSIONS = ("tables", "footnotes", "attr_list", "fenced_code", "toc", "sane_lists", "def_list", "abbr")
ON_WHEN_NAMED = ("admonition", "smarty")
_ALSO_ACCEPTED = ("extra", "md_in_html")  # extra = the defaults above; HTML blocks hold Markdown after a blank line

_INSTEAD = {
    "nl2br": "end a line with a backslash (\\) where it should break (what the editor's Shift+Enter writes)",
    "codehilite": "code blocks are published without colours",
    "meta": "put the page's details in its front matter (the part between the --- lines)",
    "wikilinks": "link to the file as it is on disk, e.g. [the toolkit](../resources/toolkit.md)",
    "legacy_attrs": "use {#id .class} after a heading, a link or an image",
    "legacy_em": "underscores inside words no longer make emphasis; write *text* for emphasis",
}


def canonical(name: str) -> str:
    """`markdown.extensions.toc` and `toc` name the same extension."""
    return name.removeprefix("markdown.extensions.")


def extension_problem(name: str) -> str | None:
    """Why `name` cannot be used any more (with what to write instead), or None."""
    short = canonical(name)
    if short in DEFAULT_MARKDOWN_EXTENSIONS or short in ON_WHEN_NAMED or short in _ALSO_ACCEPTED:
        return None
    instead = _INSTEAD.get(short, "docs/writing.md ('Markdown') says what to write instead")
    return (f"is not an extension sitegen has: it reads Markdown as CommonMark with GitHub's extensions, as the "
            f"editor and github.com do, and needs only admonition or smarty named here; remove it: {instead}")


def chosen(names: list[str]) -> tuple[str, ...]:
    """The defaults and the named extensions sitegen acts on, each once."""
    named = tuple(dict.fromkeys(canonical(n) for n in names if canonical(n) in ON_WHEN_NAMED))
    return DEFAULT_MARKDOWN_EXTENSIONS + named
