"""Splitting a content file into its front matter (YAML between --- lines) and its Markdown text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.errors import ContentError
from ..core.yamltext import load_mapping


@dataclass
class FrontMatter:
    meta: dict[str, Any]
    body: str
    body_line: int  # the file's line number of the body's first line
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)


def split(text: str, path: str) -> FrontMatter:
    """Return the front matter of `text`; raise ContentError naming `path` and the line."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise ContentError(
            "the file must start with front matter: a line '---', then 'title: ...', then '---'", path, 1
        )
    for end, line in enumerate(lines[1:], start=1):  # noqa: B007 - `end` is used after the loop
        if line.rstrip() in ("---", "..."):
            break
    else:
        raise ContentError("the front matter starts on line 1 but never ends: add a line '---' after it", path, 1)
    yaml_text = "\n".join(lines[1:end])
    meta, key_lines = load_mapping(yaml_text, path, first_line=2, what="front matter")
    return FrontMatter(meta, "\n".join(lines[end + 1 :]), end + 2, key_lines)
