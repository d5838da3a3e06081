"""The old site's uploads: which addresses are its files, and where each one is in `--uploads` (a copy of wp-content/uploads).

A file found there is copied to static/uploads/<year>/<month>/<name> and linked as /uploads/...; the build's image
pipeline then strips its camera data and makes its sizes, as for any picture of the hub. A file not found is reported
with the item that uses it."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..media.pictures import REFUSED

_UPLOADS = "/wp-content/uploads/"
_DATED = re.compile(r"(?:^|/)(\d{4}/\d{2}/[^/]+)$")
_SIZED = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")  # photo-300x200.jpg: a size WordPress made of photo.jpg


class Media:
    def __init__(self, site_url: str, attachment_urls: list[str], uploads: Path | None):
        self.uploads = uploads.resolve() if uploads is not None else None
        self.site_host = urlsplit(site_url).netloc.lower()
        self.prefixes: set[str] = set()  # "host/path/" before the year folder, for uploads not under wp-content (WordPress.com, multisite)
        for url in attachment_urls:
            parts = urlsplit(url)
            found = _DATED.search(parts.path)
            if found and _UPLOADS not in parts.path:
                self.prefixes.add(parts.netloc.lower() + parts.path[: found.start(1)])
        self.copies: dict[str, Path] = {}  # hub path (static/uploads/...) -> the file to copy there
        self.refused: dict[str, str] = {}  # upload path -> why it is not copied

    def upload_path(self, url: str) -> str | None:
        """'2008/06/canola.jpg' when `url` is a file of the old site's uploads; None for anything else."""
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return None
        host = parts.netloc.lower()
        if host and host != self.site_host and not any(p.startswith(host + "/") for p in self.prefixes) and _UPLOADS not in parts.path:
            return None
        path = unquote(parts.path)
        if _UPLOADS in path:
            rel = path.split(_UPLOADS, 1)[1]
        else:
            where = (host or self.site_host) + parts.path
            prefix = next((p for p in self.prefixes if where.startswith(p)), None)
            if prefix is None:
                return None
            rel = unquote(where[len(prefix):])
        segments = [s for s in rel.split("/") if s]
        if not segments or any(s in (".", "..") or "\\" in s or "\x00" in s for s in segments):
            return None
        return "/".join(segments)

    def local(self, rel: str) -> str | None:
        """The site path of the copy of upload `rel` (/uploads/...), or None when it is not in --uploads (or cannot be used)."""
        if self.uploads is None or rel in self.refused:
            return None
        for candidate in (rel, _SIZED.sub("", rel)):  # a resized copy WordPress made and the folder lacks: the original will do
            path = self.uploads / candidate
            try:
                inside = path.resolve().is_relative_to(self.uploads) and path.is_file()
            except OSError:
                inside = False
            if not inside:
                continue
            ext = posixpath.splitext(candidate.lower())[1]
            if ext in REFUSED:
                self.refused[rel] = f"is {REFUSED[ext]}, which browsers cannot show: convert it to JPEG and link it by hand"
                return None
            self.copies["static/uploads/" + candidate] = path
            return "/uploads/" + candidate
        return None
