"""Validators for front matter values. Each takes the raw YAML value and returns a clean
one, or raises FieldError with a plain-English message (the caller adds path and line)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from .errors import did_you_mean
from .vocab import Vocabulary


class FieldError(ValueError):
    pass


Validator = Callable[[Any, "FieldContext"], Any]


class FieldContext:
    """What a validator may need beyond the value: the site's time zone and vocabularies."""

    def __init__(self, tz: ZoneInfo, vocabularies: dict[str, Vocabulary]):
        self.tz = tz
        self.vocabularies = vocabularies


def text(value: Any, ctx: FieldContext) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise FieldError(f"must be text, not {describe(value)}; put it in quotes if you meant the words")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip()


def boolean(value: Any, ctx: FieldContext) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"must be true or false, not {describe(value)}")
    return value


def text_list(value: Any, ctx: FieldContext) -> tuple[str, ...]:
    """A list of short texts; a single text counts as a list of one."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        raise FieldError(f"must be a list, like [one, two], not {describe(value)}")
    out = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)) or not str(item).strip():
            raise FieldError(f"every entry must be text; {describe(item)} is not")
        out.append(str(item).strip())
    return tuple(out)


def vocabulary_list(name: str) -> Validator:
    def check(value: Any, ctx: FieldContext) -> tuple[str, ...]:
        vocab = ctx.vocabularies[name]
        out = []
        for item in text_list(value, ctx):
            canonical = vocab.canonical(item)
            if canonical is None:
                raise FieldError(vocab.explain(item))
            if canonical not in out:
                out.append(canonical)
        return tuple(out)

    return check


def vocabulary_one(name: str) -> Validator:
    def check(value: Any, ctx: FieldContext) -> str:
        vocab = ctx.vocabularies[name]
        canonical = vocab.canonical(text(value, ctx))
        if canonical is None:
            raise FieldError(vocab.explain(str(value)))
        return canonical

    return check


def choice(*allowed: str) -> Validator:
    def check(value: Any, ctx: FieldContext) -> str:
        word = text(value, ctx).lower()
        if word not in allowed:
            raise FieldError(f'"{value}" must be one of: {", ".join(allowed)}{did_you_mean(word, allowed)}')
        return word

    return check


MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"], 1)}


YEARS = range(1900, 2200)  # beyond these a date is a typing mistake (and date arithmetic overflows)


def date(value: Any, ctx: FieldContext) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if isinstance(value, dt.date):
        return _likely(value)
    raise FieldError(f'"{value}" is not a date (write {suggest_date(value)})')


def _likely(value: dt.date) -> Any:
    if value.year not in YEARS:
        raise FieldError(f'{value.isoformat()} has an unlikely year; check it (sitegen takes years from {YEARS.start} to {YEARS.stop - 1})')
    return value


def date_or_datetime(value: Any, ctx: FieldContext) -> dt.date | dt.datetime:
    """A day (all-day) or a moment; a moment without a zone is in the site's time zone."""
    if isinstance(value, dt.datetime):
        return _likely(value.replace(tzinfo=ctx.tz) if value.tzinfo is None else value.astimezone(ctx.tz))
    if isinstance(value, dt.date):
        return _likely(value)
    if isinstance(value, str):
        for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
            try:
                parsed = parse(value.strip())
            except ValueError:
                continue
            return date_or_datetime(parsed, ctx)
    suggestion = suggest_date(value)
    if suggestion[0].isdigit():
        raise FieldError(f'"{value}" is not a date or a date and time (write {suggestion}, or "{suggestion} 16:00" with a time)')
    raise FieldError(f'"{value}" is not a date or a date and time (write a date as YYYY-MM-DD, or a date and time as "YYYY-MM-DD HH:MM")')


def suggest_date(value: Any) -> str:
    """The ISO spelling of a date written another way ('10th March 2022' -> 2022-03-10), when it can be read."""
    s = str(value).lower()
    day = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", s)
    year = re.search(r"\b(\d{4})\b", s)
    month = next((n for name, n in MONTHS.items() if name[:3] in s), None)
    numeric = re.fullmatch(r"\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*", s)
    if numeric:  # British order: day/month/year
        d, m, y = (int(g) for g in numeric.groups())
    elif day and month:
        d, m, y = int(day.group(1)), month, int(year.group(1)) if year else dt.date.today().year
    else:
        return "the date as YYYY-MM-DD, e.g. 2026-03-10"
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return "a real date as YYYY-MM-DD, e.g. 2026-03-10"


def link(value: Any, ctx: FieldContext) -> str:
    """A web address (https://...) or a path on this site (/files/plan.pdf)."""
    s = text(value, ctx)
    if not re.match(r"^(https?://[^\s/]+\S*|/\S*|mailto:\S+)$", s):
        raise FieldError(f'"{s}" is not a web address: write it in full, starting https://')
    return s


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(value: Any, ctx: FieldContext) -> str:
    s = text(value, ctx)
    if not EMAIL.match(s):
        raise FieldError(f'"{s}" is not an email address')
    return s


def urn(value: Any, ctx: FieldContext) -> int:
    """A school's Unique Reference Number: six or seven digits."""
    s = text(value, ctx)
    if not re.fullmatch(r"\d{6,7}", s):
        raise FieldError(f'"{s}" is not a URN (a school\'s 6-digit Unique Reference Number)')
    return int(s)


def references(value: Any, ctx: FieldContext) -> tuple[str, ...]:
    """Slugs or URNs of other items; checked against the site later."""
    return text_list(value, ctx)


def contacts(value: Any, ctx: FieldContext) -> tuple[dict[str, str], ...]:
    if not isinstance(value, list):
        value = [value]
    out = []
    for i, entry in enumerate(value, 1):
        if isinstance(entry, dict) and not any(entry.values()):
            continue  # an unfilled line from `sitegen new`
        if not isinstance(entry, dict) or "name" not in entry:
            raise FieldError(f"contact {i} must be a mapping with a name (and a role and email), like '- {{name: A. Head, role: Chair, email: a@school.example}}'")
        unknown = set(entry) - {"name", "role", "email", "phone"}
        if unknown:
            key = sorted(map(str, unknown))[0]
            raise FieldError(f"contact {i} has unknown key '{key}'{did_you_mean(key, ['name', 'role', 'email', 'phone'])}")
        clean = {"name": text(entry["name"], ctx), "role": "", "email": "", "phone": ""}
        for key in ("role", "phone"):
            if entry.get(key) is not None:
                clean[key] = text(entry[key], ctx)
        if entry.get("email") is not None:
            try:
                clean["email"] = email(entry["email"], ctx)
            except FieldError as exc:
                raise FieldError(f"contact {i}: {exc}") from None
        out.append(clean)
    return tuple(out)


def menu(value: Any, ctx: FieldContext) -> dict[str, Any] | None:
    """`menu: true`, `menu: Title`, or `menu: {title: Title, order: 3}`."""
    if value is False or value is None:
        return None
    if value is True:
        return {"title": None, "order": 100}
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return {"title": str(value), "order": 100}
    if isinstance(value, dict) and set(value) <= {"title", "order"}:
        order = value.get("order", 100)
        if isinstance(order, bool) or not isinstance(order, int):
            raise FieldError("order must be a whole number")
        return {"title": text(value["title"], ctx) if "title" in value else None, "order": order}
    raise FieldError("write 'menu: true', 'menu: Menu title' or 'menu: {title: Menu title, order: 2}'")


def mapping(value: Any, ctx: FieldContext) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FieldError(f"must be a mapping of 'key: value' lines, not {describe(value)}")
    return value


def describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f'"{value}"'
