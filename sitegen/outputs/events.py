"""Events: upcoming and past listings, an .ics file for each event, and subscribable calendars
(RFC 5545, made with the icalendar library) for the whole hub and for each network."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from ..content.page import Page
from ..core.urls import DATE_PREFIX
from ..model.site import Site
from .output import Output, Words
from .vtimezone import vtimezone

STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}


def plan(site: Site) -> list[Output]:
    outputs = [
        Output("/events/", "events.html", {"title": Words("Events"), "items": site.upcoming_events(), "upcoming": True}),
        Output("/events/past/", "events.html", {"title": Words("Past events"), "items": site.past_events(), "upcoming": False}),
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
    cal.add("x-wr-calname", one_line(output.context["name"]))
    cal.add("x-wr-timezone", site.config.timezone)
    events = output.context["events"]
    times = [e.fields[k] for e in events for k in ("start", "end") if isinstance(e.fields[k], dt.datetime)]
    zones = sorted({t.tzinfo.key for t in times if isinstance(t.tzinfo, ZoneInfo)})
    for zone in zones:  # rules for just the years the events span, not 1970-2038
        years = [t.year for t in times]
        cal.add_component(vtimezone(zone, min(years), max(years)))
    for event in events:
        cal.add_component(vevent(event, site))
    return cal.to_ical()


def vevent(event: Page, site: Site) -> Event:
    f = event.fields
    vevent = Event()
    vevent.add("uid", f"{site.config.id_base}:events/{event.slug}")
    changed = last_changed(event, site)
    vevent.add("dtstamp", changed)  # from the content, never the clock: the same files give the same bytes
    if f["updated"]:
        vevent.add("last-modified", changed)
    vevent.add("sequence", sequence(event, site))
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
        vevent.add("x-provider", one_line(f["provider"]))
    return vevent


def last_changed(event: Page, site: Site) -> dt.datetime:
    """When the event was last changed, as far as its file says: `updated`, else `publish_date`,
    else the date its file name starts with, else its start (all in UTC)."""
    f = event.fields
    named = DATE_PREFIX.match(event.source.rsplit("/", 1)[-1])
    value = f["updated"] or f["publish_date"] or (dt.date.fromisoformat(named.group(0)[:10]) if named else None) or f["start"]
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), tzinfo=site.config.tz)
    return value.astimezone(dt.UTC)


def sequence(event: Page, site: Site) -> int:
    """RFC 5545's SEQUENCE, which must grow with every change that matters, so that a calendar app
    that imported the event replaces it: the minutes from 2000 to `updated`; without `updated`,
    0 for a scheduled event and 1 for a cancelled or postponed one."""
    if event.fields["updated"]:
        return int((last_changed(event, site) - SEQUENCE_EPOCH).total_seconds() // 60)
    return 0 if (event.fields["status"] or "scheduled") == "scheduled" else 1


SEQUENCE_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def one_line(text: str) -> str:
    """icalendar writes X- properties as they are, and a line break would end the property early."""
    return " ".join(text.split())
