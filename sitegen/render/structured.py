"""schema.org JSON-LD for news posts and events, so search engines can show them richly."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..content.page import Page
from ..model.site import Site

ATTENDANCE = {
    "in person": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "mixed": "https://schema.org/MixedEventAttendanceMode",
}


STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
}


def json_ld(page: Page | None, site: Site, image: str | None = None) -> dict[str, Any] | None:
    """The JSON-LD object for a page, or None for kinds that have none.

    `image`: the full address of its picture, a JPEG or PNG (see templates.preview_image)."""
    if page is None:
        return None
    if page.kind == "news":
        return news_article(page, site, image)
    if page.kind == "events":
        return event(page, site, image)
    return None


def news_article(post: Page, site: Site, image: str | None = None) -> dict[str, Any]:
    f = post.fields
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title,
        "datePublished": f["date"].isoformat(),
        "dateModified": (f["updated"] or f["date"]).isoformat(),
        "url": site.urls.absolute(post.url),
        "mainEntityOfPage": site.urls.absolute(post.url),
        "publisher": {"@type": "Organization", "name": site.config.title, "url": site.urls.absolute("/")},
    }
    if f["summary"]:
        data["description"] = f["summary"]
    if f["author"]:
        data["author"] = {"@type": "Person", "name": f["author"], **({"jobTitle": f["author_role"]} if f["author_role"] else {})}
    else:
        data["author"] = {"@type": "Organization", "name": site.config.title}
    if image:
        data["image"] = image
    return data


def event(page: Page, site: Site, image: str | None = None) -> dict[str, Any]:
    f = page.fields
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": page.title,
        "startDate": iso(f["start"]),
        "eventStatus": STATUS[f["status"] or "scheduled"],
        "url": site.urls.absolute(page.url),
        "organizer": {"@type": "Organization", "name": f["provider"] or site.config.title, "url": site.urls.absolute("/")},
    }
    if f["end"]:
        data["endDate"] = iso(f["end"])
    if f["summary"]:
        data["description"] = f["summary"]
    if f["attendance"]:
        data["eventAttendanceMode"] = ATTENDANCE[f["attendance"]]
    places = []
    if f["location"]:
        places.append({"@type": "Place", "name": f["location"], "address": f["location"]})
    if f["online_url"]:
        places.append({"@type": "VirtualLocation", "url": f["online_url"]})
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    if f["booking_url"]:
        data["offers"] = {"@type": "Offer", "url": f["booking_url"], **({"description": f["cost"]} if f["cost"] else {})}
    if f["audience"]:
        data["audience"] = {"@type": "Audience", "audienceType": f["audience"]}
    if image:
        data["image"] = image
    return data


def iso(value: dt.date | dt.datetime) -> str:
    return value.isoformat()
