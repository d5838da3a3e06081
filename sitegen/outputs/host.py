"""Files that the hosts read, in every build: `.nojekyll` and `CNAME` for GitHub Pages, `_headers`
and `_redirects` for Netlify and Cloudflare Pages; and the security policy that `_headers` sends and
every page repeats in `<meta>` tags (GitHub Pages cannot send headers).

The Content-Security-Policy allows the site's own files, the theme's one inline `<style>` (by its
hash), and the other sites that the hub's content loads things from (an embedded video, an image
on another host): those are found in the content, so the policy follows what writers embed.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from ..checks import external_loads, normal_form
from ..content import Page
from ..model import Site
from ..urls import is_external
from . import Output

REFERRER_POLICY = "strict-origin-when-cross-origin"  # other sites see the hub's address, never the page's
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Hosts whose sites live on the host's own domain: no CNAME file for them.
PLATFORM_DOMAINS = ("github.io", "netlify.app", "pages.dev", "localhost", "127.0.0.1")
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


def security(site: Site) -> Policy:
    """The site's policy, made once per build (templates call this on every page)."""
    policy = site._cache.get("host.security")
    if policy is None:
        policy = site._cache["host.security"] = _make_policy(site)
    assert isinstance(policy, Policy)
    return policy


def _make_policy(site: Site) -> Policy:
    sources: dict[str, set[str]] = {d: set() for d in DIRECTIVES}
    loads_from: dict[str, list[Page]] = {}
    for page in sorted(site.by_url.values(), key=lambda p: p.url):
        for directive, address in content_loads(page):
            origin = source_of(address)
            if directive in sources:  # not "connect-src" (pings, preconnect): nothing to show, so not allowed
                sources[directive].add(origin)
            pages = loads_from.setdefault(origin, [])
            if page not in pages:
                pages.append(page)
    own = site.config.content_security_policy
    if own is not None:  # the hub wrote its own policy (or "" for none)
        return Policy(own, _without_frame_ancestors(own), loads_from=dict(sorted(loads_from.items())))
    style_hash = base64.b64encode(hashlib.sha256(brand_style(site.config.colour).encode()).digest()).decode()
    parts = [
        "default-src 'self'",
        " ".join(["img-src 'self' data:", *sorted(sources["img-src"])]),
        " ".join(["media-src 'self'", *sorted(sources["media-src"])]),
        " ".join([f"style-src 'self' 'sha256-{style_hash}'", *sorted(sources["style-src"])]),
        # Pagefind searches with WebAssembly, which needs 'wasm-unsafe-eval' (not 'unsafe-eval')
        " ".join(["script-src 'self'", *(["'wasm-unsafe-eval'"] if site.config.search else []), *sorted(sources["script-src"])]),
        " ".join(["frame-src", *sorted(sources["frame-src"])]) if sources["frame-src"] else "frame-src 'none'",
        " ".join(["object-src", *sorted(sources["object-src"])]) if sources["object-src"] else "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    meta = "; ".join(parts)
    return Policy(meta + "; frame-ancestors 'self'", meta, loads_from=dict(sorted(loads_from.items())))


def content_loads(page: Page) -> list[tuple[str, str]]:
    """(CSP directive, address) for what an item's own text and image fields load from other sites."""
    found = list(page.loads if page.loads is not None else body_loads(page.body_html))
    for name in ("image", "logo"):
        value = page.fields.get(name)
        if isinstance(value, str) and is_external(value) and urlsplit(value).netloc:
            found.append(("img-src", value))
    return found


@lru_cache(maxsize=1024)
def body_loads(html: str) -> tuple[tuple[str, str], ...]:
    """(CSP directive, address) for what an item's text loads from other sites."""
    if not any(word in html for word in ("src", "<link", "style=", "data=", "href=", "ping=", "background=")):
        return ()
    return tuple(external_loads(html))


def source_of(address: str) -> str:
    """A CSP source for an address: 'https://www.youtube-nocookie.com' (or the bare host for '//host/...')."""
    parts = urlsplit(normal_form(address))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else parts.netloc or address


def _without_frame_ancestors(policy: str) -> str:
    return "; ".join(p.strip() for p in policy.split(";") if p.strip() and not p.strip().startswith("frame-ancestors"))


def custom_domain(site: Site) -> str | None:
    """The domain for GitHub Pages' CNAME file: base_url's host, unless it is a host's own (github.io, ...)."""
    host = urlsplit(site.config.base_url).hostname
    if not host or any(host == d or host.endswith("." + d) for d in PLATFORM_DOMAINS):
        return None
    return host


def plan(site: Site, others: list[Output]) -> list[Output]:
    outputs = [
        Output("/.nojekyll", render=lambda o, s: b"", in_sitemap=False),  # GitHub Pages: publish as is, no Jekyll
        Output("/_headers", render=render_headers, in_sitemap=False, context={"paths": page_paths(others)}),
        Output("/_redirects", render=render_redirects, in_sitemap=False),
    ]
    if custom_domain(site):
        outputs.append(Output("/CNAME", render=lambda o, s: f"{custom_domain(s)}\n".encode(), in_sitemap=False))
    return outputs


def page_paths(outputs: list[Output]) -> list[str]:
    """The `_headers` paths that cover every HTML page: each top-level folder ('/news/*') and each
    page at the top ('/', '/404.html'). The editor's folder has its own policy (outputs/admin.py)."""
    paths = set()
    for output in outputs:
        first, _, rest = output.url.lstrip("/").partition("/")
        if rest or output.url.endswith("/"):
            paths.add(f"/{first}/*" if first else "/")
        elif output.url.endswith(".html"):
            paths.add(output.url)
    return sorted(paths)


def render_headers(output: Output, site: Site) -> bytes:
    """Netlify's and Cloudflare Pages' `_headers` file: every file gets the same referrer, type and
    permissions headers; the pages get the security policy (both hosts send every rule that matches a
    file, and two policies would both apply, so the editor's folder is left to its own)."""
    from .admin import csp as editor_policy

    policy = security(site)
    base = site.config.base_path
    lines = [f"{base}*", f"  Referrer-Policy: {policy.referrer}", "  X-Content-Type-Options: nosniff",
             f"  Permissions-Policy: {PERMISSIONS_POLICY}"]
    for path in output.context["paths"]:
        if path == "/admin/*":
            lines += [base + path[1:], f"  Content-Security-Policy: {editor_policy(site.config)}"]
        elif policy.header:
            lines += [base + path[1:], f"  Content-Security-Policy: {policy.header}"]
    return ("\n".join(lines) + "\n").encode()


def render_redirects(output: Output, site: Site) -> bytes:
    """Netlify's and Cloudflare Pages' `_redirects`: a real 301 for every alias (the HTML redirect
    pages do the same job on GitHub Pages)."""
    href = site.urls.href
    lines = [f"{href(old)} {href(new)} 301" for old, new in sorted(site.aliases.items())]
    return ("\n".join(lines) + "\n").encode() if lines else b""
