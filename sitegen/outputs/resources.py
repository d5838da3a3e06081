"""The resource library: the index (filtered in the browser when JavaScript is on) and a static
page for every value of every facet, so that browsing works with JavaScript off too.

The facets are the fields the schema marks as facets (subjects, key stages, phases, type and
networks for resources); a hub's own kinds get facet pages the same way."""

from __future__ import annotations

from ..core.urls import section_url
from ..model.facets import Facet, FacetValue, facets
from ..model.site import Site
from ..schema.kinds import Kind
from .output import Output, Words


def facet_pages(site: Site, kind: Kind, template: str, all_facets: list[Facet] | None = None) -> list[Output]:
    """A page for every value of every facet of `kind`."""
    all_facets = facets(site, kind) if all_facets is None else all_facets
    return [
        Output(value.url, template, {"title": facet_title(facet, value), "facet": facet, "value": value,
                                     "items": list(value.items), "facets": all_facets, "kind": kind})
        for facet in all_facets for value in facet.values
    ]


def facet_title(facet: Facet, value: FacetValue) -> Words:
    """'Subjects: Mathematics', each part in the page's language."""
    return Words("%(facet)s: %(value)s", facet=Words(facet.label), value=Words(value.label))


def plan(site: Site) -> list[Output]:
    kind = site.schema.kind("resources")
    all_facets = facets(site, kind)
    outputs = [Output(section_url(kind.name), kind.list_template, {"title": kind.title, "items": site.resources, "facets": all_facets})]
    return outputs + facet_pages(site, kind, "resource_facet.html", all_facets)
