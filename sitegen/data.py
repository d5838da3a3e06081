"""Data files: data/*.yaml, *.json and *.csv become `data.<name>` in templates."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, Problems
from .frontmatter import Loader, explain_yaml_problem

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
        if path.suffix.lower() not in SUFFIXES or path.name.startswith(".") or not path.is_file() or not path.resolve().is_relative_to(root.resolve()):
            continue  # a link leading out of the hub is reported by content.links_leading_out
        rel = path.relative_to(root).as_posix()
        if path.stem in data:
            problems.error(rel, None, f"a data file named '{path.stem}' exists already; rename one of them")
            continue
        raw = path.read_bytes()
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
        return [dict(row) for row in csv.DictReader(io.StringIO(text))]
    if suffix == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ContentError(f"is not valid JSON: {exc.msg}", rel, exc.lineno) from None
    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - Loader is a safe loader
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ContentError(f"is not valid YAML: {explain_yaml_problem(exc)}", rel, line) from None
    except yaml.YAMLError as exc:
        raise ContentError(f"is not valid YAML: {exc}", rel, None) from None
