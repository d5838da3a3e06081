"""Structured data (schema.org JSON-LD) for every kind, read back from the built pages; and vacancies,
sitegen's built-in kind for jobs: listed while open, their pages kept (marked closed) afterwards."""

from __future__ import annotations

import json
from typing import Any

import pytest

SCHOOL = ("---\ntitle: Millbrook Primary\nurn: 123456\nphase: primary\naddress: Mill Lane, Millbrook\npostcode: WN1 2AB\n"
          "website: https://millbrook.example.sch.uk\n---\nA school.\n")

HUB = {  # built at conftest's NOW, 2026-11-23 12:00 in London
    "content/schools/millbrook.md": SCHOOL,
    "content/schools/vale-trust-office.md": "---\ntitle: Vale Trust central team\n---\nNot a school.\n",
    "content/vacancies/teacher.md": "---\ntitle: Year 3 teacher\npublish_date: 2026-11-10\nclosing_date: 2027-01-15 12:00\n"
                                    "school: millbrook\ncontract: permanent\nhours: Full time\nsalary: £28,000–£35,000\n"
                                    "start_date: April 2027\napply_url: https://jobs.example.org/" + "very-long-part/" * 12 + "\n"
                                    "file: pack.pdf\n---\nTeach **Year 3**.\n",
    "content/vacancies/pack.pdf": b"%PDF-1.4\n%%EOF\n",
    "content/vacancies/cover.md": "---\ntitle: Maternity cover\nclosing_date: 2026-11-30\ncontract: mat cover\nhours: part time, 0.6\n"
                                  "apply_email: jobs@trust.example\n---\nCover.\n",
    "content/vacancies/closed.md": "---\ntitle: Office manager\nclosing_date: 2026-11-22\nschool: 123456\ncontract: fixed term\n"
                                   "apply_email: office@millbrook.example.sch.uk\n---\nRun the office.\n",
    "content/vacancies/today.md": "---\ntitle: Caretaker\nclosing_date: 2026-11-23 09:00\napply_email: a@b.example\n---\nClosed this morning.\n",
    "content/resources/toolkit.md": "---\ntitle: Phonics toolkit\nsubjects: English\nkey_stages: KS1, KS2\ntype: guidance\n"
                                    "licence: CC BY 4.0\n---\nA toolkit.\n",
    "content/news/2026-11-20-visit.md": "---\ntitle: Visit\ndate: 2026-11-20 16:30\n---\nWe went.\n",
    "content/events/2026-12-03-open.md": "---\ntitle: Open afternoon\nstart: 2026-12-03 13:30\nend: '15:00'\nattendance: in person\n"
                                         "location: Millbrook Primary, Mill Lane, Millbrook WN1 2AB\nbooking_url: https://book.example/x\n"
                                         "cost: Free\n---\nCome.\n",
    "content/events/2026-12-04-webinar.md": "---\ntitle: Webinar\nstart: 2026-12-04 16:00\nattendance: online\n"
                                            "online_url: https://meet.example/y\nbooking_url: https://book.example/y\ncost: £25 per person\n---\nOnline.\n",
}


def ld(site: Any, rel: str) -> dict[str, Any]:
    scripts = site.html(rel).find_all("script", type="application/ld+json")
    assert len(scripts) == 1, rel
    return json.loads(scripts[0].string)  # type: ignore[no-any-return]


@pytest.fixture
def built(hub):  # type: ignore[no-untyped-def]
    site = hub(HUB)
    run = site.build()
    assert run.code == 0, run.err
    return site


def test_vacancies_list_only_open_ones_and_keep_closed_pages(built) -> None:  # type: ignore[no-untyped-def]
    index = built.html("vacancies/index.html")
    assert [h.get_text() for h in index.select(".cards h2")] == ["Maternity cover", "Year 3 teacher"]  # closing soonest first
    assert "Millbrook Primary · Permanent · Full time" in index.get_text()
    assert [a.get_text() for a in index.select(".facets a")] == ["Permanent", "Maternity cover"]  # the closed fixed-term post is not offered
    closed = built.html("vacancies/closed/index.html")
    assert "This vacancy has closed." in closed.select_one(".notice").get_text()
    assert closed.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert closed.find(id="how-to-apply") is None
    assert "This vacancy has closed." in built.html("vacancies/today/index.html").get_text()  # closed at 09:00, built at 12:00
    sitemap = (built.out / "sitemap.xml").read_text()
    assert "/hub/vacancies/teacher/" in sitemap and "/hub/vacancies/closed/" not in sitemap and "/hub/vacancies/today/" not in sitemap
    school = built.html("schools/millbrook/index.html")
    assert [h.get_text() for h in school.select("#school-vacancies ~ .cards h3")] == ["Year 3 teacher"]
    home = built.html("index.html")
    assert [h.get_text() for h in home.select("#vacancies ~ .cards h3")] == ["Maternity cover", "Year 3 teacher"]


def test_a_vacancy_page_says_how_to_apply(built) -> None:  # type: ignore[no-untyped-def]
    page = built.html("vacancies/teacher/index.html")
    facts = {d.get_text(): d.find_next_sibling("dd").get_text(" ", strip=True) for d in page.select(".facts dt")}
    assert facts == {"Closing date": "Friday 15 January 2027, 12pm", "School": "Millbrook Primary", "Contract": "Permanent",
                     "Hours": "Full time", "Salary": "£28,000–£35,000", "Start date": "April 2027"}
    apply = page.select_one("#how-to-apply").parent
    assert apply.select_one("a.button")["href"].startswith("https://jobs.example.org/very-long-part/")
    assert apply.select_one("a.button").get_text(" ", strip=True).startswith("Apply online")  # words, not the long address
    assert apply.select_one("a[download]")["href"] == "/hub/vacancies/pack.pdf"
    email = built.html("vacancies/cover/index.html").select_one("#how-to-apply").parent.select_one("a[href^=mailto]")
    assert email["href"] == "mailto:jobs@trust.example"


def test_job_posting(built) -> None:  # type: ignore[no-untyped-def]
    job = ld(built, "vacancies/teacher/index.html")
    assert job["@type"] == "JobPosting" and job["title"] == "Year 3 teacher"
    assert "<strong>Year 3</strong>" in job["description"]
    assert job["datePosted"] == "2026-11-10"
    assert job["validThrough"] == "2027-01-15T12:00:00+00:00"
    assert job["employmentType"] == ["FULL_TIME"]
    assert job["hiringOrganization"] == {"@type": "School", "name": "Millbrook Primary", "url": "https://example.org/hub/schools/millbrook/",
                                         "sameAs": "https://millbrook.example.sch.uk"}
    assert job["jobLocation"]["address"] == {"@type": "PostalAddress", "streetAddress": "Mill Lane, Millbrook", "postalCode": "WN1 2AB",
                                             "addressCountry": "GB"}
    assert job["baseSalary"]["value"] == {"@type": "QuantitativeValue", "minValue": 28000, "maxValue": 35000, "unitText": "YEAR"}
    cover = ld(built, "vacancies/cover/index.html")
    assert cover["employmentType"] == ["PART_TIME", "TEMPORARY"]
    assert cover["validThrough"] == "2026-12-01T00:00:00+00:00"  # a bare closing date: open all that day
    assert cover["hiringOrganization"]["name"] == "Test Hub" and "jobLocation" not in cover  # no school: the hub hires
    assert "datePosted" not in cover
    assert ld(built, "vacancies/closed/index.html")["validThrough"] == "2026-11-23T00:00:00+00:00"  # in the past


def test_school_resource_home_news_and_event_json_ld(built) -> None:  # type: ignore[no-untyped-def]
    school = ld(built, "schools/millbrook/index.html")
    assert school["@type"] == "School"
    assert school["identifier"] == {"@type": "PropertyValue", "propertyID": "URN", "value": "123456"}
    assert school["address"]["postalCode"] == "WN1 2AB" and school["address"]["streetAddress"] == "Mill Lane, Millbrook"
    assert ld(built, "schools/vale-trust-office/index.html")["@type"] == "EducationalOrganization"

    resource = ld(built, "resources/toolkit/index.html")
    assert resource["@type"] == "LearningResource"
    assert resource["educationalLevel"] == ["KS1", "KS2"]
    assert resource["about"] == [{"@type": "Thing", "name": "English"}]
    assert resource["learningResourceType"] == "Guidance" and resource["license"] == "CC BY 4.0"

    graph = {node["@type"]: node for node in ld(built, "index.html")["@graph"]}
    assert graph["Organization"]["name"] == "Test Hub" and graph["Organization"]["url"] == "https://example.org/hub/"
    assert graph["WebSite"]["url"] == "https://example.org/hub/"
    assert graph["WebSite"]["potentialAction"]["target"] == "https://example.org/hub/search/?q={search_term_string}"

    news = ld(built, "news/visit/index.html")
    assert news["@type"] == "NewsArticle" and news["datePublished"] == "2026-11-20T16:30:00+00:00"

    event = ld(built, "events/open/index.html")
    assert event["location"] == {"@type": "Place", "name": "Millbrook Primary", "address": {
        "@type": "PostalAddress", "streetAddress": "Millbrook Primary, Mill Lane, Millbrook", "postalCode": "WN1 2AB", "addressCountry": "GB"}}
    assert event["offers"] == {"@type": "Offer", "url": "https://book.example/x", "price": "0", "priceCurrency": "GBP",
                               "description": "Free", "availability": "https://schema.org/InStock"}
    webinar = ld(built, "events/webinar/index.html")
    assert webinar["location"] == {"@type": "VirtualLocation", "url": "https://meet.example/y"}
    assert webinar["offers"]["price"] == "25"


def test_pages_without_an_item_have_no_json_ld(built) -> None:  # type: ignore[no-untyped-def]
    assert built.html("news/index.html").find("script", type="application/ld+json") is None


def test_how_to_apply_is_one_of_a_link_or_an_email(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/vacancies/neither.md": "---\ntitle: Neither\nclosing_date: 2027-01-15\n---\nRing the office.\n"})
    run = site.build()
    assert run.code == 0 and "content/vacancies/neither.md:1: say how to apply" in run.err  # a warning: the text may say how
    site.write({"content/vacancies/both.md": "---\ntitle: Both\nclosing_date: 2027-01-15\napply_url: https://x.example/\n"
                                             "apply_email: a@x.example\n---\n"})
    run = site.build()
    assert run.code == 1 and "Traceback" not in run.err
    assert "content/vacancies/both.md:5: give either apply_url (a web address) or apply_email" in run.err


OLD_DECLARATION = """\
title: T
base_url: https://example.org/hub/
kinds:
  vacancies:
    title: Vacancies
    singular: vacancy
    order: closing_date
    fields:
      closing_date: {type: date, label: Deadline, help: The last day., example: 2027-02-01}
      contract: {type: choice, choices: [permanent, fixed term], facet: true}
      hours: {type: choice, choices: [full time, part time], facet: true}
      key_stage: {type: vocabulary, vocabulary: key_stages}
"""


def test_a_hubs_own_vacancies_declaration_merges_with_the_built_in_kind(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/vacancies/a.md": "---\ntitle: A\nclosing_date: 2027-01-15\ncontract: Permanent\nhours: part time\n"
                                          "key_stage: KS2\napply_email: a@x.example\n---\n"}, site_yaml=OLD_DECLARATION)
    run = site.build()
    assert run.code == 0, run.err
    facts = {d.get_text(): d.find_next_sibling("dd").get_text(" ", strip=True) for d in site.html("vacancies/a/index.html").select(".facts dt")}
    assert facts == {"Deadline": "Friday 15 January 2027", "Contract": "Permanent", "Hours": "Part time", "Key stage": "KS2"}
    assert (site.out / "vacancies/hours/part-time/index.html").is_file()  # the hub's choice made hours a facet
    assert ld(site, "vacancies/a/index.html")["employmentType"] == ["PART_TIME"]
    site.write({"content/vacancies/a.md": "---\ntitle: A\ncontract: casual\napply_email: a@x.example\n---\n"})
    lines = site.build().lines
    assert "content/vacancies/a.md:1: closing_date: missing; a vacancy needs one, e.g. 'closing_date: 2027-02-01'" in lines  # still required
    assert any(line.startswith('content/vacancies/a.md:3: contract: "casual" must be one of: permanent, fixed term') for line in lines)


@pytest.mark.parametrize(("kinds", "message"), [
    ("vacancies:\n    fields:\n      salary: {type: number}",
     "site.yaml:2: kinds: vacancies: field 'salary' is already a field of every vacancies item, of type text: declare it that way"),
    ("vacancies:\n    fields:\n      school: {type: reference, to: networks}",
     "site.yaml:2: kinds: vacancies: field 'school' is already a field of every vacancies item, a reference to schools"),
    ("vacancies:\n    order: -closing_date",
     "site.yaml:2: kinds: vacancies: vacancies are built into sitegen (title Vacancies, singular vacancy, order closing_date"),
])
def test_a_declaration_that_does_not_fit_the_built_in_kind(hub, kinds: str, message: str) -> None:  # type: ignore[no-untyped-def]
    run = hub(site_yaml=f"title: T\nkinds:\n  {kinds}\n").build()
    assert run.code == 1 and "Traceback" not in run.err
    assert run.lines[0].startswith(message), run.lines
