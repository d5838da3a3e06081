"""A post's HTML (classic editor or Gutenberg blocks) into Markdown, with markdownify.

Before conversion: block comments go, shortcodes are expanded (shortcodes.py), and a classic post's blank lines become
paragraphs, as WordPress's wpautop does when it shows the post. During conversion: pictures and files of the old site
point at their copies (media.py), links to imported items point at their new files, and players of other sites
(YouTube, Vimeo...) become links, so that a page loads nothing from another host."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from markdownify import MarkdownConverter

from .media import Media
from .shortcodes import Shortcodes

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->|<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.S)
_BLOCK_START = re.compile(r"<(?:p|div|h[1-6]|ul|ol|li|dl|table|thead|tbody|tr|blockquote|pre|figure|hr|address|form|iframe|"
                          r"section|article|aside|style|script|object|video|audio)\b", re.I)
_PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
_LONE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.M)
_EMBED_WRAPPER = re.compile(r'(<div class="wp-block-embed__wrapper">)\s*(https?://[^\s<>"]+)\s*(</div>)')


@dataclass
class Body:
    markdown: str
    notes: list[str] = field(default_factory=list)  # for the report: each a sentence about something a person should look at
    missing: list[str] = field(default_factory=list)  # uploads used and not found (their old addresses)


def to_markdown(content: str, shortcodes: Shortcodes, media: Media, link: Callable[[str], str | None]) -> Body:
    """`link(href)` gives the new file (relative to this one) of a link to an imported item, or None."""
    body = Body("")
    text = _BLOCK_COMMENT.sub("", content.replace("\r\n", "\n"))
    text = _EMBED_WRAPPER.sub(lambda m: f'{m[1]}<a href="{m[2]}">{m[2]}</a>{m[3]}', text)
    classic = "<!-- wp:" not in content
    if classic:
        text = _LONE_URL.sub(lambda m: f'<a href="{m[1]}">{m[1]}</a>', text)  # WordPress shows a URL alone on a line as its player
    unknown_before = len(shortcodes.unknown)
    text = shortcodes.expand(text)
    body.notes += [f"shortcode left as text: {s}" for s in shortcodes.unknown[unknown_before:]]
    if classic:
        text = autop(text)
    converter = _Converter(media, link, body)
    markdown = converter.convert(text)
    markdown = re.sub(r"(?<=\S)[ \t]*[ \t]{2}\n(?=[ \t]*\S)", "  \n", markdown)  # a line break (<br>): two spaces, CommonMark's
    markdown = re.sub(r"(?<=\S)[ \t]\n|[ \t]+\n(?![ \t]*\S)|^[ \t]+\n", "\n", markdown, flags=re.M)
    body.markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
    return body


def autop(text: str) -> str:
    """Blank lines separate paragraphs and a line break is a <br>, in a classic post (WordPress's wpautop, simply)."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match[0])
        return f"\x00{len(kept) - 1}\x00"

    text = _PRE.sub(keep, text)
    out = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk) or re.fullmatch(r"\x00\d+\x00", chunk):
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"\n(?!\s*<(?:/?(?:p|li|ul|ol|div)\b))", "<br>\n", chunk) + "</p>")
    return re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m[1])], "\n\n".join(out))


def plain_text(fragment: str) -> str:
    """An excerpt or a title with its HTML taken out: one line of text."""
    text = MarkdownConverter(escape_asterisks=False, escape_underscores=False).convert(fragment)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(text.replace("*", "").split())


_PLAYERS = {"youtube.com": "YouTube", "youtu.be": "YouTube", "vimeo.com": "Vimeo", "google.com": "Google", "soundcloud.com": "SoundCloud",
            "spotify.com": "Spotify", "twitter.com": "X (Twitter)", "x.com": "X (Twitter)", "facebook.com": "Facebook",
            "instagram.com": "Instagram", "flickr.com": "Flickr", "slideshare.net": "SlideShare"}


class _Converter(MarkdownConverter):
    def __init__(self, media: Media, link: Callable[[str], str | None], body: Body):
        super().__init__(heading_style="ATX", bullets="-", table_infer_header=True, newline_style="SPACES", escape_misc=False)
        self.media, self.link, self.body = media, link, body

    def _upload(self, url: str) -> tuple[str, bool | None]:
        """The address to write for `url`, and whether it is an upload copied in (True), one not found (False) or not one (None)."""
        rel = self.media.upload_path(url)
        if rel is not None:
            local = self.media.local(rel)
            if local is not None:
                return local, True
            if url not in self.body.missing:
                self.body.missing.append(url)
            return url, False
        return self.link(url) or url, None

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        src, alt = (el.attrs.get("src") or "").strip(), " ".join((el.attrs.get("alt") or "").split())
        if not src:
            return ""
        target, here = self._upload(src)
        if not here:  # not copied into the hub: a link, so that the page loads nothing from another host
            if here is None:
                self.body.notes.append(f"picture from another site, now a link: {src}")
            words = _brackets(f"Picture: {alt}" if alt else "Picture")
            return words if "a" in parent_tags else f"[{words}]({_destination(target)})"
        if not alt:
            self.body.notes.append(f"picture without a description, marked decorative: {src} (describe it, or keep it decorative)")
            return f"![]({_destination(target)}){{.decorative}}"
        return f"![{_brackets(alt)}]({_destination(target)})"

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        href = (el.get("href") or "").strip()
        if href and not href.startswith("#"):
            el["href"] = self._upload(href)[0]
        return str(super().convert_a(el, text, parent_tags))  # type: ignore[misc]  # made at run time by markdownify

    def convert_li(self, el: Any, text: str, parent_tags: set[str]) -> str:
        """A list item's further lines (a nested list) indented by four spaces, which every Markdown reads alike."""
        out = str(super().convert_li(el, text, parent_tags))  # type: ignore[misc]
        bullet = re.match(r"\S+ ", out)
        extra = " " * (4 - len(bullet[0])) if bullet and len(bullet[0]) < 4 else ""
        first, *rest = out.split("\n")
        return "\n".join([first, *(extra + line if line.strip() else line for line in rest)])

    def convert_iframe(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return self._player(el.attrs.get("src") or el.attrs.get("data-src") or "", el.attrs.get("title") or "")

    def convert_embed(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return self._player(el.attrs.get("src") or "", "")

    def convert_object(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return self._player(el.attrs.get("data") or "", "")

    def convert_video(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return self._media(el, "Watch the video")

    def convert_audio(self, el: Any, text: str, parent_tags: set[str]) -> str:
        return self._media(el, "Listen to the recording")

    def _media(self, el: Any, words: str) -> str:
        source = el.find("source", attrs={"src": True})
        src = el.attrs.get("src") or (source.attrs.get("src") if source is not None else "") or ""
        if not src:
            return ""
        return f"\n\n[{words}]({_destination(self._upload(src)[0])})\n\n"

    def _player(self, src: str, title: str) -> str:
        if not src:
            return ""
        url = watch_url(src)
        host = urlsplit(url).netloc.lower().removeprefix("www.").removeprefix("m.")
        name = next((n for h, n in _PLAYERS.items() if host == h or host.endswith("." + h)), host)
        self.body.notes.append(f"player of {name} now a link: {url}")
        words = f"{title} (on {name})" if title else f"Open it on {name}"
        return f"\n\n[{_brackets(words)}]({_destination(url)})\n\n"


def watch_url(src: str) -> str:
    """The page of an embedded player: youtube.com/embed/ID -> youtube.com/watch?v=ID, player.vimeo.com/video/N -> vimeo.com/N."""
    src = html.unescape(src.strip())
    if src.startswith("//"):
        src = "https:" + src
    parts = urlsplit(src)
    host = parts.netloc.lower()
    found = re.match(r"/embed/([\w-]+)", parts.path)
    if "youtube" in host and found:
        return f"https://www.youtube.com/watch?v={found[1]}"
    found = re.match(r"/video/(\d+)", parts.path)
    if host == "player.vimeo.com" and found:
        return f"https://vimeo.com/{found[1]}"
    if "youtube" in host and parts.path == "/watch":
        return f"https://www.youtube.com/watch?v={parse_qs(parts.query).get('v', [''])[0]}"
    return src


def relative_link(target: str, source: str) -> str:
    """The link from content file `source` to content file `target`, as a writer would type it."""
    return posixpath.relpath(target, posixpath.dirname(source))


def _destination(url: str) -> str:
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url


def _brackets(text: str) -> str:
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
