"""The resource library: the index (filtered in the browser when JavaScript is on) and a static
page for every value of every facet, so that browsing works with JavaScript off too.

The facets are the fields the schema marks as facets (subjects, key stages, phases, type and
networks for resources); a hub's own kinds get facet pages the same way."""

from __future__ import annotations

from dataclasses import dataclass

from ..content import Page
from ..model import Site
from ..schema import Field, Kind
from ..urls import section_url, slugify
from . import Output


@dataclass(frozen=True)
class FacetValue:
    value: str  # as stored in the items' fields
    label: str
    slug: str
    url: str
    items: tuple[Page, ...]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def resources(self) -> tuple[Page, ...]:
        return self.items


@dataclass(frozen=True)
class Facet:
    key: str  # in URLs and filters: "key-stage"
    label: str  # "Key stage"
    field: str  # the field it reads: "key_stages"
    values: tuple[FacetValue, ...]


def values_of(item: Page, field: str) -> tuple[str, ...]:
    value = item.fields.get(field)
    if not value:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def facet_label(field: Field) -> str:
    """'Key stages' -> 'Key stage': a facet names one value at a time."""
    label = field.label
    return label[:-1] if field.many and label.endswith("s") else label


def value_slug(field: Field, value: str) -> str:
    return value if field.type == "reference" else slugify(value)


def facets(site: Site, kind: Kind | None = None) -> list[Facet]:
    """Every facet of a kind (resources by default) with the values its items use, in the vocabulary's
    (or choices', or the referenced kind's) order."""
    kind = kind or site.schema.kind("resources")
    known = site._cache.setdefault("facets", {})
    if kind.name in known:  # asked for by several plans (the list, its facet pages, search)
        return known[kind.name]  # type: ignore[no-any-return]
    items = site.kind(kind.name)
    result: list[Facet] = []
    for field in kind.facets:
        found: dict[str, list[Page]] = {}
        for item in items:
            for value in values_of(item, field.name):
                found.setdefault(value, []).append(item)
        if field.type == "vocabulary":
            order = list(site.config.vocabularies[field.vocabulary].values)
        elif field.type == "reference":
            order = [p.slug for p in site.kind(field.to)]
        else:
            order = list(field.choices) or sorted(found, key=str.lower)
        values = []
        for value in sorted(found, key=lambda v: order.index(v) if v in order else len(order)):
            slug = value_slug(field, value)
            values.append(FacetValue(value, site.label(field, value), slug, f"{section_url(kind.name)}{field.facet}/{slug}/", tuple(found[value])))
        if values:
            result.append(Facet(field.facet, facet_label(field), field.name, tuple(values)))
    known[kind.name] = result
    return result


def facet_pages(site: Site, kind: Kind, template: str, all_facets: list[Facet] | None = None) -> list[Output]:
    """A page for every value of every facet of `kind`."""
    all_facets = facets(site, kind) if all_facets is None else all_facets
    return [
        Output(value.url, template, {"title": f"{facet.label}: {value.label}", "facet": facet, "value": value,
                                     "items": list(value.items), "facets": all_facets, "kind": kind})
        for facet in all_facets for value in facet.values
    ]


def plan(site: Site) -> list[Output]:
    kind = site.schema.kind("resources")
    all_facets = facets(site, kind)
    outputs = [Output(section_url(kind.name), kind.list_template, {"title": kind.title, "items": site.resources, "facets": all_facets})]
    return outputs + facet_pages(site, kind, "resource_facet.html", all_facets)
