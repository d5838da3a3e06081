"""`sitegen new KIND "Title"`: a new content file with its front matter filled in.

The front matter comes from an archetype: templates/archetypes/<kind>.md in the hub
if there is one, else the built-in theme's. `{{ title }}` (already quoted for YAML),
`{{ today }}` and `{{ slug }}` are filled in.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jinja2

from .errors import TemplateError, UsageError
from .templates import THEME
from .urls import slugify

# What a writer may type -> the content folder (and archetype) it means.
KINDS = {
    "news": "news", "post": "news", "event": "events", "events": "events", "resource": "resources",
    "resources": "resources", "network": "networks", "networks": "networks", "school": "schools",
    "schools": "schools", "page": "pages", "pages": "pages",
}
DATED = ("news", "events")


def new_content(root: Path, kind: str, title: str, today: dt.date) -> Path:
    """Write the new file and return its path; never overwrites."""
    folder = KINDS.get(kind.lower())
    if folder is None:
        raise UsageError(f"unknown kind '{kind}': use one of news, event, resource, network, school, page")
    slug = slugify(title)
    if not slug:
        raise UsageError("the title needs some letters or digits, to make the file name from")
    name = f"{today.isoformat()}-{slug}.md" if folder in DATED else f"{slug}.md"
    path = root / "content" / ("" if folder == "pages" else folder) / name
    if path.exists():
        raise UsageError(f"{path.relative_to(root).as_posix()} already exists: choose another title, or edit that file")
    archetype = root / "templates" / "archetypes" / f"{folder}.md"
    if not archetype.is_file():
        archetype = THEME / "archetypes" / f"{folder}.md"
    shown = archetype.relative_to(root).as_posix() if archetype.is_relative_to(root) else archetype.name
    try:
        template = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True).from_string(
            archetype.read_text(encoding="utf-8"))
        text = template.render(title=json.dumps(title, ensure_ascii=False), today=today.isoformat(), slug=slug)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}", shown, exc.lineno) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{exc.message}; an archetype may use {{{{ title }}}}, {{{{ today }}}} and {{{{ slug }}}}", shown, None) from None
    except UnicodeDecodeError:
        raise TemplateError("is not UTF-8 text: save it again as UTF-8", shown, None) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": fail rather than overwrite, even in a race
        out.write(text)
    return path
