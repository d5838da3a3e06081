"""The few things a writer may have written whose meaning changed when sitegen moved from Python-Markdown to
CommonMark (issue 21): `sitegen check` points each out once, so that an existing hub can look them over.

They now show as the editor's preview and github.com show them; before, they did not.
"""

from __future__ import annotations

import re

_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BLOCK_START = re.compile(r"^ {0,3}(#|>|\||<|[-*_](?:\s*[-*_]){2,}\s*$)")


def meaning_changes(body: str, first_line: int) -> list[tuple[int, str]]:
    """(line, message) for each construct that Python-Markdown and CommonMark read differently."""
    found: list[tuple[int, str]] = []
    fence = ""
    previous = ""  # the line before, outside code
    item_indents: list[int] = []  # the indents of the list items above, in the current list
    lines = body.split("\n")
    for i, line in enumerate(lines):
        number = first_line + i
        opening = _FENCE.match(line)
        if fence or opening:
            if opening and (not fence or opening.group(1).startswith(fence)):
                fence = "" if fence else opening.group(1)[0] * 3
            previous = ""
            continue
        item = _ITEM.match(line)
        if not line.strip():
            pass
        elif item:
            indent = len(item.group(1))
            if item_indents and 0 < indent - item_indents[-1] < 4 and indent < 4 + item_indents[0]:
                found.append((number, "this list item is indented less than 4 spaces under the one above: it is now shown "
                                      "inside it, as a nested list (as the editor shows it); before, it was shown at the same level"))
            elif not item_indents and previous.strip() and not _ITEM.match(previous) and not _BLOCK_START.match(previous) \
                    and (item.group(2) in "-*+" or item.group(2)[:-1] == "1"):
                found.append((number, "this list follows a line of text with no blank line between: it is now shown as a "
                                      "list (as the editor shows it); before, these lines were part of the paragraph above"))
            item_indents = [*[n for n in item_indents if n < indent], indent]
        elif not line.startswith(" ") and not previous.strip():
            item_indents = []  # a paragraph after a blank line ends the list
        if line.endswith("\\") and not line.endswith("\\\\") and line.strip() != "\\" and i + 1 < len(lines) and lines[i + 1].strip():
            found.append((number, "a backslash at the end of a line is now a line break (what the editor's Shift+Enter "
                                  "writes); before, the backslash itself was shown"))
        previous = line
    return found
