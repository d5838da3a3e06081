"""What `sitegen check` looks at beyond a build: what pages load from elsewhere, scripts and
frames in the text, and whether the accessibility statement has been reviewed lately."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from . import images
from .content import Page
from .errors import Problems
from .model import Site
from .urls import output_file

# (tag, attribute) pairs whose address the browser fetches by itself when the page loads.
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
# Attributes holding an address a click or the page itself follows (where `javascript:` would run).
C0_AND_SPACE = "".join(chr(c) for c in range(0x21))
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite"}


# The Content-Security-Policy directive that governs each kind of load (see outputs/host.py).
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


def check_site(site: Site, rendered: list[tuple[str, bytes]], pictures: images.Pictures | None = None) -> Problems:
    problems = Problems()
    pictures = pictures or images.Pictures()
    sources = {output_file(p.url): p for p in site.by_url.values()}
    oversized: dict[str, tuple[int, str]] = {}  # picture -> (the narrowest it is shown, on which page)
    for rel, data in rendered:
        if not rel.endswith(".html"):
            continue
        html = data.decode("utf-8", "replace")
        for address in sorted(set(external_resources(html))):
            page = sources.get(rel)
            where = page.source if page else None
            problems.warn(where, None, f"{'/' + rel} loads {address} from another site (a request that visitors' browsers make to a third party)")
        for url, shown in images.shown_too_small(html, pictures):
            if url not in oversized or shown < oversized[url][0]:
                oversized[url] = (shown, "/" + rel)
    for url, (shown, where) in sorted(oversized.items()):
        picture = pictures.rasters[url]
        problems.warn(picture.source, None, f"is {picture.width} px wide but shown {shown} px wide (on {where}): "
                      f"visitors download far more than they see; make a copy about {shown * 2} px wide and use that")
    for picture in pictures.rasters.values():
        if picture.size > images.LARGE_BYTES or picture.width * picture.height > images.LARGE_PIXELS:
            problems.warn(picture.source, None, f"is a very large original ({picture.width} x {picture.height} px, {images.human_size(picture.size)}): "
                          "sitegen publishes smaller copies, but the full-size file is published too and slows every build; "
                          "2000 px wide is plenty for a website")
    for page in site.by_url.values():
        _raw_html(page, problems)
    _accessibility_statement(site, problems)
    _privacy_notice(site, problems)
    _event_changes(site, problems)
    return problems


class _Active(HTMLParser):
    """What in a page's text runs code or sends the visitor elsewhere by itself."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, None] = {}  # the messages, in the order met, once each

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for attr, value in attrs:
            if attr.startswith("on"):
                self.found[f"the text contains an {attr}= attribute (on a <{tag}>): it runs code in visitors' browsers; "
                           "make sure it is meant to be there"] = None
            elif attr in URL_ATTRIBUTES and value and runs_code(value):
                self.found[f"the text contains a {browser_form(value).split(':', 1)[0].lower()}: address ({attr}=\"{value[:40]}\" "
                           f"on a <{tag}>): it runs code in visitors' browsers; make sure it is meant to be there"] = None
        if tag == "base":
            self.found["the text contains a <base>: it changes where every link on the page leads; remove it"] = None
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.found["the text contains a <meta http-equiv=\"refresh\">: it sends visitors to another address by itself; "
                       "write a link instead (or 'aliases:' on the page that moved)"] = None


def _raw_html(page: Page, problems: Problems) -> None:
    for tag in ("script", "iframe", "object", "embed"):
        if f"<{tag}" in page.body_html.lower():
            problems.warn(page.source, None, f"the text contains a <{tag}>: it runs or shows something from elsewhere; make sure it is meant to be there")
    active = _Active()
    active.feed(page.body_html)
    for message in active.found:
        problems.warn(page.source, None, message)


def _accessibility_statement(site: Site, problems: Problems) -> None:
    page = site.by_url.get("/accessibility/")
    if page is None:  # the theme's statement, filled in from site.yaml's `accessibility:`
        facts = site.config.accessibility
        missing = [key for key in ("status", "prepared", "reviewed") if not facts.get(key)]
        if missing:
            problems.warn("site.yaml", None, f"accessibility: the standard accessibility statement lacks your hub's {', '.join(missing)}; add them "
                          "(e.g. 'accessibility: {status: partially, prepared: 2026-09-01, reviewed: 2026-09-01}') or write content/accessibility.md")
        reviewed = facts.get("reviewed")
        if reviewed and site.now.date() - reviewed > dt.timedelta(days=365):
            problems.warn("site.yaml", None,
                          f"accessibility: reviewed {reviewed.isoformat()} is over a year ago; check the statement again and update the date")
        return
    reviewed = page.fields.get("reviewed")
    if reviewed is None:
        problems.warn(page.source, 1, "reviewed: missing; add the date you last checked this statement, e.g. 'reviewed: 2026-09-01'")
    elif site.now.date() - page.sort_date("reviewed") > dt.timedelta(days=365):
        problems.warn(page.source, page.line_of("reviewed"),
                      f"reviewed: {reviewed.isoformat()} is over a year ago; check the statement again and update the date")


def _privacy_notice(site: Site, problems: Problems) -> None:
    if "/privacy/" not in site.by_url:
        problems.warn("content/privacy.md", None, "does not exist: the site shows sitegen's standard privacy notice; "
                      "read it at /privacy/ and write your own if it is not true for your hub")


def _event_changes(site: Site, problems: Problems) -> None:
    for event in site.events:
        if (event.fields.get("status") or "scheduled") != "scheduled" and not event.fields.get("updated"):
            problems.warn(event.source, event.line_of("status"), f"status: {event.fields['status']}, but no 'updated:' date; add the date of the "
                          "change (e.g. 'updated: 2026-11-20') so that calendar apps which imported the event replace it")
