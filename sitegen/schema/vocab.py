"""The controlled vocabularies of English schools, which a site may extend or replace.

Values match without regard to case, spacing and punctuation ("Key Stage 3", "KS 3"
and "ks3" are all KS3), and the synonyms teachers use are accepted ("Maths", "PE",
"slides"). A value is stored in the vocabulary's own spelling, so facet pages and
filters never split in two, and shown with its display label ("Lesson plan").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from ..core.errors import nearest

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


# What teachers write -> the vocabulary's term. Matched after `normalise`, so "P.E." is "pe".
SYNONYMS: dict[str, dict[str, str]] = {
    "key_stages": {
        "early years foundation stage": "EYFS", "foundation stage": "EYFS", "reception": "EYFS", "nursery": "EYFS",
        **{f"key stage {n}": f"KS{n}" for n in range(1, 6)},
        "sixth form": "KS5", "post 16": "KS5", "a level": "KS5", "gcse": "KS4",
    },
    "phases": {
        "eyfs": "early years", "nursery": "early years", "reception": "early years", "infant": "primary",
        "junior": "primary", "secondary school": "secondary", "through school": "all-through",
        "sixth form": "post-16", "16 plus": "post-16", "further education": "post-16", "fe": "post-16",
        "sen": "special", "special school": "special", "ap": "alternative provision", "pru": "alternative provision",
        "pupil referral unit": "alternative provision",
    },
    "subjects": {
        "maths": "mathematics", "math": "mathematics", "numeracy": "mathematics",
        "english language": "English", "english literature": "English", "literacy": "English", "reading": "English",
        "phonics": "English", "writing": "English",
        "art": "art and design", "design technology": "design and technology", "dt": "design and technology",
        "d and t": "design and technology", "ict": "computing", "computer science": "computing",
        "mfl": "languages", "modern foreign languages": "languages", "modern languages": "languages",
        "pe": "physical education", "sport": "physical education", "re": "religious education",
        "rs": "religious education", "religious studies": "religious education", "pshe": "PSHE and RSE",
        "rse": "PSHE and RSE", "pshee": "PSHE and RSE", "pshe education": "PSHE and RSE",
        "relationships and sex education": "PSHE and RSE", "relationships education": "PSHE and RSE",
        "sen": "SEND", "inclusion": "SEND", "mental health": "wellbeing", "well being": "wellbeing",
        "professional development": "CPD", "staff development": "CPD",
    },
    "resource_types": {
        "lesson": "lesson plan", "lesson plans": "lesson plan", "scheme": "scheme of work", "sow": "scheme of work",
        "slides": "presentation", "slide deck": "presentation", "powerpoint": "presentation", "ppt": "presentation",
        "handout": "worksheet", "activity sheet": "worksheet", "quiz": "assessment", "test": "assessment",
        "guide": "guidance", "policy": "guidance", "cpd": "CPD material", "training": "CPD material",
        "training materials": "CPD material", "research": "research summary", "film": "video", "pro forma": "template",
        "proforma": "template", "form": "template",
    },
}


def normalise(text: str) -> str:
    """'Key Stage 3' -> 'key stage 3', 'P.E.' -> 'pe', 'D&T' -> 'd and t', 'KS 3' -> 'ks3'."""
    text = text.casefold().replace("&", " and ").replace("-", " ").replace("_", " ")
    text = re.sub(r"[^\w\s]", "", text)
    text = re.sub(r"\b([a-z]+)\s+(\d+)\b", lambda m: m.group(1) + m.group(2) if len(m.group(1)) <= 2 else m.group(0), text)
    return " ".join(text.split())


def label_of(term: str) -> str:
    """The display label: the term in sentence case ('lesson plan' -> 'Lesson plan'; 'KS2' stays)."""
    return term[:1].upper() + term[1:]


@dataclass(frozen=True)
class Vocabulary:
    name: str
    values: tuple[str, ...]
    synonyms: dict[str, str] = field(default_factory=dict)  # normalised spelling -> a value
    labels: dict[str, str] = field(default_factory=dict)  # value -> its own display label

    @cached_property
    def _lookup(self) -> dict[str, str]:
        """Every accepted spelling, normalised -> the value it means."""
        lookup = {normalise(s): v for s, v in self.synonyms.items() if v in self.values}
        lookup.update({normalise(v): v for v in self.values})
        return lookup

    def canonical(self, value: str) -> str | None:
        """The vocabulary's spelling of `value`, or None when it is not in the vocabulary."""
        lookup = self._lookup
        key = normalise(value)
        if key in lookup:
            return lookup[key]
        if key.endswith("s") and key[:-1] in lookup:  # "worksheets", "case studies" stay forgiving
            return lookup[key[:-1]]
        if key.endswith("ies") and key[:-3] + "y" in lookup:
            return lookup[key[:-3] + "y"]
        return None

    def label(self, value: str) -> str:
        return self.labels.get(value) or label_of(value)

    def nearest(self, value: str) -> str:
        """' (did you mean mathematics?)': the nearest term, also through its synonyms ("mathz" is near "maths")."""
        lookup = self._lookup
        near = nearest(normalise(value), lookup)
        return f" (did you mean {lookup[near]}?)" if near else ""

    def explain(self, value: str) -> str:
        """Why `value` is refused: the allowed values and the nearest one."""
        allowed = ", ".join(self.values)
        return f'"{value}" is not one of the {self.name.replace("_", " ")}{self.nearest(value)}; allowed: {allowed}'


def default_vocabularies() -> dict[str, Vocabulary]:
    return {name: Vocabulary(name, values, SYNONYMS.get(name, {})) for name, values in DEFAULTS.items()}
