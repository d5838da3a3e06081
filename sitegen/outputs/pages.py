"""The HTML page of every item of every kind, the home page, the networks and schools indexes,
the index (and facet pages) of a hub's own kinds, redirects, the 404 page, and the pages every
school website should have when the hub has not written its own."""

from __future__ import annotations

from ..content.page import Page
from ..core.urls import section_url
from ..model.facets import facets
from ..model.site import Site
from .output import Output, Words, paginate
from .resources import facet_pages

# Pages the footer always links to; the theme supplies a starting version of any the hub lacks.
STANDARD_PAGES = {"/accessibility/": "accessibility.html", "/privacy/": "privacy.html", "/contact/": "contact.html"}


OWN_KIND_PER_PAGE = 20


def plan(site: Site) -> list[Output]:
    outputs = [Output("/", "home.html", {"page": site.home}, site.home.source if site.home else None)]
    for kind in site.schema:
        for page in site.kind(kind.name):
            outputs.append(Output(page.url, page.fields.get("template") or kind.item_template, {"page": page}, page.source))
    networks, schools = site.schema.kind("networks"), site.schema.kind("schools")
    outputs.append(Output(section_url("networks"), networks.list_template, {"title": networks.title, "items": site.networks}))
    outputs.append(Output(section_url("schools"), schools.list_template, {"title": schools.title, "groups": school_groups(site)}))
    for kind in site.schema.sections:
        if not kind.bespoke:  # a hub's own kind: its index, and a page per value of each facet
            items, all_facets = site.kind(kind.name), facets(site, kind)
            outputs += paginate(section_url(kind.name), kind.list_template, items, OWN_KIND_PER_PAGE, title=kind.title, kind=kind, facets=all_facets)
            outputs += facet_pages(site, kind, kind.list_template, all_facets)
    for url, template in STANDARD_PAGES.items():  # in another language, a page the hub wrote in the main language only is linked as it is
        if url not in site.by_url and not (site.main is not None and url in site.main.by_url):
            outputs.append(Output(url, template, {}))
    for old, new in sorted(site.aliases.items()) if site.main is None else ():  # every language's: the main language plans them
        outputs.append(Output(old, "redirect.html", {"target": new}, in_sitemap=False))
    outputs.append(Output("/404.html", "404.html", {"title": Words("Page not found")}, in_sitemap=False))
    return outputs


def school_groups(site: Site) -> list[tuple[str, list[Page]]]:
    """Schools grouped by phase, in the vocabulary's order; schools with no phase last."""
    phases = site.config.vocabularies["phases"]
    groups: dict[str, list[Page]] = {}
    for school in site.schools:
        groups.setdefault(school.fields.get("phase") or "", []).append(school)
    named = [(phases.label(phase), groups[phase]) for phase in phases.values if phase in groups]
    return named + ([(Words("Other schools"), groups[""])] if "" in groups else [])
