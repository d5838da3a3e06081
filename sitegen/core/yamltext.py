"""Split a content file into its YAML front matter and its Markdown body.

Front matter sits between two `---` lines at the top of the file. YAML is
only ever loaded safely, and every key remembers the line it is on so that
later checks can say `path:line:`.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .errors import ContentError

try:  # the C loader is several times faster; the pure one behaves the same
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader


class Loader(_Base):  # type: ignore[misc, valid-type]
    """YAML's safe loader with YAML 1.2's core schema: a plain value is text unless it is true/false, null/~,
    or a number as YAML 1.2 writes one. YAML 1.1 (PyYAML's default) read `end: 17:30` as the number 1050,
    `language: no` and `country: NO` as false, `012` as 10: here they stay as written, and each field's
    reader decides what they mean. Dates stay text too: sitegen reads them itself, so an impossible date
    ("2026-02-30") gets a clear message instead of a crash in the YAML library."""


class WrittenInt(int):
    """A whole number that remembers how it was written ("012", "+5", "0x1F"): shown as typed, counted as the number."""

    written: str

    def __new__(cls, value: int, written: str) -> WrittenInt:
        number = super().__new__(cls, value)
        number.written = written
        return number

    def __str__(self) -> str:
        return self.written

    def __repr__(self) -> str:  # differs from the plain number's: what outputs read is fingerprinted by repr
        return f"WrittenInt({int(self)!r}, {self.written!r})"

    def __reduce__(self) -> tuple[type, tuple[int, str]]:
        return WrittenInt, (int(self), self.written)


class WrittenFloat(float):
    """A number with a point that remembers how it was written ("5.50", "1e3"): a price keeps its pence."""

    written: str

    def __new__(cls, value: float, written: str) -> WrittenFloat:
        number = super().__new__(cls, value)
        number.written = written
        return number

    def __str__(self) -> str:
        return self.written

    def __repr__(self) -> str:  # differs from the plain number's: what outputs read is fingerprinted by repr
        return f"WrittenFloat({float(self)!r}, {self.written!r})"

    def __reduce__(self) -> tuple[type, tuple[float, str]]:
        return WrittenFloat, (float(self), self.written)


MAX_DIGITS = 1000  # Python cannot even print an int of more than 4,300 digits; nobody writes one on purpose


CORE_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")


CORE_FLOAT = re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")


CORE_SCHEMA = [  # (tag, pattern, first characters), as YAML 1.2's core schema; the int rule is tried before the float one
    ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")),
    ("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", CORE_INT, list("-+0123456789")),
    ("tag:yaml.org,2002:float", CORE_FLOAT, list("-+.0123456789")),
    ("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"]),  # `<<: *defaults`, which people copy from examples
]


Loader.yaml_implicit_resolvers = {}  # type: ignore[attr-defined]
for _tag, _pattern, _first in CORE_SCHEMA:
    Loader.add_implicit_resolver(_tag, _pattern, _first)


def _construct_int(loader: Loader, node: yaml.ScalarNode) -> int:
    """A whole number (1.2's 12, -3, 0o17, 0x1F; an explicit !!int may use 1.1's 1_000 and 1:30:00),
    refusing numbers too long to use."""
    written = str(loader.construct_scalar(node))
    if CORE_INT.match(written):
        value = int(written[2:], 8 if written[1] == "o" else 16) if written[:2] in ("0o", "0x") else int(written, 10)
    else:
        value = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    if value.bit_length() > MAX_DIGITS * 3.33:
        raise ValueError("too many digits")
    return value if str(value) == written else WrittenInt(value, written)


def _construct_float(loader: Loader, node: yaml.ScalarNode) -> float:
    """A number with a point or an exponent (5.50, 1e3, .inf); an explicit !!float may use 1.1's forms."""
    written = str(loader.construct_scalar(node))
    if CORE_FLOAT.match(written):
        value = float(written.lower().replace(".inf", "inf").replace(".nan", "nan"))
    else:
        value = yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
    return value if str(value) == written else WrittenFloat(value, written)


Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
Loader.add_constructor("tag:yaml.org,2002:merge", Loader.construct_scalar)  # "<<" as a value, not a key, is text


def load_mapping(text: str, path: str, first_line: int = 1, what: str = "the file") -> tuple[dict[str, Any], dict[str, int]]:
    """Safely load YAML text that must be a mapping; return it with each top-level key's line."""
    node, data = _load(text, path, first_line, what, mapping=True)
    if node is None:
        return {}, {}
    key_lines = {str(key_node.value): key_node.start_mark.line + first_line for key_node, _ in node.value}
    return {str(k): v for k, v in data.items()}, key_lines


def key_line(text: str, *keys: str) -> int | None:
    """The line of a key inside mappings (`key_line(text, "contact", "email")`), for a message about a value
    deep in a file that has already been read; None when it is not there."""
    loader = Loader(text)
    try:
        node, line = loader.get_single_node(), None
        for key in keys:
            found = [(k, v) for k, v in node.value if str(k.value) == key] if isinstance(node, yaml.MappingNode) else []
            if not found:
                return None
            line, node = found[0][0].start_mark.line + 1, found[0][1]
        return line
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def load_yaml(text: str, path: str, first_line: int = 1, what: str = "") -> Any:
    """Safely load any YAML value (a data file); errors name `path` and the line."""
    return _load(text, path, first_line, what, mapping=False)[1]


MAX_DEPTH = 100  # lists and mappings inside each other; far deeper than anyone writes, far below a crash


def _load(text: str, path: str, first_line: int, what: str, mapping: bool) -> tuple[Any, Any]:
    """(the document's node, its value). Every failure is a ContentError naming the line."""
    loader = Loader(text)
    try:
        _check_depth(text, path, first_line, what)
        node = loader.get_single_node()
        if node is None:
            return None, None
        if mapping and not isinstance(node, yaml.MappingNode):
            raise ContentError(
                f"{what} must be a list of 'key: value' lines, not a single value or a list",
                path,
                node.start_mark.line + first_line,
            )
        if mapping:
            key_lines: dict[str, int] = {}
            for key_node, _ in node.value:
                key = str(key_node.value)
                line = key_node.start_mark.line + first_line
                if key in key_lines:
                    raise ContentError(f"'{key}' is given twice (first on line {key_lines[key]})", path, line)
                key_lines[key] = line
        try:
            return node, loader.construct_document(node)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # noqa: BLE001 - PyYAML's constructors fail on some values with any error at all ('!!bool abc': KeyError)
            bad = _unconstructable(node) or (node, exc)
            raise ContentError(f"{_subject(what)}is not valid YAML: {_explain_value(*bad)}", path, bad[0].start_mark.line + first_line) from None
    except yaml.MarkedYAMLError as exc:
        # an unclosed bracket is found where the text ends: point at where it opened
        opened = exc.context_mark if exc.context and exc.context.startswith("while parsing a flow") else None
        mark = opened or exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        lines = text.split("\n")
        near = lines[mark.line] if mark and mark.line < len(lines) else ""
        raise ContentError(f"{_subject(what)}is not valid YAML: {explain_yaml_problem(exc, near)}", path, line) from None
    except yaml.YAMLError as exc:  # e.g. a value YAML cannot construct
        raise ContentError(f"{_subject(what)}is not valid YAML: {exc}", path, first_line) from None
    finally:
        loader.dispose()


def _subject(what: str) -> str:
    return f"{what} " if what else ""


def _check_depth(text: str, path: str, first_line: int, what: str) -> None:
    """Refuse deep nesting before building anything: PyYAML's C composer recurses without a limit and
    crashes the interpreter on a few tens of thousands of '[' (its parser, used here, does not recurse)."""
    if sum(text.count(c) for c in "[{-:?") < MAX_DEPTH:
        return  # cannot be that deep: skip the second parse for ordinary front matter
    parser = _Base(text)
    try:
        depth = 0
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + first_line if event.start_mark else first_line
                    raise ContentError(f"{_subject(what)}nests lists or mappings more than {MAX_DEPTH} deep; sitegen reads at most {MAX_DEPTH} levels",
                                       path, line)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" not in str(exc.problem):  # PyYAML 6.0.4 and later stop deep nesting themselves
            raise
        line = exc.problem_mark.line + first_line if exc.problem_mark else first_line
        raise ContentError(f"{_subject(what)}nests lists or mappings more than {MAX_DEPTH} deep; sitegen reads at most {MAX_DEPTH} levels",
                           path, line) from None
    finally:
        parser.dispose()


def _unconstructable(root: yaml.Node) -> tuple[yaml.Node, Exception] | None:
    """The first value that YAML's constructors cannot make on its own (a '!!int abc', a 5,000-digit number)."""
    todo = [root]
    while todo:
        node = todo.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                Loader("").construct_object(node)
            except Exception as exc:  # noqa: BLE001 - see _load
                return node, exc
        elif isinstance(node, yaml.SequenceNode):
            todo += reversed(node.value)
        elif isinstance(node, yaml.MappingNode):
            todo += [n for pair in reversed(node.value) for n in reversed(pair)]
    return None


def _explain_value(node: yaml.Node, exc: Exception) -> str:
    value = str(getattr(node, "value", ""))
    shown = value if len(value) <= 40 else value[:37] + "..."
    tag = node.tag.rsplit(":", 1)[-1]
    digits = sum(c.isalnum() for c in value.lstrip("+-").removeprefix("0x").removeprefix("0o").removeprefix("0b"))
    if tag == "int" and digits > MAX_DIGITS:
        return f"a number with {digits} digits is too long; put it in quotes if it is text"
    if node.tag.startswith("tag:yaml.org,2002:"):
        return f'"{shown}" is not a valid !!{tag} ({exc}); remove the !!{tag} or correct the value'
    return f'"{shown}" cannot be read ({exc})'


CURLY_QUOTES = "“”‘’„"


def explain_yaml_problem(exc: yaml.MarkedYAMLError, line: str = "") -> str:
    """The YAML library's complaint in plain words; `line` is the line it is about."""
    problem = exc.problem or "it cannot be read"
    if "\t" in line or "tab" in problem:
        return "a tab is used for indenting: use spaces, not tabs"
    if any(q in line for q in CURLY_QUOTES):
        return "this line has curly quotes (“ ” or ‘ ’), as Word makes them: YAML needs straight quotes, \" or \'"
    hints = {
        "mapping values are not allowed": "a value contains ': '; put the whole value in quotes",
        "found character '\\t' that cannot start any token": "a tab is used for indenting; use spaces",
        "could not find expected ':'": "a line is missing its ':' after the key",
        "found undefined alias": "a value starts with '*'; put it in quotes",
        "found unexpected end of stream": "a quote or bracket is never closed",
        "found unknown escape character": "a backslash in a double-quoted value; use single quotes",
        "did not find expected ',' or ']'": "a list in [brackets] is not closed, or a value in it needs quotes",
        "did not find expected ',' or '}'": "a mapping in {braces} is not closed, or a value in it needs quotes",
    }
    for start, hint in hints.items():
        if problem.startswith(start):
            return hint
    return problem


def hidden_by_comment(line: str) -> str | None:
    """What a writer meant as a value but YAML read as a comment: 'colour: #7a1f5c' -> '#7a1f5c'."""
    match = re.match(r"^\s*[^:#]+:\s+(#.*?)\s*$", line)
    return match.group(1) if match else None


def comment_message(key: str, hidden: str) -> str:
    return f'{key}: is empty, because in YAML "#" starts a comment: put the value in quotes, {key}: "{hidden}"'
