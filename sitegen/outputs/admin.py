"""/admin/: the browser editor's page, its generated config.yml, and the pinned Decap CMS beside them.

The page is for editors only: `noindex`, out of the sitemap and the search index, with a
Content-Security-Policy of its own (Decap needs more than the public pages allow), and no
public page links to it. It is left out when `admin: false`, or when the pinned copy of
Decap CMS is not to be had (the build then says so once).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from ..config.editor import repository
from ..config.languages import main_code
from ..config.siteyaml import Config
from ..core.errors import Problems
from ..editor import decap
from ..editor.decap_config import alt_pairs, config_yaml, decap_config
from ..model.site import Site
from .output import Output

SCRIPT_URL = "/admin/" + decap.SCRIPT


OWN_SCRIPT = Path(__file__).resolve().parent.parent / "editor" / "sitegen-admin.js"


GITHUB = ("https://api.github.com", "https://avatars.githubusercontent.com")


def editor_files(config: Config, fetch: bool, problems: Problems | None) -> dict[str, Path]:
    """Site path -> file for the editor's scripts; {} when the editor is off or Decap CMS cannot be had.

    With `fetch`, a missing copy is downloaded (once, into the cache); when that fails, one warning."""
    if not config.admin.enabled:
        return {}
    files, why = decap.ensure() if fetch else (decap.cached_files(), "")
    if not files:
        if why and problems is not None:
            problems.warn("site.yaml", None, f"admin: the editor at /admin/ is left out of this build: {why}. "
                          f"It comes back once 'python -m sitegen.editor.decap' has downloaded Decap CMS {decap.VERSION}; 'admin: false' silences this")
        return {}
    return {"/admin/" + name: path for name, path in files.items()} | {"/admin/sitegen-admin.js": OWN_SCRIPT}


def plan(site: Site, static: dict[str, Path]) -> list[Output]:
    if SCRIPT_URL not in static or not site.config.admin.enabled:
        return []
    return [
        Output("/admin/index.html", render=render_page, in_sitemap=False),
        Output("/admin/config.yml", render=render_config, in_sitemap=False),
    ]


def render_config(output: Output, site: Site) -> bytes:
    config = site.config
    locales = (main_code(config.language), *(lang.code for lang in config.languages))
    return config_yaml(decap_config(config.schema, config.vocabularies, config.admin, config.base_url, locales)).encode("utf-8")


def csp(config: Config) -> str:
    """What the editor may load: itself, and the services its backend talks to. Decap styles itself
    with inline styles, and shows pictures being uploaded as blob: and data: addresses."""
    connect = ["'self'"]
    images = ["'self'", "data:", "blob:"]
    if config.admin.backend == "github":
        connect.append(GITHUB[0])
        images.append(GITHUB[1])
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",  # Decap checks its config with ajv, which compiles the checks to functions
        "style-src 'self' 'unsafe-inline'",
        f"img-src {' '.join(images)}",
        "media-src 'self' blob:",
        f"connect-src {' '.join(connect)}",
        "frame-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def render_page(output: Output, site: Site) -> bytes:
    config = site.config
    settings = {
        "stylesheet": site.urls.href("/assets/sitegen.css"),  # the theme's, for the preview pane
        "alt": alt_pairs(config.schema),
    }
    unconnected = ""
    if config.admin.backend == "github" and not repository(config.admin, config.base_url):
        unconnected = ('<p class="sitegen-admin-note">This editor is not connected to the hub\'s repository yet: whoever looks after the site '
                       'names it in site.yaml (<code>admin: {repo: owner/name}</code>), as docs/editor.md explains.</p>\n')
    data = json.dumps(settings, sort_keys=True).replace("</", "<\\/")  # safe inside <script>
    page = f"""<!doctype html>
<html lang="{html.escape(config.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp(config)}">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="same-origin">
<title>Edit {html.escape(config.title)}</title>
<link rel="cms-config-url" type="text/yaml" href="config.yml">
</head>
<body data-pagefind-ignore="all">
{unconnected}<script type="application/json" id="sitegen-admin">{data}</script>
<script src="{decap.SCRIPT}"></script>
<script src="sitegen-admin.js"></script>
</body>
</html>
"""
    return page.encode("utf-8")
