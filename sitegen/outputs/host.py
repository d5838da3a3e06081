"""Files that the hosts read, in every build: `.nojekyll` and `CNAME` for GitHub Pages, `_headers`
and `_redirects` for Netlify and Cloudflare Pages; and the security policy that `_headers` sends and
every page repeats in `<meta>` tags (GitHub Pages cannot send headers).

The Content-Security-Policy allows the site's own files, the theme's one inline `<style>` (by its
hash), and the other sites that the hub's content loads things from (an embedded video, an image
on another host): those are found in the content, so the policy follows what writers embed.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from ..model.policy import PERMISSIONS_POLICY
from ..model.site import Site
from .output import Output

# Hosts whose sites live on the host's own domain: no CNAME file for them.
PLATFORM_DOMAINS = ("github.io", "netlify.app", "pages.dev", "localhost", "127.0.0.1")


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

    policy = site.security()
    base = site.config.base_path
    lines = [f"{base}*", f"  Referrer-Policy: {policy.referrer}", "  X-Content-Type-Options: nosniff",
             f"  Permissions-Policy: {PERMISSIONS_POLICY}"]
    for path in output.context["paths"]:
        if path == "/admin/*":
            lines += [host_path(site, path), f"  Content-Security-Policy: {editor_policy(site.config)}"]
        elif policy.header:
            lines += [host_path(site, path), f"  Content-Security-Policy: {policy.header}"]
    return ("\n".join(lines) + "\n").encode()


def host_path(site: Site, path: str) -> str:
    """A site path as one field of a host-file line: percent-encoded, so a space, a line break or
    another control character (an alias's, say) can never split the line or add a rule."""
    written = site.urls.href(path)
    return written if written.isprintable() and not any(c.isspace() for c in written) else quote(written, safe="/%*:")


def render_redirects(output: Output, site: Site) -> bytes:
    """Netlify's and Cloudflare Pages' `_redirects`: a real 301 for every alias (the HTML redirect
    pages do the same job on GitHub Pages)."""
    lines = [f"{host_path(site, old)} {host_path(site, new)} 301" for old, new in sorted(site.aliases.items())]
    return ("\n".join(lines) + "\n").encode() if lines else b""
