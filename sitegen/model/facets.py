"""Facets: the fields a kind is browsed by (a resource's subject and key stage), their values on the site, and the search page's filters."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..content.page import Page
from ..core.urls import section_url, slugify
from ..schema.kinds import Field, Kind
from .site import Site

if TYPE_CHECKING:
    from ..content.page import Page
    from .site import Site


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
    """'Key stages' -> 'Key stage', 'Areas of learning' -> 'Area of learning': a facet names one value at a time."""
    head, of, tail = field.label.partition(" of ")
    return (head[:-1] if field.many and head.endswith("s") else head) + of + tail


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


KIND_FILTER = "kind"  # the Pagefind filter holding each page's kind ("News", "Resources", "Vacancies")


def browse_links(site: Site) -> list[tuple[str, str]]:
    """(facet, link) for each way of browsing the resources without JavaScript: 'subject', '/resources/#browse-subject'."""
    return [(facet_label(f).lower(), f"/resources/#browse-{f.facet}") for f in site.schema.kind("resources").facets]


@dataclass(frozen=True)
class SearchFilter:
    """A filter of the search page: its key in the index, its label and its values (as indexed)."""

    key: str
    label: str
    values: tuple[str, ...]


def search_filters(site: Site) -> list[SearchFilter]:
    """The filters the search page offers: kind, then every facet of every kind with items,
    each value once, in the facet's order (the same labels the pages give the index)."""
    kinds = [k for k in site.schema if site.kind(k.name) and k.name != "pages"] + [site.schema.kind("pages")]
    result = [SearchFilter(KIND_FILTER, "Kind", tuple(k.title for k in kinds if site.kind(k.name)))]
    seen: dict[str, SearchFilter] = {}
    for kind in site.schema:
        for facet in facets(site, kind) if kind.facets else ():
            values = tuple(v.label for v in facet.values)
            known = seen.get(facet.key)
            if known is None:
                seen[facet.key] = SearchFilter(facet.key, facet.label, values)
            else:
                seen[facet.key] = dataclasses.replace(known, values=known.values + tuple(v for v in values if v not in known.values))
    return result + list(seen.values())
