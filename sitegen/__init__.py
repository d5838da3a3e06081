"""sitegen: a static site generator for school network hubs.

`import sitegen` loads nothing but this file: the names below are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .builder.api import BuildOptions, BuildResult, build
    from .check.api import check_build
    from .config.siteyaml import Config, load_config
    from .content.page import Page
    from .core.errors import BuildFailed, ConfigError, ContentError, SitegenError, TemplateError
    from .model.site import Site

_WHERE = {  # name -> the module that defines it
    "BuildOptions": "builder.api", "BuildResult": "builder.api", "build": "builder.api", "check_build": "check.api",
    "Config": "config.siteyaml", "load_config": "config.siteyaml", "Page": "content.page", "Site": "model.site",
    "BuildFailed": "core.errors", "ConfigError": "core.errors", "ContentError": "core.errors",
    "SitegenError": "core.errors", "TemplateError": "core.errors",
}

__all__ = [
    "BuildFailed", "BuildOptions", "BuildResult", "Config", "ConfigError", "ContentError", "Page", "Site",
    "SitegenError", "TemplateError", "__version__", "build", "check_build", "load_config",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'sitegen' has no attribute '{name}'")
