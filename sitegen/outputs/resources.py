"""The resource library: the index (filtered in the browser when JavaScript is on) and a static
page for every value of every facet, so that browsing works with JavaScript off too."""

from __future__ import annotations

from dataclasses import dataclass

from ..content import Page
from ..model import Site
from ..urls import slugify
from . import Output

# (key in URLs and filters, label, the resource field it reads)
FACETS = (
    ("subject", "Subject", "subjects"),
    ("key-stage", "Key stage", "key_stages"),
    ("phase", "Phase", "phases"),
    ("type", "Type", "type"),
    ("network", "Network", "networks"),
)


@dataclass(frozen=True)
class FacetValue:
    label: str
    slug: str
    url: str
    resources: tuple[Page, ...]

    @property
    def count(self) -> int:
        return len(self.resources)


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    values: tuple[FacetValue, ...]


def values_of(resource: Page, field: str) -> tuple[str, ...]:
    value = resource.fields.get(field)
    if not value:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def facets(site: Site) -> list[Facet]:
    """Every facet with the values that resources use, in the vocabulary's order (networks by title)."""
    network_titles = {n.slug: n.title for n in site.networks}
    vocab_for = {"subjects": "subjects", "key_stages": "key_stages", "phases": "phases", "type": "resource_types"}
    result = []
    for key, label, field in FACETS:
        found: dict[str, list[Page]] = {}
        for resource in site.resources:
            for value in values_of(resource, field):
                found.setdefault(value, []).append(resource)
        if field == "networks":
            order = [n.slug for n in site.networks]
        else:
            order = list(site.config.vocabularies[vocab_for[field]].values)
        values = []
        for value in sorted(found, key=lambda v: order.index(v) if v in order else len(order)):
            slug = value if field == "networks" else slugify(value)
            values.append(FacetValue(network_titles.get(value, value), slug, f"/resources/{key}/{slug}/", tuple(found[value])))
        if values:
            result.append(Facet(key, label, tuple(values)))
    return result


def plan(site: Site) -> list[Output]:
    all_facets = facets(site)
    outputs = [Output("/resources/", "resources.html", {"title": "Resources", "items": site.resources, "facets": all_facets})]
    for facet in all_facets:
        for value in facet.values:
            outputs.append(Output(value.url, "resource_facet.html", {
                "title": f"{facet.label}: {value.label}", "facet": facet, "value": value,
                "items": list(value.resources), "facets": all_facets,
            }))
    return outputs
