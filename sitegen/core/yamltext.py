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
    """YAML's safe loader, except that dates stay text: sitegen reads them itself, so an
    impossible date ("2026-02-30") gets a clear message instead of a crash in the YAML library."""


MAX_DIGITS = 1000  # Python cannot even print an int of more than 4,300 digits; nobody writes one on purpose


def _construct_int(loader: Loader, node: yaml.ScalarNode) -> int:
    """YAML's int (decimal, 0x.., 0o.., 1_000, 1:30:00), refusing numbers too long to use."""
    value = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    if value.bit_length() > MAX_DIGITS * 3.33:
        raise ValueError("too many digits")
    return value


Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


Loader.yaml_implicit_resolvers = {  # type: ignore[attr-defined]
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()  # type: ignore[attr-defined]
}


def load_mapping(text: str, path: str, first_line: int = 1, what: str = "the file") -> tuple[dict[str, Any], dict[str, int]]:
    """Safely load YAML text that must be a mapping; return it with each top-level key's line."""
    node, data = _load(text, path, first_line, what, mapping=True)
    if node is None:
        return {}, {}
    key_lines = {str(key_node.value): key_node.start_mark.line + first_line for key_node, _ in node.value}
    return {str(k): v for k, v in data.items()}, key_lines


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
