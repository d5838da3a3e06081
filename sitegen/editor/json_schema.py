"""`sitegen schema`: the JSON Schema of every kind's front matter, for editors that check YAML as one types.

It is made from the content schema, so it accepts what a build accepts: any case, the synonyms
teachers use, one value or a list, a date with or without a time. A value the build would mend
("www.school.org") passes too; one it would refuse fails.
"""

from __future__ import annotations

import re
from typing import Any

from ..schema.kinds import Field, Kind, Schema
from ..schema.vocab import Vocabulary

DRAFT = "https://json-schema.org/draft/2020-12/schema"


DATE = r"^\s*\d{4}-\d{2}-\d{2}([T ]\s*\d{1,2}([:.]\d{2}(:\d{2}(\.\d+)?)?)?\s*([aApP]\.?[mM]\.?)?\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$"


TIME = r"^\s*\d{1,2}([:.]\d{2})?\s*([aApP]\.?[mM]\.?)?\s*$"


def json_schema(schema: Schema, vocabularies: dict[str, Vocabulary], kind: str | None = None) -> dict[str, Any]:
    """One kind's schema, or every kind's under `$defs` (a document validates against its kind's)."""
    if kind is not None:
        return {"$schema": DRAFT, **kind_schema(schema.kind(kind), vocabularies)}
    return {
        "$schema": DRAFT,
        "title": "sitegen front matter",
        "description": "The front matter of each kind of content, under $defs/<kind>: content/<kind>/*.md (plain pages: pages).",
        "$defs": {k.name: kind_schema(k, vocabularies) for k in schema},
    }


def kind_schema(kind: Kind, vocabularies: dict[str, Vocabulary]) -> dict[str, Any]:
    properties = {f.name: field_schema(f, vocabularies) for f in kind.fields}
    for alias, name in kind.aliases.items():  # other tools' names: read, with a warning
        properties[alias] = {**properties[name], "deprecated": True, "description": f"sitegen reads this as '{name}': rename it"}
    return {
        "title": f"{kind.title}: front matter of {kind.one}",
        "type": "object",
        "properties": properties,
        "required": [f.name for f in kind.required],
        "additionalProperties": False,
    }


def field_schema(field: Field, vocabularies: dict[str, Vocabulary]) -> dict[str, Any]:
    one = _one(field, vocabularies)
    described = {"title": field.label, "description": f"{field.help} e.g. {field.example}".strip() if field.example else field.help}
    if field.many and field.type != "contacts":
        return {**described, "anyOf": [one, {"type": "array", "items": one}, {"type": "null"}]}
    return {**described, "anyOf": [one, {"type": "null"}]} if not field.required else {**described, **one}


def _one(field: Field, vocabularies: dict[str, Vocabulary]) -> dict[str, Any]:
    t = field.type
    if t == "text":
        return {"type": ["string", "number"]}
    if t == "number":
        return {"type": "number"}
    if t == "boolean":
        return {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": _any_case(["yes", "no", "true", "false", "y", "n", "on", "off"])}]}
    if t == "date":
        pattern = DATE if not field.same_day_as else f"({DATE})|({TIME})"
        return {"type": "string", "pattern": pattern, "examples": [field.example] if field.example else []}
    if t == "link":
        return {"type": "string", "pattern": r"^(https?://\S+|/\S*|mailto:\S+|www\.\S+)$"}
    if t == "email":
        return {"type": "string", "pattern": r"^(mailto:)?[^@\s]+@[^@\s]+\.[^@\s]+$"}
    if t in ("image", "file", "reference"):
        return {"type": ["string", "integer"] if t == "reference" else "string", "minLength": 1}
    if t == "urn" and field.pattern:  # a school number outside England (curricula.py), kept as written
        return {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": rf"^\s*{field.pattern}\s*$"}], "examples": [field.example]}
    if t == "urn":
        return {"anyOf": [{"type": "integer", "minimum": 100000, "maximum": 9999999}, {"type": "string", "pattern": r"^\s*\d{6,7}\s*$"}]}
    if t == "choice":
        return {"type": "string", "pattern": _any_case([*field.choices, *field.synonyms]), "examples": list(field.choices)}
    if t == "vocabulary":
        vocab = vocabularies[field.vocabulary]
        return {"type": "string", "pattern": _any_case([*vocab.values, *vocab.synonyms]), "examples": list(vocab.values)}
    if t == "contacts":
        contact = {"type": "object", "required": ["name"], "additionalProperties": False,
                   "properties": {k: {"type": ["string", "number", "null"]} for k in ("name", "role", "email", "phone")}}
        return {"anyOf": [contact, {"type": "array", "items": contact}, {"type": "null"}]}
    if t == "menu":
        return {"anyOf": [{"type": ["boolean", "string", "integer"]}, {"type": "object", "additionalProperties": False,
                                                                        "properties": {"title": {"type": "string"}, "order": {"type": "integer"}}}]}
    return {"type": "object"}  # mapping


def _any_case(words: list[str]) -> str:
    """A pattern matching any of `words` as the build does: whatever their case, spacing and punctuation
    ("in person" matches "In-Person", "KS3" matches "ks 3", "D and T" matches "D&T"), plurals too.
    Commas separate several values."""
    sep = r"[\s\-_.&/]*"

    def loose(word: str) -> str:
        tokens = re.findall(r"[^\W\d_]+|\d+", word.replace("&", " and "))
        dot = r"\.?"  # abbreviations may be written with full stops: P.E., R.E.
        parts = ["([aA][nN][dD]|&)" if t.lower() == "and" else
                 (dot if len(t) <= 4 else "").join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in t) for t in tokens]
        return sep.join(parts)

    alternatives = "|".join(sorted({loose(w) for w in words if loose(w)}, key=len, reverse=True))
    item = rf"\s*({alternatives})([sS])?\s*\.?\s*"
    return rf"^{item}(,{item})*$"
