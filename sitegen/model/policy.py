"""The site's security policy: what its pages load from other sites, and the Content-Security-Policy that allows exactly that."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..config.siteyaml import Config
from ..content.page import Page
from ..core.loads import body_loads, normal_form
from ..core.urls import is_external

REFERRER_POLICY = "strict-origin-when-cross-origin"  # other sites see the hub's address, never the page's


PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


# The directives the policy sets; each starts from the site's own origin ('self') unless noted.
DIRECTIVES = ("default-src", "img-src", "media-src", "style-src", "script-src", "frame-src", "object-src")


def brand_style(colour: str) -> str:
    """The text of the theme's one inline <style> (base.html), whose hash the policy allows."""
    return f":root {{ --brand: {colour}; }}"


@dataclass(frozen=True)
class Policy:
    """What pages may load, and which other sites the hub's pages load from."""

    header: str  # the Content-Security-Policy header
    meta: str  # the same without frame-ancestors, which browsers ignore in a <meta> tag
    referrer: str = REFERRER_POLICY
    loads_from: dict[str, list[Page]] = field(default_factory=dict)  # other site -> the pages that load from it


def make_policy(pages: Iterable[Page], config: Config) -> Policy:
    """The policy of a site of these items and settings (Site.security keeps it for the build)."""
    sources: dict[str, set[str]] = {d: set() for d in DIRECTIVES}
    loads_from: dict[str, list[Page]] = {}
    for page in sorted(pages, key=lambda p: p.url):
        for directive, address in content_loads(page, config):
            origin = source_of(address)
            if directive in sources:  # not "connect-src" (pings, preconnect): nothing to show, so not allowed
                sources[directive].add(origin)
            pages = loads_from.setdefault(origin, [])
            if page not in pages:
                pages.append(page)
    own = config.content_security_policy
    if own is not None:  # the hub wrote its own policy (or "" for none)
        return Policy(own, _without_frame_ancestors(own), loads_from=dict(sorted(loads_from.items())))
    style_hash = base64.b64encode(hashlib.sha256(brand_style(config.colour).encode()).digest()).decode()
    parts = [
        "default-src 'self'",
        " ".join(["img-src 'self' data:", *sorted(sources["img-src"])]),
        " ".join(["media-src 'self'", *sorted(sources["media-src"])]),
        " ".join([f"style-src 'self' 'sha256-{style_hash}'", *sorted(sources["style-src"])]),
        # Pagefind searches with WebAssembly, which needs 'wasm-unsafe-eval' (not 'unsafe-eval')
        " ".join(["script-src 'self'", *(["'wasm-unsafe-eval'"] if config.search else []), *sorted(sources["script-src"])]),
        " ".join(["frame-src", *sorted(sources["frame-src"])]) if sources["frame-src"] else "frame-src 'none'",
        " ".join(["object-src", *sorted(sources["object-src"])]) if sources["object-src"] else "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    meta = "; ".join(parts)
    return Policy(meta + "; frame-ancestors 'self'", meta, loads_from=dict(sorted(loads_from.items())))


def content_loads(page: Page, config: Config) -> list[tuple[str, str]]:
    """(CSP directive, address) for what an item's own text and picture fields (every field of type
    image, a hub's own kinds' included) load from other sites."""
    found = list(page.loads if page.loads is not None else body_loads(page.body_html))
    kind = config.schema.get("pages" if page.kind == "home" else page.kind)
    for field_ in kind.fields if kind else ():
        if field_.type != "image":
            continue
        values = page.fields.get(field_.name)
        for value in values if isinstance(values, (list, tuple)) else (values,):
            if isinstance(value, str) and is_external(value) and urlsplit(value).netloc:
                found.append(("img-src", value))
    return found


def source_of(address: str) -> str:
    """A CSP source for an address: 'https://www.youtube-nocookie.com' (or the bare host for '//host/...')."""
    parts = urlsplit(normal_form(address))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else parts.netloc or address


def _without_frame_ancestors(policy: str) -> str:
    return "; ".join(p.strip() for p in policy.split(";") if p.strip() and not p.strip().startswith("frame-ancestors"))
