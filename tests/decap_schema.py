"""Validate a Decap CMS config against the schema Decap CMS itself checks configs with.

The schema is not a JSON file: it is decap-cms-core's `constants/configSchema.js`, which builds
it from the widgets' own schemas and validates with ajv. All of it ships, as source, in the
source map of the pinned npm package (the same file the editor serves). This module lifts
those modules out, stands in for the three small modules they import (their exported
constants copied from the same source map), and runs Decap's own `validateConfig` in Node,
with the ajv versions Decap bundles (installed into .ci/node_modules by .ci/run).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from browser import missing
from conftest import REPO

from sitegen.editor import decap

NODE_MODULES = REPO / ".ci" / "node_modules"
CORE = "webpack://DecapCms/../decap-cms-core/dist/esm/"
WIDGET = re.compile(r"^webpack://DecapCms/\.\./decap-cms-widget-(\w+)/dist/esm/schema\.js$")
AJV_IMPORTS = """import AJV from 'ajv';
import { select, uniqueItemProperties, instanceof as instanceOf, prohibited } from 'ajv-keywords/dist/keywords';
import ajvErrors from 'ajv-errors';"""
REQUIRES = """import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const AJV = require('ajv').default;
const { select, uniqueItemProperties, instanceof: instanceOf, prohibited } = require('ajv-keywords/dist/keywords');
const ajvErrors = require('ajv-errors');"""
RUN = """import { readFileSync } from 'fs';
import { validateConfig } from './configSchema.mjs';
console.error = () => {};  // Decap logs errors as well as throwing them
try {
  validateConfig(JSON.parse(readFileSync(process.argv[2], 'utf8')));
  console.log('valid');
} catch (e) {
  console.log(String(e.message || e));
  process.exit(1);
}
"""


def sources() -> dict[str, str]:
    """The source map of the pinned decap-cms.js: module path -> its source."""
    tarball = decap.folder() / f"decap-cms-{decap.VERSION}.tgz"
    if not tarball.is_file():
        missing(f"Decap CMS {decap.VERSION} is not downloaded: run 'python -m sitegen.editor.decap' (as .ci/run does)")
    with tarfile.open(tarball) as archive:
        member = archive.extractfile(f"package/dist/{decap.SCRIPT}.map")
        assert member is not None
        sourcemap = json.load(member)
    return dict(zip(sourcemap["sources"], sourcemap["sourcesContent"], strict=True))


def prepare(folder: Path) -> Path:
    """Write Decap's config validator into `folder`; returns the script to run with a config.json."""
    node = shutil.which("node")
    if node is None:
        missing("Node.js is not installed (apt-get install nodejs npm)")
    if not (NODE_MODULES / "ajv-keywords").is_dir():
        missing("ajv is not installed: run 'npm ci --prefix .ci' (as .ci/run does)")
    src = sources()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    schema = src[CORE + "constants/configSchema.js"]
    assert AJV_IMPORTS in schema, "Decap's configSchema.js imports ajv differently now: update tests/decap_schema.py"
    schema = schema.replace(AJV_IMPORTS, REQUIRES)
    for module, local in (("../formats/formats", "formats"), ("../lib/registry", "registry"), ("../lib/i18n", "i18n")):
        assert f"from '{module}';" in schema
        schema = schema.replace(f"from '{module}';", f"from './{local}.mjs';")
    (folder / "configSchema.mjs").write_text(schema)

    formats = src[CORE + "formats/formats.js"]
    frontmatter = re.search(r"export const frontmatterFormats = \[.*?\];", formats, re.DOTALL)
    extensions = re.search(r"export const extensionFormatters = \{(.*?)\};", formats, re.DOTALL)
    assert frontmatter and extensions
    keys = re.findall(r"^\s*'?([\w-]+)'?:", extensions.group(1), re.MULTILINE)
    (folder / "formats.mjs").write_text(frontmatter.group(0) + f"\nexport const extensionFormatters = {json.dumps(dict.fromkeys(keys))};\n")

    i18n = src[CORE + "lib/i18n.js"]
    enums = re.findall(r"export let I18N_(?:STRUCTURE|FIELD) = .*?\}\(\{\}\);", i18n, re.DOTALL)
    assert len(enums) == 2
    (folder / "i18n.mjs").write_text("\n".join(enums) + "\n")

    widgets = sorted(m.group(1) for name in src if (m := WIDGET.match(name)))
    assert {"select", "relation", "datetime", "list", "markdown", "image"} <= set(widgets)
    for name in widgets:
        (folder / f"widget-{name}.mjs").write_text(src[f"webpack://DecapCms/../decap-cms-widget-{name}/dist/esm/schema.js"])
    registry = "".join(f"import {name} from './widget-{name}.mjs';\n" for name in widgets)
    registry += "export function getWidgets() { return [" + ", ".join(f"{{name: '{n}', schema: {n}}}" for n in widgets) + "]; }\n"
    (folder / "registry.mjs").write_text(registry)
    (folder / "run.mjs").write_text(RUN)
    return folder / "run.mjs"


def validate(script: Path, config: dict[str, Any]) -> str:
    """'valid', or Decap's own message saying what is wrong."""
    path = script.parent / "config.json"
    path.write_text(json.dumps(config))
    done = subprocess.run(["node", str(script), str(path)], capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout.strip() or done.returncode == 0, done.stderr
    return done.stdout.strip()
