"""The theme in the page's language (issue 22): a hub with `language: cy` reads in Welsh, words and dates,
its own catalog can change any string, `check` lists what is missing, and the Welsh catalog is complete."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from sitegen.core.files import THEME
from sitegen.render.i18n import theme_messages

WELSH_SITE = "title: Partneriaeth Dysgu\nbase_url: https://example.org/hub/\nlanguage: cy\n"
SCHOOL = "---\ntitle: Ysgol y Bryn\nphase: primary\n---\n"
FILES = {
    "content/news/2026-10-02-linking.md": "---\ntitle: Cysylltu ysgolion\ndate: 2026-10-02\nupdated: 2026-10-05\n---\nNewyddion da.\n",
    "content/events/2026-12-18-choir.md": ('---\ntitle: Cor\nstart: "2026-12-18 16:30"\nend: "2026-12-18 18:00"\n'
                                           'location: Neuadd\nbooking_url: https://example.org/book\n---\nDewch.\n'),
    "content/schools/bryn.md": SCHOOL,
    "content/vacancies/teacher.md": ('---\ntitle: Athro Blwyddyn 3\nclosing_date: "2026-12-18 12:00"\nschool: bryn\n'
                                     "apply_url: https://example.org/apply\n---\nYmunwch.\n"),
}


def text(page) -> str:  # type: ignore[no-untyped-def]
    return " ".join(page.get_text(" ").split())


def test_a_welsh_hub_reads_in_welsh(hub):
    site = hub(FILES, site_yaml=WELSH_SITE)
    run = site.build()
    assert run.code == 0, run.err
    home = site.html("index.html")
    assert home.html["lang"] == "cy"
    assert home.find("a", class_="skip-link").get_text() == "Neidio i'r prif gynnwys"
    words = text(home)
    for welsh in ("Newyddion diweddaraf", "Digwyddiadau i ddod", "Swyddi gwag", "Yr holl newyddion", "Hygyrchedd", "Preifatrwydd"):
        assert welsh in words
    for english in ("Skip to main content", "Latest news", "Upcoming events", "All news", "Privacy"):
        assert english not in words
    badge = home.find(class_="date-badge-month").get_text()
    assert badge == "Rhag"
    assert "Mae angen JavaScript i chwilio." in words  # the header's search box without JavaScript

    post = text(site.html("news/linking/index.html"))
    assert "2 Hydref 2026" in post and "diweddarwyd 5 Hydref 2026" in post and "Hafan" in post

    event = site.html("events/choir/index.html")
    words = text(event)
    assert "Dydd Gwener, 18 Rhagfyr 2026, 16:30 tan 18:00" in words
    assert "Archebu lle" in words and "Ychwanegu at eich calendr" in words and "(ffeil .ics)" in words
    assert [dt.get_text() for dt in event.select("dl.facts dt")][:2] == ["Pryd", "Ble"]

    vacancy = text(site.html("vacancies/teacher/index.html"))
    assert "Gwneud cais ar-lein" in vacancy and "Sut i wneud cais" in vacancy
    assert "Yn cau Dydd Gwener, 18 Rhagfyr 2026, 12:00" in vacancy
    assert "Dyddiad cau Dydd Gwener" in vacancy and "Hafan Swyddi gwag Athro Blwyddyn 3" in vacancy  # the schema's labels too

    search = site.html("search/index.html")
    assert search.find("label", attrs={"for": "search-query"}).get_text() == "Chwilio'r wefan"
    assert "Mae angen JavaScript i chwilio, ac mae wedi'i ddiffodd" in text(search)
    words_for_scripts = search.find(attrs={"data-search": True})  # what search.js writes, in Welsh
    assert (words_for_scripts["data-none"], words_for_scripts["data-many"]) == ("Dim canlyniadau", "{n} canlyniad")

    headings = {rel: site.html(rel).h1.get_text() for rel in ("events/index.html", "events/past/index.html", "vacancies/index.html",
                                                             "search/index.html", "news/index.html", "schools/index.html")}
    assert headings == {"events/index.html": "Digwyddiadau", "events/past/index.html": "Digwyddiadau blaenorol",
                        "vacancies/index.html": "Swyddi gwag", "search/index.html": "Chwilio", "news/index.html": "Newyddion",
                        "schools/index.html": "Ysgolion"}
    assert site.html("events/past/index.html").title.get_text() == "Digwyddiadau blaenorol – Partneriaeth Dysgu"

    missing = site.html("404.html")
    assert missing.h1.get_text() == "Heb ddod o hyd i'r dudalen" and missing.html["lang"] == "cy"
    assert "Nid oes tudalen yn y cyfeiriad hwn." in text(missing)
    assert "Datganiad hygyrchedd" in text(site.html("accessibility/index.html"))
    assert "Nid yw'r wefan hon yn defnyddio cwcis" in text(site.html("privacy/index.html"))


LABELLED = {
    "content/resources/fractions.md": ("---\ntitle: Ffracsiynau\nsubjects: [maths, science]\nphases: [primary]\ntype: slides\n"
                                       "key_stages: [KS2]\n---\nGwers.\n"),
    "content/events/2026-12-19-online.md": ('---\ntitle: Gweminar\nstart: "2026-12-19 16:00"\nattendance: online\n'
                                            "online_url: https://meet.example/x\n---\nAr-lein.\n"),
    "content/events/2026-12-20-hall.md": '---\ntitle: Cyngerdd\nstart: "2026-12-20 18:00"\nattendance: in person\nlocation: Neuadd\n---\nDewch.\n',
    "content/schools/other.md": "---\ntitle: Ysgol Arall\n---\n",
}


def facts_of(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A page's facts list, label -> value."""
    return {dt.get_text(): dd.get_text() for dt, dd in zip(page.select("dl.facts dt"), page.select("dl.facts dd"), strict=True)}


def test_a_welsh_hub_shows_the_schemas_and_vocabularies_labels_in_welsh(hub):
    site = hub({**FILES, **LABELLED}, site_yaml=WELSH_SITE)
    run = site.build()
    assert run.code == 0, run.err
    home = site.html("index.html")
    menu = [a.get_text() for a in home.select("ul.menu a")]
    assert menu == ["Newyddion", "Rhwydweithiau", "Ysgolion", "Adnoddau", "Digwyddiadau", "Swyddi gwag"]
    assert [a["href"] for a in home.select("ul.menu a")][0].endswith("/news/")  # the addresses stay as they are

    resource = site.html("resources/fractions/index.html")
    facts = facts_of(resource)
    assert facts["Pynciau"] == "Mathemateg, Gwyddoniaeth" and facts["Cyfnodau ysgol"] == "Cynradd" and facts["Math"] == "Cyflwyniad"
    assert "Mathematics" not in text(resource) and "Presentation" not in text(resource)
    assert "Cyflwyniad · CA2 · Mathemateg · Gwyddoniaeth" in text(site.html("resources/index.html"))  # the card's line

    facet = site.html("resources/subject/mathematics/index.html")  # the address is the English term's, as before
    assert facet.h1.get_text() == "Pwnc: Mathemateg"
    assert "Gwyddoniaeth" in [a.get_text() for a in facet.select("nav.facets a")]

    assert facts_of(site.html("events/online/index.html"))["Sut i fynychu"] == "Ar-lein"
    assert facts_of(site.html("events/hall/index.html"))["Sut i fynychu"] == "Wyneb yn wyneb"

    year = site.html("news/2026/index.html")
    assert year.h1.get_text() == "Newyddion 2026" and year.title.get_text() == "Newyddion 2026 – Partneriaeth Dysgu"
    schools = [h.get_text() for h in site.html("schools/index.html").select("h2[id^=phase-]")]
    assert schools == ["Cynradd", "Ysgolion eraill"]


def test_an_english_hub_keeps_its_english(hub):
    site = hub(FILES)
    assert site.build().code == 0
    home = site.html("index.html")
    assert home.html["lang"] == "en-GB" and "Latest news" in text(home)
    assert home.find(class_="date-badge-month").get_text() == "Dec"
    assert "Friday 18 December 2026, 4:30pm to 6pm" in text(site.html("events/choir/index.html"))
    assert "Closes Friday 18 December 2026, 12pm" in text(site.html("vacancies/teacher/index.html"))


def test_a_hubs_own_catalog_changes_one_string(hub):
    own = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
           'msgid "Latest news"\nmsgstr "Y newyddion diweddaraf o\'r ysgolion"\n')
    site = hub({**FILES, "locale/cy/LC_MESSAGES/sitegen.po": own}, site_yaml=WELSH_SITE)
    assert site.build().code == 0
    words = text(site.html("index.html"))
    assert "Y newyddion diweddaraf o'r ysgolion" in words
    assert "Digwyddiadau i ddod" in words  # every other string still comes from the theme's catalog


def test_the_welsh_catalog_translates_every_theme_string():
    with (THEME / "locale/cy/LC_MESSAGES/sitegen.po").open("rb") as file:
        catalog = read_po(file)
    untranslated = []
    for msgid, where in theme_messages().items():
        message = catalog.get(msgid) or next((m for m in catalog if isinstance(m.id, tuple) and m.id[0] == msgid), None)
        strings = message.string if message and isinstance(message.string, tuple) else (message.string if message else "",)
        if message is None or message.fuzzy or not all(strings):
            untranslated.append(f"{where[0][0]}:{where[0][1]}: {msgid}")
    assert len(theme_messages()) > 150
    assert untranslated == []


def test_the_theme_strings_include_every_label_the_schema_vocabularies_and_outputs_give():
    """Labels reach pages at render time, where extraction cannot see them: the completeness test above covers them
    because theme_messages lists them, so here they are gathered again from their sources."""
    from sitegen.schema.curricula import ENGLAND, WALES
    from sitegen.schema.kinds import BUILTIN

    wanted = {kind.title for kind in BUILTIN}
    wanted |= {vocabulary.label(term) for curriculum in (ENGLAND, WALES)
               for vocabulary in curriculum.vocabularies().values() for term in vocabulary.values}
    for kind_name, field_name in (("events", "attendance"), ("vacancies", "contract")):
        field = BUILTIN.kind(kind_name).field(field_name)
        assert field is not None and field.choices
        wanted |= {choice[:1].upper() + choice[1:] for choice in field.choices}
    wanted |= {"News from %(year)s", "News tagged “%(tag)s”", "News from %(network)s", "News by tag", "Past events",
               "Other schools", "%(facet)s: %(value)s", "Page not found", "Subject"}
    assert {"Mathematics", "Progression step 2", "Welsh (Cymraeg)", "In person", "Fixed term", "Vacancies"} <= wanted
    assert sorted(wanted - set(theme_messages())) == []


def test_the_catalogs_are_packaged():
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    assert '"theme/locale/*/LC_MESSAGES/*.po"' in pyproject and '"babel>=' in pyproject


def test_check_lists_the_theme_strings_missing_from_the_sites_language(hub):
    french = hub(FILES, site_yaml="title: Réseau\nbase_url: https://example.org/hub/\nlanguage: fr\n")
    run = french.run("check")
    assert run.code == 0
    warning = next(line for line in run.lines if line.startswith("site.yaml: language: fr:"))
    assert f"{len(theme_messages())} of the theme's strings have no translation" in warning
    assert "'Page not found'" in warning and "locale/fr/LC_MESSAGES/sitegen.po" in warning

    partly = hub({**FILES, "locale/fr/LC_MESSAGES/sitegen.po": 'msgid "Page not found"\nmsgstr "Page introuvable"\n'},
                 site_yaml="title: Réseau\nbase_url: https://example.org/hub/\nlanguage: fr\n")
    warning = next(line for line in partly.run("check").lines if line.startswith("site.yaml: language: fr:"))
    assert f"{len(theme_messages()) - 1} of the theme's strings" in warning and "'Page not found'" not in warning

    welsh = hub(FILES, site_yaml=WELSH_SITE).run("check")
    assert not [line for line in welsh.lines if "strings have no translation" in line]


def test_no_axe_violations_on_welsh_pages(browser, hub):  # type: ignore[no-untyped-def]
    from browser import axe_violations, describe, serve

    site = hub(FILES, site_yaml=WELSH_SITE)
    assert site.build("--base-url", "/").code == 0
    context = browser.new_context()
    page = context.new_page()
    try:
        with serve(site.out) as origin:
            for path in ("", "events/choir/", "vacancies/teacher/", "news/linking/", "search/", "accessibility/", "404.html"):
                page.goto(origin + "/" + path)
                assert page.locator("html").get_attribute("lang") == "cy"
                violations = axe_violations(page)
                assert not violations, f"/{path}: {describe(violations)}"
    finally:
        context.close()


def test_a_broken_catalog_is_one_error_at_its_line_and_nothing_is_written(hub):
    cases: list[tuple[str | bytes, str]] = [
        ('msgid "Latest news"\nmsgstr "Newyddion %(foo)s"\n', "locale/cy/LC_MESSAGES/sitegen.po:1: msgstr: %(foo)s is not in its msgid"),
        ('# ours\nmsgid "Latest news"\nmsgstr "100% newydd"\n', "locale/cy/LC_MESSAGES/sitegen.po:2: msgstr: a lone %; write %% for a per cent sign"),
        (b'msgid "Latest news"\nmsgstr "Newyddion \xff"\n', "locale/cy/LC_MESSAGES/sitegen.po: cannot be read as a gettext catalog"),
    ]
    for catalog, expected in cases:
        site = hub({**FILES, "locale/cy/LC_MESSAGES/sitegen.po": catalog}, site_yaml=WELSH_SITE)
        run = site.build()
        assert run.code == 1 and not site.out.exists()
        assert run.lines[0].startswith(expected), run.lines
        assert len([line for line in run.lines if "sitegen.po" in line]) == 1 and "Traceback" not in run.err


def test_an_edited_catalog_changes_the_site_with_the_cache_and_in_the_dev_server(hub):
    import io

    from conftest import NOW

    from sitegen.builder.api import BuildOptions
    from sitegen.serve.server import DevServer

    def catalog(words: str) -> str:
        return f'msgid "Latest news"\nmsgstr "{words}"\n'

    po = "locale/cy/LC_MESSAGES/sitegen.po"
    site = hub({**FILES, po: catalog("Newyddion un")}, site_yaml=WELSH_SITE)
    assert site.build().code == 0
    (site.root / po).write_text(catalog("Newyddion dau"))
    assert site.build().code == 0  # with the cache of the first build
    assert "Newyddion dau" in text(site.html("index.html"))

    server = DevServer(site.root, BuildOptions(now=NOW), out=io.StringIO())
    server.rebuild(None)
    (site.root / po).write_text(catalog("Newyddion tri"))
    server.rebuild({site.root / po})
    server.settle()
    assert b"Newyddion tri" in server.rebuilder.files["index.html"]
