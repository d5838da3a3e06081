"""`languages:` in site.yaml: the hub's other languages, each published under /<code>/ with its own settings.

    language: en-GB          # the main language, at the site root
    languages:
      cy:
        title: Partneriaeth Dysgu Arfordir Fylde
        description: ...
        menu: [...]          # optional: otherwise the main menu, each page under its own title in that language
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

OVERRIDABLE = ("title", "description", "menu")  # what a language may set for itself; the rest is the hub's
CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")  # a folder name and a file-name suffix: lowercase, as written in paths


@dataclass(frozen=True)
class Language:
    """One of the hub's other languages: its code (the folder /cy/ and the file suffix .cy.md) and what it sets."""

    code: str
    settings: dict[str, Any]  # title, description, menu as written (checked by load_config like the main ones)


def read_languages(raw: Any, main: str, check_tag: Callable[[str], tuple[str, str | None, bool]],
                   err: Callable[[str], None]) -> tuple[Language, ...]:
    """The languages of `languages:`; `main` is the main language's tag (whose code may not be one of them)."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        err("must be a mapping of language codes to their settings, e.g. {cy: {title: Partneriaeth Dysgu}}")
        return ()
    languages = []
    for code, settings in raw.items():
        code = str(code)
        tag, problem, _ = check_tag(code)
        if problem or not CODE.fullmatch(code):
            err(f'"{code}" is not a language code for a folder: write it in lowercase, such as cy (Welsh) or ga (Irish)')
            continue
        if tag.split("-")[0] == main.split("-")[0].lower():
            err(f'"{code}" is the main language ({main}): list only the other languages here')
            continue
        settings = {} if settings is None else settings
        if not isinstance(settings, dict):
            err(f"{code}: must be a mapping of settings for that language ({', '.join(OVERRIDABLE)})")
            continue
        unknown = sorted(set(settings) - set(OVERRIDABLE))
        if unknown:
            err(f"{code}: '{unknown[0]}' cannot be set per language; a language may set {', '.join(OVERRIDABLE)}")
            continue
        languages.append(Language(code, settings))
    return tuple(languages)


def main_code(language: str) -> str:
    """The main language's code in file names ('en' for en-GB: `about.en.md` is the original, as Decap writes it)."""
    return language.split("-")[0].lower()
