"""What the search index is told about a page: whether it is indexed, its filters and the meta a result shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..core.formats import format_date
from ..model.facets import KIND_FILTER

if TYPE_CHECKING:
    from ..content.page import Page
    from ..model.site import Site


def is_indexed(page: Page | None, site: Site, current_url: str) -> bool:
    """Only the page of a published item goes in the index: never a draft, an item not yet
    published or expired (even when `--drafts`, `--future` or the dev server shows them), nor a listing."""
    if page is None or not site.config.search or page.kind == "home" or page.url != current_url or page.broken:
        return False
    return bool(site.is_public(page)) and not site.is_closed(page)  # queries, not site.now: a page depends on the answer, not on the moment


def filters(page: Page, site: Site) -> dict[str, list[str]]:
    """The Pagefind filters of an item: its kind, and the display labels of its facet fields' values."""
    kind = site.kind_of(page)
    found: dict[str, list[str]] = {KIND_FILTER: [kind.title]}
    for field in kind.facets:
        labels = site.labels(page, field.name)
        if labels:
            found[field.facet] = labels
    return found


def meta(page: Page, site: Site) -> dict[str, str]:
    """What a search result shows besides its title and the words around the match."""
    kind = site.kind_of(page)
    found = {"kind": kind.singular[:1].upper() + kind.singular[1:]}
    dated = kind.date_field or (kind.order.lstrip("-") if kind.order != "title" else "")  # a hub's own kind: its order
    when = page.fields.get(dated) if dated else None
    if when:
        found["date"] = format_date(when, language=site.config.language)  # search results: in the site's language
    if page.fields.get("summary"):
        found["summary"] = " ".join(str(page.fields["summary"]).split())
    return found


def body_attribute(page: Page | None, site: Site, current_url: str) -> Markup:
    """` data-pagefind-body` on the <main> of an indexed page, else nothing."""
    return Markup(" data-pagefind-body") if is_indexed(page, site, current_url) else Markup("")


def page_data(page: Page | None, site: Site, current_url: str) -> Markup:
    """Hidden elements carrying an indexed page's filters and metadata (one value each: Pagefind
    takes a value written in the attribute only as the last of a list)."""
    if page is None or not is_indexed(page, site, current_url):
        return Markup("")
    parts = [f'<span data-pagefind-filter="{escape(key)}:{escape(value)}"></span>'
             for key, values in filters(page, site).items() for value in values]
    parts += [f'<span data-pagefind-meta="{escape(key)}:{escape(value)}"></span>' for key, value in meta(page, site).items()]
    return Markup('<div hidden data-pagefind-ignore>' + "".join(parts) + "</div>")
