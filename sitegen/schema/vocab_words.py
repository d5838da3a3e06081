"""Vocabulary terms as the hub's languages name them: a Welsh page may say `subjects: [Hanes]` for history.

The names are the theme's own translations of each term's label (sitegen/theme/locale/<code>/LC_MESSAGES/sitegen.po),
so a vocabulary is translated once, for the pages and for what writers may type."""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from babel.messages.pofile import read_po

from ..core.files import THEME
from .vocab import Vocabulary


@lru_cache(maxsize=16)
def theme_words(code: str) -> dict[str, str]:
    """The theme catalog's translations into a language (English label -> its words); {} when the theme has none."""
    path = THEME / "locale" / code / "LC_MESSAGES" / "sitegen.po"
    try:
        with path.open("rb") as file:
            catalog = read_po(file)
    except OSError:
        return {}
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.string, str) and m.string}


def in_languages(vocabularies: dict[str, Vocabulary], codes: tuple[str, ...]) -> dict[str, Vocabulary]:
    """Each vocabulary accepting, beside its own spellings, each term's label in each of `codes` ('cy', 'en')."""
    out = {}
    for name, vocabulary in vocabularies.items():
        synonyms = dict(vocabulary.synonyms)
        for code in codes:
            words = theme_words(code)
            for term in vocabulary.values:
                translated = words.get(vocabulary.label(term))
                if translated:
                    synonyms.setdefault(translated, term)
        out[name] = dataclasses.replace(vocabulary, synonyms=synonyms) if synonyms != vocabulary.synonyms else vocabulary
    return out
