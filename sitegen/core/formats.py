"""Dates and times as pages show them (2 December 2026, 3.30pm) and as machines read them (ISO 8601)."""

from __future__ import annotations

import datetime as dt


def format_date(value: dt.date | dt.datetime | None, style: str = "long") -> str:
    """'10 March 2026' (long), '10 Mar 2026' (short) or 'Tuesday 10 March 2026' (full)."""
    if value is None:
        return ""
    if style == "short":
        return f"{value.day} {value.strftime('%b %Y')}"
    if style == "full":
        return f"{value.strftime('%A')} {value.day} {value.strftime('%B %Y')}"
    return f"{value.day} {value.strftime('%B %Y')}"


def format_time(value: dt.datetime) -> str:
    """'4pm', '9:30am': the way British schools write times."""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def format_datetime(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        return f"{format_date(value, 'full')}, {format_time(value)}"
    return format_date(value, "full")


def iso(value: dt.date | dt.datetime) -> str:
    return value.isoformat()
