"""Reading front matter values, one function per field type, forgiving of how people write.

Each reader takes the raw YAML value and returns a clean one, or raises FieldError with
plain-English messages (the caller adds path and line). A value that is accepted but
written oddly ("www.school.org") is mended and noted in `FieldContext.notes` as a warning.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ..core.errors import did_you_mean
from .vocab import Vocabulary, normalise

if TYPE_CHECKING:
    from .kinds import Field


class FieldError(ValueError):
    """One or more reasons a value cannot be used."""

    def __init__(self, *messages: str):
        super().__init__("; ".join(messages))
        self.messages = messages


class FieldContext:
    """What reading a value may need beyond it: the site's time zone and vocabularies, and a place for notes."""

    def __init__(self, tz: ZoneInfo, vocabularies: dict[str, Vocabulary]):
        self.tz = tz
        self.vocabularies = vocabularies
        self.notes: list[str] = []  # warnings about values that were mended

    def fresh(self) -> FieldContext:
        return FieldContext(self.tz, self.vocabularies)


Reader = Callable[[Any, "Field", FieldContext], Any]


def read(value: Any, field: Field, ctx: FieldContext) -> Any:
    """The clean value of `field`; a field that takes several values gives a tuple."""
    reader = READERS[field.type]
    if not field.many or field.type in ("contacts",):
        return reader(value, field, ctx)
    items = split_list(value, commas=not field.prose)
    out: list[Any] = []
    errors: list[str] = []
    for item in items:
        try:
            clean = reader(item, field, ctx)
        except FieldError as exc:
            errors += exc.messages
            continue
        if clean not in out:
            out.append(clean)
    if errors:
        raise FieldError(*errors)
    return tuple(out)


def split_list(value: Any, commas: bool = True) -> list[Any]:
    """One value, a YAML list, or (unless the field holds sentences) a comma-separated line: 'ITT, NPQ'."""
    if isinstance(value, dict):
        raise FieldError(f"must be a list, like [one, two], not {describe(value)}")
    if not isinstance(value, list):
        value = [value]
    items: list[Any] = []
    for item in value:
        if isinstance(item, str) and commas:
            items += [part.strip() for part in item.split(",") if part.strip()]
        elif item is not None and item != "":
            items.append(item)
    return items


def text(value: Any, field: Field | None = None, ctx: FieldContext | None = None) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict, set, frozenset, tuple, bytes, bytearray)):
        raise FieldError(f"must be text, not {describe(value)}; put it in quotes if you meant the words")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip()


def number(value: Any, field: Field, ctx: FieldContext) -> int | float:
    """12, 1,000, 1_000, 2.50, 1e3; never infinity or "not a number", which no page can show."""
    if isinstance(value, str):
        digits = value.strip().replace(",", "")
        for parse in (int, float):
            try:
                value = parse(digits)
                break
            except ValueError:
                pass
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value in (math.inf, -math.inf) or value != value:
        raise FieldError(f"must be a number, not {describe(value)}")
    return int(value) if isinstance(value, int) else float(value)  # the number itself, not how it was written


YES = {"yes", "y", "true", "on", "1"}


NO = {"no", "n", "false", "off", "0"}


def truth(value: Any) -> bool | None:
    """true/false, or a yes/no word as people write them (yes, no, y, n, on, off); None for anything else."""
    if isinstance(value, bool):
        return value
    word = value.strip().lower() if isinstance(value, str) else ""
    return True if word in YES else False if word in NO else None


def boolean(value: Any, field: Field | None = None, ctx: FieldContext | None = None) -> bool:
    answer = truth(value)
    if answer is None:
        raise FieldError(f"must be true or false, not {describe(value)}")
    return answer


def vocabulary(value: Any, field: Field, ctx: FieldContext) -> str:
    vocab = ctx.vocabularies[field.vocabulary]
    word = text(value)
    canonical = vocab.canonical(word)
    if canonical is None:
        raise FieldError(vocab.explain(word))
    return canonical


def choice(value: Any, field: Field, ctx: FieldContext) -> str:
    word = text(value)
    wanted = normalise(word)
    for allowed in field.choices:
        if normalise(allowed) == wanted:
            return allowed
    if wanted in field.synonyms:
        return field.synonyms[wanted]
    raise FieldError(f'"{word}" must be one of: {", ".join(field.choices)}{did_you_mean(word, field.choices)}')


MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"], 1)}


YEARS = range(1900, 2200)  # beyond these a date is a typing mistake (and date arithmetic overflows)


_TIME = r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?\s*(?P<ampm>[ap]\.?m\.?)?"


_DATE_TIME = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})(?:[T ]\s*" + _TIME + r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?)?", re.I)


_TIME_ONLY = re.compile(_TIME, re.I)


def date(value: Any, field: Field | None, ctx: FieldContext) -> dt.date | dt.datetime | dt.time:
    """A day, or a day and time (kept: a news post written at 16:30 says so in its feed).

    A moment with no zone is in the site's time zone. Where `field.same_day_as` is set, a time
    alone ("17:00") is accepted and later put on that field's day."""
    if isinstance(value, dt.datetime):
        return _likely(_local(value, ctx) if value.tzinfo is None else value.astimezone(ctx.tz))
    if isinstance(value, dt.date):
        return _likely(value)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        s = str(value).strip()  # as written: 9.30 is half past nine, not a number
        match = _DATE_TIME.fullmatch(s)
        if match:
            return _likely(_moment(match, ctx))
        time_only = _TIME_ONLY.fullmatch(s)
        if time_only and (":" in s or "." in s or time_only["ampm"]):
            if field is not None and field.same_day_as:
                return _clock(time_only)
            raise FieldError(f'"{s}" is a time without a day: write the date too, e.g. "2026-10-02 {s}"')
    suggestion = suggest_date(value)
    if suggestion[0].isdigit():
        raise FieldError(f'"{value}" is not a date (write {suggestion}, or "{suggestion} 16:00" with a time)')
    raise FieldError(f'"{value}" is not a date (write a date as YYYY-MM-DD, or a date and time as "YYYY-MM-DD HH:MM")')


def _moment(match: re.Match[str], ctx: FieldContext) -> dt.date | dt.datetime:
    try:
        day = dt.date.fromisoformat(match["date"])
    except ValueError:
        raise FieldError(f'"{match.string}" is not a real date (is the day or month wrong?)') from None
    if match["hour"] is None:
        return day
    moment = dt.datetime.combine(day, _clock(match))
    zone = match["zone"]
    if zone is None:
        return _local(moment, ctx)
    if zone.upper() == "Z":
        return moment.replace(tzinfo=dt.UTC).astimezone(ctx.tz)
    sign = 1 if zone[0] == "+" else -1
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if minutes > 59 or hours > (14 if sign > 0 else 12):  # the world's offsets run from -12:00 to +14:00
        raise FieldError(f'"{match.string}": {zone} is not a time-zone offset (they run from -12:00 to +14:00; '
                         "write +01:00 for British Summer Time, or leave it off for the site's time zone)")
    offset = dt.timedelta(hours=hours, minutes=minutes)
    return moment.replace(tzinfo=dt.timezone(sign * offset)).astimezone(ctx.tz)


def _local(moment: dt.datetime, ctx: FieldContext) -> dt.datetime:
    """A wall-clock time in the site's zone; one the clocks skip (01:30 on the night they go forward)
    is noted, and read as the moment it would be had they not gone forward (an hour later on the clock)."""
    local = moment.replace(tzinfo=ctx.tz)
    real = local.astimezone(dt.UTC).astimezone(ctx.tz)
    if real.replace(tzinfo=None) != moment:
        ctx.notes.append(f"{moment:%Y-%m-%d %H:%M} does not happen in {ctx.tz}: the clocks go forward that night, "
                         f"so it is read as {real:%H:%M}; check the time")
        return real  # pages show the time the clocks did show
    return local


def _clock(match: re.Match[str]) -> dt.time:
    hour, minute, second = int(match["hour"]), int(match["minute"] or 0), int(match["second"] or 0)
    ampm = (match["ampm"] or "").lower().replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise FieldError(f'"{match.string}": {hour}{ampm} is not a time')
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        return dt.time(hour, minute, second)
    except ValueError:
        raise FieldError(f'"{match.string}" is not a time of day (write it like 16:30)') from None


def _likely(value: dt.date) -> Any:
    if value.year not in YEARS:
        raise FieldError(f'{value.isoformat()} has an unlikely year; check it (sitegen takes years from {YEARS.start} to {YEARS.stop - 1})')
    return value


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


def link(value: Any, field: Field | None, ctx: FieldContext) -> str:
    """A web address (https://...) or a path on this site (/files/plan.pdf); 'www.x.org' gets its https://."""
    s = text(value)
    if re.match(r"^www\.[^\s/]+\.[^\s]+$", s, re.I):
        ctx.notes.append(f'"{s}" is taken as https://{s}; write the address in full to silence this')
        s = "https://" + s
    if not re.match(r"^(https?://[^\s/]+\S*|/\S*|mailto:\S+)$", s):
        raise FieldError(f'"{s}" is not a web address: write it in full, starting https://')
    _check_port(s, str(value).strip())
    return s


def _check_port(address: str, written: str) -> None:
    """A port no address can have (www.school.org:99999) is a typing mistake, not a link."""
    if not re.match(r"https?://", address, re.I):
        return
    try:
        port = urlsplit(address).port
    except ValueError:
        port = -1
    if port == -1:
        raise FieldError(f'"{written}" is not a web address: its port (the number after ":") must be from 1 to 65535; '
                         "write the address without it")


def path(value: Any, field: Field | None, ctx: FieldContext) -> str:
    """A file: a site path (/img/visit.jpg, from static/), a path beside the content file, or a web address.
    Spaces and any letters are fine; the output percent-encodes them."""
    s = text(value)
    if not s:
        raise FieldError("is empty: name a file, e.g. /img/visit.jpg")
    return s


# An address a browser would read as another site or a script: a scheme (javascript:, data:, https:host),
# a host without one (//host, /\\host), or characters browsers drop or turn into "/" (tabs, line breaks, "\\").
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)
_HTTPS_WITH_HOST = re.compile(r"https://[^\s/?#@:]+(:\d+)?([/?#].*)?", re.I)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")


def picture(value: Any, field: Field | None, ctx: FieldContext) -> str:
    """A picture's address: a site path (/img/visit.jpg), a file beside the content (photo.jpg, ../img/x.png),
    or an https:// address with a host (which `check` lists as a third-party load). Nothing else reaches <img src>."""
    s = path(value, field, ctx)
    on_this_site = not (_SCHEME.match(s) or s.startswith("//"))
    if (on_this_site or _HTTPS_WITH_HOST.fullmatch(s)) and not _UNSAFE.search(s):
        if not on_this_site:
            _check_port(s, s)
        return s
    raise FieldError(f'"{s}" is not a picture\'s address: write a file beside this page, a path such as /img/visit.jpg, '
                     "or an https:// address")


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(value: Any, field: Field | None = None, ctx: FieldContext | None = None) -> str:
    s = text(value)
    if s.lower().startswith("mailto:"):
        s = s[len("mailto:"):]
    if not EMAIL.match(s):
        raise FieldError(f'"{s}" is not an email address')
    return s


def urn(value: Any, field: Field | None = None, ctx: FieldContext | None = None) -> int | str:
    """A school's Unique Reference Number: six or seven digits. Outside England, the number in the shape the
    curriculum gives (a Welsh school number, a SEED code, a DE reference number), kept as written."""
    s = text(value)
    if field is not None and field.pattern:
        if not re.fullmatch(field.pattern, s):
            label = field.label if field.label[1:2].isupper() else field.label.lower()  # "school number", "SEED code"
            raise FieldError(f'"{s}" is not a {label} ({field.help[:1].lower()}{field.help[1:].rstrip(".")}, such as {field.example})')
        return s
    if not re.fullmatch(r"\d{6,7}", s):
        raise FieldError(f'"{s}" is not a URN (a school\'s 6-digit Unique Reference Number)')
    return int(s)


def reference(value: Any, field: Field, ctx: FieldContext) -> str:
    """The slug (or, for a school, the URN) of another item; checked against the site when it is assembled."""
    s = text(value)
    if not s:
        raise FieldError("is empty")
    return s


CONTACT_KEYS = ("name", "role", "email", "phone")


def contacts(value: Any, field: Field, ctx: FieldContext) -> tuple[dict[str, str], ...]:
    if not isinstance(value, list):
        value = [value]
    out = []
    for i, entry in enumerate(value, 1):
        if isinstance(entry, dict) and not any(entry.values()):
            continue  # an unfilled line from `sitegen new`
        if not isinstance(entry, dict) or "name" not in entry:
            raise FieldError(f"contact {i} must be a mapping with a name (and a role and email), "
                             "like '- {name: A. Head, role: Chair, email: a@school.example}'")
        unknown = set(entry) - set(CONTACT_KEYS)
        if unknown:
            key = sorted(map(str, unknown))[0]
            raise FieldError(f"contact {i} has unknown key '{key}'{did_you_mean(key, CONTACT_KEYS)}")
        clean = {"name": text(entry["name"]), "role": "", "email": "", "phone": ""}
        for key in ("role", "phone"):
            if entry.get(key) is not None:
                clean[key] = text(entry[key])
        if entry.get("email") is not None:
            try:
                clean["email"] = email(entry["email"])
            except FieldError as exc:
                raise FieldError(f"contact {i}: {exc}") from None
        out.append(clean)
    return tuple(out)


def menu(value: Any, field: Field, ctx: FieldContext) -> dict[str, Any] | None:
    """`menu: true`, `menu: Title`, or `menu: {title: Title, order: 3}`."""
    if value is None or truth(value) is False:
        return None
    if truth(value) is True:  # `menu: yes` puts it in the menu, under its own title
        return {"title": None, "order": 100}
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return {"title": str(value), "order": 100}
    if isinstance(value, dict) and set(value) <= {"title", "order"}:
        order = value.get("order", 100)
        if isinstance(order, bool) or not isinstance(order, int):
            raise FieldError("order must be a whole number")
        return {"title": text(value["title"]) if "title" in value else None, "order": order}
    raise FieldError("write 'menu: true', 'menu: Menu title' or 'menu: {title: Menu title, order: 2}'")


def mapping(value: Any, field: Field, ctx: FieldContext) -> dict[str, Any]:
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
    if isinstance(value, (set, frozenset)):  # YAML's !!set: its order changes from run to run
        return "a set (!!set)"
    if isinstance(value, tuple):
        return "a list"
    if isinstance(value, (bytes, bytearray)):  # YAML's !!binary
        return "binary data (!!binary)"
    return f'"{value}"'


READERS: dict[str, Reader] = {
    "text": text, "number": number, "boolean": boolean, "date": date, "link": link, "email": email,
    "image": picture, "file": path, "urn": urn, "choice": choice, "vocabulary": vocabulary, "reference": reference,
    "contacts": contacts, "menu": menu, "mapping": mapping,
}
