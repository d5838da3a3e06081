"""The Site: the whole hub, assembled, as templates and outputs see it (`site` in templates).

It is made in one go by `model.assemble` and not changed afterwards; the indexes it
builds lazily (related posts) depend only on what it was made with.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..config.siteyaml import Config, MenuItem
from ..content.page import Page
from ..core.downloads import Download
from ..core.urls import Urls, tag_slug
from ..schema.kinds import Field, Kind, display_label, values_of
from .dates import as_moment, event_end, is_published
from .policy import Policy, make_policy

RELATED_POOL = 30  # how many of the newest posts of each network and tag may be "related"


@dataclass(frozen=True)
class References:
    """Who names whom, through every reference field of every kind."""

    targets: dict[tuple[str, str], tuple[Page, ...]] = field(default_factory=dict)  # (item url, field) -> the items it names
    sources: dict[tuple[str, str, str], tuple[Page, ...]] = field(default_factory=dict)  # (item url, kind, field) -> items naming it
    all_sources: dict[str, tuple[Page, ...]] = field(default_factory=dict)  # item url -> every item naming it


@dataclass
class Site:
    """The whole hub, ready to plan and render. Templates see it as `site`: `site.news`, `site.events`,
    `site.vacancies` (a hub's own kind): each kind's published items, in the kind's order."""

    config: Config
    urls: Urls
    home: Page | None
    collections: dict[str, list[Page]]  # kind -> its items, in the kind's order
    data: dict[str, Any]
    now: dt.datetime
    menu: list[MenuItem]
    content_files: list[str]  # hub-relative, copied beside the pages
    by_url: dict[str, Page]
    downloads: dict[str, Download]  # source of the item -> the file it offers
    aliases: dict[str, str]  # old site path -> new site path
    references: References
    _keys: dict[str, dict[str, Page]] = field(default_factory=dict)  # kind -> items by slug (and by URN for schools)
    root: str = ""  # "" for the main language; "/cy" for one of the hub's other languages, published under /cy/
    main: Site | None = None  # for another language: the main language's site
    languages: dict[str, Site] = field(default_factory=dict)  # for the main language: each other language's site, by code
    paths: frozenset[str] = frozenset()  # for another language: its own lists and files, as site paths without its root (set by the plan)
    _cache: dict[str, Any] = field(default_factory=dict)  # indexes built on first use

    def __getattr__(self, name: str) -> list[Page]:
        collections = self.__dict__.get("collections")
        if collections is not None and name in collections:
            return collections[name]
        raise AttributeError(f"the site has no '{name}': its kinds are {', '.join(collections or ())}")

    @property
    def schema(self) -> Any:
        return self.config.schema

    def kind(self, name: str) -> list[Page]:
        return self.collections[name]

    def kind_of(self, item: Page) -> Kind:
        return self.config.schema.kind(item.kind)

    def item(self, kind: str, ref: str | int) -> Page | None:
        """An item of `kind` by its slug (a school also by its URN)."""
        return self._keys.get(kind, {}).get(str(ref))

    def school(self, ref: str | int) -> Page | None:
        """A school by slug or URN."""
        return self.item("schools", ref)

    def named_by(self, item: Page, field_name: str) -> tuple[Page, ...]:
        """The items that `item` names in one of its reference fields (a network's `members`)."""
        return self.references.targets.get((item.url, field_name), ())

    def naming(self, item: Page, kind: str, field_name: str) -> tuple[Page, ...]:
        """The items of `kind` that name `item` in their field `field_name` (the news of a network)."""
        return self.references.sources.get((item.url, kind, field_name), ())

    def members(self, network: Page) -> tuple[Page, ...]:
        """The member schools of a network."""
        return self.named_by(network, "members")

    def networks_of(self, item: Page) -> list[Page]:
        """The networks an item belongs to (for a school, also those that list it as a member)."""
        nets = list(self.named_by(item, "networks"))
        for network in self.naming(item, "networks", "members"):
            if network not in nets:
                nets.append(network)
        return sorted(nets, key=lambda n: (n.title.lower(), n.slug)) if len(nets) > 1 else nets

    def in_network(self, network: Page, kind: str) -> tuple[Page, ...]:
        """The news, events, resources (or items of any kind) that name this network."""
        return self.naming(network, kind, "networks")

    def related_items(self, item: Page) -> list[Page]:
        """Every item this one names, and every item naming it: what its page may show of others."""
        shown: list[Page] = []
        for f in self.kind_of(item).references:
            shown += self.named_by(item, f.name)
        return shown + list(self.references.all_sources.get(item.url, ()))

    def path(self, path: str) -> str:
        """A site path as this language's pages link it: '/news/' -> '/cy/news/' when this language has its own
        (its lists, feeds, search); an item's address, a shared file or a page only the main language has, as it is."""
        if not self.root or path.split("#")[0] not in self.paths:
            return path
        return self.root + path

    def security(self) -> Policy:
        """The site's Content-Security-Policy (model/policy.py; outputs/host.py sends it), made once per build. A query of the
        site, so that pages depend on the policy itself, not on how it was worked out. One for every language."""
        if self.main is not None:
            return self.main.security()
        policy = self._cache.get("security")
        if policy is None:
            policy = self._cache["security"] = make_policy(self.by_url.values(), self.config)
        assert isinstance(policy, Policy)
        return policy

    def download(self, resource: Page) -> Download | None:
        return self.downloads.get(resource.source)

    def is_public(self, page: Page) -> bool:
        """Whether an item is published now: not a draft, its date come, not expired (whatever
        `--drafts` and `--future` show)."""
        return is_published(page, self.kind_of(page), self.now)

    def upcoming_events(self) -> list[Page]:
        """Events that have not ended, soonest first."""
        return [e for e in self.events if event_end(e, self.now.tzinfo) > self.now]

    def upcoming_in(self, network: Page) -> list[Page]:
        """A network's events that have not ended."""
        return [e for e in self.in_network(network, "events") if event_end(e, self.now.tzinfo) > self.now]

    def past_events(self) -> list[Page]:
        """Events that have ended, most recent first."""
        return [e for e in reversed(self.events) if event_end(e, self.now.tzinfo) <= self.now]

    def event_end(self, event: Page) -> dt.datetime:
        """When an event is over (an all-day event: midnight after its last day)."""
        return event_end(event, self.now.tzinfo)

    def vacancy_closes(self, vacancy: Page) -> dt.datetime:
        """When a vacancy closes: its closing date and time, or (a bare date) midnight at the end of that day."""
        return as_moment(vacancy.fields["closing_date"], self.now.tzinfo, end=True)

    def is_closed(self, item: Page) -> bool:
        """A vacancy whose closing date has passed at the moment of the build: off the lists and the sitemap, its page
        kept (marked closed) so that links people shared still work."""
        return item.kind == "vacancies" and bool(item.fields.get("closing_date")) and self.vacancy_closes(item) <= self.now

    def open_vacancies(self) -> list[Page]:
        """Vacancies still open, closing soonest first."""
        return [v for v in self.vacancies if not self.is_closed(v)]

    def open_vacancies_at(self, school: Page) -> list[Page]:
        """A school's open vacancies."""
        return [v for v in self.naming(school, "vacancies", "school") if not self.is_closed(v)]

    def featured_resources(self, count: int = 4) -> list[Page]:
        """Resources marked `featured: true`, or else the newest."""
        featured = [r for r in self.resources if r.fields.get("featured")]
        return featured or sorted(self.resources, key=lambda r: (r.sort_date("date"), r.title), reverse=True)[:count]

    def label(self, field: Field, value: Any) -> str:
        """How a value of a field is shown: a term's display label, an item's title, or the value."""
        if field.type == "reference":
            target = self.item(field.to, value)
            return target.title if target else str(value)
        return display_label(field, value, self.config.vocabularies)

    def labels(self, item: Page, field_name: str) -> list[str]:
        """The display labels of an item's values in a field: ['Lesson plan'], ['KS2', 'KS3'], ['Vale Reading Network']."""
        field = self.kind_of(item).field(field_name)
        return [self.label(field, v) for v in values_of(field, item.fields.get(field_name))] if field else []

    def newest_post(self) -> Page | None:
        """The post changed last (its `updated`, else its date; the first in the list among equals)."""
        if "newest_post" not in self._cache:
            tz = self.now.tzinfo
            self._cache["newest_post"] = max(self.news, key=lambda p: as_moment(p.fields["updated"] or p.fields["date"], tz), default=None)
        newest: Page | None = self._cache["newest_post"]
        return newest

    def newer_post(self, post: Page) -> Page | None:
        i = self._news_position().get(post.url)
        return self.news[i - 1] if i else None

    def older_post(self, post: Page) -> Page | None:
        i = self._news_position().get(post.url)
        return self.news[i + 1] if i is not None and i + 1 < len(self.news) else None

    def related(self, post: Page, count: int = 3) -> list[Page]:
        """Other recent posts sharing the most networks and tags with this one, newest first among equals.

        Candidates are the RELATED_POOL newest posts of each of its networks and tags, so that
        the cost stays small however large the hub grows."""
        if post.url in self._cache.setdefault("related", {}):
            return self._cache["related"][post.url]
        shared: dict[str, int] = defaultdict(int)
        for key in [("network", n) for n in post.fields["networks"]] + [("tag", t) for t in post.fields["tags"]]:
            for other in self._posts_by(key)[:RELATED_POOL + 1]:
                if other.url != post.url:
                    shared[other.url] += 1
        position = self._news_position()
        best = sorted(shared, key=lambda url: (-shared[url], position[url]))[:count]
        result = [self.news[position[url]] for url in best]
        self._cache["related"][post.url] = result
        return result

    def tags(self) -> list[tuple[str, str, list[Page]]]:
        """(tag, slug, posts) for every tag on the news, by tag."""
        by_slug: dict[str, tuple[str, list[Page]]] = {}
        for post in self.news:
            for tag in post.fields["tags"]:
                by_slug.setdefault(tag_slug(tag), (tag, []))[1].append(post)
        return [(tag, slug, posts) for slug, (tag, posts) in sorted(by_slug.items())]

    def _news_position(self) -> dict[str, int]:
        if "news_position" not in self._cache:
            self._cache["news_position"] = {p.url: i for i, p in enumerate(self.news)}
        return self._cache["news_position"]

    def _posts_by(self, key: tuple[str, str]) -> list[Page]:
        if "posts_by" not in self._cache:
            index: dict[tuple[str, str], list[Page]] = defaultdict(list)
            for post in self.news:
                for n in post.fields["networks"]:
                    index[("network", n)].append(post)
                for t in post.fields["tags"]:
                    index[("tag", t)].append(post)
            self._cache["posts_by"] = index
        return self._cache["posts_by"].get(key, [])
