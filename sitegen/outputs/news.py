"""News listings: the paginated index, a page per year, per tag, and per network."""

from __future__ import annotations

from ..model.site import Site
from .output import Output, Words, paginate


def plan(site: Site) -> list[Output]:
    per_page = site.config.news_per_page
    years: dict[int, list] = {}
    for post in site.news:
        years.setdefault(post.fields["date"].year, []).append(post)
    archive = {"years": sorted(years, reverse=True), "feed": "/feed.xml"}
    outputs = paginate("/news/", "news_list.html", site.news, per_page, title="News", **archive)
    for year, posts in years.items():
        outputs += paginate(f"/news/{year}/", "news_list.html", posts, per_page, title=Words("News from %(year)s", year=str(year)), **archive)
    tags = site.tags()
    outputs.append(Output("/news/tags/", "tags.html", {"title": Words("News by tag"), "tags": tags}))
    for tag, slug, posts in tags:
        outputs += paginate(f"/news/tags/{slug}/", "news_list.html", posts, per_page, title=Words("News tagged “%(tag)s”", tag=tag), **archive)
    for network in site.networks:
        outputs += paginate(f"{network.url}news/", "news_list.html", site.in_network(network, "news"), per_page,
                            title=Words("News from %(network)s", network=network.title), network=network, years=[], feed=f"{network.url}feed.xml")
    return outputs
