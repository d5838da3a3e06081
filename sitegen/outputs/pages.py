"""The HTML pages of every item, the home page, the networks and schools indexes, redirects,
the 404 page, and the pages every school website should have when the hub has not written its own."""

from __future__ import annotations

from ..content import Page
from ..model import Site
from ..urls import SECTION_TITLES, section_url
from . import Output

# The built-in template for each kind's item pages; `template:` in front matter overrides it.
ITEM_TEMPLATES = {
    "pages": "page.html", "news": "news.html", "networks": "network.html", "schools": "school.html",
    "resources": "resource.html", "events": "event.html",
}
# Pages the footer always links to; the theme supplies a starting version of any the hub lacks.
STANDARD_PAGES = {"/accessibility/": "accessibility.html", "/privacy/": "privacy.html", "/contact/": "contact.html"}


def plan(site: Site) -> list[Output]:
    outputs = [Output("/", "home.html", {"page": site.home}, site.home.source if site.home else None, shows_everything=True)]
    for kind, template in ITEM_TEMPLATES.items():
        for page in site.kind(kind):
            outputs.append(Output(page.url, page.fields.get("template") or template, {"page": page}, page.source))
    outputs.append(Output(section_url("networks"), "networks.html", {"title": SECTION_TITLES["networks"], "items": site.networks}))
    outputs.append(Output(section_url("schools"), "schools.html", {"title": SECTION_TITLES["schools"], "groups": school_groups(site)}))
    for url, template in STANDARD_PAGES.items():
        if url not in site.by_url:
            outputs.append(Output(url, template, {}))
    for old, new in sorted(site.aliases.items()):
        outputs.append(Output(old, "redirect.html", {"target": new}, in_sitemap=False))
    outputs.append(Output("/404.html", "404.html", {"title": "Page not found"}, in_sitemap=False))
    return outputs


def shown_with(page: Page, site: Site) -> list[Page]:
    """The other items whose titles and summaries an item's page shows (for the dev server's
    incremental rebuilds: when one of them changes, this page is rendered again)."""
    shown = list(site.networks_of(page))
    if page.kind == "news":
        shown += [p for p in (site.newer_post(page), site.older_post(page)) if p] + site.related(page)
    elif page.kind == "networks":
        shown += site.members(page) + [p for kind in ("news", "events", "resources") for p in site.in_network(page, kind)]
    elif page.kind == "resources" and page.fields["school"]:
        shown += [s for s in (site.school(page.fields["school"]),) if s]
    return shown


def school_groups(site: Site) -> list[tuple[str, list]]:
    """Schools grouped by phase, in the vocabulary's order; schools with no phase last."""
    order = site.config.vocabularies["phases"].values
    groups: dict[str, list] = {}
    for school in site.schools:
        groups.setdefault(school.fields.get("phase") or "", []).append(school)
    named = [(phase.capitalize(), groups[phase]) for phase in order if phase in groups]
    return named + ([("Other schools", groups[""])] if "" in groups else [])
