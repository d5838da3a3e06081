"""sitemap.xml of every page, and robots.txt pointing to it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..model.site import Site
from .output import Output

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def plan(site: Site, outputs: list[Output]) -> list[Output]:
    entries = []
    for url in sorted(o.url for o in outputs if o.template and o.in_sitemap):
        page = site.by_url.get(url)
        if page is not None and site.is_closed(page):  # a closed vacancy's page stays for shared links, but is not offered
            continue
        changed = page and (page.fields.get("updated") or page.fields.get("reviewed") or page.fields.get("date"))
        entries.append((url, changed.isoformat() if changed else None))
    return [
        Output("/sitemap.xml", render=render_sitemap, context={"entries": entries}, in_sitemap=False),
        Output("/robots.txt", render=render_robots, in_sitemap=False),
    ]


def render_sitemap(output: Output, site: Site) -> bytes:
    ET.register_namespace("", SITEMAP)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for url, changed in output.context["entries"]:
        entry = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(entry, f"{{{SITEMAP}}}loc").text = site.urls.absolute(url)
        if changed:
            ET.SubElement(entry, f"{{{SITEMAP}}}lastmod").text = changed
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(urlset, encoding="utf-8") + b"\n"


def render_robots(output: Output, site: Site) -> bytes:
    return f"User-agent: *\nDisallow:\n\nSitemap: {site.urls.absolute('/sitemap.xml')}\n".encode()
