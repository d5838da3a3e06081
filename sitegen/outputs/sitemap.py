"""sitemap.xml of every page, and robots.txt pointing to it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..model.site import Site
from .output import Output

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"  # its <link> gives each page's counterparts in the hub's other languages


def plan(site: Site, outputs: list[Output]) -> list[Output]:
    entries = []
    alternates = {o.url: tuple((a.code, a.url) for a in o.context.get("alternates", ()) if a.exact) for o in outputs if o.template}
    for url in sorted(o.url for o in outputs if o.template and o.in_sitemap):
        page = site.by_url.get(url)
        if page is not None and site.is_closed(page):  # a closed vacancy's page stays for shared links, but is not offered
            continue
        changed = page and (page.fields.get("updated") or page.fields.get("reviewed") or page.fields.get("date"))
        entries.append((url, changed.isoformat() if changed else None, alternates[url] if len(alternates[url]) > 1 else ()))
    return [
        Output("/sitemap.xml", render=render_sitemap, context={"entries": entries}, in_sitemap=False),
        Output("/robots.txt", render=render_robots, in_sitemap=False),
    ]


def render_sitemap(output: Output, site: Site) -> bytes:
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for url, changed, alternates in output.context["entries"]:
        entry = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(entry, f"{{{SITEMAP}}}loc").text = site.urls.absolute(url)
        if changed:
            ET.SubElement(entry, f"{{{SITEMAP}}}lastmod").text = changed
        for code, other in alternates:
            ET.SubElement(entry, f"{{{XHTML}}}link", rel="alternate", hreflang=code, href=site.urls.absolute(other))
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(urlset, encoding="utf-8") + b"\n"


def render_robots(output: Output, site: Site) -> bytes:
    return f"User-agent: *\nDisallow:\n\nSitemap: {site.urls.absolute('/sitemap.xml')}\n".encode()
