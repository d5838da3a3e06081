"""plan(): every file the build writes, one planner per kind of output, in every language of the hub."""

from __future__ import annotations

from pathlib import Path

from ..model.site import Site
from . import admin, events, feeds, files, host, languages, news, pages, resources, search, sitemap, vacancies
from .output import Copy, Output


def plan(site: Site, static: dict[str, Path]) -> tuple[list[Output], list[Copy]]:
    outputs = in_one_language(site)
    for other in site.languages.values():
        outputs += languages.under_root(other, in_one_language(other))
    languages.link_counterparts(site, outputs)
    outputs += admin.plan(site, static)
    outputs += sitemap.plan(site, outputs)
    outputs += host.plan(site, outputs)
    return outputs, files.plan(site, static)


def in_one_language(site: Site) -> list[Output]:
    """The pages, lists, feeds and calendars of one language (its site paths as if it were at the root)."""
    outputs = pages.plan(site) + news.plan(site) + resources.plan(site) + events.plan(site) + vacancies.plan(site)
    return outputs + feeds.plan(site) + search.plan(site)
