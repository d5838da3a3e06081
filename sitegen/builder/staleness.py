"""Which outputs to render again, and keeping what the rendered ones read (see graph.py).

An output is rendered again when it is new, when what the plan gave it changed, when a key it
read has another fingerprint now, or when its file is not as the last run left it. The checks
give way (yield) every so often, so that the dev server can answer requests meanwhile.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Generator
from typing import Any

from ..core.urls import output_file
from ..outputs.output import Output
from ..render.record import Key, fingerprint
from .cache import BuildCache
from .graph import Graph, Record, Resolver

CHECK_STEP = 250  # give way after fingerprinting this many outputs or keys
Shapes = dict[str, bytes]  # output file -> fingerprint of what the plan gave it


def shape_of(output: Output, memo: dict[int, tuple[Any, bytes]]) -> bytes:
    return fingerprint((output.url, output.template, output.render, output.context), memo)


class Tracker:
    """The dependency graph of the last run, and what changed since."""

    def __init__(self) -> None:
        self.graph = Graph()
        self.dirty = False  # whether the graph changed since the cache was saved
        self.outline = b""  # the site's outline (inputs.Reader.outline) in this run
        self.changed_keys: dict[Key, bytes] = {}
        self.forced: set[str] = set()  # in memory: outputs rendered by `render_one` in a run not finished: render again

    def settle(self, settings: bytes) -> None:
        """Records made with other settings describe another site: start afresh."""
        if self.graph.settings != settings:
            self.graph = Graph(settings=settings)
            self.dirty = True

    def stale(self, outputs: list[Output], outline: bytes, resolver: Resolver, kept: Callable[[str, Record], bool],
              copied: set[str]) -> Generator[None, None, tuple[list[int], Shapes]]:
        """The indices of the outputs to render, and every output's shape. `kept` says whether an output's
        file is as the last run left it; `copied` are the files copied now (an output that a hub's own
        file was copied over last time, but not now, is rendered again)."""
        graph = self.graph
        files = [output_file(o.url) for o in outputs]
        if outline == graph.outline and len(files) == len(graph.records) and all(f in graph.records for f in files):
            # Only the text of items changed (or nothing did): the plan and the site's lists and queries are as before.
            shapes = {f: graph.records[f].shape for f in files}
            changed_keys = yield from self._changed_keys(resolver, queries=False)
        else:
            memo: dict[int, tuple[Any, bytes]] = {}
            shapes = {}
            for n, (f, o) in enumerate(zip(files, outputs, strict=True)):
                if n % CHECK_STEP == CHECK_STEP - 1:
                    yield
                shapes[f] = shape_of(o, memo)
            changed_keys = yield from self._changed_keys(resolver)
        self.changed_keys = changed_keys
        self.outline = outline
        dirty = graph.reading(changed_keys)
        wanted = []
        for i, file in enumerate(files):
            if i % (CHECK_STEP * 4) == CHECK_STEP * 4 - 1:
                yield
            record = graph.records.get(file)
            if (record is None or record.shape != shapes[file] or file in dirty or file in self.forced or not kept(file, record)
                    or (file in graph.copied and file not in copied)):
                wanted.append(i)
        return wanted, shapes

    def up_to_date(self, record: Record | None, output: Output, resolver: Resolver, memo: dict[int, tuple[Any, bytes]]) -> bool:
        """Whether one output read nothing that changed since its record was made (the dev server's `render_one`)."""
        return (record is not None and record.shape == shape_of(output, memo)
                and all(resolver.digest(key) == self.graph.digests.get(key) for key in record.keys))

    def _changed_keys(self, resolver: Resolver, queries: bool = True) -> Generator[None, None, dict[Key, bytes]]:
        """Keys whose fingerprint is not what it was: checked item by item, and a whole item is
        skipped when nothing about it changed. Without `queries`, the site's lists and queries are
        known to be as before."""
        graph = self.graph
        by_item: dict[str, list[Key]] = defaultdict(list)
        others = []
        for n, key in enumerate(graph.digests):
            if n % (CHECK_STEP * 20) == CHECK_STEP * 20 - 1:
                yield
            if key[0] in ("i", "f"):
                by_item[key[1]].append(key)
            else:
                others.append(key)
        changed: dict[Key, bytes] = {}
        for n, (url, keys) in enumerate(by_item.items()):
            if n % CHECK_STEP == CHECK_STEP - 1:
                yield
            now = resolver.item(url)
            if now is not None and now == graph.items.get(url):
                continue
            for key in keys:
                digest = resolver.digest(key)
                if digest != graph.digests[key]:
                    changed[key] = digest
        for n, key in enumerate(others):
            if not queries and key[0] in ("c", "a") and key[1] != "now":  # a template that shows the moment itself
                continue
            if n % CHECK_STEP == CHECK_STEP - 1:
                yield
            digest = resolver.digest(key)
            if digest != graph.digests[key]:
                changed[key] = digest
        return changed

    def commit(self, shapes: Shapes, rendered: dict[str, bytes], records: dict[str, tuple[Any, Any]], resolver: Resolver,
               in_memory: set[str]) -> set[str]:
        """The run succeeded: keep what it found out. `rendered`: each output rendered this run -> the digest of its
        bytes; `in_memory` are the files the dev server holds.
        Returns the output files no longer made."""
        graph = self.graph
        self.dirty |= bool(records or self.changed_keys) or graph.outline != self.outline
        graph.outline = self.outline
        graph.digests.update(self.changed_keys)
        unread: set[Key] = set()  # keys that outputs rendered again or gone read before: some may be read by no output now
        for file, (keys, calls) in records.items():
            old = graph.records.get(file)
            if old is not None:
                unread.update(old.keys)
            graph.calls.update(calls)
            for key in keys:
                if key not in graph.digests:
                    graph.digests[key] = resolver.digest(key)
            graph.records[file] = Record(shapes[file], keys, digest=rendered.get(file))
        gone = (set(graph.records) | in_memory) - set(shapes)
        self.dirty |= bool(gone)
        for file in gone:
            if file in graph.records:
                unread.update(graph.records.pop(file).keys)
        for file, record in graph.records.items():
            if file not in rendered and record.shape != shapes[file]:
                graph.records[file] = dataclasses.replace(record, shape=shapes[file])
                self.dirty = True
        if unread:
            read: set[Key] = set()
            for record in graph.records.values():
                read.update(unread.intersection(record.keys))
            for key in unread - read:  # read by no output any more
                graph.digests.pop(key, None)
                graph.calls.pop(key, None)
        urls = {key[1] for key in graph.digests if key[0] in ("i", "f")}
        items = {url: d for url in urls if (d := resolver.item(url)) is not None}
        self.dirty |= items != graph.items
        graph.items = items
        self.forced.clear()  # every one planned was rendered again this run; the others are gone
        return gone

    def load(self, cache: BuildCache, settings: bytes, output: str) -> None:
        """The graph of the last build into `output`, from the persistent cache (when made with the same settings)."""
        saved = cache.load_split("outputs")
        if saved is not None and isinstance(saved[0], dict) and len(saved[1]) == 3:
            graph = Graph(**saved[0])  # the same code saved it (core.engine.ENGINE)
            graph.records, graph.digests, graph.calls = saved[1]
            if graph.settings == settings and graph.output == output:
                self.graph = graph
                self.dirty = False

    def save(self, cache: BuildCache) -> None:
        if not self.dirty:
            return
        graph = self.graph
        header = {name: getattr(graph, name) for name in ("settings", "output", "items", "outline", "tree", "copied")}
        cache.save_split("outputs", header, [graph.records, graph.digests, graph.calls])
        self.dirty = False
