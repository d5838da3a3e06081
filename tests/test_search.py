"""Search: what the Pagefind index holds (read back from its files), switching search off, a
Pagefind that cannot run, and the dev server's index. The browser side is in test_browser.py."""

from __future__ import annotations

import gzip
import json
import os
import time
import re
import shutil
import stat
import urllib.request
from pathlib import Path

import pytest
from browser import missing
from conftest import NOW

from sitegen.search import pagefind as search, parts as searchparts
from sitegen.builder.api import BuildOptions
from sitegen.serve.server import shutdown, start


@pytest.fixture
def pagefind() -> None:
    """Tests that need the Pagefind program: skipped without it, except in CI, where they fail."""
    why = search.unavailable()
    if why:
        missing(f"search tests need Pagefind: {why}")


def decoded(path: Path) -> bytes:
    """A file of a Pagefind bundle, uncompressed (its index files are gzipped)."""
    data = path.read_bytes()
    try:
        return gzip.decompress(data)
    except OSError:
        return data


def fragments(site: Path) -> dict[str, dict]:
    """url -> the record Pagefind keeps of each indexed page: its text, filters and metadata."""
    found = {}
    for path in (site / "pagefind").rglob("fragment/*.pf_fragment"):  # in every part of the index
        record = json.loads(decoded(path).removeprefix(b"pagefind_dcd"))
        found[record["url"]] = record
    return found


def whole_index(site: Path) -> bytes:
    return b"".join(decoded(p) for p in sorted((site / "pagefind").rglob("*")) if p.is_file())


HUB = {
    "site.yaml": """
        title: Test Hub
        base_url: https://example.org/hub/
        language: en-GB
        kinds:
          vacancies:
            title: Vacancies
            order: closing_date
            fields:
              closing_date: {type: date, required: true}
              contract: {type: choice, choices: [permanent, fixed term], facet: true}
        """,
    "content/resources/fractions.md": "---\ntitle: Fractions with bar models\nsummary: Three lessons.\nsubjects: [Maths]\n"
                                      "key_stages: [KS2]\ntype: lesson plan\nnetworks: [maths]\n---\nEquivalent fractions, taught with bar models.\n",
    "content/networks/maths.md": "---\ntitle: Maths Network\n---\nWe meet each term.\n",
    "content/news/2026-10-01-fractions-pilot.md": "---\ntitle: Fractions pilot\ndate: 2026-10-01\nnetworks: [maths]\n---\n"
                                                  "Our pilot of the fractions sequence went well.\n",
    "content/news/2026-10-02-secret-plans.md": "---\ntitle: Secret plans\ndate: 2026-10-02\ndraft: true\n---\nZanzibarquill is a draft word.\n",
    "content/news/2027-03-01-later.md": "---\ntitle: Later news\ndate: 2027-03-01\n---\nQuokkafuture is a word from the future.\n",
    "content/events/2026-12-03-fractions-twilight.md": "---\ntitle: Fractions twilight\nstart: 2026-12-03 16:00\n---\nA session on fractions.\n",
    "content/events/2026-12-04-old-offer.md": "---\ntitle: Old offer\nstart: 2026-12-04\nexpires: 2026-11-01\n---\nWombatexpired is an expired word.\n",
    "content/vacancies/teacher.md": "---\ntitle: Year 4 teacher\nclosing_date: 2027-01-15\ncontract: Permanent\napply_email: jobs@hub.example\n---\nTeach Year 4.\n",
    "content/about.md": "---\ntitle: About us\n---\nWe are a network.\n",
}
SECRETS = [b"zanzibarquill", b"quokkafuture", b"wombatexpired", b"Secret plans", b"Later news", b"Old offer"]


def test_the_index_holds_each_published_item_with_its_kind_facets_and_result_text(hub, pagefind) -> None:  # type: ignore[no-untyped-def]
    h = hub(HUB)
    run = h.build()
    assert run.code == 0, run.err
    assert "(search index: 6 pages)" in run.lines[-1]
    pages = fragments(h.out)
    assert set(pages) == {"/resources/fractions/", "/networks/maths/", "/news/fractions-pilot/", "/events/fractions-twilight/",
                          "/vacancies/teacher/", "/about/"}
    resource = pages["/resources/fractions/"]
    assert resource["filters"] == {"kind": ["Resources"], "subject": ["Mathematics"], "key-stage": ["KS2"], "type": ["Lesson plan"],
                                   "network": ["Maths Network"]}
    assert resource["meta"]["title"] == "Fractions with bar models"
    assert resource["meta"]["summary"] == "Three lessons." and resource["meta"]["kind"] == "Resource"
    assert pages["/news/fractions-pilot/"]["meta"]["date"] == "1 October 2026"
    assert pages["/news/fractions-pilot/"]["filters"] == {"kind": ["News"]}
    assert pages["/events/fractions-twilight/"]["meta"]["date"] == "3 December 2026"
    assert pages["/vacancies/teacher/"]["filters"] == {"kind": ["Vacancies"], "contract": ["Permanent"]}
    assert pages["/about/"]["filters"] == {"kind": ["Pages"]}
    # only the main text: no menu, breadcrumbs, footer, or the titles of other items listed on the page
    network = pages["/networks/maths/"]["content"]
    assert "We meet each term." in network and "Fractions pilot" not in network and "Skip to main content" not in network
    assert "Accessibility" not in pages["/about/"]["content"] and "Home" not in pages["/about/"]["content"]
    # facts are separate words, not run together ("SubjectsMathematics")
    assert "Subjects Mathematics" in resource["content"]
    assert json.loads((h.out / "pagefind" / "pagefind-entry.json").read_text())["languages"]["en-GB"]["page_count"] == 6


def test_no_draft_future_or_expired_text_is_in_the_index(hub, pagefind) -> None:  # type: ignore[no-untyped-def]
    h = hub(HUB)
    for options in ((), ("--drafts", "--future")):  # not even when the build shows them
        assert h.build(*options).code == 0
        if options:
            assert "Zanzibarquill" in (h.out / "news/secret-plans/index.html").read_text()
        index = whole_index(h.out).lower()
        for secret in SECRETS:
            assert secret.lower() not in index, (options, secret)
        assert b"fractions" in index  # the test can see words in the index at all


def test_the_search_page_offers_the_schemas_filters(hub, pagefind) -> None:  # type: ignore[no-untyped-def]
    h = hub(HUB)
    assert h.build().code == 0
    page = h.html("search/index.html")
    selects = {s["name"]: [o.get_text() for o in s.find_all("option")] for s in page.find_all("select")}
    assert selects == {"kind": ["Any", "News", "Networks", "Resources", "Events", "Vacancies", "Pages"],
                       "subject": ["Any", "Mathematics"], "key-stage": ["Any", "KS2"], "type": ["Any", "Lesson plan"],
                       "network": ["Any", "Maths Network"], "contract": ["Any", "Permanent"]}
    for select in page.find_all("select"):
        assert page.find("label", attrs={"for": select["id"]})
    root = page.find(attrs={"data-search": True})
    assert root["data-bundle"] == "/hub/pagefind/" and root["data-base"] == "/hub/"
    assert page.find(attrs={"role": "status"})
    # every page has the header's box, which opens the search page; without JavaScript it says why, and offers browsing
    about = h.html("about/index.html")
    box = about.find("form", attrs={"data-search-box": True})
    assert box["action"] == "/hub/search/" and box.has_attr("hidden") and about.find("label", attrs={"for": "site-search-query"})
    note = about.find("noscript")
    assert "Search needs JavaScript" in note.get_text()
    links = [a["href"] for a in note.find_all("a")]
    assert links[0] == "/hub/resources/" and "/hub/resources/#browse-subject" in links
    assert h.html("resources/index.html").find("details", id="browse-subject")
    assert about.find("script", src="/hub/assets/search.js")
    assert "search/" not in (h.out / "sitemap.xml").read_text()


def test_search_false_leaves_out_the_index_page_and_box(hub) -> None:  # type: ignore[no-untyped-def]
    h = hub({**HUB, "site.yaml": HUB["site.yaml"] + "search: false\n"})
    run = h.build()
    assert run.code == 0 and "search index" not in run.err
    assert not (h.out / "pagefind").exists() and not (h.out / "search").exists()
    about = h.html("about/index.html")
    assert not about.find(attrs={"data-search-box": True}) and not about.find("script", src="/hub/assets/search.js")
    assert not about.find(attrs={"data-pagefind-body": True})


def test_search_must_be_true_or_false(hub) -> None:  # type: ignore[no-untyped-def]
    run = hub({}, site_yaml="title: T\nsearch: maybe\n").build()
    assert run.code == 1 and run.lines[0] == "site.yaml:2: search: must be true or false"


def test_a_pagefind_that_cannot_run_is_one_line_and_the_site_is_built_without_search(hub, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "pagefind"
    broken.write_text("not a program")
    broken.chmod(broken.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    h = hub(HUB)
    run = h.build()
    assert run.code == 0, run.err
    said = [line for line in run.lines if "search" in line]
    assert said == [f"search: the Pagefind program {broken} cannot run (Exec format error); the site is built without search (warning)"]
    assert (h.out / "news/fractions-pilot/index.html").exists()
    assert not (h.out / "search").exists() and not (h.out / "pagefind").exists()
    assert not h.html("about/index.html").find(attrs={"data-search-box": True})
    check = h.run("check")
    assert check.code == 0 and [line for line in check.lines if "search" in line] == said
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "nowhere"))
    run = h.build()
    assert run.code == 0 and any("the Pagefind program" in line and "cannot run" in line for line in run.lines)


def test_pagefind_failing_while_indexing_an_edit_leaves_a_site_without_index_until_it_works(hub, pagefind, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    h = hub(HUB)
    assert h.build().code == 0 and fragments(h.out)
    post = h.root / "content/news/2026-10-01-fractions-pilot.md"
    post.write_text(post.read_text().replace("went well", "went brilliantly"))
    real = search.run_pagefind

    def failing(folder: Path, language: str, output: Path | None = None) -> None:
        raise search.SearchUnavailable("Pagefind failed (exit status 1): out of memory")

    monkeypatch.setattr(search, "run_pagefind", failing)
    run = h.build()  # updated in place: the old index, which no longer matches, goes
    assert run.code == 0, run.err
    assert [line for line in run.lines if "search" in line and "warning" in line] == [
        "search: Pagefind failed (exit status 1): out of memory; the site is written without a search index (warning)"]
    assert "went brilliantly" in (h.out / "news/fractions-pilot/index.html").read_text()
    assert not (h.out / "pagefind").exists()
    monkeypatch.setattr(search, "run_pagefind", real)
    assert h.build().code == 0
    assert "went brilliantly" in fragments(h.out)["/news/fractions-pilot/"]["content"]


def test_a_failed_build_leaves_the_previous_index(hub, pagefind) -> None:  # type: ignore[no-untyped-def]
    h = hub(HUB)
    assert h.build().code == 0
    before = whole_index(h.out)
    h.write({"content/news/2026-10-05-broken.md": "---\ntitle: Broken\ndate: 5th October\n---\n"})
    assert h.build().code == 1
    assert whole_index(h.out) == before


def test_the_index_is_reproducible(hub, pagefind) -> None:  # type: ignore[no-untyped-def]
    h = hub(HUB)
    assert h.build().code == 0
    first = {p.relative_to(h.out): p.read_bytes() for p in (h.out / "pagefind").rglob("*") if p.is_file()}
    assert h.build().code == 0
    second = {p.relative_to(h.out): p.read_bytes() for p in (h.out / "pagefind").rglob("*") if p.is_file()}
    assert first == second
    assert not (h.out / "pagefind" / "pagefind-ui.js").exists()  # Pagefind's own interface is not used


def test_a_hub_with_nothing_to_index_gets_no_index(hub, pagefind) -> None:  # type: ignore[no-untyped-def]
    h = hub({})
    run = h.build()
    assert run.code == 0 and "(search index: 0 pages)" in run.lines[-1]
    assert not (h.out / "pagefind").exists()  # Pagefind would otherwise index every listing page whole


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_large_index_is_in_parts_and_an_edit_indexes_only_its_part_again(hub, pagefind, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(searchparts, "PART_PAGES", 2)
    indexed: list[set[str]] = []  # the pages of each Pagefind run
    real = search.run_pagefind

    def counted(folder: Path, language: str, output: Path | None = None) -> None:
        indexed.append({p.relative_to(folder).as_posix() for p in folder.rglob("*.html")})
        real(folder, language, output)

    monkeypatch.setattr(search, "run_pagefind", counted)
    posts = {f"content/news/2026-09-{d:02}-post-{d}.md": f"---\ntitle: Post {d}\ndate: 2026-09-{d:02}\n---\nWord{d}word here.\n" for d in range(1, 11)}
    h = hub({**HUB, **posts})
    run = h.build()
    assert run.code == 0, run.err
    parts = json.loads((h.out / "pagefind" / "parts.json").read_text())
    assert len(parts) + 1 == len(indexed) > 4  # 16 pages, 2 per part: up to 8 parts, each indexed once
    every = set().union(*indexed)
    assert sum(len(pages) for pages in indexed) == len(every) == 16  # each page in one part
    assert set(fragments(h.out)) == {"/" + file.removesuffix("index.html") for file in every}
    assert (h.out / "pagefind" / "pagefind.js").exists()
    for part in parts:  # the merged parts use the first part's script and WebAssembly
        files = {p.name for p in (h.out / "pagefind" / part).iterdir()}
        assert "pagefind-entry.json" in files and "pagefind.js" not in files and not any(f.startswith("wasm.") for f in files)

    indexed.clear()
    post = h.root / "content/news/2026-09-03-post-3.md"
    post.write_text(post.read_text().replace("here", "there"))
    assert h.build().code == 0
    assert len(indexed) == 1 and "news/post-3/index.html" in indexed[0]  # only its part
    assert "Word3word there." in fragments(h.out)["/news/post-3/"]["content"]
    edited = tree(h.out)
    cache, cold = h.root / ".sitegen-cache", h.root / "cold"
    cache.rename(h.root / "kept-cache")
    assert h.build("--output", str(cold)).code == 0  # a cold build, every part indexed
    assert tree(cold) == edited and len(indexed) == 1 + len(parts) + 1
    shutil.rmtree(cache)
    (h.root / "kept-cache").rename(cache)

    for stored in (h.root / ".sitegen-cache" / "search").iterdir():  # a store cut short is not trusted
        (stored / searchparts.DONE).unlink()
    indexed.clear()
    post.write_text(post.read_text().replace("there", "here"))
    assert h.build().code == 0
    assert len(indexed) == len(parts) + 1
    assert "Word3word here." in fragments(h.out)["/news/post-3/"]["content"]

    store = h.root / ".sitegen-cache" / "search"  # restored from a cache elsewhere: every file new, the same bytes
    shutil.copytree(store, h.root / "restored")
    shutil.rmtree(store)
    (h.root / "restored").rename(store)
    indexed.clear()
    post.write_text(post.read_text().replace("here", "there"))
    assert h.build().code == 0
    assert len(indexed) == 1 and tree(h.out) == edited  # the other parts checked by their bytes, and kept
    edited_part = next(p.parent.parent for p in store.rglob("*.pf_fragment") if b'"/news/post-3/"' in decoded(p))  # made again anyway
    stored = next(p for p in sorted(store.rglob("*.pf_fragment")) if p.parent.parent != edited_part)
    times = stored.stat()
    stored.write_bytes(bytes(len(stored.read_bytes())))  # damaged, its size and time kept
    os.utime(stored, ns=(times.st_atime_ns, times.st_mtime_ns))
    indexed.clear()
    post.write_text(post.read_text().replace("there", "here"))
    run = h.build()
    assert run.code == 0 and "had been changed or damaged" in run.err and len(indexed) == 2


def test_an_index_file_changed_in_the_site_after_an_edit_is_put_right(hub, pagefind, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An edit's build leaves the index's files of the unchanged parts alone and keeps what it noted of them;
    one of those changed by hand afterwards is found and copied again from the store by the next build."""
    monkeypatch.setattr(searchparts, "PART_PAGES", 2)
    posts = {f"content/news/2026-09-{d:02}-post-{d}.md": f"---\ntitle: Post {d}\ndate: 2026-09-{d:02}\n---\nWord{d}word here.\n" for d in range(1, 11)}
    h = hub({**HUB, **posts})
    assert h.build().code == 0
    post = h.root / "content/news/2026-09-03-post-3.md"
    post.write_text(post.read_text().replace("here", "there"))
    assert h.build().code == 0
    edited = tree(h.out)
    kept = next(p for p in sorted((h.out / "pagefind").rglob("*.pf_fragment")) if b'"/news/post-3/"' not in decoded(p))
    kept.write_bytes(gzip.compress(b'pagefind_dcd{"url":"/elsewhere/"}'))
    assert h.build().code == 0
    assert tree(h.out) == edited
    assert h.build().code == 0 and tree(h.out) == edited


def test_the_pages_digests_noted_for_the_index_are_those_of_the_pages_written(hub, pagefind) -> None:  # type: ignore[no-untyped-def]
    """The writer knows each rendered page's search digest from the process that rendered it (not by reading
    the page again): the digests the build notes are search.page_digest of the files in the site, for
    pages rendered in forked workers and in the build process, in a cold build and after an edit."""
    from sitegen.builder.cache import BuildCache
    from sitegen.builder.graph import digest
    from sitegen.core.errors import Problems

    assert search.body_digest(b"a page") == digest(b"a page")  # the one digest the spool keeps serves the index too
    posts = {f"content/news/2026-09-{day % 28 + 1:02d}-post-{day}.md": f"---\ntitle: Post {day}\ndate: 2026-09-{day % 28 + 1:02d}\n---\nWords {day}.\n"
             for day in range(40)}
    h = hub({**HUB, **posts})
    for edit in (None, "content/news/2026-09-06-post-5.md"):
        if edit:
            h.write({edit: posts[edit] + "An edit.\n"})
        run = h.build("--jobs", "2")
        assert run.code == 0, run.err
        noted = BuildCache(h.root / ".sitegen-cache", Problems()).load("indexed")[1]
        pages = sorted(p.relative_to(h.out).as_posix() for p in h.out.rglob("*.html") if "pagefind" not in p.parts)
        assert len(pages) > 64  # enough outputs to be rendered by forked workers
        assert {f: noted[f][1] for f in pages} == {f: search.page_digest((h.out / f).read_bytes()) for f in pages}
        assert sum(1 for f in pages if noted[f][1] is not None) == 6 + len(posts)


def test_parts_split_evenly_and_stay_few() -> None:
    assert [searchparts.part_count(n) for n in (0, 1, 500, 501, 1001, 2001, 5750, 20000, 10**6)] == [1, 1, 1, 2, 4, 8, 16, 16, 16]
    assert searchparts.part_of("news/a/index.html", 8) == searchparts.part_of("news/a/index.html", 8)


# --- the dev server -----------------------------------------------------------------------------

def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def served_fragments(url: str) -> dict[str, dict]:
    """Like fragments(), through the dev server: the fragment files named in the index's metadata."""
    status, entry = get(url + "pagefind-entry.json")
    assert status == 200
    language = json.loads(entry)["languages"]["en-GB"]["hash"]
    meta = gzip.decompress(get(url + f"pagefind.{language}.pf_meta")[1])
    found = {}
    for name in sorted({part.decode() for part in re.findall(rb"en-GB_[0-9a-f]{7}", meta)}):
        status, body = get(url + f"fragment/{name}.pf_fragment")
        if status == 200:
            record = json.loads(gzip.decompress(body).removeprefix(b"pagefind_dcd"))
            found[record["url"]] = record
    return found


def test_the_dev_server_keeps_the_index_up_to_date_without_drafts(hub, pagefind) -> None:  # type: ignore[no-untyped-def]
    import io

    h = hub(HUB)
    dev = start(h.root, BuildOptions(now=NOW), "127.0.0.1", 0, out=io.StringIO())
    try:
        url = f"http://127.0.0.1:{dev.http.server_address[1]}/hub/pagefind/"  # type: ignore[union-attr]
        assert "Zanzibarquill" in get(url.replace("pagefind/", "news/secret-plans/"))[1].decode()  # the draft is shown...
        pages = served_fragments(url)
        assert "/news/secret-plans/" not in pages and "/news/fractions-pilot/" in pages  # ...but not indexed
        first = dev.search.last
        assert first is not None and first.pages == 6
        get(url + "pagefind.js")
        assert dev.search.last is first  # nothing changed: not indexed again

        post = h.root / "content/news/2026-10-01-fractions-pilot.md"
        post.write_text(post.read_text().replace("went well", "went brilliantly"))
        dev.rebuild({post})
        assert dev.search.last is first  # indexing waits until someone searches
        for _ in range(100):  # the server's own watcher may have seen the save first: its rebuild is then the one to wait for
            pages = served_fragments(url)
            if "went brilliantly" in pages.get("/news/fractions-pilot/", {}).get("content", ""):  # (a rebuild that saw the file half-written has none)
                break
            time.sleep(0.05)
        assert "went brilliantly" in pages["/news/fractions-pilot/"]["content"] and dev.search.last is not first

        post.unlink()
        dev.rebuild({post})
        for _ in range(100):  # as above
            if "/news/fractions-pilot/" not in served_fragments(url):
                break
            time.sleep(0.05)
        assert "/news/fractions-pilot/" not in served_fragments(url)
        assert get(url + "../../etc/passwd")[0] == 404
    finally:
        shutdown(dev)
    assert dev.search._folder is None or not dev.search._folder.exists()  # its temporary folder is removed


def test_the_example_hub_indexes_its_own_kind(example_site: Path, pagefind) -> None:  # type: ignore[no-untyped-def]
    pages = fragments(example_site)
    vacancy = pages["/vacancies/year-3-class-teacher-millbrook/"]
    assert vacancy["filters"]["kind"] == ["Vacancies"]
    assert vacancy["filters"]["contract"] == ["Permanent"] and vacancy["filters"]["hours"] == ["Full time"]
    assert vacancy["meta"]["date"] == "15 January 2027"  # its closing date, the kind's date field
    assert os.path.getsize(example_site / "pagefind" / "pagefind.js") < 100_000


def test_the_dev_server_indexes_again_only_the_part_that_changed(hub, pagefind, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io

    monkeypatch.setattr(searchparts, "PART_PAGES", 2)
    h = hub(HUB)
    dev = start(h.root, BuildOptions(now=NOW), "127.0.0.1", 0, out=io.StringIO())
    try:
        url = f"http://127.0.0.1:{dev.http.server_address[1]}/hub/pagefind/"  # type: ignore[union-attr]
        status, listed = get(url + "parts.json")
        parts = json.loads(listed)
        assert status == 200 and len(parts) >= 2 and dev.search.last is not None
        assert dev.search.last.parts == len(parts) + 1 == dev.search.last.indexed
        assert all(get(url + part + "pagefind-entry.json")[0] == 200 for part in parts)
        first = dev.search.last
        about = h.root / "content/about.md"  # (a post would change its network's page too, maybe in another part)
        about.write_text(about.read_text().replace("a network", "a network of schools"))
        dev.rebuild({about})
        for _ in range(100):  # the server's own watcher may have seen the save first: its rebuild is then the one to wait for
            get(url + "parts.json")
            if dev.search.last.pages and dev.search.last is not first:
                break
            time.sleep(0.05)
        assert dev.search.last.indexed == 1 and dev.search.last.parts == len(parts) + 1
    finally:
        shutdown(dev)
    assert dev.search._parts is None or not dev.search._parts.exists()
