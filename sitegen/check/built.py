"""Checks of the built site itself, as a browser would meet it: every link and asset inside the
site leads to a file the build makes (under the base path), and nothing on a page is inline code
that the site's Content-Security-Policy would block. Nothing is fetched from other hosts."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

from ..core.errors import Problems

# (tag, attribute) pairs holding an address the browser follows or fetches.
LINKS = {("a", "href"), ("area", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("iframe", "src"),
         ("source", "src"), ("video", "src"), ("video", "poster"), ("audio", "src"), ("track", "src"), ("embed", "src"),
         ("object", "data"), ("form", "action"), ("input", "src")}


SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}  # others (JSON-LD) are data, not code


REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str]] = []  # (line, address)
        self.inline: list[tuple[int, str, str]] = []  # (line, what, text) for inline styles and scripts
        self._open: tuple[int, str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        a = {k: v or "" for k, v in attrs}
        for attr, value in a.items():
            if (tag, attr) in LINKS and value.strip():
                self.links.append((line, value.strip()))
            elif attr in ("srcset", "imagesrcset"):
                self.links += [(line, part.split()[0]) for part in value.split(",") if part.strip()]
            elif attr == "style":
                self.inline.append((line, "style attribute", value))
            elif attr.startswith("on"):
                self.inline.append((line, f"{attr} attribute", value))
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            found = REFRESH_URL.search(a.get("content", ""))
            if found:
                self.links.append((line, found.group(1).strip()))
        if tag == "style" or (tag == "script" and "src" not in a and a.get("type", "").lower() in SCRIPT_TYPES):
            self._open, self._text = (line, f"<{tag}>", tag), []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[2]:
            self.inline.append((self._open[0], self._open[1], "".join(self._text)))
            self._open = None


def check_output(files: dict[str, bytes | None], base_path: str, origin: str, policy: str, sources: dict[str, str],
                 problems: Problems) -> int:
    """Follow every link in the built files (output path -> bytes, or None for a copied file that is
    not HTML or CSS). Broken links are errors; inline code the policy blocks is a warning.
    Returns how many links were followed."""
    followed = 0
    own = origin + base_path if origin else None
    hashes = set(re.findall(r"'(sha256-[A-Za-z0-9+/=]+)'", policy))
    unsafe_inline = "'unsafe-inline'" in policy
    for rel, data in sorted(files.items()):
        if data is None or not rel.endswith((".html", ".css")):
            continue
        text = data.decode("utf-8", "replace")
        where = sources.get(rel, rel)
        page_url = base_path + rel
        if rel.endswith(".css"):
            links = [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in CSS_URL.finditer(text)]
            inline: list[tuple[int, str, str]] = []
        else:
            parser = _Page()
            parser.feed(text)
            links, inline = parser.links, parser.inline
        for line, address in links:
            path = _site_path(address, page_url, own)
            if path is None:
                continue
            followed += 1
            if not path.startswith(base_path):
                problems.error(where, None, f"/{rel} line {line}: {address} leads outside the site's base path {base_path}")
            elif not _exists(path[len(base_path):], files):
                problems.error(where, None, f"/{rel} line {line}: {address} leads to nothing on the site")
        if policy and not unsafe_inline:
            for line, what, code in inline:
                digest = "sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
                if what.endswith("attribute") or digest not in hashes:
                    problems.warn(where, None, f"/{rel} line {line}: an inline {what} that the site's Content-Security-Policy blocks; "
                                  "move it into a file in static/, or set content_security_policy in site.yaml")
    return followed


def _site_path(address: str, page_url: str, own: str | None) -> str | None:
    """The path an address leads to on this site, or None for other sites, mail, fragments and data."""
    if own and address.startswith(own):  # a full address of this site (canonical links, share cards)
        address = address[len(own) - len(urlsplit(own).path):]
    parts = urlsplit(address)
    if parts.scheme or parts.netloc or address.startswith("#") or not parts.path and not parts.query:
        return None
    return unquote(urlsplit(urljoin(page_url, address)).path)


def _exists(rel: str, files: dict[str, bytes | None]) -> bool:
    """Would a static host serve something at this path? (a folder serves its index.html)"""
    if rel == "" or rel.endswith("/"):
        return rel + "index.html" in files
    return rel in files or rel + "/index.html" in files
