"""The Jinja environment: the site's templates/ over the built-in theme, strict and autoescaped."""

from __future__ import annotations

import gettext as gettext_module
import hashlib
import os
import posixpath
import re
import traceback
from pathlib import Path
from typing import Any

import jinja2

from ..config.hero import Hero
from ..config.hero import parse as parse_hero
from ..config.siteyaml import Config
from ..content.page import Page
from ..core.downloads import human_size
from ..core.errors import TemplateError
from ..core.files import THEME
from ..core.formats import format_date, format_datetime, format_time, iso, month_abbreviation
from ..core.urls import Urls, is_external, slugify, tag_slug
from ..media.pictures import Pictures, Variant
from ..model.facets import browse_links
from ..model.site import Site
from ..outputs.output import Words
from ..schema.kinds import display_label, values_of
from .i18n import translations
from .search_marks import body_attribute, page_data
from .structured import json_ld


class Environment(jinja2.Environment):
    """Notes each template a render loads (extends, includes and imports too) in `recorder`,
    so that an output is rendered again when any of its templates changes."""

    recorder: Any = None  # a record.Recorder while an output renders

    def _load_template(self, name: Any, globals: Any) -> jinja2.Template:  # noqa: A002 - every way of loading one comes here
        if self.recorder is not None and isinstance(name, str):
            self.recorder.keys.add(("t", name))
        return super()._load_template(name, globals)


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in a folder of the build cache, each file with a checksum: like the rest
    of the cache, a damaged file is ignored (and the template compiled again), never trusted."""

    def __init__(self, folder: Path):
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = (self.folder / bucket.key).read_bytes()
        except OSError:
            return
        if hashlib.blake2b(data[16:], digest_size=16).digest() == data[:16]:
            bucket.bytecode_from_string(data[16:])  # Jinja checks its own version and the template's source too

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = bucket.bytecode_to_string()
        path, temporary = self.folder / bucket.key, self.folder / f".{bucket.key}.{os.getpid()}.tmp"
        try:
            temporary.write_bytes(hashlib.blake2b(data, digest_size=16).digest() + data)
            os.replace(temporary, path)
        except OSError:  # only an aid: the next build compiles it again
            temporary.unlink(missing_ok=True)



PAGE_OBJECT = re.compile(r"'sitegen(\.\w+)*\.(Page|PageView) object'")  # Jinja's name for an item, in its messages

def make_environment(root: Path, urls: Urls, config: Config, pictures: Pictures | None = None,
                     compiled: Path | None = None) -> Environment:
    """`pictures`: the sizes of the hub's images (images.scan), for templates and link previews.
    `compiled`: a folder that keeps the templates compiled (each known by its source), for the next build."""
    env = Environment(
        bytecode_cache=CompiledTemplates(compiled) if compiled is not None else None,
        loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader(str(root / "templates")),
            jinja2.FileSystemLoader(str(THEME / "templates")),
        ]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the build driver makes a new environment when a template changes
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # a {% trans %} block's line breaks and indents are not part of its words
    _install_language(env, root, config)
    images = pictures or Pictures(base_path=urls.base_path)

    def preview(page: Page | None, config: Config) -> Variant | None:
        return preview_image(images, page, config)

    @jinja2.pass_context
    def structured(context: Any, page: Page | None, site: Site) -> dict[str, Any] | None:
        image = preview_image(images, page, site.config) if page is not None and page.kind in ("news", "events") else None
        return json_ld(page, site, urls.absolute(image.url) if image else None, context.get("current_url"))

    @jinja2.pass_context
    def path(context: Any, site_path: str) -> str:
        """A site path as this page's language links it: '/news/' is '/cy/news/' on a Welsh page (Site.path)."""
        if page_language(context, config) == config.language:
            return site_path
        return str(context["site"].path(site_path))

    @jinja2.pass_context
    def url(context: Any, site_path: str) -> str:
        return urls.href(path(context, site_path))

    @jinja2.pass_context
    def absolute_url(context: Any, site_path: str) -> str:
        return urls.absolute(path(context, site_path))

    env.globals.update(href=urls.href, absolute_href=urls.absolute)  # an address as it is: another language's page
    env.globals.update(url=url, path=path, absolute_url=absolute_url, json_ld=structured, security=lambda site: site.security(),
                       kind_of=lambda item: config.schema.kind(item.kind), images=images, preview_image=preview,
                       home_hero=lambda page: home_hero(page, config), image_path=image_path,
                       search_body=body_attribute, search_data=page_data, search_browse=browse_links)
    env.globals["labels"] = _labels(config, env.globals["translated"])
    env.globals["curriculum"] = config.curriculum  # its stage fields and where a school's public record is
    env.filters.update(isodate=iso, filesize=human_size, slug=slugify, tag_slug=tag_slug)
    return env


def page_language(context: Any, config: Config) -> str:
    """The language an output is rendered in: its own `language` when it has one, else the site's."""
    return context.get("language") or config.language


def _install_language(env: Environment, root: Path, config: Config) -> None:
    """gettext and the date filters, each following the language of the output being rendered
    (a parameter of rendering, not of the environment, so that pages in two languages share one)."""
    loaded: dict[str, Any] = {}

    def catalog(context: Any) -> Any:
        language = page_language(context, config)
        if language not in loaded:
            try:
                loaded[language] = translations(language, root)
            except TemplateError:  # a broken catalog: reported once, then the build's other pages go on in English
                loaded[language] = gettext_module.NullTranslations()
                raise
        return loaded[language]

    @jinja2.pass_context
    def gettext(context: Any, message: str) -> str:
        return str(catalog(context).gettext(message))

    @jinja2.pass_context
    def ngettext(context: Any, singular: str, plural: str, n: int) -> str:
        return str(catalog(context).ngettext(singular, plural, n))

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]  # added by jinja2.ext.i18n

    @jinja2.pass_context
    def translated(context: Any, text: Any) -> Any:
        """A title or label from the schema, a vocabulary or an output ('Past events', 'Mathematics',
        'News from 2026'): the catalog's words when it has them, else the text as it is (a hub's own name)."""
        if isinstance(text, Words):
            values = {name: translated(context, value) if isinstance(value, Words) else value for name, value in text.values.items()}
            words = str(catalog(context).gettext(text.msgid))
            return words % values if values else words
        return catalog(context).gettext(text) if isinstance(text, str) and text else text

    env.globals["translated"] = translated

    @jinja2.pass_context
    def date(context: Any, value: Any, style: str = "long") -> str:
        return format_date(value, style, page_language(context, config))

    @jinja2.pass_context
    def time(context: Any, value: Any) -> str:
        return format_time(value, page_language(context, config))

    @jinja2.pass_context
    def datetime(context: Any, value: Any) -> str:
        return format_datetime(value, page_language(context, config))

    @jinja2.pass_context
    def month(context: Any, value: Any) -> str:
        return month_abbreviation(value, page_language(context, config))

    env.filters.update(date=date, time=time, datetime=datetime, month=month)
    env.globals["language"] = config.language  # templates read `language`; an output may set its own


TRANSLATED_TYPES = ("vocabulary", "choice")  # a label the schema or a vocabulary gives; other values are the writer's own words


def _labels(config: Config, translated: Any) -> Any:
    @jinja2.pass_context
    def labels(context: Any, item: Any, *field_names: str) -> list[str]:
        """`labels(item, 'subjects')`: the display labels of an item's values ('Mathematics', 'Lesson plan'),
        field after field, a vocabulary's or a choice's in the page's language."""
        kind = config.schema.kind(item.kind)
        return [translated(context, label) if field.type in TRANSLATED_TYPES else label
                for field in filter(None, map(kind.field, field_names))
                for label in (display_label(field, v, config.vocabularies) for v in values_of(field, item.fields.get(field.name)))]

    return labels


def preview_image(pictures: Pictures, page: Page | None, config: Config) -> Variant | None:
    """The JPEG or PNG for a page's link previews (og:image): its own picture (a news or event image,
    a network's logo, the home page's hero) when that is a raster, else the hub's default_image, else its logo."""
    own: list[str | None] = []
    if page is not None:
        own = [image_path(page, page.fields.get("image")), image_path(page, page.fields.get("logo"))]
    if page is None or page.kind == "home":
        band = home_hero(page, config)
        own.append(band.image if band else None)
    return pictures.social(*own, config.default_image, config.logo)


def image_path(page: Page, name: str | None) -> str | None:
    """The site path of a picture a field names: from static/ ('/img/visit.jpg') or beside the file ('visit.jpg')."""
    if not name or name.startswith("/") or is_external(name):
        return name
    return "/" + posixpath.normpath(posixpath.join(posixpath.dirname(page.source.split("/", 1)[1]), name))


def home_hero(page: Page | None, config: Config) -> Hero | None:
    """The home page's hero: from content/index.md's front matter, else from site.yaml (see config/hero.py)."""
    raw = page.fields.get("hero") if page is not None and page.kind == "home" else None
    if raw is not None:
        try:
            return parse_hero(raw, folder="/")
        except ValueError:
            return None  # reported by the build (pipeline.scan_pictures)
    return config.hero


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any], root: Path) -> str:
    """Render one template; any failure becomes a TemplateError naming the template file and line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax error: {exc.message}", _display(exc.filename, root, name), exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        path, line = _where(exc, root)
        raise TemplateError(f"template '{exc.name}' not found in templates/ or the built-in theme", path or None, line) from None
    except OSError as exc:  # a template (or one it includes) the system will not let sitegen read
        where = _display(exc.filename, root, name) if isinstance(exc.filename, str) else f"templates/{name}"
        raise TemplateError(f"cannot be read ({exc.strerror or exc}): check the file's permissions", where) from None
    except TemplateError:  # a hub's catalog (render/i18n.py), reported where it is
        raise
    except jinja2.UndefinedError as exc:
        path, line = _where(exc, root)
        message = PAGE_OBJECT.sub("page", exc.message or "undefined")
        raise TemplateError(f"{message} (a template may only use what exists; test it first with 'is defined')", path, line) from None
    except Exception as exc:  # a filter given the wrong thing, a division by zero, ...
        path, line = _where(exc, root)
        raise TemplateError(f"{type(exc).__name__}: {exc}", path, line) from None


def _where(exc: BaseException, root: Path) -> tuple[str | None, int | None]:
    """The innermost template frame of a traceback (Jinja rewrites frames to template lines)."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt", ".ics", ".j2", ".jinja")):
            found = (_display(frame.filename, root, frame.filename), frame.lineno)
    return found


def _display(filename: str | None, root: Path, fallback: str) -> str:
    if not filename:
        return fallback
    path = Path(filename)
    for base, label in ((root, ""), (THEME, "sitegen/theme/")):
        try:
            return label + path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return filename
