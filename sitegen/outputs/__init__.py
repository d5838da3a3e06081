"""plan(): every file the build writes, as plain descriptions. Rendering them is a separate, pure step."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Site


@dataclass(frozen=True)
class Output:
    """One page to render: its site path, the template, and what the template sees besides `site`."""

    url: str
    template: str
    context: dict[str, Any] = field(default_factory=dict, hash=False)
    source: str | None = None  # the content file it comes from, for errors


@dataclass(frozen=True)
class Copy:
    """A file copied as it is."""

    src: Path
    url: str


def plan(site: Site, static: dict[str, Path]) -> tuple[list[Output], list[Copy]]:
    from . import files, pages

    return pages.plan(site), files.plan(site, static)
