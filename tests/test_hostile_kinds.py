"""A hub's own kinds (`kinds:` in site.yaml) are validated completely (issue 24, class 8).

Each mistake is a `site.yaml:LINE:` error with exit status 1, never an internal error or a silent
collision of addresses, and the previous site stays as it was. `sitegen new` writes a field's help and
choices as text, never as front matter of their own. A hub's own kinds have a documented limit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL_SITE
from test_errors import snapshot

from sitegen.cli.main import main

PROJECTS = "kinds:\n  projects:\n    fields:\n"
RESERVED = "cannot name a kind: it is taken by sitegen (an address or folder of its own); choose another name, e.g. {0}_items"
CASES = {
    "to: a list": (PROJECTS + "      school: {type: reference, to: [schools]}\n",
                   "kinds: projects: field 'school': say what it refers to with 'to:', e.g. 'to: schools'"),
    "to: a mapping": (PROJECTS + "      school: {type: reference, to: {kind: schools}}\n",
                      "kinds: projects: field 'school': say what it refers to with 'to:', e.g. 'to: schools'"),
    "vocabulary: a list": (PROJECTS + "      subject: {type: vocabulary, vocabulary: [subjects]}\n",
                           "kinds: projects: field 'subject': name its vocabulary, one of key_stages, phases, subjects, resource_types"),
    "vocabulary: a mapping": (PROJECTS + "      subject: {type: vocabulary, vocabulary: {a: b}}\n",
                              "kinds: projects: field 'subject': name its vocabulary, one of key_stages, phases, subjects, resource_types"),
    "facet out of its folder": (PROJECTS + "      stage: {type: choice, choices: [a, b], facet: '../../x'}\n",
                                "kinds: projects: field 'stage': facet: '../../x' cannot be part of an address: write 'facet: true', "
                                "or a name of lowercase letters, digits and hyphens, e.g. 'facet: contract'"),
    "facet named tags": (PROJECTS + "      stage: {type: choice, choices: [a, b], facet: tags}\n",
                         "kinds: projects: field 'stage': facet: 'tags' cannot be part of an address: write 'facet: true', "
                         "or a name of lowercase letters, digits and hyphens other than page and tags, e.g. 'facet: contract'"),
    "facet named page": (PROJECTS + "      page: {type: choice, choices: [a, b], facet: true}\n",
                         "kinds: projects: field 'page': facet: 'page' cannot be part of an address: write 'facet: true', "
                         "or a name of lowercase letters, digits and hyphens other than page and tags, e.g. 'facet: contract'"),
    "two fields, one facet": (PROJECTS + "      stage: {type: choice, choices: [a], facet: phase}\n      step: {type: choice, choices: [b], facet: phase}\n",
                              "kinds: projects: field 'step': facet: another field of the kind is already the facet 'phase' (stage): "
                              "give this one another name"),
    "a built-in kind's facet taken": ("kinds:\n  resources:\n    fields:\n      topic: {type: choice, choices: [a], facet: subject}\n",
                                      "kinds: resources: field 'topic': facet: another field of the kind is already the facet 'subject' "
                                      "(subjects): give this one another name"),
    "own field date": (PROJECTS + "      date: text\n",
                       "kinds: projects: field 'date': 'date' and 'updated' are sitegen's own (a news post's date, when an item last changed): "
                       "give yours another name, e.g. project_date"),
    "own field updated": (PROJECTS + "      updated: {type: date}\n",
                          "kinds: projects: field 'updated': 'date' and 'updated' are sitegen's own (a news post's date, when an item last "
                          "changed): give yours another name, e.g. project_updated"),
    "updated added to events": ("kinds:\n  events:\n    fields:\n      date: text\n",
                                "kinds: events: field 'date': 'date' and 'updated' are sitegen's own (a news post's date, when an item last "
                                "changed): give yours another name, e.g. event_date"),
    "pagefind": ("kinds:\n  pagefind:\n    fields: {a: text}\n", "kinds: 'pagefind' " + RESERVED.format("pagefind")),
    "cname": ("kinds:\n  cname:\n    fields: {a: text}\n", "kinds: 'cname' " + RESERVED.format("cname")),
    "admin": ("kinds:\n  admin:\n    fields: {a: text}\n", "kinds: 'admin' " + RESERVED.format("admin")),
    "search": ("kinds:\n  search:\n    fields: {a: text}\n", "kinds: 'search' " + RESERVED.format("search")),
    "accessibility": ("kinds:\n  accessibility:\n    fields: {a: text}\n", "kinds: 'accessibility' " + RESERVED.format("accessibility")),
    "cy": ("kinds:\n  cy:\n    fields: {a: text}\n",
           "kinds: 'cy' cannot name a kind: it is a language's code (the address of its pages); choose another name, e.g. cy_items"),
    "haw": ("kinds:\n  haw:\n    fields: {a: text}\n",
            "kinds: 'haw' cannot name a kind: it is a language's code (the address of its pages); choose another name, e.g. haw_items"),
    "a kind name with a line break": ('kinds:\n  "projects\\n":\n    fields: {a: text}\n',
                                      "kinds: 'projects\\n' cannot name a kind: use lowercase letters, digits and underscores, e.g. vacancies"),
    "a field name with a line break": (PROJECTS + '      "lead\\n": text\n',
                                       "kinds: projects: field 'lead\\n': a field's name uses lowercase letters, digits and underscores"),
    "choices sharing an address": (PROJECTS + "      stage: {type: choice, choices: ['Alpha!', alpha], facet: true}\n",
                                   "kinds: projects: field 'stage': the choices 'Alpha!' and 'alpha' would share one address "
                                   "(/projects/stage/alpha/): make them differ in letters or digits"),
    "a choice with no Latin letters": (PROJECTS + "      stage: {type: choice, choices: ['日本', b], facet: true}\n",
                                       "kinds: projects: field 'stage': the choice '日本' has no Latin letters or digits to make its address "
                                       "from: add some (a transliteration, say)"),
    "a choice with a line break": (PROJECTS + '      stage: {type: choice, choices: ["a\\ndraft: false", b]}\n',
                                   "kinds: projects: field 'stage': each choice is one line of text, without line breaks or tabs"),
    "a label with a line break": (PROJECTS + '      stage: {type: text, label: "Stage\\nslug: x"}\n',
                                  "kinds: projects: field 'stage': label and example are one line of text, without line breaks or tabs"),
}


def build(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = main(["build", str(root)])
    return code, capsys.readouterr().err.strip().splitlines()


@pytest.mark.parametrize("name", CASES)
def test_a_hubs_own_kinds_are_validated(name: str, hub, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    kinds, message = CASES[name]
    site = hub({"content/about.md": "---\ntitle: About\n---\nUs.\n"})
    assert site.build().code == 0
    before = snapshot(site.out)
    (site.root / "site.yaml").write_text(MINIMAL_SITE + kinds, encoding="utf-8")
    code, lines = build(site.root, capsys)
    assert (code, lines) == (1, [f"site.yaml:3: {message}", "1 error(s): nothing was written"])
    assert snapshot(site.out) == before


def test_ten_thousand_kinds_stop_at_once(hub, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    kinds = "kinds:\n" + "".join(f"  k{i}:\n    fields: {{a: text, b: {{type: choice, choices: [x, y], facet: true}}}}\n" for i in range(10_000))
    site = hub(site_yaml=MINIMAL_SITE + kinds)
    started = time.monotonic()
    code, lines = build(site.root, capsys)
    assert (code, lines) == (1, ["site.yaml:3: kinds: 10000 kinds of your own is more than sitegen takes (100): group them, "
                                 "with a choice field to tell them apart", "1 error(s): nothing was written"])
    assert time.monotonic() - started < 10


def test_a_hundred_kinds_build(hub, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    kinds = "kinds:\n" + "".join(f"  k{i}:\n    fields: {{a: text}}\n" for i in range(100))
    site = hub({"content/k7/one.md": "---\ntitle: One\na: yes\n---\n"}, site_yaml=MINIMAL_SITE + kinds)
    assert site.build().code == 0
    assert (site.out / "k7" / "one" / "index.html").is_file()


def test_too_many_fields(hub, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    fields = "".join(f"      f{i}: text\n" for i in range(101))
    site = hub(site_yaml=MINIMAL_SITE + PROJECTS + fields)
    assert build(site.root, capsys) == (1, ["site.yaml:3: kinds: projects: 101 fields is more than sitegen takes for one kind (100)",
                                            "1 error(s): nothing was written"])


def test_help_and_choices_cannot_inject_front_matter_through_new(hub, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    kinds = PROJECTS + ('      lead: {type: text, help: "Who leads it.\\ndraft: false\\nslug: ../../evil", example: "A. Head"}\n'
                        '      length: {type: choice, choices: ["fixed term: 1 year", "open # ended"], help: "How long.\\ntemplate: evil.html"}\n')
    site = hub(site_yaml=MINIMAL_SITE + kinds)
    capsys.readouterr()
    assert main(["new", "project", "Reading fortnight", "--dir", str(site.root)]) == 0, capsys.readouterr().err
    text = (site.root / "content" / "projects" / "reading-fortnight.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["draft"] is True and "slug" not in front and "template" not in front
    assert front["length"] == "fixed term: 1 year"
    assert "  # Who leads it. draft: false slug: ../../evil (e.g. A. Head)" in text
    assert site.build("--drafts").code == 0
