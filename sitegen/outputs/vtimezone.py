"""VTIMEZONE components that every calendar app reads the same way.

icalendar's own `add_missing_timezones` lists each change of offset as an RDATE with no RRULE;
ical.js (Thunderbird's calendar) misreads that and shows summer-time events an hour late. So the
changes are found here from the zoneinfo database and written the way Outlook and Google write
them: one STANDARD and one DAYLIGHT observance, each with a yearly RRULE ("last Sunday of
October"). Changes that follow no yearly rule are written one observance each, with no RDATE.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

UTC = dt.UTC


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Change:
    """One change of a zone's offset: when (UTC), and the offsets and name on either side."""

    at: dt.datetime  # UTC
    before: dt.timedelta
    after: dt.timedelta
    name: str
    dst: bool

    @property
    def local_start(self) -> dt.datetime:
        """RFC 5545 3.6.5: an observance starts at the local time of the offset in force before it."""
        return (self.at + self.before).replace(tzinfo=None)


@lru_cache(maxsize=64)  # the same few zones and years for every calendar of a build: worked out once
def changes(tz: ZoneInfo, first_year: int, last_year: int) -> tuple[Change, ...]:
    """Every change of offset from 1 January of first_year to 31 December of last_year, found
    day by day and then to the second (zoneinfo does not list its transitions)."""
    found = []
    moment = dt.datetime(first_year, 1, 1, tzinfo=UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(tz).utcoffset()
    while moment < end:
        following = moment + dt.timedelta(days=1)
        if following.astimezone(tz).utcoffset() != offset:
            low, high = moment, following  # the change is after low and at or before high
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            local = high.astimezone(tz)
            new = local.utcoffset()
            assert offset is not None and new is not None
            found.append(Change(high, offset, new, local.tzname() or _offset_text(new), bool(local.dst())))
            offset = new
        moment = following
    return tuple(found)


def yearly_rule(starts: list[dt.datetime]) -> str | None:
    """'FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU' when the local starts fall one a year, in the same month,
    on the same weekday of the same week (or the last one) at the same time; else None."""
    if len(starts) < 2:
        return None
    first = starts[0]
    if any(b.year != a.year + 1 for a, b in itertools.pairwise(starts)):
        return None
    if any((s.month, s.weekday(), s.time()) != (first.month, first.weekday(), first.time()) for s in starts):
        return None
    if all(s.day + 7 > calendar.monthrange(s.year, s.month)[1] for s in starts):
        week = -1
    elif len({(s.day - 1) // 7 for s in starts}) == 1:
        week = (first.day - 1) // 7 + 1
    else:
        return None
    return f"FREQ=YEARLY;BYMONTH={first.month};BYDAY={week}{WEEKDAYS[first.weekday()]}"


def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE for `tzid`, right for every moment from first_year to last_year (and a year
    either side, so that an event near New Year is never at the edge)."""
    tz = ZoneInfo(tzid)
    found = changes(tz, first_year - 1, last_year + 1)
    component = Timezone()
    component.add("tzid", tzid)
    groups: dict[tuple[dt.timedelta, dt.timedelta, str, bool], list[Change]] = {}
    for change in found:
        groups.setdefault((change.before, change.after, change.name, change.dst), []).append(change)
    observances: list[tuple[Change, str | None, dt.datetime | None]] = []
    for group in groups.values():
        rule = yearly_rule([c.local_start for c in group])
        if rule:
            until = None if group[-1].at.year == last_year + 1 else group[-1].at  # a rule that stopped
            observances.append((group[0], rule, until))
        else:
            observances += [(change, None, None) for change in group]
    if not observances or any(rule is None for _, rule, _ in observances):
        # Before the first change (or for a zone with none): the offset in force at the start.
        start = dt.datetime(first_year - 1, 1, 1, tzinfo=UTC).astimezone(tz)
        offset = start.utcoffset()
        assert offset is not None
        observances.insert(0, (Change(start.astimezone(UTC), offset, offset, start.tzname() or _offset_text(offset),
                                      bool(start.dst())), None, None))
    for change, rule, until in sorted(observances, key=lambda o: o[0].at):
        part = TimezoneDaylight() if change.dst else TimezoneStandard()
        part.add("tzname", change.name)
        part.add("tzoffsetfrom", change.before)
        part.add("tzoffsetto", change.after)
        part.add("dtstart", change.local_start)
        if rule:
            value = rule + (f";UNTIL={until.strftime('%Y%m%dT%H%M%SZ')}" if until else "")
            part.add("rrule", _rrule(value))
        component.add_component(part)
    return component


def _rrule(text: str) -> dict[str, object]:
    """icalendar's vRecur takes a mapping: 'FREQ=YEARLY;BYMONTH=10' -> {'FREQ': 'YEARLY', 'BYMONTH': 10}."""
    from icalendar import vRecur

    return vRecur.from_ical(text)  # type: ignore[no-any-return]


def _offset_text(offset: dt.timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
