"""What `sitegen check` looks at beyond a build: what pages load from elsewhere, scripts and
frames in the text, and whether the accessibility statement has been reviewed lately."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html.parser import HTMLParser

from ..content.markdown_changes import meaning_changes
from ..content.page import Page
from ..content.read import body_of
from ..core.errors import Problems
from ..core.loads import URL_ATTRIBUTES, browser_form, external_resources, runs_code
from ..core.urls import output_file
from ..media import pictures as images
from ..media.enhance import shown_too_small
from ..model.site import Site
from ..render.i18n import catalog_path, missing, theme_messages
from .languages import language_level

# Attributes holding an address a click or the page itself follows (where `javascript:` would run).


def check_site(site: Site, rendered: Sequence[tuple[str, bytes]], pictures: images.Pictures | None = None) -> Problems:
    problems = Problems()
    pictures = pictures or images.Pictures()
    sources = {output_file(p.url): p for p in site.by_url.values()}
    oversized: dict[str, tuple[int, str]] = {}  # picture -> (the narrowest it is shown, on which page)
    for rel, data in rendered:
        if not rel.endswith(".html"):
            continue
        html = data.decode("utf-8", "replace")
        for address in sorted(set(external_resources(html))):
            page = sources.get(rel)
            where = page.source if page else None
            problems.warn(where, None, f"{'/' + rel} loads {address} from another site (a request that visitors' browsers make to a third party)")
        for url, shown in shown_too_small(html, pictures):
            if url not in oversized or shown < oversized[url][0]:
                oversized[url] = (shown, "/" + rel)
    for url, (shown, where) in sorted(oversized.items()):
        picture = pictures.rasters[url]
        problems.warn(picture.source, None, f"is {picture.width} px wide but shown {shown} px wide (on {where}): "
                      f"visitors download far more than they see; make a copy about {shown * 2} px wide and use that")
    for picture in pictures.rasters.values():
        if picture.size > images.LARGE_BYTES or picture.width * picture.height > images.LARGE_PIXELS:
            problems.warn(picture.source, None, f"is a very large original ({picture.width} x {picture.height} px, {images.human_size(picture.size)}): "
                          "sitegen publishes smaller copies, but the full-size file is published too and slows every build; "
                          "2000 px wide is plenty for a website")
    for page in site.by_url.values():
        _raw_html(page, problems)
    _markdown_meaning_changes(site, problems)
    _accessibility_statement(site, problems)
    _privacy_notice(site, problems)
    _event_changes(site, problems)
    for each in [site, *site.languages.values()]:
        _theme_catalog(each, problems)
    language_level(site, problems)
    return problems


class _Active(HTMLParser):
    """What in a page's text runs code or sends the visitor elsewhere by itself."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, None] = {}  # the messages, in the order met, once each

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for attr, value in attrs:
            if attr.startswith("on"):
                self.found[f"the text contains an {attr}= attribute (on a <{tag}>): it runs code in visitors' browsers; "
                           "make sure it is meant to be there"] = None
            elif attr in URL_ATTRIBUTES and value and runs_code(value):
                self.found[f"the text contains a {browser_form(value).split(':', 1)[0].lower()}: address ({attr}=\"{value[:40]}\" "
                           f"on a <{tag}>): it runs code in visitors' browsers; make sure it is meant to be there"] = None
        if tag == "base":
            self.found["the text contains a <base>: it changes where every link on the page leads; remove it"] = None
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.found["the text contains a <meta http-equiv=\"refresh\">: it sends visitors to another address by itself; "
                       "write a link instead (or 'aliases:' on the page that moved)"] = None


def _raw_html(page: Page, problems: Problems) -> None:
    for tag in ("script", "iframe", "object", "embed"):
        if f"<{tag}" in page.body_html.lower():
            problems.warn(page.source, None, f"the text contains a <{tag}>: it runs or shows something from elsewhere; make sure it is meant to be there")
    active = _Active()
    active.feed(page.body_html)
    for message in active.found:
        problems.warn(page.source, None, message)


def _accessibility_statement(site: Site, problems: Problems) -> None:
    page = site.by_url.get("/accessibility/")
    if page is None:  # the theme's statement, filled in from site.yaml's `accessibility:`
        facts = site.config.accessibility
        missing = [key for key in ("status", "prepared", "reviewed") if not facts.get(key)]
        if missing:
            problems.warn("site.yaml", None, f"accessibility: the standard accessibility statement lacks your hub's {', '.join(missing)}; add them "
                          "(e.g. 'accessibility: {status: partially, prepared: 2026-09-01, reviewed: 2026-09-01}') or write content/accessibility.md")
        reviewed = facts.get("reviewed")
        if reviewed and site.now.date() - reviewed > dt.timedelta(days=365):
            problems.warn("site.yaml", None,
                          f"accessibility: reviewed {reviewed.isoformat()} is over a year ago; check the statement again and update the date")
        return
    reviewed = page.fields.get("reviewed")
    if reviewed is None:
        problems.warn(page.source, 1, "reviewed: missing; add the date you last checked this statement, e.g. 'reviewed: 2026-09-01'")
    elif site.now.date() - page.sort_date("reviewed") > dt.timedelta(days=365):
        problems.warn(page.source, page.line_of("reviewed"),
                      f"reviewed: {reviewed.isoformat()} is over a year ago; check the statement again and update the date")


def _markdown_meaning_changes(site: Site, problems: Problems) -> None:
    """What reads differently since Markdown is CommonMark (Python-Markdown before): to look over once."""
    for source in sorted({page.source for page in site.by_url.values() if page.source.endswith(".md")}):
        try:
            body = body_of((site.config.root / source).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue  # the build has said what is wrong with it
        for line, message in meaning_changes(*body) if body else ():
            problems.warn(source, line, f"{message} (sitegen reads Markdown as CommonMark now; docs/writing.md, 'Markdown')")


def _privacy_notice(site: Site, problems: Problems) -> None:
    if "/privacy/" not in site.by_url:
        problems.warn("content/privacy.md", None, "does not exist: the site shows sitegen's standard privacy notice; "
                      "read it at /privacy/ and write your own if it is not true for your hub")


def _event_changes(site: Site, problems: Problems) -> None:
    for event in site.events:
        if (event.fields.get("status") or "scheduled") != "scheduled" and not event.fields.get("updated"):
            problems.warn(event.source, event.line_of("status"), f"status: {event.fields['status']}, but no 'updated:' date; add the date of the "
                          "change (e.g. 'updated: 2026-11-20') so that calendar apps which imported the event replace it")


def _theme_catalog(site: Site, problems: Problems) -> None:
    """The theme's words that no catalog translates into the site's language: they show in English."""
    config = site.config
    untranslated = missing(config.language, config.root, list(theme_messages()))
    if untranslated:
        shown = ", ".join(repr(m) for m in untranslated[:10]) + (f" and {len(untranslated) - 10} more" if len(untranslated) > 10 else "")
        own = catalog_path(config.root, config.language.split("-")[0]).relative_to(config.root).as_posix()
        problems.warn("site.yaml", None, f"language: {config.language}: {len(untranslated)} of the theme's strings have no translation, "
                      f"so pages show them in English: {shown}; translate them in {own} (README, 'The theme in your language')")
