"""Reading content files and rendering outputs on forked workers, when there are enough of them."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from ..content.page import Page
from ..content.read import read_page
from ..core.errors import Problems, SitegenError, TemplateError
from ..render.render import render_recorded

PARALLEL_FROM = 64  # fewer pages to read or outputs to render than this: not worth starting workers


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


_WORK: Any = None  # what forked workers work on: set just before the pool starts, cleared after


def render_chunk(indices: list[int]) -> list[tuple[int, bytes | None, SitegenError | None, Any, Any, float]]:
    """Render outputs[i] for each i, recording what each read (`_WORK` is (outputs, site, env))."""
    outputs, site, env = _WORK
    done: list[tuple[int, bytes | None, SitegenError | None, Any, Any, float]] = []
    for i in indices:
        try:
            body, rec, seconds = render_recorded(outputs[i], site, env)
            done.append((i, body, None, rec.keys, rec.calls, seconds))
        except TemplateError as exc:
            done.append((i, None, exc, None, None, 0.0))
    return done


def read_chunk(items: list[tuple[str, bytes]]) -> list[tuple[str, Page | None, Problems]]:
    """Read each (path, bytes) into a Page (`_WORK` is the reading settings)."""
    settings = _WORK
    return [read_page(rel, raw, settings) for rel, raw in items]


def in_parallel(work: Any, function: Callable[[list[Any]], list[Any]], items: list[Any], jobs: int) -> Iterator[Any]:
    """function(chunk) over chunks of `items` on `jobs` forked workers, results in the order of `items`."""
    global _WORK
    if jobs <= 1 or len(items) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        _WORK = work
        try:
            yield from function(items)
        finally:
            _WORK = None
        return
    size = max(8, len(items) // (jobs * 6))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    _WORK = work
    kept = gc.get_freeze_count() > 0  # frozen for good already (the dev server): left frozen, and what is new with it
    gc.freeze()  # the workers share the parent's objects: keep their collectors from touching (and copying) them
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for done in pool.map(function, chunks):
                yield from done
    finally:
        _WORK = None
        if not kept:
            gc.unfreeze()
