"""A hub's own kinds of content, and its own fields on the built-in kinds, from the `kinds:` setting of site.yaml."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import Any

from ..core.errors import did_you_mean
from ..core.urls import slugify
from .kinds import BUILTIN, BUILTIN_KINDS, COMMON, Field, Kind, Schema, _kind

KIND_KEYS = {"title", "singular", "fields", "order", "template", "list_template"}


FIELD_KEYS = {"type", "label", "help", "example", "required", "many", "choices", "vocabulary", "to", "facet"}


SETTABLE_TYPES = ("text", "number", "boolean", "date", "link", "email", "image", "file", "choice", "vocabulary", "reference")


NAME = re.compile(r"[a-z][a-z0-9_]*")  # whole names only (fullmatch): "projects\n" is not one


# The site's own addresses and the hub's folders: a kind's index at /NAME/ would take their place.
RESERVED = {"home", "assets", "admin", "search", "feed", "tags", "page", "static", "templates", "data", "content", "locale",
            "pagefind", "cname", "robots", "sitemap", "favicon", "accessibility", "privacy", "contact", "vendor"}


FACET_KEY = re.compile(r"[a-z][a-z0-9-]*")  # a facet's part of an address: /projects/KEY/VALUE/


FACET_RESERVED = {"page", "tags"}  # /projects/page/2/ is the index's second page; tags have addresses of their own


SITEGENS_OWN = {"date", "updated"}  # a post's date and when an item last changed: sitegen reads them as dates everywhere


MAX_KINDS = 100  # a hub's own kinds; every kind is listed on every kind's pages, so many more build slowly


MAX_FIELDS = 100  # fields a hub adds to one kind


def kinds_from_settings(raw: Any, vocabularies: dict[str, Any], err: Any) -> Schema:
    """The built-in kinds with what `kinds:` in site.yaml adds: new kinds, and fields added to built-in ones.

    `err(message)` reports a problem; every problem is reported, and what is wrong is left out."""
    if raw is None:
        return BUILTIN
    if not isinstance(raw, dict):
        err("must be a mapping of kinds, e.g. 'vacancies: {title: Vacancies, fields: {closing_date: {type: date, required: true}}}'")
        return BUILTIN
    kinds = {k.name: k for k in BUILTIN_KINDS}
    declared = [name for name in raw if str(name) not in kinds]
    if len(declared) > MAX_KINDS:
        err(f"{len(declared)} kinds of your own is more than sitegen takes ({MAX_KINDS}): group them, with a choice field to tell them apart")
        return BUILTIN
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
            _check_builtin_keys(builtin, spec, err)
            added = _fields(spec.get("fields"), f"{name}", builtin, vocabularies, kinds, raw, err)
            kinds[name] = _merge(builtin, added)
            continue
        if not NAME.fullmatch(name):
            err(f"{name!r} cannot name a kind: use lowercase letters, digits and underscores, e.g. vacancies")
            continue
        if name in RESERVED or is_language_code(name):
            what = "a language's code (the address of its pages)" if name not in RESERVED else "taken by sitegen (an address or folder of its own)"
            err(f"'{name}' cannot name a kind: it is {what}; choose another name, e.g. {name}_items")
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


def _check_builtin_keys(builtin: Kind, spec: dict[str, Any], err: Any) -> None:
    """A built-in kind takes only `fields:`. A hub that declared the kind itself before sitegen had it built in
    (vacancies) may still say what sitegen does anyway (`title: Vacancies`); anything else is reported."""
    same = {"title": builtin.title, "singular": builtin.singular, "order": builtin.order,
            "template": builtin.item_template, "list_template": builtin.list_template}
    for key in sorted(set(map(str, spec)) & (KIND_KEYS - {"fields"})):
        if spec[key] != same[key]:
            err(f"{builtin.name}: {builtin.title.lower()} are built into sitegen (title {builtin.title}, singular {builtin.singular}, "
                f"order {builtin.order}, templates {builtin.item_template} and {builtin.list_template}), so '{key}' cannot change here: "
                f"take '{key}' out of site.yaml (a template of your own goes in templates/ under the built-in name), and keep 'fields:'")


def _merge(builtin: Kind, declared: tuple[Field, ...]) -> Kind:
    """The built-in kind with the hub's fields: a new field is added at the end; one with a built-in field's name
    (already checked by `_fields` to be of a type that fits) takes that field's place with the hub's words and choices."""
    mine = {f.name: f for f in declared}
    fields = [_refine(f, mine.pop(f.name)) if f.name in mine else f for f in builtin.fields]
    return replace(builtin, fields=tuple(fields) + tuple(mine.values()))


def _refine(builtin: Field, declared: Field) -> Field:
    """A built-in field as the hub redeclared it: its label, help, example and choices when given; still required when
    sitegen requires it (the build relies on it); sitegen's synonyms for the choices the hub kept."""
    choices = declared.choices or builtin.choices
    return replace(
        builtin, type=declared.type, label=declared.label if declared.label != _default_label(declared.name) else builtin.label,
        help=declared.help or builtin.help, example=declared.example or builtin.example,
        required=builtin.required or declared.required, choices=choices,
        synonyms={k: v for k, v in builtin.synonyms.items() if v in choices},
        facet=declared.facet or builtin.facet, places=builtin.places or declared.places)


def _default_label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _fits(builtin: Field, declared: Field) -> bool:
    """Whether a hub's declaration of a built-in field can take its place: the same type (a reference to the same kind),
    or a choice where sitegen takes any text (a hub may narrow `hours` to [full time, part time])."""
    if builtin.many != declared.many:
        return False
    if builtin.type == "reference":
        return declared.type == "reference" and declared.to == builtin.to
    return declared.type == builtin.type or (builtin.type == "text" and declared.type == "choice")


def _fields(raw: Any, where: str, builtin: Kind | None, vocabularies: dict[str, Any], kinds: dict[str, Kind], all_kinds: dict[str, Any],
            err: Any) -> tuple[Field, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        err(f"{where}: fields must be a mapping of field names to their type, e.g. 'salary: text'")
        return ()
    if len(raw) > MAX_FIELDS:
        err(f"{where}: {len(raw)} fields is more than sitegen takes for one kind ({MAX_FIELDS})")
        return ()
    taken = {f.name for f in COMMON} - ({f.name for f in builtin.own_fields} if builtin else set())
    out = []
    facet_keys = {f.facet: f.name for f in builtin.facets} if builtin else {}  # facet -> its field
    for name, spec in raw.items():
        name = str(name)
        at = f"{where}: field {name!r}" if not NAME.fullmatch(name) else f"{where}: field '{name}'"
        if not NAME.fullmatch(name):
            err(f"{at}: a field's name uses lowercase letters, digits and underscores")
            continue
        if name in taken:
            err(f"{at} is already a field of every {where} item")
            continue
        if name in SITEGENS_OWN and (builtin is None or builtin.field(name) is None):
            err(f"{at}: 'date' and 'updated' are sitegen's own (a news post's date, when an item last changed): "
                f"give yours another name, e.g. {where.rstrip('s')}_{name}")
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
            if any(not str(c).strip() or not str(c).isprintable() for c in choices):
                err(f"{at}: each choice is one line of text, without line breaks or tabs")
                continue
            options["choices"] = tuple(str(c) for c in choices)
        if type_ == "vocabulary":
            if not isinstance(spec.get("vocabulary"), str) or spec["vocabulary"] not in vocabularies:
                err(f"{at}: name its vocabulary, one of {', '.join(vocabularies)}")
                continue
            options["vocabulary"] = spec["vocabulary"]
        if type_ == "reference":
            target = spec.get("to")
            if not isinstance(target, str) or (target not in kinds and target not in all_kinds):
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
        if not all(str(v).isprintable() for v in (texts["label"], texts["example"])):
            err(f"{at}: label and example are one line of text, without line breaks or tabs")
            continue
        facet = spec.get("facet")
        if facet is not None and type_ not in ("choice", "vocabulary", "reference", "text"):
            err(f"{at}: only a choice, vocabulary, reference or text field can be a facet")
            facet = None
        key = (name.replace("_", "-") if facet is True else str(facet)) if facet else ""
        if key and not _facet_ok(key, at, where, name, facet_keys, options.get("choices", ()), err):
            continue
        declared = Field(
            name, type_, str(texts["label"] or _default_label(name)), str(texts["help"]), str(texts["example"]),
            facet=key,
            required=flags["required"], many=flags["many"], places=bool(facet) or type_ in ("date", "reference"), **options,
        )
        same = builtin.field(name) if builtin else None
        if same is not None and not _fits(same, declared):
            what = f"a reference to {same.to}" if same.type == "reference" else f"of type {same.type}"
            err(f"{at} is already a field of every {where} item, {what}{' taking several values' if same.many else ''}: "
                f"declare it that way to change its label, help or example, or give yours another name")
            continue
        out.append(declared)
    return tuple(out)


def _facet_ok(key: str, at: str, kind: str, name: str, taken: dict[str, str], choices: tuple[str, ...], err: Any) -> bool:
    """A facet's key and its choices make addresses (/projects/KEY/VALUE/): each must be a distinct, plain one."""
    if not FACET_KEY.fullmatch(key) or key in FACET_RESERVED:
        err(f"{at}: facet: {key!r} cannot be part of an address: write 'facet: true', or a name of lowercase letters, "
            f"digits and hyphens{' other than page and tags' if key in FACET_RESERVED else ''}, e.g. 'facet: contract'")
        return False
    if taken.get(key, name) != name:
        err(f"{at}: facet: another field of the kind is already the facet '{key}' ({taken[key]}): give this one another name")
        return False
    taken[key] = name
    seen: dict[str, str] = {}
    for choice in choices:
        slug = slugify(choice)
        if not slug:
            err(f"{at}: the choice {choice!r} has no Latin letters or digits to make its address from: add some (a transliteration, say)")
            return False
        if slug in seen:
            err(f"{at}: the choices {seen[slug]!r} and {choice!r} would share one address (/{kind}/{key}/{slug}/): make them differ in letters or digits")
            return False
        seen[slug] = choice
    return True


def is_language_code(name: str) -> bool:
    """'cy', 'fr', 'haw': a language's code, which the pages in that language have as their address (/cy/)."""
    return name.isalpha() and (len(name) == 2 or (len(name) == 3 and name in _languages()))


@cache
def _languages() -> frozenset[str]:
    from babel.localedata import locale_identifiers

    return frozenset(i for i in locale_identifiers() if "_" not in i)
