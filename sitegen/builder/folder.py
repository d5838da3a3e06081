"""The output folder as a run finds it, and whether it still holds what the last build wrote there.

A build that finds every file as it left it (same inode, size and time) writes nothing; one that
finds the site it wrote, with a few outputs changed, puts only those in place (writer.update_site).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from ..core.urls import output_file
from ..outputs.output import Copy
from .graph import Graph, Record, Stat, digest
from .writer import MARKER


def stat(path: str | Path) -> Stat | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def scan(folder: Path, folders: set[str] | None = None) -> dict[str, Stat]:
    """Every file under `folder` (relative path -> stat): any entry but a real folder
    (a link to a folder too). The relative paths of the real folders are added to `folders`."""
    found: dict[str, Stat] = {}
    todo = [("", str(folder))]
    while todo:
        prefix, path = todo.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                todo.append((prefix + entry.name + "/", entry.path))
                if folders is not None:
                    folders.add(prefix + entry.name)
            else:
                st = entry.stat(follow_symlinks=False)
                found[prefix + entry.name] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return found


def files_of(copies: list[Copy]) -> set[str]:
    """The output files of `copies` (those with an impossible address are reported by outputs.checks.check_paths)."""
    files = set()
    for copy in copies:
        try:
            files.add(output_file(copy.url))
        except ValueError:
            pass
    return files


def readable(path: Path) -> bool:
    """Whether the file can be opened now (its permissions may have changed since it was looked at)."""
    try:
        os.close(os.open(path, os.O_RDONLY))
    except OSError:
        return False
    return True


class OutputFolder:
    """What a run found in the output folder, compared with what the graph says the last build wrote."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root  # the hub's folder: an output folder inside it is known by its path from there
        self.tree: dict[str, Stat] = {}  # the output folder's files when this run began
        self.output: Path | None = None  # the folder looked at
        self.folders: set[str] = set()  # and its real folders
        self._copied_memo: tuple[list[Copy], dict[str, tuple[str, Stat | None]]] | None = None

    def key(self, output: Path | None) -> str:
        """How the graph names an output folder: '_site' for one in the hub, so that a clone of the hub elsewhere
        (a CI runner's folder) with its cache and output restored is the same site; else its full path."""
        if output is None:
            return ""
        if self.root is not None and output.resolve().is_relative_to(self.root):
            return output.resolve().relative_to(self.root).as_posix()
        return str(output)

    def look(self, output: Path | None) -> None:
        """Note what is in `output` now (None: nothing to look at)."""
        self.folders = set()
        self.output = output
        self.tree = scan(output, self.folders) if output is not None else {}

    def kept(self, file: str, record: Record) -> bool:
        """Whether the output's file from the last run is still there as it was written: the same size
        and modification time (in nanoseconds), or, when only its time changed (a checkout with the kept
        site restored by a tool that does not keep times), the same bytes. Not the inode: a CI cache
        restored (actions/cache) or a copy that keeps times gives every file a new one."""
        found = self.tree.get(file)
        if record.stat is not None and found is not None and found[1:] == record.stat[1:]:
            return True
        if found is None or record.digest is None or self.output is None or (record.stat is not None and found[1] != record.stat[1]):
            return False
        try:  # its time changed but not its size (a fresh checkout with the kept site restored): its bytes decide
            return digest((self.output / file).read_bytes()) == record.digest
        except OSError:
            return False

    def up_to_date(self, output: Path, copies: list[Copy], graph: Graph) -> bool:
        """Whether every file is as the last build left it and every copied file's source untouched
        (the caller knows nothing was rendered or is gone). Then there is nothing to write."""
        if not graph.tree or graph.output != self.key(output):
            return False
        if self.copied(copies) != graph.copied or self.tree != graph.tree:  # the folder as found before rendering
            return False
        return all(readable(copy.src) for copy in copies)  # else writing says which is not

    def can_update(self, output: Path, graph: Graph) -> bool:
        """Whether the folder holds a site the graph describes, which can be brought up to date in
        place (writer.update_site) rather than written whole."""
        return bool(graph.tree) and bool(self.tree) and graph.output == self.key(output) and MARKER in self.tree

    def copies_to_put(self, copies: list[Copy], graph: Graph) -> list[Copy]:
        """The copied files that are not in the folder as the last build copied them (from the
        same source, untouched since), or whose source cannot be read now (writing then says so)."""
        tree, copied = self.tree, self.copied(copies)
        todo = []
        for copy in copies:
            file = output_file(copy.url)
            if copied[file] != graph.copied.get(file) or file not in tree or tree[file] != graph.tree.get(file) or not readable(copy.src):
                todo.append(copy)
        return todo

    def copied(self, copies: list[Copy]) -> dict[str, tuple[str, Stat | None]]:
        """Copied file -> (its source, the source's stat), worked out once per run."""
        if self._copied_memo is None or self._copied_memo[0] is not copies:
            self._copied_memo = (copies, {output_file(c.url): (str(c.src), stat(c.src)) for c in copies})
        return self._copied_memo[1]

    def written(self, output: Path, copies: list[Copy], graph: Graph, changes: tuple[list[str], list[str]] | None = None) -> bool:
        """The folder now holds every output: note each file in the graph as written. `changes` are the
        files (put in place, removed) when only those changed since the folder was looked at.
        Returns whether the graph changed."""
        if changes is None:
            tree = scan(output)
        else:
            tree = dict(self.tree)
            put, removed = changes
            for file in removed:
                tree.pop(file, None)
            for file in put:
                st = os.lstat(os.path.join(output, file))
                tree[file] = (st.st_ino, st.st_size, st.st_mtime_ns)
        copied = self.copied(copies)
        changed = tree != graph.tree or copied != graph.copied or graph.output != self.key(output)
        graph.tree, graph.copied, graph.output = tree, copied, self.key(output)
        for file, record in graph.records.items():
            if record.stat != tree.get(file):
                graph.records[file] = dataclasses.replace(record, stat=tree.get(file))
        return changed
