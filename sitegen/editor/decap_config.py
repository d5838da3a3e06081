"""The browser editor at /admin/: Decap CMS, configured from the content schema.

`settings()` reads `admin:` in site.yaml; `decap_config()` turns the schema (every kind,
the hub's own included, and the site's vocabularies) into Decap's configuration, so
that the form offers exactly what a build accepts. outputs/admin.py writes the pages.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..config.editor import MEDIA_FOLDER, PUBLIC_FOLDER, AdminSettings, repository
from ..schema.kinds import COMMON, Field, Kind, Schema
from ..schema.vocab import Vocabulary

DATE_ONLY = "YYYY-MM-DD"


DATE_TIME = "YYYY-MM-DD HH:mm"  # what sitegen reads: 2026-10-02 16:30


TRANSLATED = ("text", "contacts", "menu")  # fields a translation writes in its language; it takes the others from its original


def decap_config(schema: Schema, vocabularies: dict[str, Vocabulary], admin: AdminSettings, base_url: str,
                 locales: tuple[str, ...] = ()) -> dict[str, Any]:
    """Decap CMS's config.yml, as data: one collection per kind, its fields from the schema. `locales`: the main
    language's code then the hub's other languages' (each edited side by side, saved as about.cy.md beside about.en.md)."""
    backend: dict[str, Any] = {"name": admin.backend, "branch": admin.branch}
    if admin.backend == "github":
        repo = repository(admin, base_url)
        if repo:
            backend["repo"] = repo
        if admin.auth_url:
            backend["base_url"] = admin.auth_url
        if admin.auth_endpoint:
            backend["auth_endpoint"] = admin.auth_endpoint
    config: dict[str, Any] = {"backend": backend}
    if admin.editorial_workflow:
        config["publish_mode"] = "editorial_workflow"
    if urlsplit(base_url).netloc:
        config["site_url"] = config["display_url"] = base_url
    config.update({
        "media_folder": MEDIA_FOLDER,
        "public_folder": PUBLIC_FOLDER,
        # New file names the way sitegen makes addresses: ASCII letters, digits and hyphens.
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [collection(kind, schema, vocabularies) for kind in schema],
    })
    if len(locales) > 1:
        config["i18n"] = {"structure": "multiple_files", "locales": list(locales), "default_locale": locales[0]}
        for kind, each in zip(schema, config["collections"], strict=True):
            each["i18n"] = True
            translated = {"body"} | {f.name for f in kind.fields if f.type in TRANSLATED}
            for field in each["fields"]:
                if field["name"] in translated:
                    field["i18n"] = True
    return config


def collection(kind: Kind, schema: Schema, vocabularies: dict[str, Vocabulary]) -> dict[str, Any]:
    folder = "content" if kind.name == "pages" else f"content/{kind.name}"
    out: dict[str, Any] = {
        "name": kind.name,
        "label": kind.title,
        "label_singular": kind.singular[:1].upper() + kind.singular[1:],
        "folder": folder,
        "create": True,
        "extension": "md",
        "format": "yaml-frontmatter",
    }
    if kind.name == "pages":
        out["description"] = "The pages at the top of content/ (content/about.md is /about/; content/index.md is the home page's introduction)."
    if kind.date_field:  # news and events: 2026-11-23-our-visit.md, the date taken from the form
        out["slug"] = f"{{{{fields.{kind.date_field} | date('{DATE_ONLY}')}}}}-{{{{slug}}}}"
    else:
        out["slug"] = "{{slug}}"
    order = kind.order.lstrip("-")
    if order != "title":
        out["sortable_fields"] = [{"field": order, "default_sort": "desc" if kind.order.startswith("-") else "asc"}, "title"]
    out["fields"] = [f for f in (widget(field, schema, vocabularies) for field in form_order(kind)) if f] + [body(kind)]
    return out


def form_order(kind: Kind) -> list[Field]:
    """The title, then what is the kind's own (its date first), then the fields every kind has."""
    common = {f.name for f in COMMON}
    own = list(kind.own_fields)
    shared = [f for f in kind.fields if f.name in common and f.name != "title"]
    title = [f for f in kind.fields if f.name == "title"]
    return title + own + shared


def body(kind: Kind) -> dict[str, Any]:
    return {
        "name": "body", "label": "Text", "widget": "markdown", "required": False,
        "hint": "Link to another page by its file, e.g. [the toolkit](../resources/toolkit.md). "
                "Every picture needs a description: ![what it shows](/img/uploads/photo.jpg).",
        "sanitize_preview": True,  # the preview never runs scripts written in the text
        "modes": ["rich_text", "raw"],
    }


def hint(field: Field) -> str:
    """The schema's help, in the words of a form rather than a file."""
    text = field.help.strip()
    if field.type == "reference":  # "The networks it belongs to: their file names without .md." -> the first part
        text = text.split(":")[0].rstrip(".") + "."
    if field.type == "boolean":  # "true keeps it off the site" -> "On: keeps it off the site"
        text = re.sub(r"^true\b", "On:", text)
    if field.example and field.type not in ("boolean", "choice", "vocabulary", "reference", "image", "file"):
        text = f"{text} For example: {field.example}".strip()
    return text


def widget(field: Field, schema: Schema, vocabularies: dict[str, Vocabulary]) -> dict[str, Any] | None:
    """The Decap field for one schema field; None for the few the form leaves to the file
    (a menu entry, your own fields under extra:): the editor keeps them as written."""
    base: dict[str, Any] = {"name": field.name, "label": field.label, "required": field.required}
    if hint(field):
        base["hint"] = hint(field)
    t = field.type
    if t == "text":
        if field.many:
            # Sentences keep their commas, one per entry; short values are typed separated by commas.
            return {**base, "widget": "list", **({"field": {"name": field.name, "label": field.label, "widget": "string"}} if field.prose else {})}
        return {**base, "widget": "string"}
    if t == "number":
        return {**base, "widget": "number", "value_type": "float"}
    if t == "boolean":
        return {**base, "widget": "boolean"}
    if t == "date":
        with_time = ":" in field.example  # the schema's example shows whether a time is usual (events) or not (news)
        return {**base, "widget": "datetime", "format": DATE_TIME if with_time else DATE_ONLY, "date_format": DATE_ONLY,
                "time_format": "HH:mm" if with_time else False, "picker_utc": False}
    if t == "link":
        link = [r"^(https?://|/|mailto:|www\.)\S*$", "Write a web address (https://...) or a path on this site (/about/)"]
        return {**base, "widget": "string", "pattern": link}
    if t == "email":
        email = [r"^\S+@\S+\.\S+$", "Write an email address, e.g. office@school.example"]
        return {**base, "widget": "string", "pattern": email}
    if t == "urn" and field.pattern:  # a school number outside England (curricula.py)
        return {**base, "widget": "string", "pattern": [rf"^\s*{field.pattern}\s*$", f"Write it like {field.example}"]}
    if t == "urn":
        return {**base, "widget": "string", "pattern": [r"^\s*\d{6,7}\s*$", "A URN has 6 or 7 digits"]}
    if t in ("image", "file"):
        return {**base, "widget": t, "choose_url": False}
    if t == "choice":
        options = [{"label": c[:1].upper() + c[1:], "value": c} for c in field.choices]
        return {**base, "widget": "select", "options": options, "multiple": field.many}
    if t == "vocabulary":
        vocab = vocabularies[field.vocabulary]
        options = [{"label": vocab.label(v), "value": v} for v in vocab.values]
        return {**base, "widget": "select", "options": options, "multiple": field.many}
    if t == "reference":
        target = schema.kind(field.to)
        return {**base, "widget": "relation", "collection": target.name, "value_field": reference_value(target),
                "search_fields": ["title"], "display_fields": ["title"], "multiple": field.many}
    if t == "contacts":
        parts = [{"name": "name", "label": "Name", "widget": "string"}] + [
            {"name": k, "label": label, "widget": "string", "required": False} for k, label in (("role", "Role"), ("email", "Email"), ("phone", "Phone"))]
        return {**base, "widget": "list", "summary": "{{fields.name}}", "fields": parts}
    return None  # menu, mapping


def reference_value(target: Kind) -> str:
    """What a reference stores: the item's file name, which is its slug; for dated kinds, whose file
    names start with a date that the slug leaves out, the title (which sitegen also accepts)."""
    return "{{slug}}" if not target.date_field else "title"


def alt_pairs(schema: Schema) -> dict[str, list[list[str]]]:
    """kind -> [[image field, its alt field, the alt field's label]]: the pairs a build requires together."""
    pairs: dict[str, list[list[str]]] = {}
    for kind in schema:
        for field in kind.fields:
            alt = kind.field(field.name + "_alt")
            if field.type == "image" and alt is not None:
                pairs.setdefault(kind.name, []).append([field.name, alt.name, alt.label])
    return pairs


def config_yaml(config: dict[str, Any]) -> str:
    header = ("# Decap CMS settings for /admin/, generated by sitegen from the content schema and site.yaml.\n"
              "# Do not edit: change site.yaml (admin:, kinds:, vocabularies:) and build again.\n")
    return header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000)


def for_local_editing(text: str, url: str) -> str:
    """The served config.yml for `sitegen serve`: Decap's local backend, at `url` (serve itself, which passes the
    editor's requests on to decap-server), saves into the hub's folder."""
    return text + yaml.safe_dump({"local_backend": {"url": url}}, sort_keys=False)
