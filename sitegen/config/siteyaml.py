"""site.yaml: a typed schema with defaults; every key checked and every error reported at once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import locale
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from ..core.colours import WHITE, accessible_shade, contrast, hex_of
from ..core.colours import parse as parse_colour
from ..core.errors import BuildFailed, ConfigError, Problems, SitegenError, did_you_mean
from ..core.yamltext import comment_message, hidden_by_comment, key_line, load_mapping
from ..schema.curricula import CURRICULA, ENGLAND, Curriculum, curriculum_named
from ..schema.fields import FieldError, truth
from ..schema.fields import email as read_email
from ..schema.kinds import BUILTIN, Schema
from ..schema.own_kinds import kinds_from_settings
from ..schema.vocab import Vocabulary, default_vocabularies
from ..schema.vocab_words import in_languages
from . import mdextensions as markdown_names
from .editor import AdminSettings
from .editor import settings as admin_settings
from .hero import Hero
from .hero import parse as parse_hero
from .languages import Language, read_languages

CONFIG_FILE = "site.yaml"


DEFAULT_MARKDOWN_EXTENSIONS = markdown_names.DEFAULT_MARKDOWN_EXTENSIONS


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str  # a site path ("/about/") or an absolute URL
    order: int = 0


@dataclass(frozen=True)
class Config:
    root: Path
    title: str
    description: str = ""
    base_url: str = "/"
    language: str = "en-GB"
    timezone: str = "Europe/London"
    output_dir: str = "_site"
    cache_dir: str = ".sitegen-cache"  # what earlier builds worked out, to skip it next time (safe to delete)
    menu: tuple[MenuItem, ...] = ()
    news_per_page: int = 10
    markdown_extensions: tuple[str, ...] = DEFAULT_MARKDOWN_EXTENSIONS
    vocabularies: dict[str, Vocabulary] = field(default_factory=default_vocabularies)
    schema: Schema = BUILTIN  # every kind of content and its fields, the hub's own included
    curriculum: Curriculum = ENGLAND  # where the hub is: its vocabularies, resource fields and school numbers
    contact: dict[str, str] = field(default_factory=lambda: {"email": "", "phone": "", "address": ""})
    colour: str = "#1d5c4d"  # the brand colour, always dark enough for white text on it
    logo: str = ""  # a site path such as /img/logo.svg
    ids: str = ""  # the tag: URI that starts every feed entry's and event's permanent id ("" = from base_url)
    content_security_policy: str | None = None  # the hub's own policy instead of sitegen's ("" = none)
    accessibility: dict[str, Any] = field(default_factory=lambda: dict(ACCESSIBILITY_DEFAULTS))
    default_image: str = ""  # a JPEG or PNG in static/ for link previews of pages with no picture of their own
    hero: Hero | None = None  # the home page's picture, sentence and call to action
    large_file_mb: float = 20  # files bigger than this get a warning
    search: bool = True  # full-text search (Pagefind): the search page, the header's search box, the index
    admin: AdminSettings = AdminSettings()  # the browser editor at /admin/
    languages: tuple[Language, ...] = ()  # the hub's other languages, each under /<code>/ (config/languages.py)
    warnings: tuple[SitegenError, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def base_path(self) -> str:
        """The path the site is served under, with slashes both ends: '/' or '/our-network/'."""
        path = urlsplit(self.base_url).path or "/"
        return "/" + path.strip("/") + "/" if path.strip("/") else "/"

    @property
    def origin(self) -> str:
        """'https://host' when base_url names a host, else ''."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""

    @property
    def id_base(self) -> str:
        """'tag:vale-partnership.example,2026': ids made from it survive a move to another address."""
        if self.ids:
            return self.ids
        host = urlsplit(self.base_url).hostname or re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-") + ".sitegen.invalid"
        return f"tag:{host},{DEFAULT_ID_YEAR}"

    @property
    def output_path(self) -> Path:
        return (self.root / self.output_dir).resolve()

    def in_language(self, code: str) -> Config:
        """The settings of the hub's pages in one of its other languages: its code as the pages' language,
        and its own title, description and menu where it sets them."""
        language = next(lang for lang in self.languages if lang.code == code)
        return dataclasses.replace(self, language=code, **language.settings)

    @property
    def cache_path(self) -> Path:
        return (self.root / self.cache_dir).resolve()


DEFAULT_ID_YEAR = 2026  # fixed, so that default ids never change from one build or year to the next


TAG_URI = re.compile(r"^tag:[A-Za-z0-9.@-]+\.[A-Za-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?(:[^\s]*)?$")


ACCESSIBILITY_STATUS = {"fully": "fully compliant", "partially": "partially compliant", "not": "not compliant"}


ACCESSIBILITY_DEFAULTS: dict[str, Any] = {"status": "", "prepared": None, "reviewed": None, "tested": "", "issues": []}


# What each key takes, for the help text in errors.
KEYS = {
    "title": "the hub's name",
    "description": "one sentence about the hub",
    "base_url": "where the site is served, e.g. https://user.github.io/our-network/",
    "language": "a language tag such as en-GB or cy",
    "timezone": "a time zone such as Europe/London",
    "output_dir": "the folder to build into",
    "cache_dir": "the folder where builds keep what they can reuse (default .sitegen-cache)",
    "menu": "a list of {title, url} entries",
    "news_per_page": "how many posts a news index page shows",
    "markdown_extensions": "admonition or smarty, to turn on !!! note boxes or curly quotes",
    "curriculum": "where the hub is: england (the default), wales, scotland or northern-ireland",
    "vocabularies": "extra or replacement subjects, key_stages, phases, resource_types (or the curriculum's own)",
    "kinds": "your own kinds of content, and fields added to the built-in ones",
    "contact": "the hub's email, phone and address, for the contact page",
    "colour": "the brand colour, as #rrggbb",
    "logo": "the logo shown beside the title, e.g. /img/logo.svg",
    "ids": "the start of permanent ids in feeds and calendars, e.g. tag:our-network.org.uk,2026",
    "content_security_policy": "your own Content-Security-Policy instead of sitegen's (\"\" for none)",
    "accessibility": "the facts of the accessibility statement: status, prepared, reviewed, tested, issues",
    "default_image": "the picture for link previews of pages without one, a JPEG or PNG such as /img/share.png",
    "hero": "the home page's picture, sentence and call to action: text, image, image_alt, action, action_url",
    "large_file_mb": "the size in MB above which a file gets a warning (default 20)",
    "search": "true (the default) or false: full-text search of the site",
    "admin": "the browser editor at /admin/: false to leave it out, or its settings (repo, branch, auth_url, ...)",
    "extra": "your own settings, for your templates",
    "languages": "the hub's other languages, each with its own title, description and menu, e.g. {cy: {title: ...}}",
}


def load_config(root: Path, overrides: dict[str, Any] | None = None) -> Config:
    """Read and check ROOT/site.yaml; raise BuildFailed listing every problem in it."""
    path = root / CONFIG_FILE
    problems = Problems()
    if not path.is_file():
        problems.error(CONFIG_FILE, None, f"no {CONFIG_FILE} in {root}: is this a sitegen hub? A hub's folder holds site.yaml and content/", ConfigError)
        problems.raise_if_any()
    try:
        text = path.read_text(encoding="utf-8")
        raw, lines = load_mapping(text, CONFIG_FILE, what=CONFIG_FILE)
    except UnicodeDecodeError:
        raise BuildFailed([ConfigError("is not UTF-8 text: save it as UTF-8", CONFIG_FILE)]) from None
    except OSError as exc:
        raise BuildFailed([ConfigError(f"cannot be read ({exc.strerror or exc}): check the file's permissions", CONFIG_FILE)]) from None
    except SitegenError as exc:  # the YAML loader's words, as a settings error
        raise BuildFailed([ConfigError(exc.message, exc.path, exc.line)]) from None
    raw.update(overrides or {})

    def err(key: str, message: str) -> None:
        problems.error(CONFIG_FILE, lines.get(key), f"{key}: {message}", ConfigError)

    text_lines = text.split("\n")
    for key in [k for k, v in raw.items() if v is None and k in lines]:
        hidden = hidden_by_comment(text_lines[lines[key] - 1])
        if hidden:
            err(key, comment_message(key, hidden).split(": ", 1)[1])
            raw.pop(key)
    for key in raw:
        if key not in KEYS:
            problems.error(CONFIG_FILE, lines.get(key), f"unknown setting '{key}'{did_you_mean(key, KEYS)}", ConfigError)

    _yes_and_no(raw)
    values: dict[str, Any] = {}
    for key in ("title", "description", "base_url", "language", "timezone", "output_dir", "cache_dir"):
        if key in raw:
            value = str(raw[key]) if isinstance(raw[key], (int, float)) and not isinstance(raw[key], bool) else raw[key]  # `title: 1984`
            if not isinstance(value, str) or (key != "description" and not value.strip()):
                err(key, f"must be text ({KEYS[key]})")
            else:
                values[key] = value.strip()
    if "title" not in raw:
        problems.error(CONFIG_FILE, 1, "title: missing; add a line such as 'title: Vale Learning Partnership'", ConfigError)

    base_url_problem = check_base_url(values["base_url"]) if values.get("base_url") is not None else None
    if base_url_problem:
        err("base_url", base_url_problem)
    if "timezone" in values:
        problem, stops = timezone_problem(values["timezone"])
        if problem and stops:
            err("timezone", problem)
        elif problem:
            problems.warn(CONFIG_FILE, lines.get("timezone"), f"timezone: {problem}")
    if "language" in values:
        values["language"], problem, stops = check_language(values["language"])
        if problem and stops:
            err("language", problem)
        elif problem:
            problems.warn(CONFIG_FILE, lines.get("language"), f"language: {problem}")
    if "output_dir" in values and overwrites_hub(root, root / values["output_dir"]):
        err("output_dir", f'"{values["output_dir"]}" would overwrite the hub itself; use a folder of its own such as _site')
    if "cache_dir" in values:
        cache = (root / values["cache_dir"]).resolve()
        output = (root / values.get("output_dir", "_site")).resolve()
        if overwrites_hub(root, cache) or cache == output or output in cache.parents or cache in output.parents:
            err("cache_dir", f'"{values["cache_dir"]}" must be a folder of its own, outside content/, static/, templates/, data/ and the output')

    if "news_per_page" in raw:
        n = raw["news_per_page"]
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            err("news_per_page", "must be a whole number of 1 or more")
        else:
            values["news_per_page"] = n

    values["menu"] = tuple(_menu(raw.get("menu"), lambda m: err("menu", m)))
    values["languages"] = _languages(raw.get("languages"), values.get("language", "en-GB"), lambda m: err("languages", m))

    extensions = raw.get("markdown_extensions", [])
    if not isinstance(extensions, list) or not all(isinstance(e, str) for e in extensions):
        err("markdown_extensions", "must be a list of extension names, e.g. [admonition]")
    else:
        for name in extensions:
            problem = markdown_names.extension_problem(name)
            if problem:
                err("markdown_extensions", f'"{name}" {problem}')
        values["markdown_extensions"] = markdown_names.chosen(extensions)

    curriculum = values["curriculum"] = _curriculum(raw.get("curriculum", "england"), lambda m: err("curriculum", m))
    values["vocabularies"] = _vocabularies(raw.get("vocabularies"), lambda m: err("vocabularies", m), curriculum)
    if values["languages"] or not values.get("language", "en").lower().startswith("en"):  # terms in the hub's languages too
        codes = tuple(lang.split("-")[0].lower() for lang in [values.get("language", "en"), *(lang.code for lang in values["languages"])])
        values["vocabularies"] = in_languages(values["vocabularies"], codes)
    values["schema"] = curriculum.apply(kinds_from_settings(raw.get("kinds"), values["vocabularies"], lambda m: err("kinds", m)))

    contact = {} if raw.get("contact") is None else raw["contact"]
    if not isinstance(contact, dict) or set(contact) - {"email", "phone", "address"} or not all(
            v is None or (isinstance(v, (str, int)) and not isinstance(v, bool)) for v in contact.values()):
        err("contact", "must be a mapping with any of email, phone and address, e.g. {email: office@network.example}")
    else:  # a phone number written without spaces is a number to YAML: kept as written, leading 0 and all
        values["contact"] = {"email": "", "phone": "", "address": "", **{k: str(v).strip() for k, v in contact.items() if v is not None}}
        if values["contact"]["email"]:
            try:
                values["contact"]["email"] = read_email(values["contact"]["email"])
            except FieldError as exc:
                problems.error(CONFIG_FILE, key_line(text, "contact", "email") or lines.get("contact"),
                               f"contact: email: {exc}; write it like office@network.example", ConfigError)

    if "colour" in raw:
        rgb = parse_colour(raw["colour"]) if isinstance(raw["colour"], str) else None
        if rgb is None:
            err("colour", f'"{raw["colour"]}" is not a colour: write it as #rrggbb, e.g. "#1d5c4d" (in quotes)')
        else:
            shade = accessible_shade(rgb)
            values["colour"] = hex_of(shade)
            if shade != rgb:
                problems.warn(CONFIG_FILE, lines.get("colour"), f"colour: white text on {hex_of(rgb)} is too faint to read "
                              f"(contrast {contrast(rgb, WHITE):.1f}:1, AA needs 4.5:1); using the darker {hex_of(shade)} instead")
    if "logo" in raw:
        if not isinstance(raw["logo"], str) or not raw["logo"].startswith("/"):
            err("logo", "must be the path of a file in static/, such as /img/logo.svg")
        else:
            values["logo"] = raw["logo"]

    if "ids" in raw:
        ids = raw["ids"]
        if not isinstance(ids, str) or not TAG_URI.match(ids.strip()):
            err("ids", f'"{ids}" is not a tag: address; write your domain and the year you first used it, e.g. tag:our-network.org.uk,2026')
        else:
            values["ids"] = ids.strip().rstrip(":")
    if "content_security_policy" in raw:
        policy = raw["content_security_policy"]
        if not isinstance(policy, str) or "\n" in policy.strip():
            err("content_security_policy", "must be one line of text, such as \"default-src 'self'\" (or \"\" to send none)")
        else:
            values["content_security_policy"] = policy.strip()
    if "accessibility" in raw:
        values["accessibility"] = _accessibility(raw["accessibility"], lambda m: err("accessibility", m))
    _pictures(raw, values, err)
    if "search" in raw:
        if not isinstance(raw["search"], bool):
            err("search", "must be true or false")
        else:
            values["search"] = raw["search"]
    values["admin"] = admin_settings(raw.get("admin"), lambda m: err("admin", m))

    extra = raw.get("extra", {})
    if not isinstance(extra, dict):
        err("extra", "must be a mapping of your own settings")
    else:
        values["extra"] = extra

    problems.raise_if_any()
    return Config(root=root, warnings=tuple(problems.warnings), **values)


def _pictures(raw: dict[str, Any], values: dict[str, Any], err: Any) -> None:
    """default_image, hero and large_file_mb (whether the files exist is checked with the rest of the hub)."""
    image = raw.get("default_image")
    if image is not None:
        if not isinstance(image, str) or not image.startswith("/") or not image.lower().endswith((".jpg", ".jpeg", ".png")):
            err("default_image", "must be the path of a JPEG or PNG file in static/, such as /img/share.png (social sites do not show SVG)")
        else:
            values["default_image"] = image
    if raw.get("hero") is not None:
        try:
            values["hero"] = parse_hero(raw["hero"])
        except ValueError as exc:
            err("hero", str(exc))
    if "large_file_mb" in raw:
        size = raw["large_file_mb"]
        if isinstance(size, bool) or not isinstance(size, (int, float)) or size <= 0:
            err("large_file_mb", "must be a number of megabytes, such as 20")
        else:
            values["large_file_mb"] = size


def overwrites_hub(root: Path, output: Path) -> bool:
    """Would building into `output` replace the hub, a folder holding it, or one of its own folders?"""
    out, hub = output.resolve(), root.resolve()
    return out == hub or out in hub.parents or any(out == hub / d or hub / d in out.parents for d in HUB_FOLDERS)


HUB_FOLDERS = ("content", "templates", "static", "data", "locale")  # locale/: the hub's own translations of the theme


def check_base_url(base_url: str) -> str | None:
    """Why `base_url` cannot be used, or None when it can."""
    wrong = f'"{base_url}" must be a full address such as https://user.github.io/our-network/ or a path such as /our-network/'
    if any(c.isspace() or not c.isprintable() for c in base_url):
        return wrong
    try:
        parts = urlsplit(base_url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number up to 65535
    except ValueError:  # e.g. an unclosed [ in an IPv6 address
        return wrong
    if parts.query or parts.fragment:
        return f'"{base_url}" must be the address of the site\'s folder, without a ? or # part'
    if base_url.startswith("/") or (parts.scheme in ("http", "https") and parts.hostname):
        return None
    first = base_url.split("/", 1)[0]
    if not parts.scheme and "." in first and ":" not in first:  # www.example.org: a host without https://
        return f'{wrong}: write https://{base_url.rstrip("/")}/'
    if not parts.scheme and "/" in base_url and "." not in base_url:  # our-network/: a path without its first /
        return f'{wrong}: write /{base_url.strip("/")}/'
    return wrong


def _yes_and_no(raw: dict[str, Any]) -> None:
    """The settings that are true or false take yes, no, on and off too. Since YAML 1.2 reads those words as text
    (so that `language: no` stays Norwegian), they are made true or false here, where only a yes or no makes sense."""
    def mend(mapping: Any, *keys: str) -> None:
        for key in keys if isinstance(mapping, dict) else ():
            if isinstance(mapping.get(key), str) and truth(mapping[key]) is not None:
                mapping[key] = truth(mapping[key])

    mend(raw, "search", "admin")
    mend(raw.get("admin"), "editorial_workflow")
    kinds = raw.get("kinds")
    for spec in kinds.values() if isinstance(kinds, dict) else ():
        fields = spec.get("fields") if isinstance(spec, dict) else None
        for field_spec in fields.values() if isinstance(fields, dict) else ():
            mend(field_spec, "required", "many", "facet")


LANGUAGE_TAG = re.compile(r"^(?P<language>[a-z]{2,3})(?:-(?P<script>[a-z]{4}))?(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
                          r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*$", re.I)  # BCP 47 without extensions: en-GB, cy, sr-Latn-RS


ISO_639_1 = set(  # every two-letter language code; three-letter ones (sco, yue) are taken on their shape
    "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu "
    "fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km "
    "kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om "
    "or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr "
    "ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu".split())


LANGUAGE_NAMES = {  # what people write instead of a tag; Python's locale aliases know many more (french -> fr)
    "english": "en-GB", "british english": "en-GB", "british": "en-GB", "welsh": "cy", "cymraeg": "cy", "irish": "ga",
    "gaeilge": "ga", "scottish gaelic": "gd", "gaelic": "gd", "gàidhlig": "gd", "cornish": "kw", "scots": "sco",
    "urdu": "ur", "punjabi": "pa", "bengali": "bn", "somali": "so", "chinese": "zh", "american english": "en-US",
    "eng": "en", "cym": "cy", "wel": "cy", "gle": "ga", "gla": "gd",  # three-letter codes that have a two-letter one
}


def check_language(tag: str) -> tuple[str, str | None, bool]:
    """(the tag to use, what is wrong with it or None, whether that stops the build): `language` is the pages'
    lang, which screen readers speak in and search stems words by, so a name ("Welsh") is refused with its tag."""
    written = tag.strip()
    match = LANGUAGE_TAG.match(written.replace("_", "-"))
    named = LANGUAGE_NAMES.get(written.lower()) or (None if match else _locale_language(written))
    if named:
        return written, f'"{written}" is not a language tag: write {named}', True
    if not match or (len(match["language"]) == 2 and match["language"].lower() not in ISO_639_1):
        return written, f'"{written}" is not a language tag: write one such as en-GB (English in the UK) or cy (Welsh)', True
    first, *rest = written.replace("_", "-").split("-")  # tags ignore case; this is how they are usually written
    canonical = "-".join([first.lower()] + [s.title() if len(s) == 4 and s.isalpha() else s.upper() if len(s) == 2 else s.lower() for s in rest])
    if (match["region"] or "").upper() == "UK":
        return canonical, f'"{written}": UK is not a region code (the United Kingdom\'s is GB); write {first.lower()}-GB', False
    if written.lower() == "uk":
        return canonical, '"uk" is the tag of Ukrainian; for English in the United Kingdom write en-GB', False
    if "_" in written:
        return canonical, f'"{written}" is taken as {canonical}: write it with a hyphen to silence this', False
    return canonical, None, False


def _locale_language(name: str) -> str | None:
    """The tag of a language's English name that Python's locale aliases know: "French" -> fr."""
    code = locale.locale_alias.get(name.lower().replace(" ", ""), "").split(".")[0].split("_")[0]
    return code if 2 <= len(code) <= 3 and code.isalpha() and code.islower() else None


TIMEZONE_NAMES = {"bst", "gmt+1", "utc+1", "gmt+01:00", "utc+01:00", "gmt/bst", "uk", "gb", "britain", "united kingdom", "england",
                  "wales", "scotland", "northern ireland", "cardiff", "edinburgh", "belfast", "london"}  # all mean Europe/London


def timezone_problem(name: str) -> tuple[str | None, bool]:
    """(what is wrong with the time zone `name` or None, whether that stops the build). Every event and post time is
    in this zone, so a zone with no summer time ("GMT") is a warning: in a UK summer each time would be an hour out."""
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Europe" is a folder of zones, not a zone
        wanted = name.strip().lower().replace(" ", "_")
        found = [z for z in sorted(available_timezones()) if wanted in (z.lower(), z.lower().rsplit("/", 1)[-1])]
        suggestion = "Europe/London" if name.strip().lower() in TIMEZONE_NAMES else found[0] if found else ""
        if suggestion:
            return f'"{name}" is not a time zone (write {suggestion})', True
        return f'"{name}" is not a time zone (write one such as Europe/London)', True
    fixed = zone.utcoffset(dt.datetime(2026, 1, 15)) == zone.utcoffset(dt.datetime(2026, 7, 15))
    if fixed and name != "Etc/UTC" and ("/" not in name or name.startswith("Etc/")):
        return (f'"{name}" has no summer time, so in the UK every time from late March to late October would be an hour out: '
                "write Europe/London (GMT in winter, BST in summer), or Etc/UTC to keep one time all year"), False
    return None, False


def _languages(raw: Any, main: str, err: Any) -> tuple[Language, ...]:
    """`languages:`, each language's title, description and menu checked like the main ones."""
    languages = read_languages(raw, main, check_language, err)
    for language in languages:
        settings = language.settings
        for key in ("title", "description"):
            if key in settings and not isinstance(settings[key], str):
                err(f"{language.code}: {key}: must be text ({KEYS[key]})")
        if "menu" in settings:
            settings["menu"] = tuple(_menu(settings["menu"], lambda m, code=language.code: err(f"{code}: menu: {m}")))
    return languages


def _menu(raw: Any, err: Any) -> list[MenuItem]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        err("must be a list of entries like '- {title: About, url: /about/}'")
        return []
    items = []
    for i, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str) or not isinstance(entry.get("url"), str):
            err(f"entry {i} needs a title and a url, like '- {{title: About, url: /about/}}'")
            continue
        unknown = set(entry) - {"title", "url"}
        if unknown:
            err(f"entry {i} has unknown key '{sorted(unknown)[0]}' (an entry takes title and url)")
        if not menu_url_ok(entry["url"]):
            err(f'entry {i}: url "{entry["url"]}" must be a site path such as /about/, a full address starting with https://, '
                "or a mailto: address (the menu is on every page: nothing else may run or be fetched from it)")
            continue
        items.append(MenuItem(entry["title"], entry["url"], order=i * 10))
    return items


def menu_url_ok(url: str) -> bool:
    """A menu entry may lead to the site, a web page or an email address: never `javascript:` or
    `data:`, which would run on every page. Browsers drop spaces around an address and tabs and
    line breaks inside it ("java<tab>script:"), so none may be there."""
    if not url or url != url.strip() or any(not c.isprintable() for c in url):
        return False
    if url.startswith("/"):
        return not url.startswith("//") and "\\" not in url  # "//host" and "/\\host" lead to another host
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return (parts.scheme.lower() in ("http", "https") and bool(parts.netloc) and url[len(parts.scheme):].startswith("://")) or (
        parts.scheme.lower() == "mailto" and len(url) > len("mailto:"))


def _accessibility(raw: Any, err: Any) -> dict[str, Any]:
    """The facts the standard accessibility statement needs: status, prepared, reviewed, tested, issues."""
    facts = dict(ACCESSIBILITY_DEFAULTS)
    if not isinstance(raw, dict):
        err("must be a mapping such as '{status: partially, prepared: 2026-09-01, reviewed: 2026-09-01}'")
        return facts
    for key, value in raw.items():
        if key not in ACCESSIBILITY_DEFAULTS:
            err(f"unknown key '{key}'{did_you_mean(str(key), ACCESSIBILITY_DEFAULTS)}; it takes {', '.join(ACCESSIBILITY_DEFAULTS)}")
        elif key == "status":
            if value not in ACCESSIBILITY_STATUS:
                err(f'status: "{value}" must be fully, partially or not (compliant with WCAG 2.2 AA)')
            else:
                facts[key] = value
        elif key in ("prepared", "reviewed"):
            try:
                facts[key] = dt.date.fromisoformat(str(value).strip())
            except ValueError:
                err(f'{key}: "{value}" is not a date (write it as 2026-09-01)')
        elif key == "tested":
            if not isinstance(value, str):
                err("tested: must be text, e.g. 'September 2026, by our staff with a screen reader'")
            else:
                facts[key] = value.strip()
        elif isinstance(value, str):
            facts[key] = [value.strip()] if value.strip() else []
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            facts[key] = [v.strip() for v in value if v.strip()]
        else:
            err("issues: must be a list of what is not accessible, one sentence each")
    return facts


def _curriculum(raw: Any, err: Any) -> Curriculum:
    found = curriculum_named(raw) if isinstance(raw, str) else None
    if found is None:
        err(f'"{raw}" is not a curriculum: write one of {", ".join(CURRICULA)}')
    return found or ENGLAND


def _vocabularies(raw: Any, err: Any, curriculum: Curriculum = ENGLAND) -> dict[str, Vocabulary]:
    vocabs = curriculum.vocabularies()
    defaults = curriculum.values
    if raw is None:
        return vocabs
    if not isinstance(raw, dict):
        err("must be a mapping such as 'subjects: {add: [Welsh]}'")
        return vocabs
    for name, spec in raw.items():
        if name not in defaults:
            err(f"unknown vocabulary '{name}'{did_you_mean(str(name), defaults)}; known: {', '.join(defaults)}")
            continue
        if isinstance(spec, list):
            spec = {"replace": spec}
        if not isinstance(spec, dict) or set(spec) - {"add", "replace", "synonyms", "labels"}:
            err(f"{name}: write 'add: [...]' to extend the list, 'replace: [...]' to use your own, "
                "'synonyms: {what people write: term}' or 'labels: {term: label}'")
            continue
        values = [] if "replace" in spec else list(defaults[name])
        for key in ("replace", "add"):
            new = spec.get(key, [])
            if not isinstance(new, list) or not all(isinstance(v, str) and v.strip() for v in new):
                err(f"{name}: {key} must be a list of names")
                continue
            values += [v.strip() for v in new if v.strip().lower() not in {x.lower() for x in values}]
        if not values:
            err(f"{name}: the list is empty")
            continue
        extra: dict[str, dict[str, str]] = {}
        for key in ("synonyms", "labels"):
            given = spec.get(key, {})
            if not isinstance(given, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in given.items()):
                err(f"{name}: {key} must be a mapping of text to text")
                given = {}
            for term in (given.values() if key == "synonyms" else given.keys()):
                if term not in values:
                    err(f'{name}: {key}: "{term}" is not one of the {name.replace("_", " ")}{did_you_mean(term, values)}')
            extra[key] = {k: v for k, v in given.items() if v in values or k in values}
        synonyms = {**curriculum.synonyms.get(name, {}), **extra["synonyms"]}
        vocabs[name] = Vocabulary(name, tuple(values), synonyms, {**curriculum.labels.get(name, {}), **extra["labels"]})
    return vocabs
