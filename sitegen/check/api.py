"""`sitegen check`: a build that writes nothing, then the checks of the source and of the built pages."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ..builder.api import BuildOptions, BuildResult, build
from ..core.errors import BuildFailed, Problems, SitegenWarning
from ..core.urls import output_file
from .built import check_output
from .source import check_site


def check_build(root: Path, options: BuildOptions, strict: bool = False) -> BuildResult:
    """Everything a build does except writing, and the checks of check/source.py and check/built.py (`sitegen check`).

    With `strict`, warnings count as errors."""
    result = build(root, dataclasses.replace(options, write=False))
    problems = check_site(result.site, result.rendered, result.pictures)
    result.links_followed = check_built_links(result, problems)
    problems.raise_if_any()
    result.warnings += problems.warnings
    for path, why in sorted(result.held_back.items()):
        result.warnings.append(SitegenWarning(f"{path} is left out of the site until it is published: the only item using it is {why}"))
    if strict and result.warnings:
        raise BuildFailed(result.warnings)
    return result


def check_built_links(result: BuildResult, problems: Problems) -> int:
    """Follow every link and asset of the built site, as it would be written, under its base path."""
    files: dict[str, bytes | None] = dict(result.rendered)
    for rel, src in result.copied.items():  # the hub's own files replace generated ones of the same name
        files[rel] = src.read_bytes() if rel.endswith(".css") else None
    for picture in result.pictures.rasters.values():  # the smaller copies a build makes of each picture
        files.update({output_file(v.url): None for v in picture.variants})
    site = result.site
    sources = {output_file(p.url): p.source for p in site.by_url.values()}
    policy = site.security().header
    return check_output(files, site.config.base_path, site.config.origin, policy, sources, problems)
