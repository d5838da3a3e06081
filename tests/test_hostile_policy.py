"""Issue 24, class 5 (security policy): every file gets a policy, not only the page folders; the editor
cannot be framed; pictures that any field of type image loads from other sites are in the policy."""

from __future__ import annotations

from pathlib import Path

from test_errors import GOOD_NEWS, NEWS

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="5" height="5"/></svg>'


def headers(out: Path) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    for line in (out / "_headers").read_text().splitlines():
        if line.startswith("/"):
            rule = rules.setdefault(line, {})
        else:
            name, value = line.strip().split(": ", 1)
            rule[name] = value
    return rules


def matching(rules: dict[str, dict[str, str]], url: str) -> list[str]:
    """The rules Netlify and Cloudflare Pages apply to a file: every one whose path matches."""
    return [r for r in rules if r == url or (r.endswith("*") and url.startswith(r[:-1]))]


def test_every_file_gets_a_policy_that_runs_no_inline_script(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({NEWS: GOOD_NEWS, "static/img/badge.svg": SVG, "static/files/plan.pdf": "%PDF"})
    run = site.build()
    assert run.code == 0, run.err
    rules = headers(site.out)
    for url in ("/hub/img/badge.svg", "/hub/files/plan.pdf", "/hub/assets/sitegen.css"):
        policies = [rules[r]["Content-Security-Policy"] for r in matching(rules, url) if "Content-Security-Policy" in rules[r]]
        assert policies == ["script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'"], (url, policies)
        assert [rules[r]["X-Content-Type-Options"] for r in matching(rules, url) if "X-Content-Type-Options" in rules[r]] == ["nosniff"]
    page = [rules[r]["Content-Security-Policy"] for r in matching(rules, "/hub/news/visit/")]
    assert len(page) == 2 and "'unsafe-inline'" not in " ".join(page)
    every_file = set(page[0].split()[1:])
    assert {s for d in page[1].split(";") if d.split()[0] == "script-src" for s in d.split()[1:]} <= every_file, \
        "the policy for every file allows the page's own scripts: together they are the page's policy"


def test_the_editor_cannot_be_framed(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({NEWS: GOOD_NEWS})
    assert site.build().code == 0
    editor = headers(site.out)["/hub/admin/*"]
    assert editor["Content-Security-Policy"].endswith("; frame-ancestors 'none'")
    assert editor["X-Frame-Options"] == "DENY"


def test_a_hub_without_a_policy_gets_none_for_its_files_either(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({NEWS: GOOD_NEWS}, site_yaml="title: Test Hub\nbase_url: https://example.org/hub/\ncontent_security_policy: ''\n")
    assert site.build().code == 0
    assert "Content-Security-Policy" not in headers(site.out)["/hub/*"]


def test_pictures_of_any_image_field_are_in_the_policy(hub) -> None:  # type: ignore[no-untyped-def]
    site = hub({
        "content/projects/garden.md": "---\ntitle: Garden\nbanner: https://photos.example.org/garden.jpg\n---\nWe dug.\n",
        "content/events/fair.md": "---\ntitle: Fair\nstart: 2026-12-01\nposter: https://posters.example.net/fair.png\n---\nCome.\n",
    }, site_yaml=("title: Test Hub\nbase_url: https://example.org/hub/\n"
                  "kinds:\n  projects: {title: Projects, fields: {banner: image}}\n  events: {fields: {poster: image}}\n"))
    run = site.build()
    assert run.code == 0, run.err
    policy = headers(site.out)["/hub/news/*"]["Content-Security-Policy"]
    img_src = next(d for d in policy.split("; ") if d.startswith("img-src")).split()
    assert "https://photos.example.org" in img_src and "https://posters.example.net" in img_src, img_src
