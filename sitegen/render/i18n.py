"""The theme's words in a page's language: gettext catalogs, compiled from their .po files when first
needed (so there is one source and no binary to keep in step), the hub's own over the theme's, English underneath.

A catalog lives at `locale/<language>/LC_MESSAGES/sitegen.po`, in the theme and, to change any of its
words, in the hub. A language 'cy-GB' is looked for as 'cy_GB' and then 'cy'."""

from __future__ import annotations

import gettext
import io
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from ..core.errors import TemplateError
from ..core.files import THEME
from ..model.facets import facet_label
from ..schema.curricula import ENGLAND, WALES
from ..schema.kinds import BUILTIN, display_label

DOMAIN = "sitegen"


def catalog_path(folder: Path, language: str) -> Path:
    return folder / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def candidates(language: str) -> list[str]:
    """'cy-GB' -> ['cy_GB', 'cy']: the most specific catalog first."""
    tag = language.replace("-", "_")
    base = tag.split("_")[0]
    return [tag, base] if base != tag else [tag]


def catalog_files(language: str, root: Path | None = None) -> list[Path]:
    """The catalogs for `language` that exist, the one that wins first: the hub's, then the theme's."""
    folders = ([root] if root is not None else []) + [THEME]
    return [path for folder in folders for tag in candidates(language) if (path := catalog_path(folder, tag)).is_file()]


def translations(language: str, root: Path | None = None) -> gettext.NullTranslations:
    """The hub's catalogs for `language`, then the theme's; a string in none of them stays English."""
    chain: gettext.NullTranslations = gettext.NullTranslations()
    for path in reversed(catalog_files(language, root)):
        found = gettext.GNUTranslations(io.BytesIO(_read(path, root)[0]))
        found.add_fallback(chain)
        chain = found
    return chain


def _shown(path: Path, root: Path | None) -> str:
    """A catalog's path as its messages name it: from the hub's root, or in sitegen's theme."""
    for base, label in ((root, ""), (THEME, "sitegen/theme/")):
        if base is not None and path.is_relative_to(base):
            return label + path.relative_to(base).as_posix()
    return str(path)


def _read(path: Path, root: Path | None) -> tuple[bytes, frozenset[str]]:
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"cannot be read ({exc.strerror or exc}): check the file's permissions", _shown(path, root)) from None
    return _compiled(text, _shown(path, root))


@lru_cache(maxsize=16)
def _compiled(text: bytes, shown: str) -> tuple[bytes, frozenset[str]]:
    """A .po file compiled to .mo bytes, and the msgids it translates, kept while its text is the same.
    Untranslated and fuzzy entries are left out, so that they fall back to the next catalog (and at last to English).
    A catalog that cannot be read, or a translation whose %(name)s placeholders are not its msgid's, is a TemplateError."""
    try:
        catalog = read_po(io.BytesIO(text), ignore_obsolete=True, abort_invalid=True)
    except (UnicodeDecodeError, PoFileError, ValueError) as exc:
        raise TemplateError(f"cannot be read as a gettext catalog: {exc}", shown, getattr(exc, "lineno", None)) from None
    for message in catalog:
        problem = _placeholder_problem(message)
        if problem:
            raise TemplateError(problem, shown, message.lineno)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue(), frozenset(filter(None, map(_translated_id, catalog)))


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")


def _placeholder_problem(message: Message) -> str | None:
    """What would break a page when this translation is filled in: a %(name)s its msgid does not
    have, or a lone % (the theme fills every string in, so a per cent sign is written %%)."""
    ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
    known = {name for text in ids for name in PLACEHOLDER.findall(str(text)) if name} | {"num"}
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    for text in filter(None, strings):
        unknown = sorted({name for name in PLACEHOLDER.findall(text) if name} - known)
        if unknown:
            return f"msgstr: %({unknown[0]})s is not in its msgid; a translation can only use the msgid's %(name)s words"
        if "%" in PLACEHOLDER.sub("", text):
            return "msgstr: a lone %; write %% for a per cent sign (and %(name)s exactly as in the msgid)"
    return None


def _translated_id(message: Message) -> str | None:
    """A message's msgid (a plural's singular) when it is translated, every plural form included."""
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    if not message.id or message.fuzzy or not all(strings):
        return None
    return str(message.id[0] if isinstance(message.id, (tuple, list)) else message.id)


def missing(language: str, root: Path | None, msgids: list[str]) -> list[str]:
    """The theme strings that no catalog of `language` translates (none for English, the theme's own)."""
    if language.lower().replace("_", "-").split("-")[0] == "en":
        return []
    done: set[str] = set()
    for path in catalog_files(language, root):
        done |= _read(path, root)[1]
    return [msgid for msgid in msgids if msgid not in done]

EXTRACT_OPTIONS = {"trimmed": "true", "trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true"}  # as make_environment renders


def template_messages(folder: Path) -> dict[str, list[tuple[str, int]]]:
    """Every string the templates in `folder` translate (msgid -> where each occurs), with Babel's
    extractor for Jinja; a plural is listed by its singular."""
    from babel.messages.extract import extract

    found: dict[str, list[tuple[str, int]]] = {}
    for path in sorted(folder.glob("*.html")):
        with path.open("rb") as file:
            for line, message, _comments, _context in extract("jinja2.ext:babel_extract", file, options=EXTRACT_OPTIONS):
                msgid = message[0] if isinstance(message, tuple) else message
                found.setdefault(msgid, []).append((path.name, line))
    return found


def output_messages() -> dict[str, list[tuple[str, int]]]:
    """The titles the outputs build (`Words("News from %(year)s", ...)`), found as Babel finds a Python string."""
    from babel.messages.extract import extract

    found: dict[str, list[tuple[str, int]]] = {}
    for path in sorted((Path(__file__).parent.parent / "outputs").glob("*.py")):
        with path.open("rb") as file:
            for line, message, _comments, _context in extract("python", file, keywords={"Words": None}):
                found.setdefault(str(message), []).append((path.name, line))
    return found


def schema_labels() -> dict[str, list[tuple[str, int]]]:
    """The labels the schema gives: the built-in kinds' titles and field labels, their choices ('In person'),
    and the terms of the England and Wales curricula's vocabularies ('Mathematics', 'Progression step 2')."""
    found: dict[str, list[tuple[str, int]]] = {}
    for kind in BUILTIN:
        for label in (kind.title, *(field.label for field in kind.fields), *(facet_label(field) for field in kind.facets)):
            found.setdefault(label, []).append(("kinds.py", 0))
        for field in kind.fields:
            for choice in field.choices or ():
                found.setdefault(display_label(field, choice, {}), []).append(("kinds.py", 0))
    for curriculum in (ENGLAND, WALES):
        for field in curriculum.stage_fields:
            found.setdefault(facet_label(field), []).append(("curricula.py", 0))
        for vocabulary in curriculum.vocabularies().values():
            for term in vocabulary.values:
                found.setdefault(vocabulary.label(term), []).append(("curricula.py", 0))
    return found


@lru_cache(maxsize=1)
def theme_messages() -> dict[str, list[tuple[str, int]]]:
    """The strings pages show that come with sitegen (they change only with it): the built-in templates',
    the titles the outputs build, and the labels of the schema and the vocabularies (shown through `translated`)."""
    found = template_messages(THEME / "templates")
    for more in (output_messages(), schema_labels()):
        for msgid, where in more.items():
            found.setdefault(msgid, []).extend(where)
    return found
