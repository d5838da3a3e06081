"""Member schools from a CSV in the layout of the DfE's "Get Information About Schools" export.

A network can list its schools by exporting them from GIAS and saving the file as
data/schools.csv: each row becomes a school page, named by URN or by a slug made
from the school's name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from ..core.errors import Problems, did_you_mean
from ..core.urls import item_url, slugify
from ..schema import fields as f
from .data import csv_problem
from .page import Page, Settings, empty_fields

SCHOOLS_CSV = "data/schools.csv"


REQUIRED_COLUMNS = ("URN", "EstablishmentName")


# GIAS column -> sitegen field, for the columns that map one to one.
COLUMNS = {
    "TypeOfEstablishment (name)": "type",
    "LA (name)": "local_authority",
    "Postcode": "postcode",
}


# GIAS phase names -> the phases vocabulary.
PHASES = {
    "primary": "primary", "middle deemed primary": "primary", "secondary": "secondary",
    "middle deemed secondary": "secondary", "all-through": "all-through", "16 plus": "post-16",
    "nursery": "early years",
}


def load_schools_csv(text: str, settings: Settings) -> tuple[list[Page], Problems]:
    problems = Problems()
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        problems.error(SCHOOLS_CSV, 1, csv_problem(exc))
        return [], problems
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing and len(header) == 1 and ";" in header[0]:
        problems.error(SCHOOLS_CSV, 1, "the columns are separated by ';': save the file as CSV with commas (in Excel: 'CSV UTF-8 (Comma delimited)')")
        return [], problems
    if missing:
        for column in missing:
            problems.error(SCHOOLS_CSV, 1, f"no '{column}' column{did_you_mean(column, header)}: the file must use the column names of a GIAS export")
        return [], problems

    phases = settings.context.vocabularies["phases"]
    pages = []
    bare: list[int] = []  # lines whose SchoolWebsite has no https://
    for row, line in _rows(reader, problems):
        row = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(row.values()):
            continue
        name = row["EstablishmentName"]
        if "\n" in name or len(name) > 200:
            problems.error(SCHOOLS_CSV, line, 'EstablishmentName: this row runs on over several lines: a quote (") is probably never closed')
            break
        try:
            urn = f.urn(row["URN"])
        except f.FieldError as exc:
            problems.error(SCHOOLS_CSV, line, f"URN: {exc}")
            continue
        if not name:
            problems.error(SCHOOLS_CSV, line, "EstablishmentName: empty; every school needs its name")
            continue
        status = row.get("EstablishmentStatus (name)", "")
        if status.lower().startswith("closed"):
            problems.warn(SCHOOLS_CSV, line, f"{name} is closed (EstablishmentStatus: {status}): it is left out of the site")
            continue
        fields = empty_fields(settings.schema.kind("schools"))
        fields["urn"] = urn
        for column, key in COLUMNS.items():
            fields[key] = row.get(column) or None
        phase = _phase(row)
        fields["phase"] = phases.canonical(phase) if phase else None
        fields["address"] = ", ".join(p for p in (row.get("Street"), row.get("Locality"), row.get("Town")) if p) or None
        head = " ".join(p for p in (row.get("HeadTitle (name)"), row.get("HeadFirstName"), row.get("HeadLastName")) if p and p != "Not applicable")
        fields["headteacher"] = head or None
        if row.get("StatutoryLowAge") and row.get("StatutoryHighAge"):
            fields["age_range"] = f'{row["StatutoryLowAge"]}-{row["StatutoryHighAge"]}'
        website = row.get("SchoolWebsite", "")
        if website:  # GIAS writes most addresses without https://
            if not website.startswith(("http://", "https://")):
                bare.append(line)
                website = "https://" + website
            fields["website"] = website
        slug = slugify(name)
        if not slug:
            problems.error(SCHOOLS_CSV, line, f'EstablishmentName: "{name}" has no letters or digits to make an address from')
            continue
        pages.append(Page("schools", SCHOOLS_CSV, slug, item_url("schools", slug), name, fields, line=line))
    if bare:  # one warning, not one a row: GIAS exports write most addresses this way
        problems.warn(SCHOOLS_CSV, bare[0], f"SchoolWebsite: {len(bare)} address(es) without https:// are taken as https://...")
    return pages, problems


def _rows(reader: csv.DictReader, problems: Problems) -> Iterator[tuple[dict[str, str], int]]:
    """Each row with the line it ends on; a row the csv module cannot read ends the file with an error."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.error(SCHOOLS_CSV, start, csv_problem(exc))
            return
        yield row, reader.line_num


def _phase(row: dict[str, str]) -> str | None:
    kind = row.get("TypeOfEstablishment (name)", "").lower()
    if "special" in kind:
        return "special"
    if "pupil referral" in kind or "alternative provision" in kind:
        return "alternative provision"
    return PHASES.get(row.get("PhaseOfEducation (name)", "").lower())


def add_csv_schools(pages: list[Page], data_texts: dict[str, str], settings: Settings, problems: Problems,
                    memo: dict[str, Any] | None = None) -> set[str]:
    """Add the schools of data/schools.csv to `pages` (a school's own file wins over its row).

    Returns {data/schools.csv} when the file has errors, so that schools missing from it are not reported again.
    `memo` keeps the schools read from the same text (the dev server's rebuilds)."""
    if any(e.path == SCHOOLS_CSV for e in problems.errors):
        return {SCHOOLS_CSV}
    if SCHOOLS_CSV not in data_texts:
        return set()
    text = data_texts[SCHOOLS_CSV]
    known = memo.get("csv") if memo is not None else None
    if known is not None and known[0] == text:  # the driver empties the memo when the settings change
        schools, csv_problems = known[2], known[3]
    else:
        schools, csv_problems = load_schools_csv(text, settings)
        if memo is not None:
            memo["csv"] = (text, settings, schools, csv_problems)
    problems.extend(csv_problems)
    own = {p.fields["urn"] for p in pages if p.kind == "schools" and p.fields.get("urn")}
    pages += [s for s in schools if s.fields["urn"] not in own]
    return {SCHOOLS_CSV} if csv_problems.errors else set()
