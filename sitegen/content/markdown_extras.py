"""What sitegen adds to the CommonMark engine's HTML, as Python-Markdown's extensions did before.

Each step is a pass over the HTML (or, for two, the text) and costs nothing when its syntax is absent:
  heading_ids     every heading gets an id, made as Python-Markdown's toc made it: in-page links keep working;
                  a paragraph holding only [TOC] becomes the list of headings
  footnotes       the engine writes each note where it is defined: gathered at the end, numbered, with a way back
  attributes      {.decorative} / {#id .class key=value} just after an image or a link
  abbreviations   *[ABBR]: full form  lines; ABBR in the text becomes <abbr title="full form">
  admonitions     !!! note "Title"  boxes, for hubs that named `admonition` in markdown_extensions
  spaced_addresses  [the plan](Year 6 plan.pdf): an address with spaces, as people write it, put in <...>
"""

from __future__ import annotations

import bisect
import html as htmllib
import itertools
import re
import unicodedata

import pyromark

_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_ID = re.compile(r'\sid="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")


def _slug(text: str) -> str:
    """Python-Markdown's toc slugify: `Q&A: Year 6 (2026)` -> `qa-year-6-2026`."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def _unique(base: str, used: set[str]) -> str:
    """`base`, or `base_1`, `base_2`... when taken (and `_1` for a heading with no text), as toc did."""
    found, count = base, 0
    while found in used or not found:
        count += 1
        found = f"{base}_{count}"
    used.add(found)
    return found


def heading_text(inner_html: str) -> str:
    without_notes = re.sub(r'<sup class="footnote-reference">.*?</sup>', "", inner_html)
    return htmllib.unescape(" ".join(_TAG.sub("", without_notes).split()))


def heading_ids(html: str) -> str:
    if "<h" not in html:
        return html
    used = set(_ID.findall(html))
    toc: list[tuple[int, str, str]] = []

    def give_id(match: re.Match[str]) -> str:
        level, attrs, inner = match.groups()
        given = _ID.search(attrs)
        heading_id = given.group(1) if given else _unique(_slug(heading_text(inner)), used)
        toc.append((int(level), heading_id, " ".join(_TAG.sub("", inner).split())))
        if given:
            return match.group(0)
        return f'<h{level} id="{heading_id}"{attrs}>{inner}</h{level}>'

    html = _HEADING.sub(give_id, html)
    if "<p>[TOC]</p>" in html:
        html = html.replace("<p>[TOC]</p>", _toc(toc))
    return html


def _toc(headings: list[tuple[int, str, str]]) -> str:
    """The headings as nested lists, as toc's [TOC] made them."""
    out, levels = ['<div class="toc">'], list[int]()
    for level, heading_id, text in headings:
        while levels and levels[-1] > level:
            out.append("</li>\n</ul>")
            levels.pop()
        if levels and levels[-1] == level:
            out.append("</li>")
        else:
            out.append("<ul>")
            levels.append(level)
        out.append(f'<li><a href="#{heading_id}">{text}</a>')
    out.extend("</li>\n</ul>" for _ in levels)
    return "\n".join([*out, "</div>"])


_NOTE_REF = re.compile(r'<sup class="footnote-reference"><a href="#([^"]*)">(\d+)</a></sup>')
_NOTE_START = re.compile(r'<div class="footnote-definition" id="([^"]*)"><sup class="footnote-definition-label">(\d+)</sup>\n?')
_DIV = re.compile(r"<div\b|</div>", re.I)


def footnotes(html: str) -> str:
    """Notes gathered into one list at the end, each with a link back to where it is referred to, in
    Python-Markdown's form (ids fn:NAME and fnref:NAME, the theme's .footnote style)."""
    notes: dict[str, tuple[int, str]] = {}  # name -> (number, the note's HTML)
    kept, at = [], 0
    for start in _NOTE_START.finditer(html):
        if start.start() < at:
            continue  # a note inside a note: left where it is
        end = _div_end(html, start.end())
        if end is None:
            continue
        kept.append(html[at:start.start()])
        notes[start.group(1)] = (int(start.group(2)), html[start.end():end].strip())
        at = end + len("</div>\n") if html.startswith("</div>\n", end) else end + len("</div>")
    if not notes:
        return html
    kept.append(html[at:])
    seen: set[str] = set()

    def reference(match: re.Match[str]) -> str:
        name, number = match.groups()
        ref_id = f' id="fnref:{name}"' if name not in seen else ""
        seen.add(name)
        return f'<sup{ref_id}><a class="footnote-ref" href="#fn:{name}">{number}</a></sup>'

    body = _NOTE_REF.sub(reference, "".join(kept))
    items = []
    for name, (_number, note) in sorted(notes.items(), key=lambda kv: kv[1][0]):
        back = f'&#160;<a class="footnote-backref" href="#fnref:{name}" title="Back to the text">&#8617;</a>' if name in seen else ""
        if back and note.endswith("</p>"):
            note = note[: -len("</p>")] + back + "</p>"
        elif back:
            note += back
        items.append(f'<li id="fn:{name}">\n{note}\n</li>')
    return body + '<div class="footnote">\n<hr />\n<ol>\n' + "\n".join(items) + "\n</ol>\n</div>\n"


def _div_end(html: str, start: int) -> int | None:
    """Where the <div> opened just before `start` closes, or None when it is not closed."""
    depth = 1
    for tag in _DIV.finditer(html, start):
        depth += 1 if tag.group(0).lower() == "<div" else -1
        if depth == 0:
            return tag.start()
    return None


# {.decorative}, {: #id .class key="value"} just after an image or a link, as Python-Markdown's attr_list read it
_AFTER_IMAGE = re.compile(r'(<img\b[^>]*?)\s*/?>\{:?([^{}<>\n]*)\}')
_AFTER_LINK = re.compile(r'(<a\b[^>]*)>((?:(?!</?a\b).)*)</a>\{:?([^{}<>\n]*)\}', re.S)
_ATTR = re.compile(r"""([#.][\w-]+)|([\w-]+)=(?:"([^"]*)"|'([^']*)'|(\S+))""")


def _with_attributes(tag: str, written: str) -> str | None:
    """`tag` (an opening tag without its '>') with the attributes of `written`, or None when it is not a list of them."""
    if not written.strip() or _ATTR.sub("", written).strip():
        return None
    classes = re.search(r'\sclass="([^"]*)"', tag)
    names = classes.group(1).split() if classes else []
    tag = _ID.sub("", tag) if "#" in written else tag
    for match in _ATTR.finditer(written):
        short, key = match.group(1), match.group(2)
        if short and short[0] == ".":
            names.append(short[1:])
        elif short:
            tag += f' id="{htmllib.escape(short[1:])}"'
        else:
            value = next((g for g in match.groups()[2:] if g is not None), "")
            tag = re.sub(rf'\s{re.escape(key)}="[^"]*"', "", tag) + f' {key}="{htmllib.escape(value)}"'
    tag = re.sub(r'\sclass="[^"]*"', "", tag)
    if "decorative" in names:
        tag = re.sub(r'\salt="[^"]*"', ' alt=""', tag)
    return tag + (f' class="{htmllib.escape(" ".join(names))}"' if names else "")


def attributes(html: str) -> str:
    def image(match: re.Match[str]) -> str:
        tag = _with_attributes(match.group(1), match.group(2))
        return match.group(0) if tag is None else tag + " />"

    def link(match: re.Match[str]) -> str:
        tag = _with_attributes(match.group(1), match.group(3))
        return match.group(0) if tag is None else f"{tag}>{match.group(2)}</a>"

    if "<img" in html:
        html = _AFTER_IMAGE.sub(image, html)
    if "</a>{" in html:
        html = _AFTER_LINK.sub(link, html)
    return html


_ABBR_LINE = re.compile(r"^\*\[([^\]\n]+)\]:[ \t]*(.*)$", re.M)


def take_abbreviations(text: str) -> tuple[str, dict[str, str]]:
    """The text without its `*[ABBR]: full form` lines (blank lines keep the line numbers), and those definitions."""
    if "*[" not in text:
        return text, {}
    found = {m.group(1).strip(): m.group(2).strip() for m in _ABBR_LINE.finditer(text)}
    return _ABBR_LINE.sub("", text), found


def abbreviate(html: str, abbreviations: dict[str, str]) -> str:
    """Each abbreviation, as a whole word in the text (not in code), wrapped in <abbr title="...">."""
    words = re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in sorted(abbreviations, key=len, reverse=True)) + r")(?!\w)")
    out, in_code = [], 0
    for part in re.split(r"(<[^>]*>)", html):
        if part.startswith("<"):
            if re.match(r"<(code|pre)\b", part):
                in_code += 1
            elif re.match(r"</(code|pre)>", part):
                in_code = max(0, in_code - 1)
            out.append(part)
        elif in_code:
            out.append(part)
        else:
            out.append(words.sub(lambda m: f'<abbr title="{htmllib.escape(abbreviations[m.group(1)])}">{m.group(1)}</abbr>', part))
    return "".join(out)


_ADMONITION = re.compile(r'^!!![ \t]+([\w-]+)(?:[ \t]+"([^"\n]*)")?[ \t]*$')


def admonitions(text: str) -> str:
    """`!!! note "Title"` and the lines indented under it become a box, as Python-Markdown's admonition made it."""
    lines, out, i = text.split("\n"), [], 0
    while i < len(lines):
        match = _ADMONITION.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        kind, title = match.group(1), match.group(2)
        title = kind.capitalize() if title is None else title
        head = f'<div class="admonition {htmllib.escape(kind.lower())}">'
        out += [head + (f'\n<p class="admonition-title">{htmllib.escape(title)}</p>' if title else ""), ""]
        i += 1
        while i < len(lines) and (lines[i].startswith(("    ", "\t")) or not lines[i].strip()):
            out.append(lines[i][4:] if lines[i].startswith("    ") else lines[i][1:])
            i += 1
        while out and not out[-1].strip():
            out.pop()
        out += ["", "</div>", ""]
    return "\n".join(out)


# `](...)` on one line, with one level of parentheses inside (`photo (1).jpg`)
_LINK_END = re.compile(r"\]\(((?:[^()\n]|\([^()\n]*\))*)\)")
# what CommonMark reads as it is: an address without spaces, and perhaps a title
_AS_IS = re.compile(r"""\S+(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?""")
_TITLED = re.compile(r"""(.+?)\s+("[^"]*"|'[^']*')""")
# what the engine leaves as it is: code, and HTML
_UNTOUCHED = ("Code", "Html", "InlineHtml")


def _in_brackets(inner: str) -> str | None:
    """The text between a link's parentheses with its address in <...>, or None when it needs no change."""
    written = inner.strip()
    if written.startswith("<") or not re.search(r"\s", written) or _AS_IS.fullmatch(written):
        return None
    titled = _TITLED.fullmatch(written)
    address, title = (titled.group(1), " " + titled.group(2)) if titled else (written, "")
    if re.search(r"""\s(?:["']|&\w+;|&#)""", address):
        return None  # a title with no closing quote (or quotes written as &quot;): not an address
    return "<" + address.replace("<", "\\<").replace(">", "\\>") + ">" + title


def _untouched_spans(text: str, options: pyromark.Options) -> list[tuple[int, int]]:
    """(start, end) in UTF-8 bytes of the code spans, code blocks and HTML in the text."""
    spans = []
    for event, where in pyromark.events_with_range(text, options=options):
        if not isinstance(event, dict):
            continue  # SoftBreak, Rule...
        start = event.get("Start")
        if any(key in event for key in _UNTOUCHED) or start == "HtmlBlock" or (isinstance(start, dict) and "CodeBlock" in start):
            spans.append((where["start"], where["end"]))
    return spans


def spaced_addresses(text: str, options: pyromark.Options) -> str:
    """`[the plan](Year 6 plan.pdf)` and `![a photo](my photo.jpg)` with the address in <...>, which CommonMark needs
    for spaces (on the same line: line numbers hold). Not in code, and not `(address "title")`."""
    found = [(m, bracketed) for m in _LINK_END.finditer(text) if (bracketed := _in_brackets(m.group(1))) is not None]
    if not found:
        return text
    untouched = sorted(_untouched_spans(text, options))
    starts = [s for s, _ in untouched]
    reach = list(itertools.accumulate((e for _, e in untouched), max))  # the furthest end of the spans so far
    out, at, at_byte = [], 0, 0
    for match, bracketed in found:
        start = at_byte + len(text[at:match.start()].encode())
        end = start + len(match.group(0).encode())
        before = bisect.bisect_left(starts, end)  # the spans that start before this link's end
        if before and reach[before - 1] > start:
            continue  # in code or HTML
        at_byte = end
        out += [text[at:match.start()], "](", bracketed, ")"]
        at = match.end()
    return "".join(out) + text[at:]
