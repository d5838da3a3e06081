"""A hub installs as written: sitegen's release wheel, built with the README's command, installs into a clean
virtual environment and makes a hub there; that hub, pushed on its own to a new repository, installs with
`pip install -r requirements.txt` (sitegen from its vendor/ folder, the libraries from the package index) and
builds; `sitegen upgrade` re-pins an old hub, which then installs and builds too. Also the workflows that test
and release sitegen itself.

The end-to-end test makes two virtual environments and installs sitegen's libraries into each (about a minute
with pip's cache warm); it needs the package index, as every publishing service does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import yaml

import sitegen.cli.init
from sitegen.cli.main import main
from sitegen.cli.vendor import repin, running_wheel
from sitegen.core.errors import SitegenError

REPO = Path(__file__).resolve().parent.parent
SCAFFOLD_REQUIREMENTS = REPO / "sitegen" / "cli" / "scaffold" / "requirements.txt"
FIRST_SCAFFOLD = """# The version of sitegen that builds this site. Every publishing service reads
# this file, so the site is always built by the same version. To upgrade, change
# the number, run `pip install -r requirements.txt`, and check the site still builds.
sitegen-hub==0.1.0
"""


def run(command: list[str | Path], cwd: Path) -> str:
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def new_venv(folder: Path) -> Path:
    """A fresh virtual environment, without this one's packages; returns its scripts folder."""
    run([sys.executable, "-m", "venv", folder], folder.parent)
    return folder / ("Scripts" if os.name == "nt" else "bin")


def members(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist() if not name.endswith(".dist-info/RECORD")}


def data_files() -> set[str]:
    """Every file of the sitegen package that is not Python: templates, static files, the scaffold, the editor's script."""
    package = REPO / "sitegen"
    return {p.relative_to(REPO).as_posix() for p in package.rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}


def scaffold_header() -> list[str]:
    return [line for line in SCAFFOLD_REQUIREMENTS.read_text(encoding="utf-8").splitlines() if line.startswith("#")]


def test_the_release_wheel_installs_and_its_hub_installs_on_its_own(tmp_path: Path) -> None:
    # sitegen's release, as README.md's "Releasing sitegen" says: `pyproject-build` at the repository's root
    dist = tmp_path / "dist"
    run([Path(sysconfig.get_path("scripts")) / "pyproject-build", "--outdir", dist], REPO)
    [release] = dist.glob("sitegen_hub-*-py3-none-any.whl")
    assert len(list(dist.glob("sitegen_hub-*.tar.gz"))) == 1
    missing = data_files() - set(members(release))
    assert not missing, f"pyproject.toml's package-data leaves these out of the wheel: {sorted(missing)}"

    tools = new_venv(tmp_path / "tools")  # a computer with sitegen installed from the wheel alone
    run([tools / "python", "-m", "pip", "install", "--quiet", release], tmp_path)
    run([tools / "sitegen", "init", "our-network"], tmp_path)
    hub = tmp_path / "our-network"
    [vendored] = (hub / "vendor").iterdir()
    assert vendored.name == release.name and members(vendored) == members(release)  # the installed files, packed again
    assert (hub / "requirements.txt").read_text().splitlines()[-1] == f"./vendor/{release.name}"

    # an installed sitegen that was edited afterwards is not packed into a hub as if it were the release
    installed = Path(run([tools / "python", "-c", "import sitegen; print(sitegen.__file__)"], tmp_path).strip()).parent
    (installed / "version.py").write_text((installed / "version.py").read_text() + "# edited\n")
    edited = subprocess.run([tools / "sitegen", "init", "edited"], cwd=tmp_path, capture_output=True, text=True)
    assert edited.returncode == 1 and edited.stderr == ("sitegen/version.py was changed after sitegen was installed: "
                                                        "reinstall it with pip install --force-reinstall sitegen-hub\n")
    assert not (tmp_path / "edited").exists()

    # the hub pushed on its own to a new repository: only what git keeps (.gitignore must not drop vendor/)
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main"]
    run([*git, "init", "-q"], hub)
    run([*git, "add", "-A"], hub)
    run([*git, "commit", "-q", "-m", "A new hub"], hub)
    run([*git, "clone", "-q", hub, tmp_path / "clone"], tmp_path)
    clone = tmp_path / "clone"
    assert (clone / "vendor" / release.name).read_bytes() == vendored.read_bytes()

    host = new_venv(tmp_path / "host")  # what GitHub Actions, Netlify and Cloudflare Pages run, in the hub's folder
    run([host / "python", "-m", "pip", "install", "--quiet", "-r", "requirements.txt"], clone)
    where = run([host / "python", "-c", "import sitegen; print(sitegen.__file__)"], clone)
    assert Path(where.strip()).is_relative_to(tmp_path / "host")
    built = run([host / "sitegen", "build"], clone)
    assert "built " in built and "into" in built
    assert "Welcome to our new website" in (clone / "_site" / "news" / "welcome-to-our-new-website" / "index.html").read_text()
    assert "<feed" in (clone / "_site" / "feed.xml").read_text()
    assert (clone / "_site" / "pagefind" / "pagefind.js").is_file()  # the search index, by the Pagefind program pip installed

    # a hub made before vendoring (it pinned a version PyPI never had), upgraded by the sitegen running these tests
    (clone / "requirements.txt").write_text(FIRST_SCAFFOLD)
    (clone / "vendor" / release.name).unlink()
    (clone / "vendor" / "sitegen_hub-0.0.1-py3-none-any.whl").write_bytes(b"an older sitegen")
    assert main(["upgrade", str(clone)]) == 0
    [upgraded] = (clone / "vendor").iterdir()
    assert upgraded.name == release.name and set(members(upgraded)) == set(members(release))  # built from the source tree
    assert (clone / "requirements.txt").read_text().splitlines() == [*scaffold_header(), f"./vendor/{release.name}"]
    run([host / "python", "-m", "pip", "uninstall", "--quiet", "--yes", "sitegen-hub"], clone)
    run([host / "python", "-m", "pip", "install", "--quiet", "-r", "requirements.txt"], clone)
    (clone / "_site" / "index.html").unlink()
    run([host / "sitegen", "build"], clone)
    assert (clone / "_site" / "index.html").is_file()


def test_init_vendors_the_running_sitegen(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wheel = running_wheel()
    assert main(["init", str(tmp_path / "hub")]) == 0
    assert (tmp_path / "hub" / "vendor" / wheel.name).read_bytes() == wheel.read_bytes()
    assert wheel.name.startswith("sitegen_hub-") and wheel.name.endswith("-py3-none-any.whl")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path / "hub", check=True)
    ignored = subprocess.run(["git", "check-ignore", "--no-index", "-q", "vendor/" + wheel.name], cwd=tmp_path / "hub")
    assert ignored.returncode == 1  # 1: not ignored (0 would be ignored, 128 an error)
    # --force keeps a wheel that is there, like every other file
    assert main(["init", str(tmp_path / "hub"), "--force"]) == 0
    assert f"kept vendor/{wheel.name} (already there)" in capsys.readouterr().err


def test_init_writes_nothing_when_the_wheel_cannot_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    def no_wheel() -> Path:
        raise SitegenError("could not make sitegen's wheel from its source in /src: 'pip wheel' said: no network")

    monkeypatch.setattr(sitegen.cli.init, "running_wheel", no_wheel)
    assert main(["init", str(tmp_path / "hub")]) == 1
    assert capsys.readouterr().err == "could not make sitegen's wheel from its source in /src: 'pip wheel' said: no network\n"
    assert not (tmp_path / "hub").exists()


def test_upgrade_keeps_the_hubs_own_lines_and_refuses_a_folder_that_is_not_a_hub(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wheel = running_wheel().name
    own = "# Our own notes: keep these.\nsitegen-hub @ git+https://github.com/example/sitegen@v0.1.0\nrequests>=2\n"
    assert repin(own, "./vendor/x.whl") == "# Our own notes: keep these.\n./vendor/x.whl\nrequests>=2\n"
    assert repin("", "./vendor/x.whl") == "./vendor/x.whl\n"
    assert repin(FIRST_SCAFFOLD + "markdown-katex\n", "./vendor/x.whl").splitlines() == [*scaffold_header(), "./vendor/x.whl", "markdown-katex"]

    hub = tmp_path / "hub"
    hub.mkdir()
    (hub / "site.yaml").write_text("title: Hub\n")
    (hub / "requirements.txt").write_text(own)
    assert main(["upgrade", str(hub)]) == 0
    assert (hub / "requirements.txt").read_text() == own.replace("sitegen-hub @ git+https://github.com/example/sitegen@v0.1.0", f"./vendor/{wheel}")
    assert [p.name for p in (hub / "vendor").iterdir()] == [wheel]
    assert "requirements.txt now installs sitegen" in capsys.readouterr().err

    (tmp_path / "not-a-hub").mkdir()
    assert main(["upgrade", str(tmp_path / "not-a-hub")]) == 2
    assert "has no site.yaml" in capsys.readouterr().err
    assert list((tmp_path / "not-a-hub").iterdir()) == []


def workflow(name: str) -> dict:  # type: ignore[type-arg]
    document = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text())
    document["on"] = document.get("on", document.get(True))  # YAML 1.1 reads a bare `on` as true
    return document  # type: ignore[no-any-return]


def test_sitegen_is_tested_on_every_push_and_released_from_a_tag() -> None:
    ci = workflow("ci.yml")
    assert {"push", "pull_request"} <= set(ci["on"])
    [job] = ci["jobs"].values()
    assert job["container"] == "python:${{ matrix.python }}-bookworm"  # Debian, as the browser tests expect
    assert job["strategy"]["matrix"]["python"] and all(int(v.split(".")[1]) >= 11 for v in job["strategy"]["matrix"]["python"])
    assert any(step.get("run") == ".ci/run" for step in job["steps"])

    release = workflow("release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}} and release["permissions"] == {}
    build, publish = release["jobs"]["build"], release["jobs"]["publish"]
    commands = "\n".join(step.get("run", "") for step in build["steps"])
    assert "pyproject-build" in commands and "python -m build" not in commands  # at the root, `-m build` finds our build.py
    assert "sitegen init" in commands and "sitegen build" in commands  # the wheel is tried before it is published
    assert publish["needs"] == "build" and publish["permissions"] == {"id-token": "write"}
    assert publish["steps"][-1]["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert "id-token" not in build.get("permissions", {})
