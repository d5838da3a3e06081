"""The errors sitegen reports: every one carries the file and line it is about.

A build gathers problems into a list instead of stopping at the first, so a
writer sees every mistake in one run. `BuildFailed` carries that list out.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class SitegenError(Exception):
    """A problem with the hub (not with sitegen): reported as `path:line: message`."""

    kind = "error"

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line:
            where = f"{self.path}:{self.line}"
        message = one_line(self.message)
        return f"{where}: {message}" if where else message

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path or "", self.line or 0, self.message)

    def __reduce__(self) -> tuple[type, tuple[str, str | None, int | None]]:
        # kept in the build cache and sent back from worker processes: with its path and line
        return (type(self), (self.message, self.path, self.line))


class ConfigError(SitegenError):
    """site.yaml is wrong."""


class ContentError(SitegenError):
    """A content or data file is wrong."""


class TemplateError(SitegenError):
    """A template is broken or uses something that does not exist."""


class UsageError(SitegenError):
    """The command line asked for something impossible (exit status 2)."""


class OutputError(SitegenError):
    """The built site could not be written (a full disk, a folder that went away); nothing was replaced."""


class SitegenWarning(SitegenError):
    """Not wrong enough to stop a build, but worth a look."""

    kind = "warning"


class BuildFailed(SitegenError):
    """One or more errors stopped the build; nothing was written."""

    def __init__(self, errors: Iterable[SitegenError]):
        self.errors = sorted(errors, key=SitegenError.sort_key)
        super().__init__(f"{len(self.errors)} error(s)")

    def __reduce__(self) -> tuple[type, tuple[list[SitegenError]]]:  # type: ignore[override]
        return (BuildFailed, (self.errors,))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class Problems:
    """Collects errors and warnings during a stage, so that all are reported at once."""

    def __init__(self) -> None:
        self.errors: list[SitegenError] = []
        self.warnings: list[SitegenError] = []

    def error(self, path: str | None, line: int | None, message: str, cls: type[SitegenError] = ContentError) -> None:
        self.errors.append(cls(message, path, line))

    def warn(self, path: str | None, line: int | None, message: str) -> None:
        self.warnings.append(SitegenWarning(message, path, line))

    def extend(self, other: Problems) -> None:
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)

    def raise_if_any(self) -> None:
        if self.errors:
            raise BuildFailed(self.errors)


def one_line(text: str) -> str:
    """A message quotes what the writer wrote; its line breaks must not break the one-error-a-line report."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The choice nearest to `word`, or None when none is near."""
    choices = list(choices)
    lowered = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    if match:
        return lowered[match[0]]
    # A prefix or part of a longer value ("maths" -> "mathematics") is close enough too.
    parts = [c for c in choices if len(word) >= 3 and (c.lower().startswith(word.lower()) or word.lower() in c.lower())]
    return parts[0] if len(parts) == 1 else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean X?)' for the nearest choice, or '' when none is near."""
    near = nearest(word, choices)
    return f" (did you mean {near}?)" if near is not None else ""
