"""plan(): every file the build writes, one planner per kind of output."""

from __future__ import annotations

from pathlib import Path

from ..model.site import Site
from . import admin, events, feeds, files, host, news, pages, resources, search, sitemap, vacancies
from .output import Copy, Output


def plan(site: Site, static: dict[str, Path]) -> tuple[list[Output], list[Copy]]:
    outputs = pages.plan(site) + news.plan(site) + resources.plan(site) + events.plan(site) + vacancies.plan(site)
    outputs += feeds.plan(site) + search.plan(site)
    outputs += admin.plan(site, static)
    outputs += sitemap.plan(site, outputs)
    outputs += host.plan(site, outputs)
    return outputs, files.plan(site, static)
