"""The Events Calendar's events (`tribe_events`): start, end, all day and time zone, the venue, cost, organiser and website,
as the fields of sitegen's events kind."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .wxr import Item

_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?")
_UTC_OFFSET = re.compile(r"^UTC([+-])(\d{1,2})(?:[:.](\d{2}))?$", re.I)


def event_fields(item: Item, others: dict[int, Item], hub_zone: str) -> tuple[dict[str, Any], list[str]]:
    """The event's own fields (start, end, location, booking_url, cost, provider), and sentences about what was not understood."""
    meta, notes = item.meta, []
    all_day = meta.get("_EventAllDay", "").strip().lower() in ("yes", "1", "true")
    zone = meta.get("_EventTimezone", "").strip() or hub_zone
    fields: dict[str, Any] = {}
    start = _moment(meta.get("_EventStartDate", ""), all_day, zone, hub_zone)
    if start is None:
        utc = _moment(meta.get("_EventStartDateUTC", ""), all_day, "UTC", hub_zone)
        start = utc
    if start is None:
        notes.append("has no start date (_EventStartDate): its post date is used; set start: by hand")
        start = item.date[:16] if item.date[:4] != "0000" else None
    fields["start"] = start
    end = _moment(meta.get("_EventEndDate", ""), all_day, zone, hub_zone)
    if end and end != start:
        fields["end"] = end
    venue = others.get(_number(meta.get("_EventVenueID", "")))
    if venue is not None and venue.type == "tribe_venue":
        fields["location"] = location(venue)
    website = meta.get("_EventURL", "").strip()
    if website.startswith(("http://", "https://")):
        fields["booking_url"] = website
    cost = meta.get("_EventCost", "").strip()
    if cost:
        symbol = meta.get("_EventCurrencySymbol", "").strip()
        after = meta.get("_EventCurrencyPosition", "") == "suffix"
        fields["cost"] = "Free" if cost in ("0", "0.00") else (f"{cost}{symbol}" if after else f"{symbol}{cost}")
    organiser = others.get(_number(meta.get("_EventOrganizerID", "")))
    if organiser is not None and organiser.type == "tribe_organizer":
        fields["provider"] = html.unescape(organiser.title)
    if zone != hub_zone and not _zone(zone):
        notes.append(f'time zone "{zone}" is not one sitegen knows: the times are taken as {hub_zone}; check them')
    return fields, notes


def location(venue: Item) -> str:
    m = venue.meta
    region = m.get("_VenueStateProvince") or m.get("_VenueState") or m.get("_VenueProvince") or ""
    parts = [html.unescape(venue.title), m.get("_VenueAddress", ""), m.get("_VenueCity", ""), region, m.get("_VenueZip", ""), m.get("_VenueCountry", "")]
    seen: list[str] = []
    for part in (" ".join(p.split()) for p in parts):
        if part and part not in seen:
            seen.append(part)
    return ", ".join(seen)


def _moment(text: str, all_day: bool, zone: str, hub_zone: str) -> str | None:
    """'2027-02-04 16:00' in the hub's time zone as written; with its UTC offset ('+01:00') when the event's zone is another."""
    found = _MOMENT.match(text.strip())
    if not found:
        return None
    day = found[1]
    if all_day or found[2] is None:
        return day
    clock = f"{int(found[2]):02d}:{found[3]}"
    tz = _zone(zone)
    if zone == hub_zone or tz is None:
        return f"{day} {clock}"
    moment = dt.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=tz)
    offset = moment.utcoffset() or dt.timedelta(0)
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{day} {clock}{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _zone(name: str) -> dt.tzinfo | None:
    """A time zone by its IANA name (Europe/London) or as The Events Calendar writes a fixed one (UTC+1, UTC-5:30)."""
    if name.upper() in ("UTC", "UTC+0", "UTC-0", "GMT"):
        return dt.UTC
    fixed = _UTC_OFFSET.match(name)
    if fixed:
        offset = dt.timedelta(hours=int(fixed[2]), minutes=int(fixed[3] or 0))
        return dt.timezone(-offset if fixed[1] == "-" else offset)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _number(text: str) -> int:
    text = text.strip()
    return int(text) if text.isdigit() else -1
