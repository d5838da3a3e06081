"""Output into a pipe that closes early (`sitegen schema | head`): sitegen stops quietly, with the status the
command earned; never "internal error", a traceback, or Python's complaint at exit (status 120)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_SITE, write_files

SITEGEN = [sys.executable, "-c", "from sitegen.cli.main import run_console; run_console()"]  # what the `sitegen` script runs
GOOD = {"site.yaml": MINIMAL_SITE + "search: false\n", "content/about.md": "---\ntitle: About\n---\nHello.\n"}


def run_closed(args: list[str], closed: str, read_first_line: bool = False, buffered: bool = False) -> tuple[int, bytes]:
    """Run sitegen with `closed` ("stdout" or "stderr") a pipe whose reader goes away (after one line, or at once);
    returns the exit status and what the other stream said. Buffered, as Python is unless PYTHONUNBUFFERED is set,
    a short output waits in the buffer until Python exits, and meets the closed pipe only then."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"} | ({} if buffered else {"PYTHONUNBUFFERED": "1"})
    process = subprocess.Popen([*SITEGEN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    gone, other = (process.stdout, process.stderr) if closed == "stdout" else (process.stderr, process.stdout)
    assert gone is not None and other is not None
    if read_first_line:
        assert gone.readline()
    gone.close()
    said = other.read()
    return process.wait(timeout=120), said


@pytest.mark.parametrize("read_first_line", [True, False])
def test_schema_into_head(tmp_path: Path, read_first_line: bool) -> None:
    write_files(tmp_path, GOOD)
    assert run_closed(["schema", str(tmp_path)], "stdout", read_first_line) == (0, b"")


@pytest.mark.parametrize("buffered", [True, False])
def test_a_short_output_into_a_closed_pipe(tmp_path: Path, buffered: bool) -> None:
    write_files(tmp_path, GOOD)
    assert run_closed(["schema", "--kind", "pages", str(tmp_path)], "stdout", buffered=buffered) == (0, b"")
    assert run_closed(["--help"], "stdout", buffered=buffered) == (0, b"")
    assert run_closed(["--version"], "stdout", buffered=buffered) == (0, b"")
    assert run_closed(["new", "news", "Ymweliad", "--dir", str(tmp_path)], "stdout", buffered=buffered) == (0, b"")
    assert len(list((tmp_path / "content" / "news").glob("*-ymweliad.md"))) == 1


def test_build_report_into_a_closed_pipe(tmp_path: Path) -> None:
    write_files(tmp_path, GOOD)
    assert run_closed(["build", str(tmp_path)], "stderr") == (0, b"")
    assert (tmp_path / "_site" / "about" / "index.html").is_file()
    write_files(tmp_path, {"content/about.md": "---\nsummary: no title\n---\n"})
    assert run_closed(["build", str(tmp_path)], "stderr") == (1, b""), "a failed build still fails when its errors cannot be shown"
    assert run_closed(["check", str(tmp_path)], "stderr") == (1, b"")


def test_a_closed_pipe_inside_the_build_is_still_a_bug(hub, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """Only sitegen's own output closing is quiet: a pipe to another program breaking is reported."""
    import importlib

    cli = importlib.import_module("sitegen.cli.main")  # the module (sitegen.cli.main is also its function's name)
    def broken(*args: object, **kwargs: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli, "check_build", broken)
    run = hub(GOOD).run("check")
    assert run.code == 1
    assert "internal error" in run.err
