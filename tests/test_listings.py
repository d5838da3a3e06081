"""Listings, facets, feeds, calendars, sitemap and structured data: parsed, not grepped."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest
from conftest import PNG

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def post(n: int, date: str, more: str = "") -> str:
    return f"---\ntitle: Post {n}\ndate: {date}\n{more}\n---\nText of post {n}.\n"


NETWORKS = {
    "content/networks/reading.md": "---\ntitle: Reading network\nmembers: [millbrook, 990102]\n"
                                   "contacts:\n  - {name: Lucy Brennan, role: Lead, email: lucy@school.example}\n---\nWe read.\n",
    "content/networks/maths.md": "---\ntitle: Maths network\n---\n",
    "content/schools/millbrook.md": "---\ntitle: Millbrook Primary\nurn: 990101\nphase: primary\n---\n",
    "content/schools/ashbourne.md": "---\ntitle: Ashbourne Academy\nurn: 990102\nphase: secondary\n---\n",
}


@pytest.fixture
def news_hub(hub):  # type: ignore[no-untyped-def]
    files = {f"content/news/2026-0{1 + n % 9}-1{n % 10}-post-{n}.md":
             post(n, f"2026-0{1 + n % 9}-1{n % 10}", f"tags: [{'cpd' if n % 2 else 'reading'}]\nnetworks: [{'reading' if n < 6 else 'maths'}]")
             for n in range(12)}
    files["content/news/2025-12-01-old.md"] = post(99, "2025-12-01", "tags: [cpd]")
    site = hub({**NETWORKS, **files}, site_yaml="title: Hub\nbase_url: https://example.org/hub/\nnews_per_page: 5\n")
    run = site.build()
    assert run.code == 0, run.err
    return site


def titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.get_text() for h in page.select(".cards .card a")]


def test_news_index_is_paginated(news_hub) -> None:  # type: ignore[no-untyped-def]
    first = news_hub.html("news/index.html")
    assert len(titles(first)) == 5
    assert first.select_one("a[rel=next]")["href"] == "/hub/news/page/2/"
    third = news_hub.html("news/page/3/index.html")
    assert titles(third) == ["Post 9", "Post 0", "Post 99"]
    assert third.select_one("a[rel=prev]")["href"] == "/hub/news/page/2/"
    assert not (news_hub.out / "news/page/4").exists()
    assert sum(len(titles(news_hub.html(p))) for p in ("news/index.html", "news/page/2/index.html", "news/page/3/index.html")) == 13


def test_year_archives_tags_and_network_news(news_hub) -> None:  # type: ignore[no-untyped-def]
    assert titles(news_hub.html("news/2025/index.html")) == ["Post 99"]
    assert len(titles(news_hub.html("news/2026/index.html"))) == 5
    tags = news_hub.html("news/tags/index.html")
    assert [a.get_text() for a in tags.select(".tag-list a")] == ["cpd", "reading"]
    cpd = [titles(news_hub.html(p)) for p in ("news/tags/cpd/index.html", "news/tags/cpd/page/2/index.html")]
    assert sum(map(len, cpd)) == 7  # 6 odd posts + the old one
    reading = news_hub.html("networks/reading/news/index.html")
    assert set(titles(reading)) == {f"Post {n}" for n in (1, 2, 3, 4, 5)}  # the newest 5 of its 6
    assert reading.select_one("link[rel=alternate][href='/hub/networks/reading/feed.xml']")


def test_posts_link_to_older_newer_and_related(news_hub) -> None:  # type: ignore[no-untyped-def]
    page = news_hub.html("news/old/index.html")  # Post 99, the oldest
    assert page.select_one("a[rel=prev]") is None
    assert page.select_one("a[rel=next]").get_text() == "Post 0"  # 2026-01-10 is the next newest
    related = [a.get_text() for a in page.select("#related + .cards a")]
    assert related == ["Post 7", "Post 5", "Post 3"]  # sharing the tag cpd, newest first
    meta = page.select_one(".tags a")
    assert meta["href"] == "/hub/news/tags/cpd/"


def test_atom_feeds(news_hub) -> None:  # type: ignore[no-untyped-def]
    feed = ET.parse(news_hub.out / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 13
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href").startswith("https://example.org/hub/news/post-")
    # ids that survive a move to another address: tag: URIs from the host (or the `ids` setting)
    assert first.find(f"{ATOM}id").text == "tag:example.org,2026:" + first.find(f"{ATOM}link").get("href").removeprefix("https://example.org/hub/")
    assert feed.find(f"{ATOM}id").text == "tag:example.org,2026:feed.xml"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/hub/feed.xml"
    network = ET.parse(news_hub.out / "networks/maths/feed.xml").getroot()
    assert {e.find(f"{ATOM}title").text for e in network.findall(f"{ATOM}entry")} == {f"Post {n}" for n in range(6, 12)}
    home = news_hub.html("index.html")
    assert home.select_one("link[rel=alternate][type='application/atom+xml']")["href"] == "/hub/feed.xml"


def test_feed_content_links_are_absolute(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/about.md": "---\ntitle: About\n---\n",
                "content/news/2026-01-01-a.md": "---\ntitle: A & B <c>\ndate: 2026-01-01\n---\nSee [about](../about.md).\n"})
    assert site.build().code == 0
    entry = ET.parse(site.out / "feed.xml").getroot().find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "A & B <c>"
    assert 'href="https://example.org/hub/about/"' in entry.find(f"{ATOM}content").text


EVENTS = {
    "content/events/2026-10-01-earlier.md": '---\ntitle: Past twilight\nstart: "2026-10-01 16:00"\nend: "2026-10-01 17:30"\nnetworks: [reading]\n---\n',
    "content/events/2026-12-03-open.md": '---\ntitle: Open afternoon\nstart: "2026-12-03 13:30"\nend: "2026-12-03 16:00"\n'
                                         'attendance: mixed\nlocation: Millbrook Primary\nonline_url: https://meet.example/x\n'
                                         'booking_url: https://book.example/x\nnetworks: [reading]\n---\n',
    "content/events/2027-01-14-forum.md": '---\ntitle: Forum\nstart: "2027-01-14 15:45"\nstatus: cancelled\n---\n',
    "content/events/2027-03-11-festival.md": "---\ntitle: Book festival\nstart: 2027-03-11\nend: 2027-03-12\n---\n",
    "content/events/2027-02-01-draft.md": "---\ntitle: Secret draft event\nstart: 2027-02-01\ndraft: true\n---\n",
}


@pytest.fixture
def events_hub(hub):  # type: ignore[no-untyped-def]
    site = hub({**NETWORKS, **EVENTS})
    run = site.build()
    assert run.code == 0, run.err
    return site


def test_upcoming_and_past_events(events_hub) -> None:  # type: ignore[no-untyped-def]
    upcoming = events_hub.html("events/index.html")
    assert titles(upcoming) == ["Open afternoon", "Forum", "Book festival"]
    assert upcoming.select_one("[data-upcoming] li")["data-ends"] == "2026-12-03T16:00:00+00:00"
    assert titles(events_hub.html("events/past/index.html")) == ["Past twilight"]
    forum = events_hub.html("events/forum/index.html")
    assert "This event is cancelled." in forum.select_one(".notice").get_text()


def read_ics(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def test_an_ics_file_per_event(events_hub) -> None:  # type: ignore[no-untyped-def]
    cal = read_ics(events_hub.out / "events/open/open.ics")
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == "tag:example.org,2026:events/open"
    start = event.decoded("DTSTART")
    assert start.isoformat() == "2026-12-03T13:30:00+00:00" and str(start.tzinfo) == "Europe/London"
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/London"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]) == "https://example.org/hub/events/open/"
    assert "Millbrook Primary" in str(event["LOCATION"])
    festival = read_ics(events_hub.out / "events/festival/festival.ics").walk("VEVENT")[0]
    assert festival.decoded("DTSTART").isoformat() == "2027-03-11"
    assert festival.decoded("DTEND").isoformat() == "2027-03-13"  # exclusive: the day after the last
    forum = read_ics(events_hub.out / "events/forum/forum.ics").walk("VEVENT")[0]
    assert str(forum["STATUS"]) == "CANCELLED"
    page = events_hub.html("events/open/index.html")
    assert page.select_one("a[href$='.ics']")["href"] == "/hub/events/open/open.ics"


def test_subscribable_calendars(events_hub) -> None:  # type: ignore[no-untyped-def]
    hub_cal = read_ics(events_hub.out / "events/calendar.ics")
    assert sorted(str(e["SUMMARY"]) for e in hub_cal.walk("VEVENT")) == ["Book festival", "Forum", "Open afternoon", "Past twilight"]
    reading = read_ics(events_hub.out / "networks/reading/calendar.ics")
    assert sorted(str(e["UID"]) for e in reading.walk("VEVENT")) == ["tag:example.org,2026:events/earlier", "tag:example.org,2026:events/open"]
    maths = read_ics(events_hub.out / "networks/maths/calendar.ics")
    assert maths.walk("VEVENT") == []


def test_event_json_ld(events_hub) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(events_hub.html("events/open/index.html").find("script", type="application/ld+json").string)
    assert data["@type"] == "Event"
    assert data["startDate"] == "2026-12-03T13:30:00+00:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"][0]["name"] == "Millbrook Primary"
    assert data["offers"]["url"] == "https://book.example/x"
    forum = json.loads(events_hub.html("events/forum/index.html").find("script", type="application/ld+json").string)
    assert forum["eventStatus"] == "https://schema.org/EventCancelled"


def test_news_json_ld_and_open_graph(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"static/img/visit.png": PNG,
                "content/news/2026-01-01-a.md": "---\ntitle: A visit </script>\ndate: 2026-01-01\nauthor: Jo Bloggs\n"
                                               "image: /img/visit.png\nimage_alt: Pupils at the river\nsummary: We went.\n---\nText.\n"})
    assert site.build().code == 0
    page = site.html("news/a/index.html")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "A visit </script>"
    assert data["datePublished"] == "2026-01-01"
    assert data["author"] == {"@type": "Person", "name": "Jo Bloggs"}
    assert data["image"] == "https://example.org/hub/img/visit.png"
    og = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
    assert og["og:title"] == "A visit </script>"
    assert og["og:description"] == "We went."
    assert og["og:image"] == "https://example.org/hub/img/visit.png"
    assert og["og:url"] == "https://example.org/hub/news/a/"
    assert og["og:type"] == "article"


RESOURCES = {
    "content/resources/fractions.md": "---\ntitle: Fractions\nsubjects: [mathematics]\nkey_stages: [KS2, KS3]\ntype: lesson plan\nnetworks: [maths]\n---\n",
    "content/resources/phonics.md": "---\ntitle: Phonics\nsubjects: [English]\nkey_stages: [KS1]\nphases: [primary]\nnetworks: [reading]\n---\n",
    "content/resources/pshe.md": "---\ntitle: Calm spaces\nsubjects: [PSHE and RSE, wellbeing]\nkey_stages: [KS2]\ntype: guidance\n---\n",
}


def test_resource_facets_have_static_pages(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({**NETWORKS, **RESOURCES})
    assert site.build().code == 0
    assert titles(site.html("resources/key-stage/ks2/index.html")) == ["Calm spaces", "Fractions"]
    assert titles(site.html("resources/subject/pshe-and-rse/index.html")) == ["Calm spaces"]
    assert titles(site.html("resources/type/lesson-plan/index.html")) == ["Fractions"]
    assert titles(site.html("resources/phase/primary/index.html")) == ["Phonics"]
    assert titles(site.html("resources/network/reading/index.html")) == ["Phonics"]
    index = site.html("resources/index.html")
    facet_links = {a.get_text(): a["href"] for a in index.select(".facets a")}
    assert facet_links["KS2"] == "/hub/resources/key-stage/ks2/"
    assert facet_links["Maths network"] == "/hub/resources/network/maths/"
    fractions = index.find("a", string="Fractions").find_parent("li")
    assert fractions["data-key-stage"] == "ks2 ks3" and fractions["data-subject"] == "mathematics"
    assert fractions["data-network"] == "maths" and fractions["data-type"] == "lesson-plan"
    selects = {s["name"]: [o["value"] for o in s.find_all("option")] for s in index.select("form[data-filters] select")}
    assert selects["key-stage"] == ["", "ks1", "ks2", "ks3"]


def test_schools_directory_is_grouped_by_phase(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub(NETWORKS)
    assert site.build().code == 0
    page = site.html("schools/index.html")
    assert [h.get_text() for h in page.select("main h2")] == ["Primary", "Secondary"]
    school = site.html("schools/millbrook/index.html")
    assert school.find("a", href="https://get-information-schools.service.gov.uk/Establishments/Establishment/Details/990101")
    network = site.html("networks/reading/index.html")
    assert [a.get_text() for a in network.select("h2 + ul a")][:2] == ["Millbrook Primary", "Ashbourne Academy"]


def test_drafts_and_future_items_appear_nowhere(hub) -> None:  # type: ignore[no-untyped-def]
    secret = {
        **NETWORKS, **EVENTS,
        "content/news/2026-01-01-draft.md": "---\ntitle: Secret draft post\ndate: 2026-01-01\ndraft: true\nnetworks: [reading]\ntags: [cpd]\n---\n",
        "content/news/2027-06-01-future.md": "---\ntitle: Secret future post\ndate: 2027-06-01\nnetworks: [reading]\ntags: [cpd]\n---\n",
        "content/resources/draft.md": "---\ntitle: Secret draft resource\ndraft: true\nkey_stages: [KS2]\n---\n",
        "content/news/2026-01-02-shown.md": "---\ntitle: Shown post\ndate: 2026-01-02\ntags: [cpd]\n---\n",
    }
    site = hub(secret)
    assert site.build().code == 0
    everything = "\n".join(p.read_text(encoding="utf-8") for p in site.out.rglob("*") if p.suffix in (".html", ".xml", ".ics", ".txt"))
    assert "Shown post" in everything
    for word in ("Secret draft post", "Secret future post", "Secret draft resource", "Secret draft event", "/draft/", "/future/"):
        assert word not in everything, word


def test_sitemap_and_robots(events_hub) -> None:  # type: ignore[no-untyped-def]
    root = ET.parse(events_hub.out / "sitemap.xml").getroot()
    locs = [u.find(f"{SITEMAP}loc").text for u in root.findall(f"{SITEMAP}url")]
    assert "https://example.org/hub/" in locs and "https://example.org/hub/events/open/" in locs
    assert all(loc.startswith("https://example.org/hub/") for loc in locs)
    assert not any("404" in loc or loc.endswith(".ics") for loc in locs)
    robots = (events_hub.out / "robots.txt").read_text()
    assert "Sitemap: https://example.org/hub/sitemap.xml" in robots.splitlines()


def test_standard_pages_are_always_in_the_footer(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/privacy.md": "---\ntitle: Our privacy notice\n---\nOurs.\n"},
               site_yaml="title: Hub\ncontact: {email: office@hub.example}\n")
    assert site.build().code == 0
    footer = site.html("index.html").select("footer a")
    links = [a["href"] for a in footer if not a["href"].startswith(("mailto:", "tel:"))]  # the contact details come first
    assert links[:3] == ["/accessibility/", "/privacy/", "/contact/"]
    assert site.html("privacy/index.html").h1.get_text() == "Our privacy notice"
    assert site.html("accessibility/index.html").h1.get_text() == "Accessibility statement"
    assert site.html("contact/index.html").find("a", href="mailto:office@hub.example")


def test_home_page_sections(events_hub) -> None:  # type: ignore[no-untyped-def]
    home = events_hub.html("index.html")
    headings = [h.get_text() for h in home.select("main h2")]
    assert headings[:2] == ["Upcoming events", "Our networks"]
    assert [a.get_text() for a in home.select("#upcoming-events ~ .cards h3 a")] == ["Open afternoon", "Book festival"], "a cancelled event takes no place on the home page"
