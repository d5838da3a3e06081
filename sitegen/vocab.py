"""The controlled vocabularies of English schools, which a site may extend or replace.

Values are matched without regard to case ("ks2" is KS2) and stored in the
vocabulary's own spelling, so facet pages and filters never split in two.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import did_you_mean

DEFAULTS: dict[str, tuple[str, ...]] = {
    "key_stages": ("EYFS", "KS1", "KS2", "KS3", "KS4", "KS5"),
    "phases": ("early years", "primary", "secondary", "all-through", "post-16", "special", "alternative provision"),
    "subjects": (
        "English", "mathematics", "science", "art and design", "citizenship", "computing",
        "design and technology", "languages", "geography", "history", "music", "physical education",
        "religious education", "PSHE and RSE", "leadership", "SEND", "wellbeing", "CPD",
    ),
    "resource_types": (
        "lesson plan", "scheme of work", "presentation", "worksheet", "assessment", "case study",
        "CPD material", "guidance", "video", "research summary", "template",
    ),
}


@dataclass(frozen=True)
class Vocabulary:
    name: str
    values: tuple[str, ...]

    def canonical(self, value: str) -> str | None:
        """The vocabulary's spelling of `value`, or None when it is not in the vocabulary."""
        wanted = value.strip().lower()
        for v in self.values:
            if v.lower() == wanted:
                return v
        return None

    def explain(self, value: str) -> str:
        """Why `value` is refused: the allowed values and the nearest one."""
        allowed = ", ".join(self.values)
        return f'"{value}" is not one of the {self.name.replace("_", " ")}{did_you_mean(value, self.values)}; allowed: {allowed}'
