"""Atom feeds (RFC 4287) of the hub's news and of each network's, with absolute URLs."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from ..content.page import Page
from ..model.site import Site
from .output import Output

ATOM = "http://www.w3.org/2005/Atom"


ENTRIES = 20


_ROOT_LINK = re.compile(r'(href|src)="(/(?!/)[^"]*)"')


def plan(site: Site) -> list[Output]:
    outputs = [Output("/feed.xml", render=render_feed, in_sitemap=False,
                      context={"title": site.config.title, "page_url": "/news/", "posts": site.news[:ENTRIES]})]
    for network in site.networks:
        outputs.append(Output(f"{network.url}feed.xml", render=render_feed, in_sitemap=False, context={
            "title": f"{network.title} – {site.config.title}", "page_url": network.url,
            "posts": site.in_network(network, "news")[:ENTRIES]}))
    return outputs


def render_feed(output: Output, site: Site) -> bytes:
    ET.register_namespace("", ATOM)
    absolute = site.urls.absolute
    posts: list[Page] = output.context["posts"]
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": site.config.language})
    add(feed, "title", output.context["title"])
    if site.config.description:
        add(feed, "subtitle", site.config.description)
    add(feed, "link", href=absolute(site.path(output.context["page_url"])), rel="alternate", type="text/html")
    add(feed, "link", href=absolute(output.url), rel="self", type="application/atom+xml")
    add(feed, "id", permanent_id(site, output.url))
    add(feed, "updated", max((updated(p, site) for p in posts), default=None) or quiet_since(site))  # the other posts read only when needed
    author = add(feed, "author")
    add(author, "name", site.config.title)
    add(feed, "generator", "sitegen")
    for post in posts:
        entry = add(feed, "entry")
        add(entry, "title", post.title)
        add(entry, "link", href=absolute(post.url), rel="alternate", type="text/html")
        add(entry, "id", permanent_id(site, post.url))
        add(entry, "published", stamp(post.fields["date"], site))
        add(entry, "updated", updated(post, site))
        if post.fields["author"]:
            add(add(entry, "author"), "name", post.fields["author"])
        for tag in post.fields["tags"]:
            add(entry, "category", term=tag)
        if post.fields["summary"]:
            add(entry, "summary", post.fields["summary"])
        add(entry, "content", absolute_links(post.content, site.config.origin), type="html")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False) + b"\n"


def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


# Characters XML 1.0 cannot hold, even escaped: one in a title (YAML's "\x01") would make the whole feed unreadable.
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return NOT_XML.sub("", text)


def permanent_id(site: Site, path: str) -> str:
    """'tag:vale-partnership.example,2026:news/a-visit/': an id that stays the same when the site
    moves to another address (feed readers would otherwise show every post again)."""
    return f"{site.config.id_base}:{path.lstrip('/')}"


def quiet_since(site: Site) -> str:
    """An empty feed's `updated`: the hub's newest post, or a fixed moment (never the build's clock). One query of the
    site, so that each of many empty feeds (a network no post names) depends on one post, not on every post."""
    newest = site.newest_post()
    return updated(newest, site) if newest is not None else "2000-01-01T00:00:00+00:00"


def updated(post: Page, site: Site) -> str:
    return stamp(post.fields["updated"] or post.fields["date"], site)


def stamp(value: dt.date | dt.datetime, site: Site | None = None) -> str:
    """RFC 3339: a bare date counts from midnight in the site's time zone."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), tzinfo=site.config.tz if site else dt.UTC)
    return value.isoformat(timespec="seconds")


def absolute_links(html: str, origin: str) -> str:
    """Feed readers show entries away from the site, so '/hub/news/' must become 'https://host/hub/news/'."""
    return _ROOT_LINK.sub(lambda m: f'{m.group(1)}="{origin}{m.group(2)}"', html) if origin else html
