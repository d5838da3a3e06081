"""Dates and times as pages show them (2 December 2026, 3.30pm; in Welsh 2 Rhagfyr 2026, 15:30)
and as machines read them (ISO 8601)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel import dates as cldr

ENGLISH = "en-GB"  # the theme's own language: dates in the style British schools write them


def is_english(language: str) -> bool:
    return language.lower().replace("_", "-").split("-")[0] == "en"


@lru_cache(maxsize=32)
def locale_of(language: str) -> Locale:
    """Babel's locale for a BCP 47 tag ('cy', 'cy-GB', 'fr'); British English when CLDR does not know it."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def format_date(value: dt.date | dt.datetime | None, style: str = "long", language: str = ENGLISH) -> str:
    """'10 March 2026' (long), '10 Mar 2026' (short) or 'Tuesday 10 March 2026' (full); in another
    language, CLDR's long, medium or full date ('10 Mawrth 2026', 'Dydd Mawrth, 10 Mawrth 2026')."""
    if value is None:
        return ""
    if not is_english(language):
        return cldr.format_date(value, {"short": "medium"}.get(style, style), locale=locale_of(language))
    if style == "short":
        return f"{value.day} {value.strftime('%b %Y')}"
    if style == "full":
        return f"{value.strftime('%A')} {value.day} {value.strftime('%B %Y')}"
    return f"{value.day} {value.strftime('%B %Y')}"


def format_time(value: dt.datetime, language: str = ENGLISH) -> str:
    """'4pm', '9:30am': the way British schools write times; in another language, CLDR's short time ('16:00')."""
    if not is_english(language):
        return cldr.format_time(value, "short", locale=locale_of(language))
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def format_datetime(value: dt.date | dt.datetime, language: str = ENGLISH) -> str:
    if isinstance(value, dt.datetime):
        return f"{format_date(value, 'full', language)}, {format_time(value, language)}"
    return format_date(value, "full", language)


def month_abbreviation(value: dt.date, language: str = ENGLISH) -> str:
    """A date badge's month: 'Dec', or CLDR's stand-alone abbreviation ('Rhag')."""
    if is_english(language):
        return value.strftime("%b")
    return cldr.format_date(value, "LLL", locale=locale_of(language)).rstrip(".")


def iso(value: dt.date | dt.datetime) -> str:
    return value.isoformat()
