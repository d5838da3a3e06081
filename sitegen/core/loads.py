"""What a page's HTML loads from other sites (scripts, frames, pictures, styles), and whether it runs code."""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser


@lru_cache(maxsize=1024)
def body_loads(html: str) -> tuple[tuple[str, str], ...]:
    """(CSP directive, address) for what an item's text loads from other sites."""
    if not any(word in html for word in ("src", "<link", "style=", "data=", "href=", "ping=", "background=")):
        return ()
    return tuple(external_loads(html))


# (tag, attribute) pairs whose address the browser fetches by itself when the page loads.
C0_AND_SPACE = "".join(chr(c) for c in range(0x21))

LOADED = {("script", "src"), ("img", "src"), ("iframe", "src"), ("frame", "src"), ("source", "src"), ("video", "src"),
          ("video", "poster"), ("audio", "src"), ("embed", "src"), ("object", "data"), ("track", "src"), ("input", "src"),
          ("image", "href"), ("image", "xlink:href"), ("use", "href"), ("use", "xlink:href"), ("feimage", "href"),
          ("feimage", "xlink:href"), ("body", "background"), ("table", "background"), ("td", "background")}


# Links that make the browser fetch, or look up another host's name, before anyone clicks.
LOADED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon", "prefetch", "preconnect",
                "dns-prefetch", "prerender"}


CONNECT_ONLY = {"preconnect", "dns-prefetch", "prerender"}


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")


IMAGE_SET = re.compile(r"image-set\(([^)]*)\)", re.IGNORECASE)  # image-set("a.png" 1x, "b.png" 2x) loads without url()


QUOTED = re.compile(r"""['"]([^'"]+)['"]""")


# Schemes whose addresses browsers read as host and path even without "//" ("https:evil.example/x").
SPECIAL_SCHEMES = ("http", "https", "ws", "wss", "ftp")


SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite"}


# The Content-Security-Policy directive that governs each kind of load (see model/policy.py).
DIRECTIVE = {"script": "script-src", "iframe": "frame-src", "frame": "frame-src", "video": "media-src", "audio": "media-src",
             "source": "media-src", "track": "media-src", "embed": "object-src", "object": "object-src"}


def css_addresses(css: str) -> list[str]:
    """The addresses a piece of CSS loads: url(...), @import "..." and image-set("...")."""
    found = [m[0] or m[1] for m in CSS_URL.findall(css)]
    for inner in IMAGE_SET.findall(css):
        found += QUOTED.findall(inner)
    return found


def browser_form(address: str) -> str:
    """The address as a browser reads it: no spaces around it, tabs and line breaks inside it
    dropped, backslashes read as slashes."""
    return re.sub(r"[\t\n\r]", "", address).strip(C0_AND_SPACE).replace("\\", "/")


def other_host(address: str) -> bool:
    """Does the browser go to another host for this address? "//host/x", "\\\\host\\x" and
    "https:host/x" do as surely as "https://host/x"."""
    address = browser_form(address)
    scheme = SCHEME.match(address)
    if scheme:
        return scheme.group(1).lower() in SPECIAL_SCHEMES
    return address.startswith("//")


def normal_form(address: str) -> str:
    """The address as the browser goes to it: "https:host/x" and "\\\\host\\x" written as "https://host/x" and "//host/x"."""
    address = browser_form(address)
    scheme = SCHEME.match(address)
    if scheme and scheme.group(1).lower() in SPECIAL_SCHEMES and not address[scheme.end():].startswith("//"):
        return f"{scheme.group(1)}://{address[scheme.end():].lstrip('/')}"
    return address


def runs_code(address: str) -> bool:
    return browser_form(address).lower().startswith(("javascript:", "vbscript:"))


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.directives: list[str] = []  # the CSP directive of each address in `found`
        self._in_style = False

    def _add(self, directive: str, *addresses: str) -> None:
        self.found += addresses
        self.directives += [directive] * len(addresses)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for attr, value in a.items():
            if (tag, attr) in LOADED and value:
                self._add("img-src" if attr == "poster" else DIRECTIVE.get(tag, "img-src"), value)
            if attr in ("srcset", "imagesrcset"):
                self._add("img-src", *[part.split()[0] for part in value.split(",") if part.strip()])
            if attr == "style":
                self._add("img-src", *css_addresses(value))
            if attr == "ping":  # a request to each of these addresses whenever the link is followed
                self._add("connect-src", *value.split())
        if tag == "link" and set(a.get("rel", "").lower().split()) & LOADED_LINKS and a.get("href"):
            rel = a.get("rel", "").lower().split()
            # preconnect and the like show nothing: named, but never allowed by the policy ("connect-src" is not widened)
            self._add("style-src" if "stylesheet" in rel else "script-src" if "modulepreload" in rel
                      else "connect-src" if set(rel) & CONNECT_ONLY else "img-src", a["href"])
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._add("img-src", *css_addresses(data))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


def external_resources(html: str) -> list[str]:
    """Addresses on other hosts that a page makes the browser fetch (not links a person follows)."""
    return [address for _, address in external_loads(html)]


def external_loads(html: str) -> list[tuple[str, str]]:
    """(CSP directive, address) for each address on another host that a page makes the browser fetch."""
    parser = _Loads()
    parser.feed(html)
    return [(d, u) for d, u in zip(parser.directives, parser.found, strict=True) if other_host(u)]
