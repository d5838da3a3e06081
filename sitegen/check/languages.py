"""`sitegen check` on a hub with several languages: how level they are (what each lacks), so that a
Welsh-medium network can keep its Welsh and its English pages in step."""

from __future__ import annotations

from ..core.errors import Problems
from ..model.site import Site
from ..model.translations import translation_key

SHOWN = 10  # files named in a report; the rest are counted


def language_level(site: Site, problems: Problems) -> None:
    """For each language: the pages and items the others have and it lacks."""
    if not site.languages:
        return
    sites = [site, *site.languages.values()]
    keys = {s.config.language: {translation_key(p): p for p in _items(s)} for s in sites}
    for other in sites:
        language = other.config.language
        lacking = sorted({p.source for s in sites if s is not other for k, p in keys[s.config.language].items() if k not in keys[language]})
        if not lacking:
            continue
        shown = ", ".join(lacking[:SHOWN]) + (f" and {len(lacking) - SHOWN} more" if len(lacking) > SHOWN else "")
        how = "add a translation beside each, named like about.cy.md" if other is not site else "add the original beside each, named like about.md"
        problems.warn("site.yaml", None, f"languages: {language}: {len(keys[language])} pages and items are in {language}; "
                      f"{len(lacking)} {'is' if len(lacking) == 1 else 'are'} not: {shown}; {how}")


def _items(site: Site) -> list:  # type: ignore[type-arg]
    """A language's own pages and items (the home page too, when the hub wrote one)."""
    items = [p for pages in site.collections.values() for p in pages]
    return items + ([site.home] if site.home is not None else [])
