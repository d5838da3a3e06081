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
    permissions headers, and a policy that lets no inline script run (an SVG in static/ opened on its
    own is a document on the site's address); the pages get the security policy, and the editor's
    folder its own, which no other site may frame.

    Both hosts send every rule that matches a file, and two policies both apply (a browser enforces
    each), so the policy for every file allows the scripts of the pages' and the editor's policies
    together: each page ends up with exactly its own. GitHub Pages sends no headers: there the
    build's refusal of active SVG (media/svg.py) is what holds."""
    from .admin import csp as editor_policy

    policy = site.security()
    base = site.config.base_path
    editor = f"{editor_policy(site.config)}; frame-ancestors 'none'"
    lines = [f"{base}*", f"  Referrer-Policy: {policy.referrer}", "  X-Content-Type-Options: nosniff",
             f"  Permissions-Policy: {PERMISSIONS_POLICY}"]
    every_file = files_policy(policy.header, *([editor] if "/admin/*" in output.context["paths"] else []))
    if every_file:
        lines.append(f"  Content-Security-Policy: {every_file}")
    for path in output.context["paths"]:
        if path == "/admin/*":
            lines += [host_path(site, path), f"  Content-Security-Policy: {editor}", "  X-Frame-Options: DENY"]
        elif policy.header:
            lines += [host_path(site, path), f"  Content-Security-Policy: {policy.header}"]
    return ("\n".join(lines) + "\n").encode()


def files_policy(*policies: str) -> str | None:
    """The policy for every file: scripts only from where `policies` allow them (never inline unless
    one of them says so); None when one of them leaves scripts unrestricted (a hub's own policy, or none)."""
    allowed: list[str] = []
    for policy in policies:
        directives = {d.split()[0].lower(): d.split()[1:] for d in policy.split(";") if d.split()}
        sources = directives.get("script-src", directives.get("default-src"))
        if sources is None:
            return None
        allowed += [s for s in sources if s not in allowed and s != "'none'"]
    return f"script-src {' '.join(allowed) or chr(39) + 'none' + chr(39)}"


def host_path(site: Site, path: str) -> str:
    """A site path as one field of a host-file line: percent-encoded, so a space, a line break or
    another control character (an alias's, say) can never split the line or add a rule."""
    written = site.urls.href(path)
    return written if written.isprintable() and not any(c.isspace() for c in written) else quote(written, safe="/%*:")


def render_redirects(output: Output, site: Site) -> bytes:
    """Netlify's and Cloudflare Pages' `_redirects`: a real 301 for every alias (the HTML redirect
    pages do the same job on GitHub Pages)."""
    lines = [f"{host_path(site, old)} {host_path(site, new)} 301" for old, new in sorted(site.aliases.items())]
    for language in site.config.languages:  # an address missing under /cy/ gets the Welsh 404 page (Cloudflare finds it unasked)
        lines.append(f"{host_path(site, f'/{language.code}/*')} {host_path(site, f'/{language.code}/404.html')} 404")
    return ("\n".join(lines) + "\n").encode() if lines else b""
