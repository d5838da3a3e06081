"""Vacancies: the list of those still open (closing soonest first), and a page per value of each facet
(contract...) listing the open ones. A vacancy's own page is made with every item's (outputs/pages.py) and
stays after it closes, marked closed, so that links people shared still work; it leaves the lists and the
sitemap once a build (the daily rebuild) runs after its closing date."""

from __future__ import annotations

import dataclasses

from ..core.urls import section_url
from ..model.facets import Facet, facets
from ..model.site import Site
from .output import Output
from .resources import facet_title


def plan(site: Site) -> list[Output]:
    kind = site.schema.kind("vacancies")
    items = site.open_vacancies()
    open_facets = only_open(facets(site, kind), {v.url for v in items})
    outputs = [Output(section_url(kind.name), kind.list_template, {"title": kind.title, "items": items, "facets": open_facets, "kind": kind})]
    for facet in open_facets:
        for value in facet.values:
            outputs.append(Output(value.url, kind.list_template, {"title": facet_title(facet, value), "facet": facet, "value": value,
                                                                  "items": list(value.items), "facets": open_facets, "kind": kind}))
    return outputs


def only_open(all_facets: list[Facet], open_urls: set[str]) -> list[Facet]:
    """The facets with only the open vacancies in them; a value no open vacancy has is left out."""
    result = []
    for facet in all_facets:
        values = tuple(dataclasses.replace(v, items=tuple(i for i in v.items if i.url in open_urls)) for v in facet.values)
        values = tuple(v for v in values if v.items)
        if values:
            result.append(dataclasses.replace(facet, values=values))
    return result
