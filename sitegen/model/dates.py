"""When items are published and when events happen, measured against the moment of the build."""

from __future__ import annotations

import bisect
import datetime as dt
import os
from collections.abc import Iterable
from typing import Any

from ..config.siteyaml import Config
from ..content.page import Page
from ..core.errors import UsageError
from ..schema.kinds import Kind


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


def turning_points(page: Page, tz: dt.tzinfo | None) -> frozenset[dt.datetime]:
    """Every moment at which comparing the moment of the build with one of the item's dates can
    give another answer: each date-time in its fields, and the midnights that start and end each
    bare date (`arrived`, `as_moment`)."""
    points: set[dt.datetime] = set()
    _collect(page.fields.values(), tz, points)
    return frozenset(points)


def _collect(values: Iterable[Any], tz: dt.tzinfo | None, points: set[dt.datetime]) -> None:
    for value in values:
        if isinstance(value, dt.datetime):
            points.add(value if value.tzinfo else value.replace(tzinfo=tz))
        elif isinstance(value, dt.date):
            points.add(as_moment(value, tz))
            points.add(as_moment(value, tz, end=True))
        elif isinstance(value, (list, tuple)):
            _collect(value, tz, points)
        elif isinstance(value, dict):
            _collect(value.values(), tz, points)


def bracket(now: dt.datetime, each: Iterable[frozenset[dt.datetime]]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The turning points (of every item: `turning_points`) either side of `now`: the last at or
    before it and the first after it. Two moments with the same bracket are on the same side of
    every turning point, so every item is published, upcoming, over or closed at one as at the other."""
    found: set[dt.datetime] = set()
    for item_points in each:
        found |= item_points
    points = sorted(found)
    at = bisect.bisect_right(points, now)
    return (points[at - 1] if at else None, points[at] if at < len(points) else None)


def build_moment(config: Config) -> dt.datetime:
    """Now, or the moment in SOURCE_DATE_EPOCH (seconds since 1970) for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return dt.datetime.now(config.tz)
    try:
        return dt.datetime.fromtimestamp(int(epoch), config.tz)
    except ValueError:
        raise UsageError(f'SOURCE_DATE_EPOCH: "{epoch}" is not a whole number of seconds since 1970 (e.g. 1767225600); set it right or unset it') from None
    except (OverflowError, OSError):
        raise UsageError(f'SOURCE_DATE_EPOCH: "{epoch}" is too far from today to be a date') from None
