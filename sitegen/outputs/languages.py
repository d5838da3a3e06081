"""The hub's other languages in the plan: each one's outputs in its own folder (/cy/), and every page's
counterparts in the other languages (the language switcher, hreflang links and the sitemap's alternates)."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Any, NamedTuple

import babel

from ..model.site import Site
from ..model.translations import translation_key
from .output import Output


class Alternate(NamedTuple):
    """A page in one language: where it is, or (`exact` False) the nearest page that language has."""

    code: str  # as in hreflang: en-GB, cy
    name: str  # the language's name in itself: English, Cymraeg
    url: str
    exact: bool
    called: str  # its name in the language of the page that links it: Saesneg on a Welsh page


def under_root(site: Site, outputs: list[Output]) -> list[Output]:
    """A language's outputs in its folder: '/news/' -> '/cy/news/' (its items' addresses are there already).
    Its own paths are kept in `site.paths`, so that its pages link its lists, not the main language's."""
    own = set()
    for output in outputs:
        if not output.url.startswith(site.root + "/"):
            own.add(output.url)
            output.url = site.root + output.url
        output.context = {**output.context, "language": site.config.language}
    if site.config.search:
        own.add("/pagefind/")  # its own search index (builder/search_index.py), which its search page loads
    site.paths = frozenset(own)
    return outputs


def link_counterparts(site: Site, outputs: list[Output]) -> None:
    """Give every page of a hub with several languages its `alternates`: itself and its counterpart in each other
    language, or where it has none there, that language's nearest page (its section, else its home page)."""
    if not site.languages:
        return
    sites = [site, *site.languages.values()]
    roots = {s.config.language: s.root for s in sites}
    made: dict[str, set[str]] = {language: set() for language in roots}  # language -> its pages' paths, without its folder
    groups: dict[Any, dict[str, str]] = defaultdict(dict)  # what the languages share -> language -> its page
    placed = []
    for output in (o for o in outputs if o.template and o.in_sitemap):
        language = output.context.get("language", site.config.language)
        path = output.url.removeprefix(roots[language])
        page = output.context.get("page")
        key = ("item", translation_key(page)) if page is not None and page.kind != "home" else ("path", path)
        made[language].add(path)
        groups[key][language] = output.url
        placed.append((output, path, key))
    for output, path, key in placed:
        alternates = []
        for language, root in roots.items():
            url = groups[key].get(language)
            alternates.append(Alternate(language, own_name(language), url or root + _nearest(path, made[language]), url is not None,
                                        name_in(language, output.context.get("language", site.config.language))))
        output.context = {**output.context, "alternates": tuple(alternates)}


def _nearest(path: str, made: set[str]) -> str:
    """The nearest page up the path that a language has: /news/tags/hanes/ -> /news/tags/ -> /news/ -> /."""
    while path not in made and path != "/":
        path = path.rstrip("/").rsplit("/", 1)[0] + "/"
    return path


def own_name(code: str) -> str:
    """A language's name in that language: 'Cymraeg' for cy, 'English' for en-GB."""
    return name_in(code, code)


@lru_cache(maxsize=256)
def name_in(code: str, language: str) -> str:
    """A language's name in another: 'Saesneg' for en-GB in cy (its code when Babel does not know either)."""
    try:
        name = babel.Locale.parse(code.replace("-", "_")).get_language_name(language.replace("-", "_")) or code
    except (ValueError, babel.UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:]
