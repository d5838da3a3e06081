"""`sitegen init` never writes outside its folder, and what it is given cannot inject (issue 24, classes 5 and 7).

A link in the folder (even one that leads nowhere yet), or a file where init puts a folder, is refused
with a message before anything is written; --title and --base-url end up in site.yaml, README.md and the
home page as written, never as YAML, Markdown or HTML of their own."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt
from test_errors import snapshot

from sitegen.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["init", *args])
    return code, capsys.readouterr().err


def everything(tmp_path: Path) -> dict[str, bytes]:
    return snapshot(tmp_path)


# Class 7: the folder's own files only ---------------------------------------------------------------

def test_a_dangling_readme_link_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hub, outside = tmp_path / "hub", tmp_path / "outside"
    hub.mkdir()
    outside.mkdir()
    (hub / "README.md").symlink_to(outside / "stolen.md")
    code, err = run(capsys, str(hub), "--force")
    assert (code, err) == (1, f"README.md: is a link (to {outside / 'stolen.md'}): sitegen init writes only into the hub's own files "
                              "and folders; remove the link, or start the hub in another folder\n1 error(s)\n")
    assert not (outside / "stolen.md").exists()
    assert sorted(p.name for p in hub.iterdir()) == ["README.md"]  # nothing else written either


def test_a_content_link_to_elsewhere_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hub, outside = tmp_path / "hub", tmp_path / "outside"
    hub.mkdir()
    outside.mkdir()
    (outside / "keep.txt").write_text("mine")
    (hub / "content").symlink_to(outside)
    (hub / "vendor").symlink_to(outside)
    code, err = run(capsys, str(hub), "--force")
    assert code == 1
    assert err.splitlines() == [
        f"content: is a link (to {outside}): sitegen init writes only into the hub's own files and folders; remove the link, "
        "or start the hub in another folder",
        f"vendor: is a link (to {outside}): sitegen init writes only into the hub's own files and folders; remove the link, "
        "or start the hub in another folder",
        "2 error(s)",
    ]
    assert everything(outside) == {"keep.txt": b"mine"}
    assert sorted(p.name for p in hub.iterdir()) == ["content", "vendor"]


@pytest.mark.parametrize(("name", "first"), [("content", "content/about.md"), (".github", ".github/workflows/daily-rebuild.yml"),
                                             ("vendor", None)])
def test_a_file_where_a_folder_goes_is_refused(name: str, first: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hub = tmp_path / "hub"
    hub.mkdir()
    (hub / name).write_text("a file")
    code, err = run(capsys, str(hub), "--force")
    assert code == 1 and "internal error" not in err and "Traceback" not in err
    lines = err.splitlines()
    assert lines[-1] == "1 error(s)" and len(lines) == 2
    assert lines[0].startswith(f"{name}: is a file, but sitegen init puts a folder there (for {first or 'vendor/sitegen_hub-'}")
    assert lines[0].endswith("): rename or remove the file, or start the hub in another folder")
    assert everything(hub) == {name: b"a file"}


def test_a_link_to_a_file_of_the_hub_itself_is_refused_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hub = tmp_path / "hub"
    hub.mkdir()
    (hub / "notes.txt").write_text("notes")
    (hub / "netlify.toml").symlink_to(hub / "notes.txt")
    code, err = run(capsys, str(hub), "--force")
    assert code == 1 and err.startswith("netlify.toml: is a link (to ")
    assert (hub / "notes.txt").read_text() == "notes"


def test_force_still_adds_to_a_folder_with_real_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hub = tmp_path / "hub"
    (hub / "content").mkdir(parents=True)
    (hub / "README.md").write_text("ours")
    code, err = run(capsys, str(hub), "--force")
    assert code == 0, err
    assert (hub / "README.md").read_text() == "ours" and "kept README.md (already there)" in err
    assert (hub / "content" / "about.md").is_file()


# Class 5: what init is given cannot inject ---------------------------------------------------------

@pytest.mark.parametrize(("title", "shown"), [("Vale\nbase_url: https://evil.example/", "\\n"), ("Vale\tTrust", "\\t"),
                                              ("Vale\u202eTrust", "\\u202e"), ("Vale\r", "\\r")])
def test_a_title_on_more_than_one_line_is_refused(title: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(capsys, str(tmp_path / "hub"), "--title", title)
    assert (code, err) == (2, "sitegen: --title: the title is one line of text, without line breaks, tabs or other invisible "
                              f"characters ({shown})\n")
    assert not (tmp_path / "hub").exists()


@pytest.mark.parametrize("title", ['St Mary\'s "Trust" \\ Co', "<script>alert(1)</script> Network", "[Win](javascript:alert(1)) **Hub**",
                                   "Hub __TODAY__ __PIN__ __BASE_URL__", "# Not a heading & <b>bold</b>", "`code` ~~gone~~ | table |"])
def test_a_title_is_written_as_text_everywhere(title: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hub = tmp_path / "hub"
    code, err = run(capsys, str(hub), "--title", title)
    assert code == 0, err
    assert yaml.safe_load((hub / "site.yaml").read_text(encoding="utf-8"))["title"] == title
    readme = (hub / "README.md").read_text(encoding="utf-8").splitlines()[0]
    assert MarkdownIt("commonmark").render(readme) == f"<h1>{html.escape(title, quote=False).replace(chr(34), '&quot;')}</h1>\n"
    capsys.readouterr()
    assert main(["build", str(hub)]) == 0, capsys.readouterr().err
    home = (hub / "_site" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in home and 'href="javascript:' not in home and "<b>bold</b>" not in home


@pytest.mark.parametrize(("url", "odd"), [('https://x.example/"evil/', '"'), ("https://x.example/a\\b/", "\\"),
                                          ("/hub{1}/", "{"), ("https://x.example/<b>/", "<"), ("/a`b/", "`")])
def test_a_base_url_with_characters_an_address_cannot_have_is_refused(url: str, odd: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(capsys, str(tmp_path / "hub"), "--base-url", url)
    assert code == 2
    assert err == f'sitegen: --base-url: "{url}" has a character an address cannot have ({odd}): percent-encode it, e.g. %{ord(odd):02X}\n'
    assert not (tmp_path / "hub").exists()


def test_a_plain_base_url_goes_into_site_yaml_as_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hub = tmp_path / "hub"
    url = "https://x.example/our-network/caf%C3%A9/"
    assert run(capsys, str(hub), "--base-url", url)[0] == 0
    settings = yaml.safe_load((hub / "site.yaml").read_text(encoding="utf-8"))
    assert settings["base_url"] == url and settings["ids"].startswith("tag:x.example,")
