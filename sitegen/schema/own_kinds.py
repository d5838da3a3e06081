"""A hub's own kinds of content, and its own fields on the built-in kinds, from the `kinds:` setting of site.yaml."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..core.errors import did_you_mean
from .kinds import BUILTIN, BUILTIN_KINDS, COMMON, Field, Kind, Schema, _kind

KIND_KEYS = {"title", "singular", "fields", "order", "template", "list_template"}


FIELD_KEYS = {"type", "label", "help", "example", "required", "many", "choices", "vocabulary", "to", "facet"}


SETTABLE_TYPES = ("text", "number", "boolean", "date", "link", "email", "image", "file", "choice", "vocabulary", "reference")


NAME = re.compile(r"^[a-z][a-z0-9_]*$")


RESERVED = {"home", "assets", "admin", "search", "feed", "tags", "page", "static", "templates", "data", "content"}


def kinds_from_settings(raw: Any, vocabularies: dict[str, Any], err: Any) -> Schema:
    """The built-in kinds with what `kinds:` in site.yaml adds: new kinds, and fields added to built-in ones.

    `err(message)` reports a problem; every problem is reported, and what is wrong is left out."""
    if raw is None:
        return BUILTIN
    if not isinstance(raw, dict):
        err("must be a mapping of kinds, e.g. 'vacancies: {title: Vacancies, fields: {closing_date: {type: date, required: true}}}'")
        return BUILTIN
    kinds = {k.name: k for k in BUILTIN_KINDS}
    new: list[Kind] = []
    for name, spec in raw.items():
        name = str(name)
        if not isinstance(spec, dict):
            err(f"{name}: must be a mapping with title and fields")
            continue
        unknown = set(map(str, spec)) - KIND_KEYS
        for key in sorted(unknown):
            err(f"{name}: unknown key '{key}'{did_you_mean(key, KIND_KEYS)}")
        builtin = kinds.get(name)
        if builtin is not None:  # more fields for a built-in kind
            if set(spec) - {"fields"}:
                err(f"{name}: a built-in kind takes only 'fields:' here")
            added = _fields(spec.get("fields"), f"{name}", builtin, vocabularies, kinds, raw, err)
            kinds[name] = replace(builtin, fields=builtin.fields + added)
            continue
        if not NAME.match(name) or name in RESERVED:
            err(f"'{name}' cannot name a kind: use lowercase letters, digits and underscores, e.g. vacancies")
            continue
        title = spec.get("title") or name.replace("_", " ").capitalize()
        singular = spec.get("singular") or (name[:-3] + "y" if name.endswith("ies") else name.rstrip("s")).replace("_", " ")
        if not isinstance(title, str) or not isinstance(singular, str):
            err(f"{name}: title and singular must be text")
            continue
        own = _fields(spec.get("fields"), name, None, vocabularies, kinds, raw, err)
        kind = _kind(name, title, singular, own, bespoke=False,
                     item_template=str(spec.get("template") or "item.html"), list_template=str(spec.get("list_template") or "items.html"))
        order = spec.get("order", "title")
        dates = [f.name for f in kind.fields if f.type == "date"]
        if not isinstance(order, str) or (order != "title" and order.lstrip("-") not in dates):
            err(f"{name}: order must be 'title', or the name of one of its date fields ({', '.join(dates) or 'it has none'}), "
                "with a '-' in front for newest first")
            order = "title"
        new.append(replace(kind, order=order))
    builtins = [kinds[k.name] for k in BUILTIN_KINDS if k.name != "pages"]
    return Schema((*builtins, *new, kinds["pages"]))


def _fields(raw: Any, where: str, builtin: Kind | None, vocabularies: dict[str, Any], kinds: dict[str, Kind], all_kinds: dict[str, Any],
            err: Any) -> tuple[Field, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        err(f"{where}: fields must be a mapping of field names to their type, e.g. 'salary: text'")
        return ()
    taken = {f.name for f in (builtin.fields if builtin else COMMON)}
    out = []
    for name, spec in raw.items():
        name = str(name)
        at = f"{where}: field '{name}'"
        if not NAME.match(name):
            err(f"{at}: a field's name uses lowercase letters, digits and underscores")
            continue
        if name in taken:
            err(f"{at} is already a field of every {where} item")
            continue
        if isinstance(spec, str):
            spec = {"type": spec}
        if not isinstance(spec, dict):
            err(f"{at}: write its type ('{name}: text') or a mapping ('{name}: {{type: date, required: true}}')")
            continue
        for key in sorted(set(map(str, spec)) - FIELD_KEYS):
            err(f"{at}: unknown key '{key}'{did_you_mean(key, FIELD_KEYS)}")
        type_ = spec.get("type", "text")
        if type_ not in SETTABLE_TYPES:
            err(f"{at}: unknown type '{type_}'{did_you_mean(str(type_), SETTABLE_TYPES)}; types: {', '.join(SETTABLE_TYPES)}")
            continue
        options: dict[str, Any] = {}
        if type_ == "choice":
            choices = spec.get("choices")
            if not isinstance(choices, list) or not choices or not all(isinstance(c, (str, int)) for c in choices):
                err(f"{at}: a choice needs its choices, e.g. 'choices: [permanent, fixed term]'")
                continue
            options["choices"] = tuple(str(c) for c in choices)
        if type_ == "vocabulary":
            if spec.get("vocabulary") not in vocabularies:
                err(f"{at}: name its vocabulary, one of {', '.join(vocabularies)}")
                continue
            options["vocabulary"] = spec["vocabulary"]
        if type_ == "reference":
            target = spec.get("to")
            if target not in kinds and target not in all_kinds:
                err(f"{at}: say what it refers to with 'to:', e.g. 'to: schools'")
                continue
            options["to"] = target
        flags: dict[str, bool] = {}
        for key in ("required", "many"):
            if key in spec and not isinstance(spec[key], bool):
                err(f"{at}: {key} must be true or false")
            flags[key] = spec.get(key) is True
        texts = {key: spec.get(key, "") for key in ("label", "help", "example")}
        if not all(isinstance(v, (str, int, float)) for v in texts.values()):
            err(f"{at}: label, help and example must be text")
            continue
        facet = spec.get("facet")
        if facet is not None and type_ not in ("choice", "vocabulary", "reference", "text"):
            err(f"{at}: only a choice, vocabulary, reference or text field can be a facet")
            facet = None
        out.append(Field(
            name, type_, str(texts["label"] or name.replace("_", " ").capitalize()), str(texts["help"]), str(texts["example"]),
            facet=(name.replace("_", "-") if facet is True else str(facet)) if facet else "",
            required=flags["required"], many=flags["many"], places=bool(facet) or type_ in ("date", "reference"), **options,
        ))
    return tuple(out)
