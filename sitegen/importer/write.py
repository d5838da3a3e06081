"""Writing the imported files, and never a file a person changed since the import wrote it.

`.sitegen-import.json` in the hub keeps the SHA-256 of every file an import wrote. On the next import a file is
written again only if it is new, or still exactly as the import left it; a file that is there but not in the
manifest (a hub's own about.md, say), or that differs from what the import wrote, is left alone and reported.
Deleting the manifest makes every existing file count as a person's."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = ".sitegen-import.json"


@dataclass
class Outcome:
    write: dict[str, bytes | Path] = field(default_factory=dict)  # new or changed: hub path -> bytes, or the file to copy
    unchanged: list[str] = field(default_factory=list)
    kept: dict[str, str] = field(default_factory=dict)  # hub path -> why it was left alone
    manifest: dict[str, str] = field(default_factory=dict)  # hub path -> digest, after the import


def front_matter(fields: dict[str, Any], body: str) -> bytes:
    """YAML front matter that reads back as written: every text in double quotes (YAML reads JSON's escapes), lists one
    item a line, keys in the order given."""
    lines = ["---"]
    for key, value in fields.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, bool):
            lines.append(f"{key}: {'true' if value else 'false'}")
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"  - {quoted(str(v))}" for v in value]
        else:
            lines.append(f"{key}: {quoted(str(value))}")
    lines.append("---")
    return ("\n".join(lines) + "\n" + body).encode("utf-8")


def quoted(text: str) -> str:
    text = json.dumps(text, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\u0085", "\\u0085")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(root: Path) -> dict[str, str]:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        files = data.get("files", {}) if isinstance(data, dict) else {}
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError):
        return {}


def decide(root: Path, files: dict[str, bytes | Path]) -> Outcome:
    """What an import of `files` would do in the hub at `root`, without writing anything."""
    before = read_manifest(root)
    outcome = Outcome(manifest=dict(before))
    for rel, content in sorted(files.items()):
        data = content.read_bytes() if isinstance(content, Path) else content
        new = digest(data)
        path = root / rel
        if not path.exists():
            outcome.write[rel] = content
            outcome.manifest[rel] = new
            continue
        try:
            current = digest(path.read_bytes())
        except OSError as exc:
            outcome.kept[rel] = f"cannot be read ({exc.strerror}); left alone"
            continue
        if current == new:
            outcome.unchanged.append(rel)
            outcome.manifest[rel] = new
        elif rel not in before:
            outcome.kept[rel] = "was already there, not written by an import: left alone (move it away and import again to take WordPress's)"
        elif before[rel] != current:
            outcome.kept[rel] = "was changed by a person since the last import: left alone"
        else:
            outcome.write[rel] = content  # as the import left it, and the export has changed: the new version
            outcome.manifest[rel] = new
    return outcome


def apply(root: Path, outcome: Outcome) -> None:
    """Write what `decide` found, each file whole (a temporary file renamed), then the manifest."""
    for rel, content in sorted(outcome.write.items()):
        _write(root / rel, content.read_bytes() if isinstance(content, Path) else content)
    text = json.dumps({"about": "files written by sitegen import; see docs/moving-from-wordpress.md", "files": dict(sorted(outcome.manifest.items()))},
                      indent=1, ensure_ascii=False) + "\n"
    if outcome.write or not (root / MANIFEST).exists() or (root / MANIFEST).read_text(encoding="utf-8") != text:
        _write(root / MANIFEST, text.encode("utf-8"))


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-import-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the file from a web server or a second user
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
