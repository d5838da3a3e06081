"""site.yaml's settings are never taken silently: a language name, a relative base_url, an email that is not one,
a time zone that is not one each get `site.yaml:LINE: message`; an error stops the build (exit 1, nothing written),
a warning names what was taken instead."""

from __future__ import annotations

import pytest

GOOD = """\
title: Vale Learning Partnership
base_url: https://vale.example/hub/
language: cy-GB
timezone: Europe/London
contact: {email: office@vale.example, phone: 01234567890}
search: off
"""

ERRORS = [
    ("language: Welsh", 'language: "Welsh" is not a language tag: write cy'),
    ("language: English", 'language: "English" is not a language tag: write en-GB'),
    ("language: French", 'language: "French" is not a language tag: write fr'),
    ("language: Klingon", 'language: "Klingon" is not a language tag: write one such as en-GB (English in the UK) or cy (Welsh)'),
    ("language: gb", 'language: "gb" is not a language tag: write one such as en-GB (English in the UK) or cy (Welsh)'),
    ("language: eng", 'language: "eng" is not a language tag: write en'),
    ("base_url: our-network/", 'base_url: "our-network/" must be a full address such as https://user.github.io/our-network/ '
                               "or a path such as /our-network/: write /our-network/"),
    ("base_url: www.example.org", 'base_url: "www.example.org" must be a full address such as https://user.github.io/our-network/ '
                                  "or a path such as /our-network/: write https://www.example.org/"),
    ("base_url: https://vale.example/hub/?from=mail", 'base_url: "https://vale.example/hub/?from=mail" must be the address of the '
                                                      "site's folder, without a ? or # part"),
    ("contact: {email: office at school}", 'contact: email: "office at school" is not an email address; write it like office@network.example'),
    ("timezone: GMT+1", 'timezone: "GMT+1" is not a time zone (write Europe/London)'),
    ("timezone: BST", 'timezone: "BST" is not a time zone (write Europe/London)'),
    ("timezone: London", 'timezone: "London" is not a time zone (write Europe/London)'),
    ("timezone: europe/london", 'timezone: "europe/london" is not a time zone (write Europe/London)'),
    ("timezone: Paris", 'timezone: "Paris" is not a time zone (write Europe/Paris)'),
    ("timezone: Mars/Olympus", 'timezone: "Mars/Olympus" is not a time zone (write one such as Europe/London)'),
    ("search: maybe", "search: must be true or false"),
]


def with_line(setting: str, line: int = 3) -> str:
    """GOOD with its line number `line` (1-based) replaced by `setting`."""
    lines = GOOD.splitlines()
    key = setting.split(":")[0]
    lines = [x for x in lines if not x.startswith(key + ":")]
    lines.insert(line - 1, setting)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("setting", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_a_setting_that_cannot_be_used_stops_the_build(hub, setting: str, message: str) -> None:  # type: ignore[no-untyped-def]
    h = hub({"content/index.md": "---\ntitle: Home\n---\n"}, site_yaml=with_line(setting))
    run = h.build()
    assert (run.code, run.lines) == (1, [f"site.yaml:3: {message}", "1 error(s): nothing was written"])
    assert not h.out.exists() and "Traceback" not in run.err


def test_an_email_inside_contact_is_named_on_its_own_line(hub) -> None:  # type: ignore[no-untyped-def]
    run = hub(site_yaml="title: T\ncontact:\n  phone: 01234 567890\n  email: office at school\n").build()
    assert (run.code, run.lines[0]) == (1, 'site.yaml:4: contact: email: "office at school" is not an email address; '
                                           "write it like office@network.example")


WARNINGS = [
    ("language: en_GB", 'language: "en_GB" is taken as en-GB: write it with a hyphen to silence this', "en-GB"),
    ("language: en-UK", 'language: "en-UK": UK is not a region code (the United Kingdom\'s is GB); write en-GB', "en-UK"),
    ("language: uk", 'language: "uk" is the tag of Ukrainian; for English in the United Kingdom write en-GB', "uk"),
    ("timezone: GMT", 'timezone: "GMT" has no summer time, so in the UK every time from late March to late October would be '
                      "an hour out: write Europe/London (GMT in winter, BST in summer), or Etc/UTC to keep one time all year", "cy-GB"),
]


@pytest.mark.parametrize(("setting", "message", "lang"), WARNINGS, ids=[w[0] for w in WARNINGS])
def test_a_setting_taken_with_a_warning(hub, setting: str, message: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    h = hub({"content/index.md": "---\ntitle: Home\n---\n"}, site_yaml=with_line(setting))
    run = h.build()
    assert run.code == 0, run.err
    assert [line for line in run.lines if line.endswith("(warning)")] == [f"site.yaml:3: {message} (warning)"]
    assert h.html("index.html").html["lang"] == lang


@pytest.mark.parametrize(("language", "lang"), [("no", "no"), ("NO", "no"), ("cy", "cy"), ("en", "en"), ("EN-gb", "en-GB"),
                                                ("sr-latn-rs", "sr-Latn-RS"), ("sco", "sco")])
def test_language_tags_are_taken_as_written_in_the_usual_case(hub, language: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    """`language: no` is Norwegian: YAML 1.1 made it false, and the build refused it."""
    h = hub({"content/index.md": "---\ntitle: Home\n---\n"}, site_yaml=with_line(f"language: {language}"))
    run = h.build()
    assert (run.code, [line for line in run.lines if "warning" in line]) == (0, []), run.err
    assert h.html("index.html").html["lang"] == lang


def test_a_good_site_yaml_builds_without_a_word(hub) -> None:  # type: ignore[no-untyped-def]
    h = hub({"content/index.md": "---\ntitle: Home\n---\n"}, site_yaml=GOOD)
    run = h.build()
    assert run.code == 0 and [line for line in run.lines if not line.startswith("built ")] == [], run.err
    contact = h.html("contact/index.html").select_one("main").get_text(" ")
    assert "office@vale.example" in contact and "01234567890" in contact  # the phone number keeps its leading 0
    assert h.html("index.html").html["lang"] == "cy-GB" and not (h.out / "pagefind").exists() and not (h.out / "search").exists()


@pytest.mark.parametrize(("words", "search", "admin"), [("search: yes\nadmin: no", True, False), ("search: off\nadmin: on", False, True),
                                                        ("search: NO\nadmin: Yes", False, True)])
def test_yes_and_no_words_still_work_for_settings_that_are_true_or_false(words: str, search: bool, admin: bool, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sitegen.config.siteyaml import load_config

    (tmp_path / "site.yaml").write_text(f"title: T\n{words}\n")
    config = load_config(tmp_path)
    assert (config.search, config.admin.enabled) == (search, admin)


def test_yes_and_no_words_in_a_hubs_own_fields(hub) -> None:  # type: ignore[no-untyped-def]
    site = ("title: T\nsearch: off\nkinds:\n  clubs:\n    title: Clubs\n    fields:\n"
            "      venue: {type: text, required: yes, facet: no}\n      day: {type: choice, choices: [yes, no, maybe]}\n")
    run = hub({"content/clubs/chess.md": "---\ntitle: Chess\nday: no\n---\n"}, site_yaml=site).build()
    assert (run.code, run.lines[0]) == (1, "content/clubs/chess.md:1: venue: missing; a club needs one")


@pytest.mark.parametrize("value", ["false", "no", "0"])
def test_a_required_field_set_to_false_or_0_is_given(hub, value: str) -> None:  # type: ignore[no-untyped-def]
    site = ("title: T\nsearch: off\nkinds:\n  clubs:\n    title: Clubs\n    fields:\n"
            "      open: {type: boolean, required: true}\n      places: {type: number, required: true}\n")
    field = "open" if value != "0" else "places"
    other = "places: 12" if field == "open" else "open: true"
    run = hub({"content/clubs/chess.md": f"---\ntitle: Chess\n{field}: {value}\n{other}\n---\n"}, site_yaml=site).build()
    assert run.code == 0, run.lines
    run = hub({"content/clubs/chess.md": f"---\ntitle: Chess\n{other}\n---\n"}, site_yaml=site).build()
    assert (run.code, run.lines[0]) == (1, f"content/clubs/chess.md:1: {field}: missing; a club needs one")
