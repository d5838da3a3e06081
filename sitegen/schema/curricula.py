"""The curriculum where the hub is (`curriculum:` in site.yaml): England, Wales, Scotland or Northern Ireland.

A curriculum is data, not a second list of kinds: it names the vocabularies a hub starts from, the
fields a resource takes in place of England's `key_stages` (Wales: `progression_steps` and `areas`),
and what a school's official number looks like in place of England's URN, and whether it has a
public record to link to (only England's GIAS has). `apply` derives the hub's schema from kinds.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .kinds import BUILTIN, Field, Schema, _f
from .vocab import DEFAULTS, SYNONYMS, Vocabulary

ENGLAND_STAGE_FIELD = "key_stages"  # the resource field that each curriculum's own fields stand in for
SCHOOL_NUMBER_FIELD = "urn"  # the school field that holds the official number, whatever the country calls it
GIAS_RECORD = "https://get-information-schools.service.gov.uk/Establishments/Establishment/Details/{}"


@dataclass(frozen=True)
class Curriculum:
    name: str  # as written in site.yaml: "wales"
    title: str  # "the Curriculum for Wales"
    values: dict[str, tuple[str, ...]]  # vocabulary -> its terms
    synonyms: dict[str, dict[str, str]] = field(default_factory=dict)  # vocabulary -> {what people write: term}
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # vocabulary -> {term: display label}
    stage_fields: tuple[Field, ...] = ()  # the resource fields in place of key_stages (empty: keep England's)
    school_number: Field | None = None  # the school field in place of the URN (None: keep England's)
    school_record: str = GIAS_RECORD  # the public record of a school's number ("{}" is the number); "" when there is none

    def vocabularies(self) -> dict[str, Vocabulary]:
        return {name: Vocabulary(name, values, self.synonyms.get(name, {}), self.labels.get(name, {}))
                for name, values in self.values.items()}

    def apply(self, schema: Schema) -> Schema:
        """`schema` with this curriculum's resource and school fields in place of England's."""
        kinds = []
        for kind in schema:
            fields: list[Field] = []
            for f in kind.fields:
                if kind.name == "resources" and f.name == ENGLAND_STAGE_FIELD and self.stage_fields:
                    fields += self.stage_fields
                elif kind.name == "schools" and f.name == SCHOOL_NUMBER_FIELD and self.school_number:
                    fields.append(self.school_number)
                else:
                    fields.append(f)
            kinds.append(replace(kind, fields=tuple(fields)))
        return Schema(tuple(kinds))

    @property
    def stage_names(self) -> tuple[str, ...]:
        """The resource fields that say who a resource is for: ('key_stages',), ('progression_steps', 'areas')..."""
        return tuple(f.name for f in self.stage_fields) or (ENGLAND_STAGE_FIELD,)

    def record_url(self, number: Any) -> str:
        """The address of a school's public record (GIAS, in England), or "" where there is none."""
        return self.school_record.format(number) if self.school_record and number else ""


def _stage(name: str, label: str, help: str, example: str, vocabulary: str, facet: str) -> Field:
    return _f(name, "vocabulary", label, help, example, many=True, vocabulary=vocabulary, facet=facet, places=True)


def _school_number(label: str, help: str, example: str, pattern: str) -> Field:
    urn = BUILTIN.kind("schools").field(SCHOOL_NUMBER_FIELD)
    assert urn is not None
    return replace(urn, label=label, help=help, example=example, pattern=pattern)


def _numbered(words: tuple[str, ...], values: tuple[str, ...]) -> dict[str, str]:
    """{'progression step 2': 'PS2', 'cam cynnydd 2': 'PS2', ...}: each of `words` followed by a number."""
    return {f"{w} {n}": v for w in words for n, v in enumerate(values, 1)}


ENGLAND = Curriculum("england", "the National Curriculum in England", dict(DEFAULTS), dict(SYNONYMS))


WALES_STEPS = ("PS1", "PS2", "PS3", "PS4", "PS5")
WALES_AREAS = ("Expressive Arts", "Health and Well-being", "Humanities", "Languages, Literacy and Communication",
               "Mathematics and Numeracy", "Science and Technology")

WALES = Curriculum(
    "wales", "the Curriculum for Wales",
    values={
        "progression_steps": WALES_STEPS,
        "areas": WALES_AREAS,
        "phases": ("nursery", "primary", "secondary", "all-age", "special", "post-16", "pupil referral unit"),
        "subjects": ("Welsh", *DEFAULTS["subjects"]),
        "resource_types": DEFAULTS["resource_types"],
    },
    synonyms={
        "progression_steps": {**_numbered(("progression step", "step", "cam cynnydd", "cam"), WALES_STEPS),
                              **{str(n): v for n, v in enumerate(WALES_STEPS, 1)}},  # [2, 3]: the steps are numbered 1 to 5
        "areas": {  # the Welsh names, and the halves of a name with a comma (a list line splits at commas)
            "y celfyddydau mynegiannol": "Expressive Arts", "celfyddydau mynegiannol": "Expressive Arts", "arts": "Expressive Arts",
            "iechyd a lles": "Health and Well-being", "health and wellbeing": "Health and Well-being", "hwb": "Health and Well-being",
            "dyniaethau": "Humanities",
            "ieithoedd llythrennedd a chyfathrebu": "Languages, Literacy and Communication", "llc": "Languages, Literacy and Communication",
            "ieithoedd": "Languages, Literacy and Communication", "llythrennedd a chyfathrebu": "Languages, Literacy and Communication",
            "languages": "Languages, Literacy and Communication", "literacy and communication": "Languages, Literacy and Communication",
            "mathemateg a rhifedd": "Mathematics and Numeracy", "maths and numeracy": "Mathematics and Numeracy",
            "gwyddoniaeth a thechnoleg": "Science and Technology", "science and tech": "Science and Technology",
        },
        "phases": {
            "meithrin": "nursery", "ysgol feithrin": "nursery", "early years": "nursery", "cynradd": "primary",
            "ysgol gynradd": "primary", "infant": "primary", "junior": "primary", "uwchradd": "secondary",
            "ysgol uwchradd": "secondary", "pob oed": "all-age", "ysgol pob oed": "all-age", "all through": "all-age",
            "through school": "all-age", "middle school": "all-age", "arbennig": "special", "ysgol arbennig": "special",
            "sen": "special", "sixth form": "post-16", "chweched dosbarth": "post-16", "pru": "pupil referral unit",
            "uned cyfeirio disgyblion": "pupil referral unit", "ucd": "pupil referral unit",
        },
        "subjects": {**SYNONYMS["subjects"], "cymraeg": "Welsh", "welsh language": "Welsh", "welsh second language": "Welsh",
                     "mathemateg": "mathematics", "saesneg": "English", "hanes": "history", "daearyddiaeth": "geography",
                     "gwyddoniaeth": "science", "cerddoriaeth": "music", "rse": "PSHE and RSE"},
        "resource_types": SYNONYMS["resource_types"],
    },
    labels={
        "progression_steps": {v: f"Progression step {n}" for n, v in enumerate(WALES_STEPS, 1)},
        "subjects": {"Welsh": "Welsh (Cymraeg)"},
    },
    stage_fields=(
        _stage("progression_steps", "Progression steps", "Progression steps, 1 to 5 (PS2, Progression Step 2, Cam Cynnydd 2).",
               "PS2, PS3", "progression_steps", "progression-step"),
        _stage("areas", "Areas of learning", "Areas of Learning and Experience, in English or Welsh.", "[Mathematics and Numeracy]",
               "areas", "area"),
    ),
    school_number=_school_number("School number", "The school's 7-digit local authority and school number.",
                                 "6702345", r"\d{7}"),
    school_record="",
)


SCOTLAND_LEVELS = ("early", "first", "second", "third", "fourth", "senior phase")

SCOTLAND = Curriculum(
    "scotland", "Curriculum for Excellence",
    values={
        "levels": SCOTLAND_LEVELS,
        "areas": ("Expressive Arts", "Health and Wellbeing", "Languages", "Mathematics", "Religious and Moral Education", "Sciences",
                  "Social Studies", "Technologies"),
        "phases": ("early learning and childcare", "primary", "secondary", "special"),
        "subjects": (*DEFAULTS["subjects"], "Gaelic"),
        "resource_types": DEFAULTS["resource_types"],
    },
    synonyms={
        "levels": {**{f"{v} level": v for v in SCOTLAND_LEVELS[:5]}, "1st level": "first", "2nd level": "second", "3rd level": "third",
                   "4th level": "fourth", "senior": "senior phase", "s4 s6": "senior phase", "national 5": "senior phase",
                   "higher": "senior phase", "advanced higher": "senior phase"},
        "areas": {"health and well being": "Health and Wellbeing", "hwb": "Health and Wellbeing", "maths": "Mathematics",
                  "numeracy": "Mathematics", "rme": "Religious and Moral Education", "science": "Sciences",
                  "social subjects": "Social Studies", "technology": "Technologies", "literacy": "Languages"},
        "phases": {"elc": "early learning and childcare", "nursery": "early learning and childcare", "early years": "early learning and childcare",
                   "secondary school": "secondary", "sen": "special", "asn": "special"},
        "subjects": {**SYNONYMS["subjects"], "gàidhlig": "Gaelic", "gaidhlig": "Gaelic"},
        "resource_types": SYNONYMS["resource_types"],
    },
    labels={"levels": {**{v: f"{v.capitalize()} level" for v in SCOTLAND_LEVELS[:5]}, "senior phase": "Senior phase"}},
    stage_fields=(
        _stage("levels", "Levels", "Curriculum for Excellence levels: early, first, second, third, fourth, senior phase.",
               "second, third", "levels", "level"),
        _stage("areas", "Curriculum areas", "Curriculum areas.", "[Mathematics]", "areas", "area"),
    ),
    school_number=_school_number("SEED code", "The school's 7-digit SEED code.", "5244439", r"\d{7}"),
    school_record="",
)


NORTHERN_IRELAND = Curriculum(
    "northern-ireland", "the Northern Ireland Curriculum",
    values={
        "key_stages": ("Foundation Stage", "KS1", "KS2", "KS3", "KS4"),
        "areas": ("Language and Literacy", "Mathematics and Numeracy", "The Arts", "The World Around Us",
                  "Personal Development and Mutual Understanding", "Physical Education", "Religious Education", "Modern Languages",
                  "Environment and Society", "Science and Technology", "Learning for Life and Work"),
        "phases": ("nursery", "primary", "post-primary", "special"),
        "subjects": (*DEFAULTS["subjects"], "Irish"),
        "resource_types": DEFAULTS["resource_types"],
    },
    synonyms={
        "key_stages": {"foundation": "Foundation Stage", "fs": "Foundation Stage", "p1 p2": "Foundation Stage",
                       **{f"key stage {n}": f"KS{n}" for n in range(1, 5)}, "gcse": "KS4"},
        "areas": {"literacy": "Language and Literacy", "numeracy": "Mathematics and Numeracy", "maths": "Mathematics and Numeracy",
                  "arts": "The Arts", "world around us": "The World Around Us", "wau": "The World Around Us",
                  "pdmu": "Personal Development and Mutual Understanding", "pe": "Physical Education", "re": "Religious Education",
                  "llw": "Learning for Life and Work"},
        "phases": {"secondary": "post-primary", "grammar": "post-primary", "grammar school": "post-primary", "sen": "special"},
        "subjects": {**SYNONYMS["subjects"], "gaeilge": "Irish"},
        "resource_types": SYNONYMS["resource_types"],
    },
    stage_fields=(
        _stage("key_stages", "Key stages", "Key stages: Foundation Stage, KS1 to KS4.", "KS2, KS3", "key_stages", "key-stage"),
        _stage("areas", "Areas of learning", "Areas of learning.", "[The World Around Us]", "areas", "area"),
    ),
    school_number=_school_number("DE reference number", "The school's Department of Education reference number.",
                                 "123-4567", r"\d{3}-\d{4}"),
    school_record="",
)


CURRICULA = {c.name: c for c in (ENGLAND, WALES, SCOTLAND, NORTHERN_IRELAND)}


NAMES = {"cymru": "wales", "northern ireland": "northern-ireland", "ni": "northern-ireland", # what people write
         "northernireland": "northern-ireland", "alba": "scotland"}


def curriculum_named(name: str) -> Curriculum | None:
    """The curriculum `name` means ("Wales", "Cymru", "Northern Ireland"), or None."""
    key = " ".join(name.strip().lower().replace("_", " ").split())
    return CURRICULA.get(key.replace(" ", "-")) or CURRICULA.get(NAMES.get(key, ""))
