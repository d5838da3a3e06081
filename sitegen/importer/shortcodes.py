"""WordPress shortcodes in a post's text: the media ones become HTML the Markdown converter understands; any other is left
as it is written and named in the report.

Shortcodes are WordPress's own bracket syntax, not HTML, so they are found with WordPress's own rules (a name, attributes,
an optional closing [/name]) before the HTML goes to the converter."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

# [name attrs]...[/name] or [name attrs] or [name attrs /]; [[name]] is WordPress's way to write a shortcode as text.
_SHORTCODE = re.compile(r"\[(\[?)([a-zA-Z][\w-]*)(?![\w-])([^\]]*?)(/?)\](?:(.*?)\[/\2\])?(\]?)", re.S)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)""")
_LAST_TAG = re.compile(r"^(.*(?:</a>|<img[^>]*>))\s*(.*)$", re.S | re.I)
KNOWN = ("caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist")
MEDIA_EXTENSIONS = ("mp3", "m4a", "ogg", "wav", "wma", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov")


@dataclass(frozen=True)
class Attachment:
    url: str
    alt: str
    title: str


@dataclass
class Shortcodes:
    """What a body's shortcodes need: the export's attachments (for [gallery ids=...]) and the post's own."""

    attachments: dict[int, Attachment]
    children: list[int]  # the attachments whose parent is this post, in export order: [gallery] without ids shows them
    unknown: list[str]  # found and left as text: "[contact-form-7 id=...]"

    def expand(self, text: str) -> str:
        return _SHORTCODE.sub(self._one, text)

    def _one(self, match: re.Match[str]) -> str:
        if match[1] == "[" and match[6] == "]":  # [[caption]]: written out on purpose
            return match[0][1:-1]
        name, attrs, inner = match[2].lower(), parse_attrs(match[3]), match[5] or ""
        handler: Callable[[dict[str, str], str], str] | None = {
            "caption": _caption, "wp_caption": _caption, "embed": _embed, "audio": _media_link, "video": _media_link,
        }.get(name)
        if handler is not None:
            return match[1] + handler(attrs, inner) + match[6]
        if name == "gallery":
            return match[1] + self._gallery(attrs) + match[6]
        if name == "playlist":
            return match[1] + "<p><em>(A playlist of the old site was here: add links to its recordings.)</em></p>" + match[6]
        if _looks_like_shortcode(match):
            self.unknown.append(_short(match[0]))
        return match[0]

    def _gallery(self, attrs: dict[str, str]) -> str:
        ids = [int(i) for i in re.findall(r"\d+", attrs.get("ids", "") or attrs.get("include", ""))] or self.children
        shown = [self.attachments[i] for i in ids if i in self.attachments]
        if not shown:
            return "<p><em>(A gallery of the old site was here; its pictures are not in the export.)</em></p>"
        return "".join(f'<p><img src="{html.escape(a.url)}" alt="{html.escape(a.alt)}"></p>' for a in shown)


def parse_attrs(text: str) -> dict[str, str]:
    return {(m[1] or m[3] or m[5]).lower(): m[2] if m[1] else m[4] if m[3] else m[6] for m in _ATTR.finditer(text)}


def _caption(attrs: dict[str, str], inner: str) -> str:
    """[caption]<img ...> The caption[/caption]: the picture, then its caption in italics underneath."""
    found = _LAST_TAG.match(inner.strip())
    picture, words = (found[1], found[2].strip()) if found else (inner, "")
    words = words or attrs.get("caption", "")
    return f"<p>{picture}</p>" + (f"<p><em>{words}</em></p>" if words else "")


def _embed(attrs: dict[str, str], inner: str) -> str:
    url = (inner or attrs.get("src", "")).strip()
    return f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>' if url else ""


def _media_link(attrs: dict[str, str], inner: str) -> str:
    """[audio mp3="..."] and [video src="..."]: a link to the file, which a browser plays on its own."""
    url = attrs.get("src") or next((attrs[ext] for ext in MEDIA_EXTENSIONS if attrs.get(ext)), "")
    if not url:
        return "<p><em>(A recording of the old site was here; the export does not say which.)</em></p>"
    words = "Listen to the recording" if any(url.lower().endswith("." + e) for e in ("mp3", "m4a", "ogg", "wav", "wma")) else "Watch the video"
    return f'<p><a href="{html.escape(url)}">{words}</a></p>'


def _looks_like_shortcode(match: re.Match[str]) -> bool:
    """[contact-form-7 id="1"] or [tabs]...[/tabs] is a shortcode; [sic] or [1] in a sentence is not."""
    return bool(match[5] is not None or "=" in match[3] or "_" in match[2] or "-" in match[2])


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."
