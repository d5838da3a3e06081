"""What a build makes, from small hubs written in each test."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import JPEG, PNG, soup

NEWS = """\
---
title: {title}
date: {date}
{more}
---
{body}
"""


def news(title: str = "A visit", date: str = "2026-03-10", more: str = "", body: str = "Hello.") -> str:
    return NEWS.format(title=title, date=date, more=more, body=body)


def test_pretty_urls_for_every_kind(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "content/index.md": "---\ntitle: Welcome\n---\nWe are a network.\n",
        "content/about.md": "---\ntitle: About us\n---\nAbout.\n",
        "content/policies/send.md": "---\ntitle: SEND policy\n---\nPolicy.\n",
        "content/news/2026-03-10-visit.md": news(),
        "content/networks/reading.md": "---\ntitle: Reading network\nmembers: [millbrook]\n---\n",
        "content/schools/millbrook.md": "---\ntitle: Millbrook Primary\nurn: 990101\nphase: Primary\n---\n",
        "content/resources/plan.md": "---\ntitle: A plan\nfile: plan.pdf\nkey_stages: [ks2]\n---\n",
        "content/resources/plan.pdf": b"%PDF-1.4 " + b"x" * 2400,
        "content/events/2026-12-01-cpd.md": '---\ntitle: CPD twilight\nstart: "2026-12-01 16:00"\n---\n',
    }).build()
    assert site.code == 0, site.err
    out = site_out = Path(site.err.split(" into ")[1].split(" in ")[0])
    for rel in ("index.html", "about/index.html", "policies/send/index.html", "news/visit/index.html",
                "networks/reading/index.html", "schools/millbrook/index.html", "resources/plan/index.html",
                "resources/plan.pdf", "events/cpd/index.html", "404.html",
                "news/index.html", "networks/index.html", "schools/index.html", "resources/index.html", "events/index.html"):
        assert (out / rel).is_file(), rel
    resource = soup(site_out / "resources/plan/index.html")
    assert resource.select_one("a[download]").get_text(" ", strip=True) == "Download A plan (PDF, 2 KB)"
    assert "KS2" in resource.get_text()
    school = soup(out / "schools/millbrook/index.html")
    assert school.select_one(".networks a")["href"] == "/hub/networks/reading/"


def test_links_between_files_become_urls_under_the_base_path(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "content/resources/toolkit.md": "---\ntitle: Toolkit\n---\n## Part two\n",
        "content/news/2026-03-10-visit.md": news(body="See [the toolkit](../resources/toolkit.md#part-two), "
                                                  "[the plan](/files/plan.pdf) and ![a class reading](/img/class.jpg)."),
        "static/files/plan.pdf": b"%PDF",
        "static/img/class.jpg": JPEG,
    })
    assert site.build().code == 0
    page = site.html("news/visit/index.html")
    prose = page.select_one(".prose")
    assert [a["href"] for a in prose.find_all("a")] == ["/hub/resources/toolkit/#part-two", "/hub/files/plan.pdf"]
    assert prose.img["src"] == "/hub/img/class.jpg"
    assert prose.img["alt"] == "a class reading"
    assert (site.out / "files/plan.pdf").read_bytes() == b"%PDF"
    assert site.html("resources/toolkit/index.html").find("h2", id="part-two")


def test_base_url_from_the_command_line(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/about.md": "---\ntitle: About\n---\n"})
    assert site.build("--base-url", "https://user.github.io/our-network/").code == 0
    page = site.html("about/index.html")
    assert page.select_one("link[rel=canonical]")["href"] == "https://user.github.io/our-network/about/"
    assert page.select_one("link[rel=stylesheet]")["href"] == "/our-network/assets/sitegen.css"


def test_markdown_extensions(hub) -> None:  # type: ignore[no-untyped-def]
    body = "| a | b |\n|---|---|\n| 1 | 2 |\n\nA claim.[^1]\n\n[^1]: The source.\n\n```\ncode\n```\n\n## Heading {.special}\n"
    site = hub({"content/news/2026-03-10-visit.md": news(body=body)})
    assert site.build().code == 0
    prose = site.html("news/visit/index.html").select_one(".prose")
    assert prose.table.find_all("td")[1].get_text() == "2"
    assert prose.select_one(".footnote li").get_text(strip=True).startswith("The source.")
    assert prose.pre.code.get_text() == "code\n"
    assert prose.find("h2", id="heading")["class"] == ["special"]


def test_drafts_and_future_news_are_left_out_unless_asked_for(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "content/news/2026-03-10-draft.md": news("Draft post", more="draft: true"),
        "content/news/2027-01-01-later.md": news("Later post", date="2027-01-01"),
        "content/news/2026-03-11-scheduled.md": news("Scheduled", date="2026-03-11", more="publish_date: 2026-12-25"),
        "content/news/2026-03-12-expired.md": news("Expired", date="2026-03-12", more="expires: 2026-06-01"),
        "content/news/2026-03-13-now.md": news("Current", date="2026-03-13"),
    })
    assert site.build().code == 0
    listed = [a.get_text() for a in site.html("news/index.html").select(".cards a")]
    assert listed == ["Current"]
    assert not (site.out / "news/draft").exists()
    assert site.build("--drafts", "--future").code == 0
    listed = [a.get_text() for a in site.html("news/index.html").select(".cards a")]
    assert listed == ["Later post", "Current", "Scheduled", "Draft post"]


def test_aliases_redirect_to_the_new_address(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/about.md": "---\ntitle: About\naliases: [/about-us.html, /who-we-are/]\n---\n"})
    assert site.build().code == 0
    for rel in ("about-us.html", "who-we-are/index.html"):
        page = site.html(rel)
        assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/hub/about/"


def test_a_site_template_overrides_the_theme(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "templates/page.html": "{% extends 'base.html' %}{% block content %}<h1 class=mine>{{ page.title }}</h1>"
                               "<p>{{ config.extra.motto }}</p>{% endblock %}",
        "content/about.md": "---\ntitle: <About & us>\n---\n",
    }, site_yaml="title: T\nextra:\n  motto: Better together\n")
    assert site.build().code == 0
    page = site.html("about/index.html")
    assert page.select_one("h1.mine").get_text() == "<About & us>"  # escaped, not raw HTML
    assert "<About & us>" not in (site.out / "about/index.html").read_text()
    assert page.find("p", string="Better together")


def test_vocabularies_can_be_extended(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/resources/cymraeg.md": "---\ntitle: Geirfa\nsubjects: [Welsh]\n---\n"},
               site_yaml="title: T\nvocabularies:\n  subjects:\n    add: [Welsh]\n")
    assert site.build().code == 0
    assert "Welsh" in site.html("resources/cymraeg/index.html").get_text()


def test_event_times_are_in_the_site_time_zone(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/events/2026-07-01-cpd.md": '---\ntitle: CPD\nstart: "2026-07-01 16:00"\nend: "2026-07-01 17:30"\n---\n'})
    assert site.build().code == 0
    times = site.html("events/cpd/index.html").select(".facts time")
    assert [t["datetime"] for t in times] == ["2026-07-01T16:00:00+01:00", "2026-07-01T17:30:00+01:00"]
    assert times[0].get_text() == "Wednesday 1 July 2026, 4pm"


def test_menu_from_site_yaml_and_pages(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/join.md": "---\ntitle: Join the network\nmenu: {title: Join, order: 1}\n---\n"},
               site_yaml="title: T\nmenu:\n  - {title: News, url: /news/}\n  - {title: Trust, url: 'https://trust.example/'}\n")
    assert site.build().code == 0
    nav = site.html("index.html").select("nav[aria-label=Main] a")
    assert [(a.get_text(), a["href"]) for a in nav] == [("Join", "/join/"), ("News", "/news/"), ("Trust", "https://trust.example/")]


def test_data_files_reach_templates(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "data/partners.yaml": "- name: County library\n- name: Museum\n",
        "data/terms.json": json.dumps({"autumn": "2026-09-03"}),
        "templates/page.html": "{% extends 'base.html' %}{% block content %}"
                               "{% for p in data.partners %}<p class=partner>{{ p.name }}</p>{% endfor %}"
                               "<p class=term>{{ site.data.terms.autumn }}</p>{% endblock %}",
        "content/about.md": "---\ntitle: About\n---\n",
    })
    assert site.build().code == 0, site.build().err
    page = site.html("about/index.html")
    assert [p.get_text() for p in page.select(".partner")] == ["County library", "Museum"]
    assert page.select_one(".term").get_text() == "2026-09-03"


def test_the_same_input_gives_the_same_bytes(hub, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/news/2026-03-10-visit.md": news(), "content/about.md": "---\ntitle: About\n---\n"})
    assert site.build("-o", str(tmp_path / "one")).code == 0
    assert site.build("-o", str(tmp_path / "two")).code == 0
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two and len(one) > 10


def test_a_build_ends_with_one_line_and_no_progress_when_not_on_a_terminal(hub) -> None:  # type: ignore[no-untyped-def]
    run = hub({"content/about.md": "---\ntitle: About\n---\n"}).build()
    assert len(run.lines) == 1
    assert run.lines[0].startswith("built ") and " pages and " in run.lines[0] and run.lines[0].endswith("s")


def test_progress_on_a_terminal(hub, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import sys

    files = {f"content/resources/r{i}.md": f"---\ntitle: Resource {i}\n---\n" for i in range(120)}
    site = hub(files)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    run = site.build()
    assert run.code == 0
    assert "\rrendering 100/" in run.err
    assert run.err.rstrip().splitlines()[-1].split("\r")[-1].lstrip("\x1b[K").startswith("built ")


def test_links_written_as_html_are_rewritten_and_checked(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "content/resources/toolkit.md": "---\ntitle: Toolkit\n---\n",
        "static/img/map.png": PNG,
        "content/news/2026-03-10-visit.md": news(body='<p>See <a href="../resources/toolkit.md">the toolkit</a> and '
                                                   '<img src="/img/map.png" alt="A map"> and <a href="https://example.org/">elsewhere</a>.</p>'),
    })
    assert site.build().code == 0
    prose = site.html("news/visit/index.html").select_one(".prose")
    assert [a["href"] for a in prose.find_all("a")] == ["/hub/resources/toolkit/", "https://example.org/"]
    assert prose.img["src"] == "/hub/img/map.png"
    site.write({"content/news/2026-03-10-visit.md": news(body='Hello\n\n<a href="../resources/tolkit.md">x</a>\n')})
    run = site.build()
    assert run.lines[0] == ("content/news/2026-03-10-visit.md:8: link to ../resources/tolkit.md: there is no file "
                            "content/resources/tolkit.md (did you mean ../resources/toolkit.md?)")


def test_a_static_file_may_replace_a_generated_one_with_a_warning(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"static/robots.txt": "User-agent: *\nDisallow: /\n"})
    run = site.build()
    assert run.code == 0
    assert run.lines[0] == "/robots.txt: the hub's own file replaces the one sitegen makes at that address (warning)"
    assert (site.out / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
