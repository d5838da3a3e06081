"""Reading content files and rendering outputs on forked workers, when there are enough of them.

A worker dies with the build that forked it: killed outright (the out-of-memory killer's
`kill -9`), the build runs no clean-up, and workers left behind would hold on to memory (and,
before lock.py closed its file in them, to the output's lock). On Linux the kernel kills the
worker when its parent goes (PR_SET_PDEATHSIG); elsewhere a thread in the worker notices it
has a new parent within a moment and ends it.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ..content.page import Page
from ..content.read import read_page
from ..core.errors import Problems, SitegenError, TemplateError
from ..render.render import render_recorded
from ..search.pagefind import BODY_MARKER
from .graph import digest
from .spool import spool

COLLECT_EVERY = 32  # outputs rendered between two collections of the youngest objects
PARALLEL_FROM = 64  # fewer pages to read or outputs to render than this: not worth starting workers


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


_WORK: Any = None  # what forked workers work on: set just before the pool starts, cleared after


Done = tuple[int, bytes | str | None, bytes, bool, SitegenError | None, Any, Any, float]


def render_chunk(indices: list[int]) -> list[Done]:
    """Render outputs[i] for each i, recording what each read (`_WORK` is (outputs, site, env, spool folder)).

    Each is (i, its bytes or, when there is a spool folder, its file there; its digest; whether it is a
    page for the search index (so that the writer need not read it again to know); the error; the
    keys and calls it read; seconds)."""
    outputs, site, env, folder = _WORK
    done: list[Done] = []
    for n, i in enumerate(indices, 1):
        if n % COLLECT_EVERY == 0:  # rendering leaves cycles (Jinja's contexts), which the build's collector, off, would keep
            gc.collect(0)
        try:
            body, rec, seconds = render_recorded(outputs[i], site, env)
            done.append((i, body if folder is None else spool(folder, str(i), body), digest(body), BODY_MARKER in body, None,
                         rec.keys, rec.calls, seconds))
        except TemplateError as exc:
            done.append((i, None, b"", False, exc, None, None, 0.0))
    return done


def read_chunk(items: list[tuple[str, bytes]]) -> list[tuple[str, Page | None, Problems]]:
    """Read each (path, bytes) into a Page (`_WORK` is the reading settings)."""
    settings = _WORK
    return [read_page(rel, raw, settings) for rel, raw in items]


PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies


def die_with(parent: int) -> None:
    """In a worker: end it as soon as `parent` (the build) is gone."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass  # no prctl to be found: the thread below does it

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    if os.getppid() != parent:  # gone already, before the signal was asked for
        os._exit(1)
    threading.Thread(target=watch, name="sitegen-parent-watch", daemon=True).start()


def in_parallel(work: Any, function: Callable[[list[Any]], list[Any]], items: list[Any], jobs: int) -> Iterator[Any]:
    """function(chunk) over chunks of `items` on `jobs` processes: this one and jobs - 1 forked workers,
    results in the order of `items`. This process works too, rather than only waiting for the workers:
    each worker starts with (and the system counts in its memory) every page of this one's."""
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
        with ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context("fork"), initializer=die_with,
                                 initargs=(os.getpid(),)) as pool:
            yield from _shared_out(pool, function, chunks, ahead=2 * (jobs - 1))
    finally:
        _WORK = None
        if not kept:
            gc.unfreeze()


def _shared_out(pool: ProcessPoolExecutor, function: Callable[[list[Any]], list[Any]], chunks: list[list[Any]],
                ahead: int) -> Iterator[Any]:
    """The chunks' results in order: the workers take chunks from the front (`ahead` at a time queued for them),
    this process from the back, until none is left."""
    queued: dict[int, Future[list[Any]]] = {}
    done: dict[int, list[Any]] = {}
    front, back, given = 0, len(chunks), 0
    while given < len(chunks):
        while front < back and len(queued) < ahead:
            queued[front] = pool.submit(function, chunks[front])
            front += 1
        if front < back:
            back -= 1
            done[back] = function(chunks[back])
        for n in [n for n, future in queued.items() if future.done() or (n == given and front == back)]:
            done[n] = queued.pop(n).result()  # waits only for the next in order, once nothing is left to take
        while given in done:
            yield from done.pop(given)
            given += 1
