"""Events: upcoming and past listings, an .ics file for each event, and subscribable calendars
(RFC 5545, made with the icalendar library) for the whole hub and for each network."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from ..content import Page
from ..model import Site
from ..urls import slugify
from . import Output

STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}


def plan(site: Site) -> list[Output]:
    outputs = [
        Output("/events/", "events.html", {"title": "Events", "items": site.upcoming_events(), "upcoming": True}),
        Output("/events/past/", "events.html", {"title": "Past events", "items": site.past_events(), "upcoming": False}),
        Output("/events/calendar.ics", render=render_calendar, in_sitemap=False,
               context={"name": site.config.title, "events": site.events}),
    ]
    for event in site.events:
        outputs.append(Output(ics_url(event), render=render_calendar, source=event.source, in_sitemap=False,
                              context={"name": event.title, "events": [event]}))
    for network in site.networks:
        outputs.append(Output(f"{network.url}calendar.ics", render=render_calendar, in_sitemap=False,
                              context={"name": f"{network.title} – {site.config.title}", "events": site.in_network(network, "events")}))
    return outputs


def ics_url(event: Page) -> str:
    return f"{event.url}{event.slug}.ics"


def render_calendar(output: Output, site: Site) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//sitegen//school network hub//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", output.context["name"])
    cal.add("x-wr-timezone", site.config.timezone)
    events = output.context["events"]
    for event in events:
        cal.add_component(vevent(event, site))
    if events:  # VTIMEZONE rules for just the years the events span, not 1970-2038
        years = [e.fields[k].year for e in events for k in ("start", "end") if e.fields[k]]
        cal.add_missing_timezones(dt.date(min(years), 1, 1), dt.date(max(years) + 1, 1, 1))
    return cal.to_ical()


def vevent(event: Page, site: Site) -> Event:
    f = event.fields
    vevent = Event()
    vevent.add("uid", f"{event.slug}@{uid_domain(site)}")
    vevent.add("dtstamp", site.now.astimezone(dt.UTC))
    vevent.add("summary", event.title)
    vevent.add("dtstart", f["start"])
    if isinstance(f["start"], dt.datetime):
        if f["end"]:
            vevent.add("dtend", f["end"])
    else:  # an all-day event ends at the start of the day after its last day (RFC 5545 3.6.1)
        vevent.add("dtend", (f["end"] or f["start"]) + dt.timedelta(days=1))
    vevent.add("status", STATUS[f["status"] or "scheduled"])
    vevent.add("url", site.urls.absolute(event.url))
    where = ", ".join(x for x in (f["location"], f["online_url"]) if x)
    if where:
        vevent.add("location", where)
    description = "\n\n".join(x for x in (f["summary"], f"Booking: {f['booking_url']}" if f["booking_url"] else "",
                                          site.urls.absolute(event.url)) if x)
    vevent.add("description", description)
    if f["provider"]:
        vevent.add("x-provider", f["provider"])
    return vevent


def uid_domain(site: Site) -> str:
    """The site's host when it has one: UIDs must stay the same from build to build."""
    origin = site.config.origin
    return origin.split("://", 1)[1] if origin else slugify(site.config.title) + ".sitegen"
