"""`sitegen new KIND "Title"`: a new content file with its front matter filled in.

The front matter comes from the content schema: the title, the required fields, the kind's
own fields (each with its help as a comment), tags, networks and `draft: true`. A hub may
write its own archetype instead, as templates/archetypes/<kind>.md, in which `{{ title }}`
(already quoted for YAML), `{{ today }}` and `{{ slug }}` are filled in.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jinja2
import yaml

from ..content.discover import is_inside
from ..core.errors import TemplateError, UsageError
from ..core.urls import slugify
from ..schema.kinds import Field, Kind, Schema
from ..schema.vocab import normalise

LEFT_OUT = ("slug", "aliases", "template", "extra", "publish_date", "expires", "draft")  # advanced: documented, not pre-filled


def find_kind(schema: Schema, written: str) -> Kind | None:
    """The kind a writer means: 'news', 'event', 'events', 'Vacancy', 'post'..."""
    wanted = normalise(written)
    for kind in schema:
        if wanted in {normalise(kind.name), normalise(kind.singular), normalise(kind.title)} or (kind.name == "news" and wanted == "post"):
            return kind
    return None


def kind_names(schema: Schema) -> str:
    return ", ".join(k.singular.split()[0] if k.name == "news" else k.singular for k in schema)


def new_content(root: Path, schema: Schema, kind_written: str, title: str, today: dt.date) -> Path:
    """Write the new file and return its path; never overwrites."""
    kind = find_kind(schema, kind_written)
    if kind is None:
        raise UsageError(f"unknown kind '{kind_written}': use one of {kind_names(schema)}")
    strange = [c for c in title if "\ud800" <= c <= "\udfff" or (not c.isprintable() and c not in "\n\t")]
    if strange:  # a surrogate is what Python makes of bytes that are not UTF-8: such a file could not even be written
        raise UsageError(f"the title has a character that is not text ({ascii(strange[0])[1:-1]}); type the title again")
    slug = slugify(title)
    if not slug:
        raise UsageError("the title needs some letters or digits, to make the file name from")
    # A post is published on its date, so today's date begins its file name; an event's date is when it
    # happens, not known yet: a date in its name would only disagree with the one written (a warning).
    name = f"{today.isoformat()}-{slug}.md" if kind.date_field and kind.waits_for_date else f"{slug}.md"
    path = root / "content" / ("" if kind.name == "pages" else kind.name) / name
    _refuse_links_out(root, path.parent)
    if path.exists():
        raise UsageError(f"{path.relative_to(root).as_posix()} already exists: choose another title, or edit that file")
    archetype = root / "templates" / "archetypes" / f"{kind.name}.md"
    if archetype.is_file():
        _refuse_links_out(root, archetype)
    text = from_archetype(archetype, root, title, today, slug) if archetype.is_file() else front_matter(kind, title, today)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": fail rather than overwrite, even in a race
        out.write(text)
    return path


def _refuse_links_out(root: Path, path: Path) -> None:
    """Never write or read through a link to somewhere outside the hub (content/news -> /home/...)."""
    if is_inside(path, root):
        return
    step = root
    for part in path.relative_to(root).parts:
        step = step / part
        if not is_inside(step, root):
            break
    raise UsageError(f"{step.relative_to(root).as_posix()} is a link to somewhere outside the hub: "
                     "sitegen only reads and writes inside the hub's own folders; make it a real folder or file of the hub")


def front_matter(kind: Kind, title: str, today: dt.date) -> str:
    """A new file of `kind`, from the schema: every field it is worth filling in, with its help beside it."""
    fields = [f for f in kind.fields if f.name not in LEFT_OUT and f.type not in ("mapping",)]
    first = [f for f in fields if f.name == "title" or f.required]
    rest = [f for f in fields if f not in first]
    lines = ["---"]
    for field in first + rest:
        value = json.dumps(title, ensure_ascii=False) if field.name == "title" else _starting_value(field, kind, today)
        comment = _comment(field) if field.name != "title" else ""
        lines.append(f"{field.name}: {value}" + (f"  # {comment}" if comment else ""))
    lines += ["draft: true  # delete this line when it is ready to publish", "---"]
    return "\n".join(lines) + "\n" + kind.prompt + "\n"


def _starting_value(field: Field, kind: Kind, today: dt.date) -> str:
    if field.type == "date" and (field.required or field.name == kind.date_field):
        return today.isoformat()
    if field.many or field.type == "contacts":
        return "[]"
    if field.type == "choice":  # as YAML reads it back: "fixed term: 1 year" in quotes
        plain = field.choices[0]
        return plain if _reads_back(plain) else json.dumps(plain, ensure_ascii=False)
    if field.type == "boolean":
        return "false"
    return '""'


def _reads_back(value: str) -> bool:
    try:
        return bool(yaml.safe_load(value) == value and value == value.strip() and "#" not in value)
    except yaml.YAMLError:
        return False


def _comment(field: Field) -> str:
    """The field's help on one line: a line break in site.yaml's help would end the comment and start a field."""
    return " ".join(_comment_text(field).split())


def _comment_text(field: Field) -> str:
    help_text = field.help.rstrip(".")
    if field.type == "choice":
        return f"{help_text}: {', '.join(field.choices)}" if help_text else f"one of {', '.join(field.choices)}"
    if field.type == "vocabulary":
        return f"{help_text}, e.g. {field.example}"
    if not field.example or field.type == "boolean":
        return help_text
    return f"{help_text} (e.g. {field.example})" if help_text else f"e.g. {field.example}"


def from_archetype(archetype: Path, root: Path, title: str, today: dt.date, slug: str) -> str:
    shown = archetype.relative_to(root).as_posix()
    try:
        template = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True).from_string(
            archetype.read_text(encoding="utf-8"))
        return template.render(title=json.dumps(title, ensure_ascii=False), today=today.isoformat(), slug=slug)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}", shown, exc.lineno) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{exc.message}; an archetype may use {{{{ title }}}}, {{{{ today }}}} and {{{{ slug }}}}", shown, None) from None
    except UnicodeDecodeError:
        raise TemplateError("is not UTF-8 text: save it again as UTF-8", shown, None) from None
