"""The `admin:` settings of site.yaml: whether the browser editor is on, and where it saves (the repository and backend)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..core.errors import did_you_mean

MEDIA_FOLDER = "static/img/uploads"  # where uploaded pictures go in the hub


PUBLIC_FOLDER = "/img/uploads"  # how front matter names them (from the site root; sitegen adds the base path)


BACKENDS = ("github", "git-gateway")


KEYS = {
    "backend": "github (the default) or git-gateway (Netlify Identity)",
    "repo": "the hub's GitHub repository, owner/name",
    "branch": "the branch the site is built from (default main)",
    "auth_url": "the address of the OAuth proxy that signs editors in to GitHub (default: Netlify's)",
    "auth_endpoint": "the proxy's sign-in path, when it is not 'auth'",
    "editorial_workflow": "true: changes arrive as pull requests for a lead to approve",
}


@dataclass(frozen=True)
class AdminSettings:
    enabled: bool = True
    backend: str = "github"
    repo: str = ""  # owner/name; empty: worked out from a github.io base_url, if it is one
    branch: str = "main"
    auth_url: str = ""
    auth_endpoint: str = ""
    editorial_workflow: bool = False


def settings(raw: Any, err: Callable[[str], None]) -> AdminSettings:
    """`admin:` in site.yaml: false, or a mapping of KEYS. Every problem goes to `err`."""
    if raw is None or raw is True:
        return AdminSettings()
    if raw is False:
        return AdminSettings(enabled=False)
    if not isinstance(raw, dict):
        err("write 'admin: false' to leave the editor out, or settings such as 'admin: {repo: our-network/hub}'")
        return AdminSettings()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        key = str(key)
        if key not in KEYS:
            err(f"unknown key '{key}'{did_you_mean(key, KEYS)}; admin takes {', '.join(KEYS)}")
        elif key == "editorial_workflow":
            if not isinstance(value, bool):
                err("editorial_workflow: must be true or false")
            else:
                values[key] = value
        elif not isinstance(value, str) or not value.strip():
            err(f"{key}: must be text ({KEYS[key]})")
        else:
            values[key] = value.strip()
    if values.get("backend", "github") not in BACKENDS:
        err(f"backend: \"{values.pop('backend')}\" is not one sitegen sets up; use {' or '.join(BACKENDS)}")
    if "repo" in values and not re.fullmatch(r"[\w.-]+/[\w.-]+", values["repo"]):
        err(f"repo: \"{values.pop('repo')}\" is not a GitHub repository: write owner/name, e.g. our-network/hub")
    if "auth_url" in values and not (urlsplit(values["auth_url"]).scheme == "https" and urlsplit(values["auth_url"]).netloc):
        err(f"auth_url: \"{values.pop('auth_url')}\" must be a full https:// address, e.g. https://hub-auth.example.workers.dev")
    return AdminSettings(**values)


def repository(admin: AdminSettings, base_url: str) -> str:
    """The GitHub repository: as set, or read from a GitHub Pages address
    (https://owner.github.io/name/ is owner/name; https://owner.github.io/ is owner/owner.github.io)."""
    if admin.repo:
        return admin.repo
    parts = urlsplit(base_url)
    host = parts.netloc.lower()
    if host.endswith(".github.io"):
        owner = host[: -len(".github.io")]
        name = parts.path.strip("/").split("/")[0]
        return f"{owner}/{name or host}"
    return ""
