"""Hostile conditions, class 10 of issue 24 (still open from the earlier suite): a file name that is
not UTF-8, the search index built from another folder in another order, and the dev server under
200 requests at once."""

from __future__ import annotations

import gzip
import http.client
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import MINIMAL_SITE, NOW, write_files

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CLI = [sys.executable, "-c", "import sys; from sitegen.cli.main import run_console; sys.argv[0] = 'sitegen'; run_console()"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def needs_search() -> None:
    from sitegen.search.pagefind import unavailable

    why = unavailable()
    if why:
        if IN_CI:
            pytest.fail(f"search tests cannot run in CI: {why}")
        pytest.skip(why)


# A file name that is not UTF-8 ----------------------------------------------------------------

NOT_UTF8 = "this name is not UTF-8 text, so it cannot be part of a web address: rename it (plain letters, digits and hyphens are safest)"


@pytest.mark.parametrize(("name", "shown"), [
    (b"content/news/2026-01-05-caf\xe9.md", r"content/news/2026-01-05-caf\xe9.md"),
    (b"content/resources/plan-\xff.pdf", r"content/resources/plan-\xff.pdf"),
    (b"static/img/\xe9t\xe9", r"static/img/\xe9t\xe9"),
])
def test_a_name_that_is_not_utf8_is_an_error(hub, name: bytes, shown: str) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/about.md": "---\ntitle: About\n---\nAbout us.\n"})
    assert site.build().code == 0
    before = snapshot(site.out)
    path = os.fsencode(site.root) + b"/" + name
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(b"---\ntitle: Cafe\ndate: 2026-01-05\n---\nText.\n")
    run = site.build()
    assert (run.code, run.lines) == (1, [f"{shown}: {NOT_UTF8}", "1 error(s): nothing was written"])
    assert snapshot(site.out) == before


# The search index is the same wherever and in whatever order the hub was made -----------------

SUBJECTS = ["science", "history", "geography", "music", "computing", "art and design"]


def reproducible_hub(items: int) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"site.yaml": MINIMAL_SITE}
    for i in range(items):
        files[f"content/resources/r{i:04d}.md"] = (
            f"---\ntitle: Resource {i}\nkey_stages: [KS{i % 4 + 1}]\nsubjects: [{SUBJECTS[i % 6]}, {SUBJECTS[(i * 7) % 6]}]\n"
            f"phases: [{'primary' if i % 3 else 'secondary'}]\n---\nNotes on trees, number {i}.\n")
    return files


def unpack(path: Path) -> Any:
    import cbor2

    return cbor2.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))


def what_it_finds(bundle: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(word -> addresses of the pages holding it, "filter:value" -> addresses), over every part."""
    words: dict[str, set[str]] = {}
    filters: dict[str, set[str]] = {}
    for folder in [bundle, *(bundle / part for part in json.loads((bundle / "parts.json").read_text()))]:
        entry = json.loads((folder / "pagefind-entry.json").read_text())
        for info in entry["languages"].values():
            meta = unpack(folder / f"pagefind.{info['hash']}.pf_meta")
            urls = [json.loads(gzip.decompress((folder / "fragment" / f"{page[0]}.pf_fragment").read_bytes())
                               .removeprefix(b"pagefind_dcd"))["url"] for page in meta[1]]
            for chunk in meta[2]:
                for word in unpack(folder / "index" / f"{chunk[2]}.pf_index")[0]:
                    number = 0
                    for page in word[1]:
                        number += page[0]  # each page number is the step from the one before
                        words.setdefault(word[0], set()).add(urls[number])
            for _, file in meta[3]:
                filter_name, values = unpack(folder / "filter" / f"{file}.pf_filter")
                for value in values:
                    filters.setdefault(f"{filter_name}:{value[0]}", set()).update(urls[n] for n in value[1])
    return words, filters


def test_the_index_is_the_same_built_from_another_folder_in_another_order(tmp_path: Path) -> None:
    needs_search()
    files = reproducible_hub(2000)
    first = write_files(tmp_path / "hub", files)
    # Another folder, on another file system where there is one (tmpfs lists files newest first),
    # its files made in the opposite order.
    shm = Path("/dev/shm")
    other_base = Path(tempfile.mkdtemp(prefix="sitegen-other-", dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else tmp_path))
    try:
        second = write_files(other_base / "another name", dict(reversed(list(files.items()))))
        for root in (first, second):
            run = subprocess.run([*CLI, "build", str(root)], capture_output=True, text=True, timeout=600)
            assert run.returncode == 0, run.stderr
        assert snapshot(first / "_site" / "pagefind") == snapshot(second / "_site" / "pagefind")
        assert snapshot(first / "_site") == snapshot(second / "_site")
        words, filters = what_it_finds(first / "_site" / "pagefind")
    finally:
        import shutil

        shutil.rmtree(other_base, ignore_errors=True)
    # Renumbered, the index still finds what it should.
    for i in (0, 7, 1234, 1999):
        assert words[str(i)] == {f"/resources/r{i:04d}/"}
    assert filters["key-stage:KS2"] == {f"/resources/r{i:04d}/" for i in range(2000) if i % 4 == 1}
    assert len(words["tree"]) == 2000


# The dev server under many requests at once ------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get_all(port: int, path: str, count: int, timeout: float) -> list[tuple[int | str, float, dict[str, str]]]:
    """`count` GETs at the same moment, each on its own connection: (status or error, seconds, headers)."""
    results: list[tuple[int | str, float, dict[str, str]]] = []
    start = threading.Barrier(count)

    def one() -> None:
        start.wait()
        began = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            results.append((response.status, time.monotonic() - began, dict(response.getheaders())))
            conn.close()
        except (OSError, http.client.HTTPException) as exc:
            results.append((type(exc).__name__, time.monotonic() - began, {}))

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_dev_server_answers_200_requests_at_once(tmp_path: Path) -> None:
    root = write_files(tmp_path / "hub", {k: v for k, v in list(reproducible_hub(50).items())})
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([*CLI, "serve", "--port", str(port), str(root)], stdout=log, stderr=log, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
        for _ in range(2):
            results = get_all(port, "/hub/", 200, timeout=20)
            statuses = Counter(status for status, _, _ in results)
            assert set(statuses) <= {200, 503}, f"every connection is answered: {statuses}"
            assert all(seconds < 20 for _, seconds, _ in results)
            assert statuses[200] >= 190, statuses
    finally:
        server.kill()
        server.wait()
        log.close()


def test_an_overloaded_dev_server_answers_503_with_retry_after(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitegen.builder.api import BuildOptions
    from sitegen.serve import server as dev
    from sitegen.serve.server import shutdown, start

    monkeypatch.setattr(dev, "QUEUE_WAIT", 0.5)
    root = write_files(tmp_path / "hub", {"site.yaml": MINIMAL_SITE + "admin: false\n", "content/about.md": "---\ntitle: About\n---\n"})
    server = start(root, BuildOptions(now=NOW), "127.0.0.1", 0, out=io.StringIO())
    slow = server.lookup

    def lookup(*args: Any) -> Any:
        time.sleep(1.5)  # a request that takes long (a page of a huge hub, a slow disk)
        return slow(*args)

    monkeypatch.setattr(server, "lookup", lookup)
    try:
        port = server.http.server_address[1]  # type: ignore[union-attr]
        results = get_all(port, "/hub/about/", 60, timeout=30)
    finally:
        shutdown(server)
    statuses = Counter(status for status, _, _ in results)
    assert set(statuses) == {200, 503}, statuses
    assert statuses[200] >= dev.WORKERS
    assert all(headers.get("Retry-After") == "1" for status, _, headers in results if status == 503)
