"""The field tables of docs/writing.md, made from the content schema so that the docs cannot drift.

`python -m sitegen.editor.fieldtables docs/writing.md` rewrites every block between
`<!-- fields:KIND -->` and `<!-- /fields -->` (`common` for the fields every kind takes);
a test checks that the file in the repository is up to date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..schema.kinds import BUILTIN, COMMON, TYPES, Field, Schema

BLOCK = re.compile(r"(<!-- fields:(\w+) -->\n)(.*?)(<!-- /fields -->)", re.S)


def table(fields: tuple[Field, ...]) -> str:
    rows = ["| field | takes | meaning |", "|---|---|---|"]
    for f in fields:
        name = f"`{f.name}`" + (" (**required**)" if f.required else "")
        takes = _takes(f)
        meaning = f.help + (f" Example: `{f.name}: {f.example}`." if f.example else "")
        if f.aliases:
            meaning += " Also read from " + ", ".join(f"`{a}`" for a in f.aliases) + ", with a warning."
        rows.append(f"| {name} | {takes} | {meaning.replace('|', '/')} |")
    return "\n".join(rows) + "\n"


def _takes(f: Field) -> str:
    if f.type == "choice":
        what = "one of " + ", ".join(f.choices)
    elif f.type == "vocabulary":
        what = f"{f.vocabulary.replace('_', ' ')} (see Vocabularies)"
    elif f.type == "reference":
        what = f"{f.to}: a file name without .md" + (" or URN" if f.to == "schools" else "")
    else:
        what = TYPES[f.type]
    if f.many:
        what += "; one, a list, or several separated by commas" if not f.prose else "; one, or a list"
    return what


def tables(schema: Schema = BUILTIN) -> dict[str, str]:
    """'common' and each kind's name -> its Markdown table (a kind's own fields only)."""
    out = {"common": table(COMMON)}
    for kind in schema:
        out[kind.name] = table(kind.own_fields)
    return out


def rewrite(text: str, schema: Schema = BUILTIN) -> str:
    made = tables(schema)
    return BLOCK.sub(lambda m: m.group(1) + made[m.group(2)] + m.group(4), text)


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/writing.md")
    path.write_text(rewrite(path.read_text(encoding="utf-8")), encoding="utf-8")
