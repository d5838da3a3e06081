"""The build cache and the dev server are never stale: after any sequence of edits, a cached build
and the dev server's rebuild give exactly the bytes of a cold build. A damaged cache is ignored."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from conftest import NOW, PNG, write_files

from sitegen.builder.cache import MAGIC
from sitegen.serve.rebuild import Rebuilder
from sitegen.builder.api import BuildOptions, build
from sitegen.builder.writer import MARKER

THEME = Path(__file__).resolve().parent.parent / "sitegen/theme/templates"
GIAS_HEADER = "URN,EstablishmentName,PhaseOfEducation (name),LA (name),Postcode\n"


def front(meta: dict[str, object], body: str) -> str:
    lines = []
    for key, value in meta.items():
        lines.append(f"{key}: [{', '.join(map(str, value))}]" if isinstance(value, list) else f"{key}: {value}")
    return "---\n" + "\n".join(lines) + "\n---\n" + body


class Hub:
    """A small hub kept as data, so that every edit leaves it valid."""

    def __init__(self, root: Path, rng: random.Random, search: bool = True):
        self.root, self.rng = root, rng
        self.items: dict[str, tuple[dict[str, object], str]] = {
            "content/about.md": ({"title": "About", "menu": "true"}, "About us.\n"),
            "content/networks/reading.md": ({"title": "Reading network", "members": ["millbrook"]}, "We read.\n"),
            "content/networks/maths.md": ({"title": "Maths network", "members": ["millbrook", "100002"]}, "We count.\n"),
            "content/schools/millbrook.md": ({"title": "Millbrook Primary", "urn": 990101, "phase": "primary"}, "A school.\n"),
            "content/resources/toolkit.md": ({"title": "Toolkit", "key_stages": ["KS1"], "networks": ["reading"], "file": "/files/plan.pdf"},
                                             "A toolkit.\n"),
            "content/resources/games.md": ({"title": "Number games", "subjects": ["mathematics"], "networks": ["maths"]}, "Games.\n"),
            "content/events/2026-12-01-twilight.md": ({"title": "Twilight", "start": '"2026-12-01 16:00"', "networks": ["reading"]}, "Come.\n"),
            "content/events/2026-01-05-done.md": ({"title": "Past event", "start": "2026-01-05", "networks": ["maths"]}, "Done.\n"),
        }
        for n in range(1, 8):
            self.items[f"content/news/2026-0{n}-10-post-{n}.md"] = (
                {"title": f"Post {n}", "date": f"2026-0{n}-10", "tags": [rng.choice(["cpd", "reading", "maths"])],
                 "networks": [rng.choice(["reading", "maths"])]},
                f"Text of post {n}. See [the toolkit](../resources/toolkit.md).\n\n## Part two\n\nMore.\n")
        self.schools = [("100002", "Hill Academy", "Secondary"), ("100003", "Vale Infants", "Primary")]
        self.site_yaml: dict[str, object] = {"title": "Hub", "base_url": "https://example.org/hub/", "news_per_page": 3}
        if not search:  # the site is then brought up to date in place (writer.update_site)
            self.site_yaml["search"] = "false"
        self.counter = 0
        files: dict[str, str | bytes] = {rel: front(*item) for rel, item in self.items.items()}
        files.update({"site.yaml": self.yaml(), "data/schools.csv": self.csv(), "static/files/plan.pdf": b"%PDF-1.4 " + b"x" * 900,
                      "data/links.yaml": "- {title: DfE, url: https://www.gov.uk/}\n",
                      "templates/page.html": "{% extends 'base.html' %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content | safe }}"
                                             "<ul>{% for l in data.links %}<li>{{ l.title }}</li>{% endfor %}</ul>{% endblock %}"})
        write_files(root, files)

    def yaml(self) -> str:
        return "".join(f"{k}: {v}\n" for k, v in self.site_yaml.items())

    def csv(self) -> str:
        return GIAS_HEADER + "".join(f"{urn},{name},{phase},Vale,VA1 1AA\n" for urn, name, phase in self.schools)

    def save(self, rel: str) -> set[str]:
        write_files(self.root, {rel: front(*self.items[rel])})
        return {rel}

    def pick(self, folder: str) -> str:
        return self.rng.choice(sorted(rel for rel in self.items if rel.startswith(f"content/{folder}/")))

    # the edits: each changes the hub and returns the paths it touched
    def text(self) -> set[str]:
        rel = self.pick(self.rng.choice(["news", "resources", "events", "networks"]))
        meta, body = self.items[rel]
        self.items[rel] = (meta, body + f"\nA new paragraph {self.next()}.\n")
        return self.save(rel)

    def title(self) -> set[str]:
        rel = self.pick(self.rng.choice(["news", "resources", "events", "networks", "schools"]))
        self.items[rel][0]["title"] = f"Renamed {self.next()}"
        return self.save(rel)

    def date(self) -> set[str]:
        rel = self.pick("news")
        meta = self.items[rel][0]
        if self.rng.random() < 0.5 and "updated" not in meta:
            meta["updated"] = "2026-10-01"  # the sitemap's lastmod
        else:
            meta["date"] = f"2025-{self.rng.randrange(1, 13):02d}-{self.rng.randrange(1, 28):02d}"
            meta.pop("updated", None)
        return self.save(rel)

    def tags(self) -> set[str]:
        rel = self.pick("news")
        self.items[rel][0]["tags"] = self.rng.sample(["cpd", "reading", "maths", "new-tag", f"tag-{self.next()}"], 2)
        return self.save(rel)

    def networks(self) -> set[str]:
        rel = self.pick(self.rng.choice(["news", "resources", "events"]))
        self.items[rel][0]["networks"] = self.rng.sample(["reading", "maths"], self.rng.randrange(0, 3))
        return self.save(rel)

    def members(self) -> set[str]:
        rel = self.pick("networks")
        self.items[rel][0]["members"] = self.rng.sample(["millbrook", "100002", "100003"], self.rng.randrange(1, 4))
        return self.save(rel)

    def slug(self) -> set[str]:
        rel = self.pick("resources")
        self.items[rel][0]["slug"] = f"kit-{self.next()}"
        return self.save(rel)

    def new_file(self) -> set[str]:
        n = self.next()
        rel = f"content/news/2026-09-{1 + n % 27:02d}-extra-{n}.md"
        self.items[rel] = ({"title": f"Extra {n}", "date": f"2026-09-{1 + n % 27:02d}", "tags": ["cpd"], "networks": ["maths"]},
                           "See [the games](../resources/games.md).\n")
        return self.save(rel)

    def deleted_file(self) -> set[str]:
        rel = self.pick("news")
        del self.items[rel]
        (self.root / rel).unlink()
        return {rel}

    def template(self) -> set[str]:
        rel = "templates/news.html"
        write_files(self.root, {rel: "{% extends 'base.html' %}{% block content %}<h1>{{ page.title }}</h1>"
                                     f"<p>custom {self.next()}</p>{{{{ page.content | safe }}}}{{% endblock %}}"})
        return {rel}

    def theme_override(self) -> set[str]:
        rel = "templates/base.html"
        if (self.root / rel).exists() and self.rng.random() < 0.5:
            (self.root / rel).unlink()  # back to the theme's
        else:
            text = (THEME / "base.html").read_text().replace("Skip to main content", f"Skip to the content {self.next()}")
            write_files(self.root, {rel: text})
        return {rel}

    def settings(self) -> set[str]:
        self.site_yaml["title"] = f"Hub {self.next()}"
        self.site_yaml["news_per_page"] = self.rng.choice([2, 3, 10])
        write_files(self.root, {"site.yaml": self.yaml()})
        return {"site.yaml"}

    def data_csv(self) -> set[str]:
        urn = str(100004 + self.next())
        self.schools.append((urn, f"School {urn}", self.rng.choice(["Primary", "Secondary"])))
        self.schools[0] = (self.schools[0][0], f"Hill Academy {self.next()}", self.schools[0][2])
        write_files(self.root, {"data/schools.csv": self.csv(), "data/links.yaml": f"- {{title: Link {self.next()}, url: https://www.gov.uk/}}\n"})
        return {"data/schools.csv", "data/links.yaml"}

    def static_file(self) -> set[str]:
        write_files(self.root, {"static/files/plan.pdf": b"%PDF-1.4 " + b"y" * self.rng.randrange(100, 300_000)})
        return {"static/files/plan.pdf"}

    def override(self) -> set[str]:
        rel = "static/feed.xml"  # the hub's own file at an address sitegen makes, then not
        if (self.root / rel).exists():
            (self.root / rel).unlink()
        else:
            write_files(self.root, {rel: f"<feed>{self.next()}</feed>"})
        return {rel}

    def next(self) -> int:
        self.counter += 1
        return self.counter


EDITS = ["text", "title", "date", "tags", "networks", "members", "slug", "new_file", "deleted_file", "template",
         "theme_override", "settings", "data_csv", "static_file"]


def files_in(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MARKER}


def folders_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


def cold_build(root: Path, out: Path) -> dict[str, bytes]:
    build(root, BuildOptions(output=out, drafts=True, now=NOW, cache=False, jobs=1))
    return files_in(out)


@pytest.mark.parametrize(("seed", "search"), [(1, True), (2, True), (3, False)])
def test_cached_builds_and_the_dev_server_match_cold_builds(tmp_path: Path, seed: int, search: bool) -> None:
    rng = random.Random(seed)
    hub = Hub(tmp_path / "hub", rng, search)
    root, out = hub.root, tmp_path / "hub/_site"
    options = BuildOptions(output=out, drafts=True, now=NOW)
    first = build(root, options)
    assert first.profile.pages_read > 0 and (root / ".sitegen-cache/build/pages").is_file()
    server = Rebuilder(root, BuildOptions(drafts=True, now=NOW))
    assert not server.rebuild(None).errors
    order = EDITS * 2 if search else (EDITS + ["override"]) * 2
    rng.shuffle(order)
    for step, edit in enumerate(order):
        touched = getattr(hub, edit)()
        cold = cold_build(root, tmp_path / f"cold-{step}")
        result = build(root, options)
        assert files_in(out) == cold, f"cached build after {edit} (step {step})"
        assert folders_in(out) == folders_in(tmp_path / f"cold-{step}"), f"cached build after {edit} (step {step})"
        rebuilt = server.rebuild({root / rel for rel in touched})
        assert not rebuilt.errors, (edit, rebuilt.errors)
        served = dict(server.files)
        served.update({file: src.read_bytes() for file, src in server.copies.items()})
        index = {f for f in cold if f.startswith("pagefind/")}  # the dev server makes the search index when it is searched
        assert served == {f: b for f, b in cold.items() if f not in index}, f"dev server after {edit} (step {step})"
        if edit in ("text", "title", "tags"):  # a small edit renders a small part of the site
            assert result.profile.outputs_rendered < len(cold) / 2, (edit, result.profile.outputs_rendered)
            assert result.profile.pages_read == 1


def test_the_next_days_build_renders_only_what_the_day_changes(tmp_path: Path) -> None:
    """A daily rebuild with nothing edited: only the pages that the moment changes are made again
    (none here, then the event pages once the event is over), and the site is what a cold build makes."""
    hub = Hub(tmp_path / "hub", random.Random(3))
    out = tmp_path / "hub/_site"
    assert build(hub.root, BuildOptions(output=out, now=NOW)).profile.outputs_rendered > 0
    tomorrow = build(hub.root, BuildOptions(output=out, now=NOW + dt.timedelta(days=1)))
    assert tomorrow.profile.outputs_rendered == 0
    after = NOW + dt.timedelta(days=9)  # the twilight event (1 December) is over
    later = build(hub.root, BuildOptions(output=out, now=after))
    assert 0 < later.profile.outputs_rendered < 20, later.profile.outputs_rendered
    build(hub.root, BuildOptions(output=tmp_path / "cold", now=after, cache=False, jobs=1))
    assert files_in(out) == files_in(tmp_path / "cold")


@pytest.mark.parametrize("seed", [6, 7])
def test_builds_as_time_passes_match_cold_builds(tmp_path: Path, seed: int) -> None:
    """Builds at later and later moments (just before, at and just after each moment an item's date turns:
    a scheduled post appears, a post expires, events start and end, a vacancy closes), some after an edit:
    each gives the bytes of a cold build at that moment. Between two such moments a build reads the
    site's lists and queries as unchanged (it renders nothing); across one, it finds what changed."""
    rng = random.Random(seed)
    hub = Hub(tmp_path / "hub", rng)
    tz = NOW.tzinfo
    dated = {
        "content/news/2026-11-20-scheduled.md": ({"title": "Scheduled", "date": "2026-11-20", "publish_date": '"2026-11-24 09:30"'}, "Soon.\n"),
        "content/news/2026-11-02-expiring.md": ({"title": "Expiring", "date": "2026-11-02", "expires": "2026-11-25"}, "Brief.\n"),
        "content/events/2026-11-24-meeting.md": ({"title": "Meeting", "start": '"2026-11-24 16:00"', "end": '"2026-11-24 17:30"'}, "Meet.\n"),
        "content/events/2026-11-26-inset.md": ({"title": "Inset day", "start": "2026-11-26"}, "All day.\n"),
        "content/vacancies/teacher.md": ({"title": "Teacher", "closing_date": "2026-11-25", "school": "millbrook"}, "Apply.\n"),
        "content/vacancies/head.md": ({"title": "Head", "closing_date": '"2026-11-24 12:00"'}, "Apply.\n"),
    }
    hub.items.update(dated)
    for rel in dated:
        hub.save(rel)
    out = tmp_path / "hub/_site"
    turns = [dt.datetime(2026, 11, 24, 9, 30), dt.datetime(2026, 11, 24, 12, 0), dt.datetime(2026, 11, 24, 16, 0),
             dt.datetime(2026, 11, 24, 17, 30), dt.datetime(2026, 11, 25), dt.datetime(2026, 11, 26), dt.datetime(2026, 11, 27)]
    moments = [NOW]
    for turn in turns:
        moments += [turn.replace(tzinfo=tz) + dt.timedelta(seconds=s) for s in (-1, 0, 1)]
    moments.sort()
    build(hub.root, BuildOptions(output=out, now=NOW))
    for step, moment in enumerate(moments[1:], 1):
        if rng.random() < 0.3:
            getattr(hub, rng.choice(["text", "title", "tags"]))()
        result = build(hub.root, BuildOptions(output=out, now=moment))
        build(hub.root, BuildOptions(output=tmp_path / "cold", now=moment, cache=False, jobs=1))
        assert files_in(out) == files_in(tmp_path / "cold"), f"at {moment} (step {step})"
        if moment.replace(tzinfo=None) not in turns and moments[step - 1].replace(tzinfo=None) not in turns and result.profile.pages_read == 0:
            assert result.profile.outputs_rendered == 0, (moment, result.profile.outputs_rendered)


def test_a_template_that_shows_the_moment_is_made_again_at_each_build(tmp_path: Path) -> None:
    """A hub's own template may show the moment of the build itself: its pages are made again at
    every build, though no item's date has turned in between."""
    hub = Hub(tmp_path / "hub", random.Random(8))
    write_files(hub.root, {"templates/school.html": "{% extends 'base.html' %}{% block content %}<h1>{{ page.title }}</h1>"
                                                    "<p>Built {{ site.now.strftime('%H:%M:%S') }}</p>{% endblock %}"})
    out = tmp_path / "hub/_site"
    build(hub.root, BuildOptions(output=out, now=NOW))
    later = NOW + dt.timedelta(seconds=5)
    result = build(hub.root, BuildOptions(output=out, now=later))
    assert "Built 12:00:05" in (out / "schools/millbrook/index.html").read_text()
    assert 0 < result.profile.outputs_rendered < 10, result.profile.outputs_rendered


@pytest.mark.parametrize("seed", [4, 5])
def test_the_dev_servers_lazy_rebuilds_serve_what_a_cold_build_makes(tmp_path: Path, seed: int) -> None:
    """`sitegen serve` reloads the pages once the site is planned, renders a page asked for when it changed,
    and the rest a little at a time; an edit may come before that is done (it takes over). Every page
    served, at any moment, is the cold build's; once settled, every file is."""
    rng = random.Random(seed)
    hub = Hub(tmp_path / "hub", rng)
    root = hub.root
    server = Rebuilder(root, BuildOptions(drafts=True, now=NOW))
    assert not server.rebuild(None).errors
    order = EDITS * 2
    rng.shuffle(order)
    for step, edit in enumerate(order):
        touched = getattr(hub, edit)()
        cold = cold_build(root, tmp_path / f"cold-{step}")
        rebuilt = server.rebuild({root / rel for rel in touched}, lazy=True)
        assert not rebuilt.errors, (edit, rebuilt.errors)
        names = sorted((set(cold) | set(server.files)) - set(server.copies))
        for file in rng.sample(names, min(6, len(names))) + ["news/index.html", "sitemap.xml"]:
            if file.startswith("pagefind/"):
                continue
            assert server.get(file) == cold.get(file), f"{file} served lazily after {edit} (step {step})"
            assert server.has(file) == (file in cold)
        for _ in range(rng.choice([0, 1, 3, 1000])):  # some of the rest, or all of it, before the next edit
            server.step()
        if rng.random() < 0.3:
            continue
        server.settle()
        assert not server.errors
        served = dict(server.files)
        served.update({file: src.read_bytes() for file, src in server.copies.items()})
        assert served == {f: b for f, b in cold.items() if not f.startswith("pagefind/")}, f"dev server after {edit} (step {step})"


def test_an_edit_undone_before_the_dev_server_finished_serves_the_page_as_it_was(tmp_path: Path) -> None:
    hub = Hub(tmp_path / "hub", random.Random(6))
    root, rel = hub.root, "content/news/2026-01-10-post-1.md"
    server = Rebuilder(root, BuildOptions(drafts=True, now=NOW))
    assert not server.rebuild(None).errors
    page = "news/post-1/index.html"
    before = server.get(page)
    hub.items[rel][0]["title"] = "A passing title"
    server.rebuild({root / hub.save(rel).pop()}, lazy=True)
    assert b"A passing title" in (server.get(page) or b"")
    hub.items[rel][0]["title"] = "Post 1"
    server.rebuild({root / hub.save(rel).pop()}, lazy=True)  # before the first edit's rebuild was finished
    assert server.get(page) == before
    server.settle()
    assert server.files == {f: b for f, b in cold_build(root, tmp_path / "cold").items() if f not in server.copies and not f.startswith("pagefind/")}


def test_the_dev_server_compiles_the_templates_before_the_first_edit(tmp_path: Path) -> None:
    """The first build renders in workers: the templates are compiled in the server too, before a page needs them."""
    hub = Hub(tmp_path / "hub", random.Random(7))
    server = Rebuilder(hub.root, BuildOptions(drafts=True, now=NOW))
    assert not server.rebuild(None).errors
    env = server.driver.env
    assert env is not None and env.cache is not None
    env.cache.clear()  # as after a first build in workers (this hub is too small for them)
    server.warm()
    compiled = {key[1] for key in env.cache.keys()}
    assert {"base.html", "news.html", "page.html"} <= compiled, compiled


def test_nothing_changed_renders_nothing(tmp_path: Path) -> None:
    hub = Hub(tmp_path / "hub", random.Random(3))
    options = BuildOptions(output=tmp_path / "out", drafts=True, now=NOW)
    build(hub.root, options)
    again = build(hub.root, options)
    assert again.profile.pages_read == 0 and again.profile.outputs_rendered == 0
    assert files_in(tmp_path / "out") == cold_build(hub.root, tmp_path / "cold")


def test_adding_updated_to_a_post_changes_the_sitemap_in_the_dev_server(tmp_path: Path) -> None:
    hub = Hub(tmp_path / "hub", random.Random(4))
    server = Rebuilder(hub.root, BuildOptions(drafts=True, now=NOW))
    server.rebuild(None)
    assert b"2026-10-01" not in server.files["sitemap.xml"]
    rel = "content/news/2026-03-10-post-3.md"
    hub.items[rel][0]["updated"] = "2026-10-01"
    hub.save(rel)
    result = server.rebuild({hub.root / rel})
    assert "sitemap.xml" in result.changed
    assert b"<lastmod>2026-10-01</lastmod>" in server.files["sitemap.xml"]


def test_output_is_the_same_whatever_the_number_of_jobs(tmp_path: Path) -> None:
    hub = Hub(tmp_path / "hub", random.Random(5))
    for n in range(40):  # enough items for the work to be shared between processes
        write_files(hub.root, {f"content/news/2025-01-{1 + n % 28:02d}-more-{n}.md": front(
            {"title": f"More {n}", "date": f"2025-01-{1 + n % 28:02d}", "tags": ["cpd"]}, "Text.\n\n" * 30)})
    one = build(hub.root, BuildOptions(output=tmp_path / "one", now=NOW, cache=False, jobs=1))
    build(hub.root, BuildOptions(output=tmp_path / "two", now=NOW, cache=False, jobs=3))
    assert one.pages > 64
    assert files_in(tmp_path / "one") == files_in(tmp_path / "two")


@pytest.mark.parametrize("damage", ["truncated", "wrong version", "not a cache", "flipped byte"])
def test_a_damaged_cache_gives_a_correct_site_and_a_warning(tmp_path: Path, damage: str) -> None:
    hub = Hub(tmp_path / "hub", random.Random(6))
    out = tmp_path / "hub/_site"
    options = BuildOptions(output=out, drafts=True, now=NOW)
    build(hub.root, options)
    hub.title()  # an edit the damaged cache would hide if it were trusted
    for name in ("pages", "outputs"):
        path = hub.root / ".sitegen-cache/build" / name
        data = path.read_bytes()
        if damage == "truncated":
            data = data[: len(data) // 2]
        elif damage == "wrong version":
            data = MAGIC + b"0" * 32 + data[len(MAGIC) + 32:]
        elif damage == "not a cache":
            data = b"hello"
        else:
            data = data[:-10] + bytes([data[-10] ^ 1]) + data[-9:]
        path.write_bytes(data)
    result = build(hub.root, options)
    warnings = [str(w) for w in result.warnings]
    assert any(".sitegen-cache/build/pages: the build cache" in w and "it was ignored" in w for w in warnings), warnings
    assert any(".sitegen-cache/build/outputs: the build cache" in w for w in warnings), warnings
    assert files_in(out) == cold_build(hub.root, tmp_path / "cold")
    assert not build(hub.root, options).warnings  # written afresh


def test_a_hand_edited_output_file_is_made_again(tmp_path: Path) -> None:
    hub = Hub(tmp_path / "hub", random.Random(7))
    out = tmp_path / "out"
    options = BuildOptions(output=out, drafts=True, now=NOW)
    build(hub.root, options)
    (out / "about/index.html").write_text("changed by hand")
    build(hub.root, options)
    assert files_in(out) == cold_build(hub.root, tmp_path / "cold")


def test_cache_dir_setting(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/about.md": "---\ntitle: About\n---\n![A class](/img/class.png)\n", "static/img/class.png": PNG},
               site_yaml="title: Hub\ncache_dir: ../hub-cache\n")
    assert site.build().code == 0
    assert (site.root.parent / "hub-cache/build/pages").is_file()
    assert any((site.root.parent / "hub-cache/images").rglob("*.webp"))  # the pictures' copies too
    assert not (site.root / ".sitegen-cache").exists()
    bad = hub({}, site_yaml="title: Hub\ncache_dir: content/cache\n")
    run = bad.build()
    assert run.code == 1
    assert "site.yaml:2: cache_dir: \"content/cache\" must be a folder of its own" in run.err


def test_a_split_cache_saves_a_small_change_as_a_delta(tmp_path: Path) -> None:
    from sitegen.builder.cache import BuildCache
    from sitegen.core.errors import Problems

    def cache() -> BuildCache:
        return BuildCache(tmp_path, Problems())

    first = cache()
    big = {f"k{i}": ("value", i) for i in range(1000)}
    first.save_split("x", "header 1", [dict(big), {"a": 1}])
    base = (tmp_path / "build/x").read_bytes()
    assert not (tmp_path / "build/x.delta").exists()
    changed = {**big, "k1": ("new", 1), "k1000": ("added", 0)}
    del changed["k2"]
    first.save_split("x", "header 2", [changed, {"a": 1}])
    assert (tmp_path / "build/x").read_bytes() == base, "a small change leaves the base file as it was"
    assert len((tmp_path / "build/x.delta").read_bytes()) < len(base) / 10
    assert cache().load_split("x") == ("header 2", [changed, {"a": 1}])

    stale = (tmp_path / "build/x.delta").read_bytes()
    second = cache()
    assert second.load_split("x") is not None
    rewritten = {f"k{i}": ("other", i) for i in range(1000)}
    second.save_split("x", "header 3", [rewritten, {}])  # most of it changed: a new base, and no delta
    assert not (tmp_path / "build/x.delta").exists()
    (tmp_path / "build/x.delta").write_bytes(stale)  # as if killed between writing the base and removing the delta
    assert cache().load_split("x") == ("header 3", [rewritten, {}]), "a delta made for another base is ignored"

    third = cache()
    third.load_split("x")
    third.save_split("x", "header 4", [{**rewritten, "k5": "five"}, {}])
    damaged = bytearray((tmp_path / "build/x.delta").read_bytes())
    damaged[-3] ^= 1
    (tmp_path / "build/x.delta").write_bytes(bytes(damaged))
    problems = Problems()
    assert BuildCache(tmp_path, problems).load_split("x") == ("header 3", [rewritten, {}]), "a damaged delta: the base alone"
    assert any("x.delta: the build cache is damaged" in str(w) for w in problems.warnings)


def test_compiled_templates_are_kept_and_a_damaged_one_is_not_trusted(tmp_path: Path) -> None:
    hub = Hub(tmp_path / "hub", random.Random(8))
    out = tmp_path / "out"
    options = BuildOptions(output=out, drafts=True, now=NOW)
    build(hub.root, options)
    compiled = sorted((hub.root / ".sitegen-cache/build/templates").glob("*/*"))
    assert compiled, "the templates a build compiled are kept"
    for path in compiled:  # a byte flipped in each: every one is compiled again
        data = bytearray(path.read_bytes())
        data[-5] ^= 0xFF
        path.write_bytes(bytes(data))
    hub.template()
    hub.text()
    build(hub.root, options)
    assert files_in(out) == cold_build(hub.root, tmp_path / "cold")
