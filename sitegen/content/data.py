"""Data files: data/*.yaml, *.json and *.csv become `data.<name>` in templates."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from ..core.errors import ContentError, Problems
from ..core.yamltext import load_yaml
from .discover import is_inside
from .hubcheck import unreadable

SUFFIXES = (".yaml", ".yml", ".json", ".csv")


def load_data(root: Path) -> tuple[dict[str, Any], dict[str, str], Problems]:
    """Returns (data by name, text of each file by hub-relative path, problems)."""
    problems = Problems()
    data: dict[str, Any] = {}
    texts: dict[str, str] = {}
    folder = root / "data"
    if not folder.is_dir():
        return data, texts, problems
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith(".") or not path.is_file() or not is_inside(path, root):
            continue  # a link leading out of the hub is reported by hubcheck
        rel = path.relative_to(root).as_posix()
        if path.stem in data:
            problems.error(rel, None, f"a data file named '{path.stem}' exists already; rename one of them")
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.errors.append(unreadable(rel, exc))
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            if path.suffix.lower() != ".csv":
                problems.error(rel, None, "is not UTF-8 text: save it again as UTF-8")
                continue
            text = raw.decode("cp1252", errors="replace")  # Excel and the GIAS download write Windows-1252
        texts[rel] = text
        try:
            data[path.stem] = parse(rel, text)
        except ContentError as exc:
            problems.errors.append(exc)
    return data, texts, problems


def parse(rel: str, text: str) -> Any:
    suffix = rel.rsplit(".", 1)[-1].lower()
    if suffix == "csv":
        reader = csv.DictReader(io.StringIO(text))
        rows = []
        while True:
            start = reader.line_num + 1
            try:
                reader.fieldnames  # noqa: B018 - reads the header line first, so `start` is a row's line
                start = reader.line_num + 1
                rows.append(dict(next(reader)))
            except StopIteration:
                return rows
            except csv.Error as exc:
                raise ContentError(csv_problem(exc), rel, start) from None
    if suffix == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ContentError(f"is not valid JSON: {exc.msg}", rel, exc.lineno) from None
        except RecursionError:
            raise ContentError("nests lists or objects too deeply for sitegen to read", rel, None) from None
        except ValueError:  # Python refuses to convert numbers of more than 4,300 digits
            raise ContentError("has a number too long to read (thousands of digits); put it in quotes if it is text", rel, None) from None
    return load_yaml(text, rel)


def csv_problem(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return 'the row starting on this line never ends: a quote (") is probably never closed'
    return f"this row is not valid CSV ({exc})"
