"""The search page, /search/, when search is on (the index itself is made after the build: see sitegen/search.py)."""

from __future__ import annotations

from ..model import Site
from ..search import search_filters
from . import Output
from .resources import facets

SEARCH_URL = "/search/"


def plan(site: Site) -> list[Output]:
    if not site.config.search:
        return []
    context = {"title": "Search", "filters": search_filters(site), "browse": facets(site)}
    return [Output(SEARCH_URL, "search.html", context, in_sitemap=False)]
