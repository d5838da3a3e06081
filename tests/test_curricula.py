"""`curriculum:` in site.yaml: each of the four UK curricula's vocabularies, resource facets and school numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from sitegen.cli.main import main

SITE = "title: Test Hub\nbase_url: https://example.org/hub/\ncurriculum: {}\n"


def facts(page: BeautifulSoup) -> dict[str, str]:
    """A page's <dl class="facts">, as {term: description}."""
    return {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True) for dt in page.select("dl.facts dt")}


def facet_headings(page: BeautifulSoup) -> list[str]:
    return [s.get_text(strip=True) for s in page.select("nav.facets summary")]


# Per curriculum: the resource's front matter (with a synonym and a Welsh or other local spelling), then what its page shows
# (term -> description), the facet headings, the facet pages with their headings, and a school's number with what it is called.
CASES = {
    "england": (
        "key_stages: [Key Stage 2]\nsubjects: [Maths]\n",
        {"Key stages": "KS2", "Subjects": "Mathematics"},
        ["Subject", "Key stage"],
        {"key-stage/ks2": "Key stage: KS2", "subject/mathematics": "Subject: Mathematics"},
        ("123456", "URN"),
    ),
    "wales": (
        "progression_steps: [Cam Cynnydd 2, Progression Step 3]\nareas: [Mathemateg a Rhifedd, Languages, Literacy and Communication]\n"
        "subjects: [Cymraeg]\nphases: [ysgol gynradd]\n",
        {"Progression steps": "Progression step 2, Progression step 3",  # and LLC is one area, though its name has a comma:
         "Areas of learning": "Mathematics and Numeracy, Languages, Literacy and Communication",
         "Subjects": "Welsh (Cymraeg)",
         "Phases": "Primary"},
        ["Subject", "Progression step", "Area of learning", "Phase"],
        {"progression-step/ps2": "Progression step: Progression step 2", "progression-step/ps3": "Progression step: Progression step 3",
         "area/mathematics-and-numeracy": "Area of learning: Mathematics and Numeracy",
         "area/languages-literacy-and-communication": "Area of learning: Languages, Literacy and Communication",
         "subject/welsh": "Subject: Welsh (Cymraeg)", "phase/primary": "Phase: Primary"},
        ("6702345", "School number"),
    ),
    "scotland": (
        "levels: [Second Level, senior]\nareas: [RME]\nsubjects: [Gàidhlig]\n",
        {"Levels": "Second level, Senior phase", "Curriculum areas": "Religious and Moral Education", "Subjects": "Gaelic"},
        ["Subject", "Level", "Curriculum area"],
        {"level/second": "Level: Second level", "level/senior-phase": "Level: Senior phase",
         "area/religious-and-moral-education": "Curriculum area: Religious and Moral Education", "subject/gaelic": "Subject: Gaelic"},
        ("5244439", "SEED code"),
    ),
    "northern-ireland": (
        "key_stages: [Foundation, Key Stage 3]\nareas: [WAU]\nphases: [grammar school]\n",
        {"Key stages": "Foundation Stage, KS3", "Areas of learning": "The World Around Us", "Phases": "Post-primary"},
        ["Key stage", "Area of learning", "Phase"],
        {"key-stage/foundation-stage": "Key stage: Foundation Stage", "key-stage/ks3": "Key stage: KS3",
         "area/the-world-around-us": "Area of learning: The World Around Us", "phase/post-primary": "Phase: Post-primary"},
        ("123-4567", "DE reference number"),
    ),
}


@pytest.mark.parametrize("curriculum", list(CASES))
def test_each_curriculum_builds_with_its_vocabularies(hub, curriculum: str) -> None:
    front, shown, headings, facet_pages, (number, number_label) = CASES[curriculum]
    site = hub({
        "content/resources/toolkit.md": f"---\ntitle: Toolkit\n{front}---\nText.\n",
        "content/schools/millbrook.md": f"---\ntitle: Millbrook\nurn: {number}\n---\n",
        "content/networks/maths.md": f"---\ntitle: Maths network\nmembers: [{number}]\n---\n",  # a school named by its number
    }, site_yaml=SITE.format(curriculum))
    run = site.build()
    assert run.code == 0, run.err

    resource = site.html("resources/toolkit/index.html")
    assert shown.items() <= facts(resource).items()
    if curriculum in ("wales", "scotland"):
        assert "Key stages" not in facts(resource)
    listing = site.html("resources/index.html")
    assert [h for h in facet_headings(listing) if h in headings] == headings
    filters = [label.get_text(strip=True) for label in listing.find_all("label") if label.get("for", "").startswith("filter-")]
    assert [f for f in filters if f in headings] == headings  # the search filters say the same
    for rel, heading in facet_pages.items():
        page = site.html(f"resources/{rel}/index.html")
        assert page.h1 is not None and page.h1.get_text(strip=True) == heading, rel

    school = site.html("schools/millbrook/index.html")
    assert facts(school)[number_label].startswith(number)
    gias = [a["href"] for a in school.select("dl.facts a") if "get-information-schools" in a["href"]]
    assert gias == ([f"https://get-information-schools.service.gov.uk/Establishments/Establishment/Details/{number}"]
                    if curriculum == "england" else [])
    network = site.html("networks/maths/index.html")
    assert network.find("a", href="/hub/schools/millbrook/") is not None


def test_an_england_value_in_a_wales_hub_is_refused_with_the_allowed_values(hub) -> None:
    site = hub({"content/resources/toolkit.md": "---\ntitle: Toolkit\nprogression_steps: [PS2]\n---\nText.\n"},
               site_yaml=SITE.format("wales"))
    assert site.build().code == 0
    (site.out / "marker").write_text("untouched")
    site.write({"content/resources/toolkit.md": "---\ntitle: Toolkit\nprogression_steps: [KS2]\n---\nText.\n"})
    run = site.build()
    assert run.code == 1 and "Traceback" not in run.err
    assert "content/resources/toolkit.md:3: " in run.err
    assert '"KS2" is not one of the progression steps' in run.err and "allowed: PS1, PS2, PS3, PS4, PS5" in run.err
    assert (site.out / "marker").read_text() == "untouched"

    site.write({"content/resources/toolkit.md": "---\ntitle: Toolkit\nkey_stages: [KS2]\n---\nText.\n"})
    run = site.build()
    assert run.code == 1 and "content/resources/toolkit.md:3: " in run.err and "key_stages" in run.err


@pytest.mark.parametrize(("curriculum", "wrong", "says"), [
    ("wales", "123456", '"123456" is not a school number (the school\'s 7-digit local authority and school number, such as 6702345)'),
    ("scotland", "52-44439", '"52-44439" is not a SEED code'),
    ("northern-ireland", "1234567", '"1234567" is not a DE reference number'),
    ("england", "12345", '"12345" is not a URN'),
])
def test_a_school_number_of_the_wrong_shape_is_refused(hub, curriculum: str, wrong: str, says: str) -> None:
    site = hub({"content/schools/millbrook.md": f"---\ntitle: Millbrook\nurn: \"{wrong}\"\n---\n"}, site_yaml=SITE.format(curriculum))
    run = site.build()
    assert run.code == 1 and "content/schools/millbrook.md:3: " in run.err and says in run.err, run.err


def test_a_curriculum_that_is_not_known_is_a_settings_error(hub) -> None:
    run = hub(site_yaml=SITE.format("Welsh")).build()
    assert run.code == 1
    assert 'site.yaml:3: curriculum: "Welsh" is not a curriculum: write one of england, wales, scotland, northern-ireland' in run.err
    assert hub(site_yaml=SITE.format("Cymru")).build().code == 0  # the Welsh name of Wales is Wales


def test_vocabularies_extend_the_curriculum_s_own(hub) -> None:
    site = hub({"content/resources/toolkit.md": "---\ntitle: Toolkit\nareas: [Outdoor learning]\n---\n"},
               site_yaml=SITE.format("wales") + "vocabularies:\n  areas: {add: [Outdoor learning]}\n")
    assert site.build().code == 0
    assert facts(site.html("resources/toolkit/index.html"))["Areas of learning"] == "Outdoor learning"
    run = hub(site_yaml=SITE.format("wales") + "vocabularies:\n  key_stages: {add: [KS6]}\n").build()
    assert run.code == 1 and "site.yaml:4: vocabularies: unknown vocabulary 'key_stages'" in run.err
    assert "known: progression_steps, areas, phases, subjects, resource_types" in run.err


def test_the_editor_and_json_schema_follow_the_curriculum(hub, capsys: pytest.CaptureFixture[str]) -> None:
    site = hub(site_yaml=SITE.format("wales"))
    assert site.build().code == 0
    config = yaml.safe_load((site.out / "admin" / "config.yml").read_text())
    resources = next(c for c in config["collections"] if c["name"] == "resources")
    fields = {f["name"]: f for f in resources["fields"]}
    assert "key_stages" not in fields and fields["progression_steps"]["label"] == "Progression steps"
    assert {"label": "Progression step 2", "value": "PS2"} in fields["progression_steps"]["options"]
    assert "Mathematics and Numeracy" in [o["value"] for o in fields["areas"]["options"]]
    schools = next(c for c in config["collections"] if c["name"] == "schools")
    urn = next(f for f in schools["fields"] if f["name"] == "urn")
    assert urn["label"] == "School number" and urn["pattern"][0] == r"^\s*\d{7}\s*$"

    capsys.readouterr()
    assert main(["schema", str(site.root)]) == 0
    schema = json.loads(capsys.readouterr().out)["$defs"]
    assert {"progression_steps", "areas"} <= set(schema["resources"]["properties"]) and "key_stages" not in schema["resources"]["properties"]
    assert schema["schools"]["properties"]["urn"]["title"] == "School number"


def test_init_with_a_curriculum_writes_a_hub_that_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "our-network"
    assert main(["init", "--curriculum", "wales", str(folder)]) == 0
    assert "curriculum: wales" in (folder / "site.yaml").read_text().splitlines()
    example = (folder / "content" / "resources" / "example-resource.md").read_text()
    assert "progression_steps:" in example and "key_stages" not in example
    assert main(["build", str(folder)]) == 0
    page = BeautifulSoup((folder / "_site" / "resources" / "example-resource" / "index.html").read_text(), "html.parser")
    assert "Progression steps" in facts(page)

    capsys.readouterr()
    assert main(["init", "--curriculum", "atlantis", str(tmp_path / "other")]) != 0
    assert '--curriculum: "atlantis" is not a curriculum' in capsys.readouterr().err and not (tmp_path / "other").exists()


def test_progression_steps_written_as_bare_numbers(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({"content/resources/toolkit.md": "---\ntitle: Toolkit\nprogression_steps: [2, 3]\n---\nText.\n"},
               site_yaml=SITE.format("wales"))
    assert site.build().code == 0
    assert (site.out / "resources/progression-step/ps2/index.html").is_file()
    site.write({"content/resources/toolkit.md": "---\ntitle: Toolkit\nprogression_steps: [6]\n---\nText.\n"})
    run = site.build()
    assert run.code == 1 and '"6" is not one of the progression steps' in run.err
