"""What the plan is made of: an Output (a page or a file the build makes) and a Copy (a file copied as it is)."""


from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.site import Site


class Words(str):
    """Words an output builds for its page ('News from 2026'), in English as a string, and translatable:
    the theme's `translated` looks `msgid` up in the page's language and fills in `values` (each a
    Words is translated too; a name such as a year or a tag is not). English pages show the string itself."""

    msgid: str
    values: dict[str, str]

    def __new__(cls, msgid: str, **values: str) -> Words:
        words = super().__new__(cls, msgid % values if values else msgid)
        words.msgid, words.values = msgid, values
        return words


@dataclass(slots=True)  # thousands are made on every rebuild: slots make that quicker than frozen
class Output:
    """One file to make: its site path, and the template (or function) that makes it."""

    url: str
    template: str | None = None  # a Jinja template, for HTML pages
    context: dict[str, Any] = field(default_factory=dict)  # what the template sees besides `site`
    source: str | None = None  # the content file it comes from, for errors
    render: Callable[[Output, Site], bytes] | None = None  # for files that are not pages
    in_sitemap: bool = True


@dataclass(frozen=True)
class Copy:
    """A file copied as it is."""

    src: Path
    url: str


@dataclass(frozen=True)
class Pagination:
    """Where a page of a paginated list stands: `pagination.number` of `pagination.count`."""

    number: int
    count: int
    first_url: str

    def url(self, number: int) -> str:
        return self.first_url if number == 1 else f"{self.first_url}page/{number}/"

    def window(self, around: int = 2) -> list[int | None]:
        """The page numbers a pager shows: the first, the last, and `around` on each side of this one; None
        where numbers are left out. A list of 300 pages does not link all 300 from each of them."""
        shown = sorted({1, self.count, *range(max(1, self.number - around), min(self.count, self.number + around) + 1)})
        out: list[int | None] = []
        for n in shown:
            if out and n - (out[-1] or 0) > 1:
                out.append(None)
            out.append(n)
        return out

    @property
    def previous_url(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.count else None


def paginate(first_url: str, template: str, items: Sequence[Any], per_page: int, **context: Any) -> list[Output]:
    """Pages of `items`: first_url, then first_url + 'page/2/', ...; an empty list still gets its first page."""
    count = max(1, math.ceil(len(items) / per_page))
    outputs = []
    for number in range(1, count + 1):
        pagination = Pagination(number, count, first_url)
        chunk = items[(number - 1) * per_page : number * per_page]
        outputs.append(Output(pagination.url(number), template, {**context, "items": chunk, "pagination": pagination}))
    return outputs
