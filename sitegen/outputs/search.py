"""The search page, /search/, when search is on (the index itself is made after the build: see search/ and builder/search_index.py)."""

from __future__ import annotations

from ..model.facets import facets, search_filters
from ..model.site import Site
from .output import Output, Words

SEARCH_URL = "/search/"


def plan(site: Site) -> list[Output]:
    if not site.config.search:
        return []
    context = {"title": Words("Search"), "filters": search_filters(site), "browse": facets(site)}
    return [Output(SEARCH_URL, "search.html", context, in_sitemap=False)]
