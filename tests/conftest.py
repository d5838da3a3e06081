"""Fixtures: write a hub into tmp_path from a dict of files, build it, and read what came out."""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from sitegen.cli.main import main

REPO = Path(__file__).resolve().parent.parent
# Builds in tests happen at a fixed moment, so "upcoming" and "future" never drift.
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo("Europe/London"))

MINIMAL_SITE = "title: Test Hub\nbase_url: https://example.org/hub/\n"


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 6), colour: tuple[int, int, int] = (29, 92, 77)) -> bytes:
    """A small real picture (sitegen re-encodes pictures, so a test's image must be one)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.strip().splitlines()


class Hub:
    """A hub in a temporary folder."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]):
        self.root = root
        self.capsys = capsys

    def write(self, files: dict[str, str | bytes]) -> Hub:
        write_files(self.root, files)
        return self

    def run(self, *args: str) -> Run:
        self.capsys.readouterr()
        code = main([*args, str(self.root)])
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def build(self, *args: str) -> Run:
        return self.run("build", *args)

    @property
    def out(self) -> Path:
        return self.root / "_site"

    def html(self, rel: str) -> BeautifulSoup:
        return BeautifulSoup((self.out / rel).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every build in the tests happens at NOW (SOURCE_DATE_EPOCH is sitegen's clock)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))


@pytest.fixture
def hub(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """hub(files) -> a Hub with a minimal site.yaml plus `files` written into tmp_path."""

    def make(files: dict[str, str | bytes] | None = None, site_yaml: str = MINIMAL_SITE) -> Hub:
        root = tmp_path / "hub"
        root.mkdir(exist_ok=True)
        return Hub(root, capsys).write({"site.yaml": site_yaml, **(files or {})})

    return make


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own example hub, built once under a sub-path."""
    import sitegen
    from sitegen.builder.api import BuildOptions

    out = tmp_path_factory.mktemp("example") / "site"
    sitegen.build(REPO, BuildOptions(output=out, base_url="https://user.github.io/vale/", now=NOW))
    return out


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def playwright_api():  # type: ignore[no-untyped-def]
    """One Playwright for the whole run: its sync API cannot be started twice in one process."""
    from browser import missing

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as api:
        yield api


@pytest.fixture(scope="session")
def browser(playwright_api):  # type: ignore[no-untyped-def]
    from browser import launch

    browser = launch(playwright_api)
    yield browser
    browser.close()
