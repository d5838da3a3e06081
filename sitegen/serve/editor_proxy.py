"""The editor's requests to decap-server, passed on by `sitegen serve` once it has checked them.

The editor at /admin/ talks to `sitegen serve` itself, at API_PATH, so that the dev server's Host check
covers it (a page on another site whose name was made to point at 127.0.0.1 gets nothing). Each request
must come from this computer, from the editor's own page (JSON, same origin), and may read only the hub's
content/ and static/ and write only what the editor writes: a collection's Markdown files, each directly
in its folder, and pictures in the media folder. Both are read from the Decap config that /admin/ is
given, so the rule follows the schema. Only then does it go to decap-server, with the secret that
decap-server (see decap-guard.js) asks for.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..content.discover import is_inside

API_PATH = "/__sitegen/api/v1"


MAX_BODY = 50 * 1024 * 1024  # decap-server's own limit (a picture of a few MB, base64-encoded)


READABLE = ("content/", "static/")  # what the editor may read: the hub's writing and its public files


READS = {"info", "entriesByFolder", "entriesByFiles", "getEntry", "getMedia", "getMediaFile", "getDeployPreview"}


WRITES = {"persistEntry", "persistMedia", "deleteFile", "deleteFiles"}


@dataclass(frozen=True)
class Places:
    """Where the editor may write: its collections' folders and its media folder (from its config.yml)."""

    folders: frozenset[str]
    media: str

    @classmethod
    def of(cls, config_yml: bytes) -> Places:
        config = yaml.safe_load(config_yml) or {}
        folders = frozenset(str(c["folder"]) for c in config.get("collections", ()) if isinstance(c, dict) and "folder" in c)
        return cls(folders, str(config.get("media_folder", "")).strip("/"))


class Refused(Exception):
    """The request is not one the editor makes: (HTTP status, why)."""

    def __init__(self, status: int, why: str):
        super().__init__(why)
        self.status = status
        self.why = why


def check_sender(client: str, headers: Any) -> None:
    """From this computer, from the editor's page: JSON (which another site's page cannot send without asking
    first, and is not answered), and, when the browser says where from, the same origin as the Host."""
    try:
        local = ipaddress.ip_address(client.split("%")[0]).is_loopback
    except ValueError:
        local = False
    if not local:  # under --host 0.0.0.0 the site may be read from the network; the hub is written only from here
        raise Refused(403, "the editor saves only from this computer")
    if (headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
        raise Refused(415, "the editor sends JSON")
    origin = headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc.lower() != (headers.get("Host") or "").lower():
        raise Refused(403, f"a page at {origin} may not use the editor of this hub")
    if (headers.get("Sec-Fetch-Site") or "same-origin") not in ("same-origin", "none"):
        raise Refused(403, "only the editor's own page may use it")


def check_request(request: Any, places: Places, root: Path) -> None:
    """Raise Refused unless the request reads or writes only where the editor may."""
    if not isinstance(request, dict) or not isinstance(request.get("params", {}), (dict, type(None))):
        raise Refused(400, "not a request of the editor")
    action, params = request.get("action"), request.get("params") or {}
    if action not in READS | WRITES:
        raise Refused(403, f"the editor does not {str(action)[:40]!r} here")
    if action == "entriesByFolder":
        _place(params.get("folder"), root, lambda p: p in places.folders or p == places.media, "a collection's folder")
    elif action == "entriesByFiles":
        files = params.get("files")
        for item in files if isinstance(files, list) else [None]:
            _readable(item.get("path") if isinstance(item, dict) else None, root)
    elif action in ("getEntry", "getMediaFile"):
        _readable(params.get("path"), root)
    elif action == "getMedia":
        _place(params.get("mediaFolder"), root, lambda p: p == places.media, "the media folder")
    elif action == "persistEntry":
        files = params.get("dataFiles") or [params.get("entry")]
        for item in files if isinstance(files, list) else [None]:
            item = item if isinstance(item, dict) else {}
            _entry(item.get("path"), places, root)
            if item.get("newPath") is not None:  # a new title: renamed, in the same folder only (decap-server moves the folder's other files too)
                _entry(item["newPath"], places, root)
                if posixpath.dirname(str(item["newPath"])) != posixpath.dirname(str(item["path"])):
                    raise Refused(403, "the editor renames an entry only within its own folder")
        assets = params.get("assets", [])
        for asset in assets if isinstance(assets, list) else [None]:
            _media(asset.get("path") if isinstance(asset, dict) else None, places, root)
    elif action == "persistMedia":
        asset = params.get("asset")
        _media(asset.get("path") if isinstance(asset, dict) else None, places, root)
    elif action in ("deleteFile", "deleteFiles"):
        paths = [params.get("path")] if action == "deleteFile" else params.get("paths")
        for path in paths if isinstance(paths, list) else [None]:
            if _clean(path) and posixpath.dirname(str(path)) == places.media:
                _media(path, places, root)
            else:
                _entry(path, places, root)


def _clean(path: Any) -> str | None:
    """A relative path inside the hub written plainly (no '..', '.', '//', backslash or absolute path), or None."""
    if not isinstance(path, str) or not path or len(path) > 1000 or "\\" in path or "\x00" in path or path.startswith("/"):
        return None
    return path if all(part not in ("", ".", "..") for part in path.split("/")) else None


def _place(path: Any, root: Path, allowed: Any, what: str) -> str:
    clean = _clean(path)
    if clean is None or not allowed(clean):
        raise Refused(403, f"the editor works only in {what}, not in {str(path)[:200]!r}")
    step = root
    for part in clean.split("/"):  # decap-server follows links: none on the way, even to elsewhere in the hub
        step = step / part
        if step.is_symlink() or not is_inside(step, root):
            raise Refused(403, f"{step.relative_to(root).as_posix()} is a link out of its folder: the editor writes only into the hub's own folders")
    return clean


def _readable(path: Any, root: Path) -> None:
    _place(path, root, lambda p: p.startswith(READABLE), "content/ and static/")


def _entry(path: Any, places: Places, root: Path) -> None:
    _place(path, root, lambda p: posixpath.dirname(p) in places.folders and p.endswith(".md") and not posixpath.basename(p).startswith("."),
           "the collections' Markdown files (" + ", ".join(sorted(places.folders)) + ")")
    _place(posixpath.dirname(str(path)), root, lambda p: True, "a collection's folder")


def _media(path: Any, places: Places, root: Path) -> None:
    _place(path, root, lambda p: bool(places.media) and posixpath.dirname(p) == places.media and not posixpath.basename(p).startswith("."),
           f"the media folder ({places.media})")
    _place(places.media, root, lambda p: True, "the media folder")


def forward(port: int, token: str, body: bytes) -> tuple[int, bytes]:
    """Pass the request on to decap-server; its answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("POST", "/api/v1", body, {"Content-Type": "application/json", "X-Sitegen-Token": token})
        answer = connection.getresponse()
        return answer.status, answer.read()
    except OSError as exc:
        return 502, error(f"decap-server did not answer ({exc.strerror or exc}): stop sitegen serve and start it again")
    finally:
        connection.close()


def relay(port: int, token: str, config_yml: bytes | None, root: Path, client: str, headers: Any, body: bytes) -> tuple[int, bytes]:
    """(status, JSON body) for one request of the editor: checked, then decap-server's answer."""
    try:
        check_sender(client, headers)
        if config_yml is None:
            raise Refused(503, "the editor's settings are not built yet (see the errors in the terminal)")
        try:
            request = json.loads(body)
        except (ValueError, RecursionError):
            raise Refused(400, "not JSON") from None
        check_request(request, Places.of(config_yml), root)
    except Refused as refused:
        return refused.status, error(refused.why)
    return forward(port, token, body)


def error(why: str) -> bytes:
    return json.dumps({"error": why}).encode("utf-8")
