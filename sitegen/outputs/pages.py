"""The HTML pages: the home page, a page per item, an index per kind, redirects and the 404 page."""

from __future__ import annotations

from ..model import Site
from ..urls import KINDS, SECTION_TITLES, section_url
from . import Output

# The built-in template for each kind's item pages; `template:` in front matter overrides it.
ITEM_TEMPLATES = {
    "pages": "page.html", "news": "news.html", "networks": "network.html", "schools": "school.html",
    "resources": "resource.html", "events": "event.html",
}


def plan(site: Site) -> list[Output]:
    outputs = [Output("/", "home.html", {"page": site.home}, site.home.source if site.home else None)]
    for kind in (*KINDS, "pages"):
        for page in site.kind(kind):
            template = page.fields.get("template") or ITEM_TEMPLATES[kind]
            outputs.append(Output(page.url, template, {"page": page}, page.source))
    for kind in KINDS:
        outputs.append(Output(section_url(kind), "list.html", {"kind": kind, "title": SECTION_TITLES[kind], "items": site.kind(kind)}))
    for old, new in sorted(site.aliases.items()):
        outputs.append(Output(old, "redirect.html", {"target": new}))
    outputs.append(Output("/404.html", "404.html", {}))
    return outputs
