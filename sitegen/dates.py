"""When items are published and when events happen, measured against the moment of the build."""

from __future__ import annotations

import datetime as dt

from .content import Page
from .schema import Kind


def is_published(page: Page, kind: Kind, now: dt.datetime, drafts: bool = False, future: bool = False) -> bool:
    """Drafts, items whose `publish_date` (or, for news, whose date) has not come, and expired items are not."""
    fields = page.fields
    if fields.get("draft") and not drafts:
        return False
    if not future:
        if kind.waits_for_date and fields.get(kind.date_field) and not arrived(fields[kind.date_field], now):
            return False
        if fields.get("publish_date") and not arrived(fields["publish_date"], now):
            return False
    if fields.get("expires") and arrived(fields["expires"], now):
        return False
    return True


def arrived(when: dt.date | dt.datetime, now: dt.datetime) -> bool:
    """Has `when` arrived by `now`? A bare date arrives at the start of that day."""
    if isinstance(when, dt.datetime):
        return when <= now
    return when <= now.date()


def event_start(page: Page, tz: dt.tzinfo | None) -> dt.datetime:
    return as_moment(page.fields["start"], tz, end=False)


def event_end(page: Page, tz: dt.tzinfo | None) -> dt.datetime:
    return as_moment(page.fields.get("end") or page.fields["start"], tz, end=True)


def as_moment(value: dt.date | dt.datetime, tz: dt.tzinfo | None, end: bool = False) -> dt.datetime:
    """A moment for sorting and comparing: an all-day date starts at midnight and ends at the next."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value + dt.timedelta(days=1) if end else value, dt.time(), tzinfo=tz)
