"""Rendering one output into bytes, recording what it read (for the dependency graph), and checking that its template exists."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import jinja2

from ..core.errors import Problems, TemplateError
from ..media.enhance import enhance
from ..media.pictures import Pictures
from ..model.site import Site
from ..outputs.output import Output
from .environment import Environment, render_template
from .record import Recorder, SiteView, wrap


def render_output(output: Output, site: Site, env: jinja2.Environment) -> bytes:
    """Pure: the same output, site and templates give the same bytes."""
    if output.render is not None:
        return output.render(output, site)
    assert output.template is not None
    context: dict[str, Any] = {"site": site, "config": site.config, "data": site.data, "page": None, "title": None, "current_url": output.url}
    context.update(output.context)
    html = render_template(env, output.template, context, site.config.root)
    pictures = env.globals.get("images")
    if isinstance(pictures, Pictures):  # sizes, srcset and loading hints on every <img>; format and size on file links
        html = enhance(html, pictures)
    return html.encode("utf-8")


def check_templates(outputs: list[Output], env: jinja2.Environment, problems: Problems) -> set[str]:
    """Templates named by outputs that do not exist, each reported where it was asked for."""
    missing: set[str] = set()
    for output in outputs:
        if output.template is None or output.template in missing:
            continue
        try:
            env.get_template(output.template)
        except UnicodeDecodeError:
            missing.add(output.template)
            problems.error(f"templates/{output.template}", None, "is not UTF-8 text: save it again as UTF-8", TemplateError)
        except jinja2.TemplateNotFound:
            missing.add(output.template)
            page = output.context.get("page")
            line = page.line_of("template") if page is not None and page.fields.get("template") else None
            where = output.source if line else None
            problems.error(where, line, f"template '{output.template}' does not exist in templates/ or the built-in theme", TemplateError)
        except OSError as exc:  # after TemplateNotFound, which is one too
            missing.add(output.template)
            problems.error(f"templates/{output.template}", None, f"cannot be read ({exc.strerror or exc}): check the file's permissions", TemplateError)
        except jinja2.TemplateError:
            continue  # a syntax error: reported when it is rendered
    return missing


def render_recorded(output: Output, site: Site, env: Environment) -> tuple[bytes, Recorder, float]:
    """Render one output, recording what it reads. Pure: the same inputs give the same bytes."""
    rec = Recorder()
    if output.template is not None:
        rec.keys.add(("g",))  # the pictures' sizes, which every page's <img> and file links are given
    started = time.perf_counter()
    site = site.languages.get(output.context.get("language", ""), site)  # an output in another language renders with its site
    env.recorder = rec
    try:
        body = render_output(dataclasses.replace(output, context=wrap(output.context, rec)), SiteView(site, rec), env)  # type: ignore[arg-type]
    finally:
        env.recorder = None
    rec.memo.clear()
    return body, rec, time.perf_counter() - started
