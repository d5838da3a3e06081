"""sitegen: a static site generator for school network hubs."""

__version__ = "0.1.0"

from .config import Config, load_config  # noqa: E402
from .content import Page  # noqa: E402
from .errors import BuildFailed, ConfigError, ContentError, SitegenError, TemplateError  # noqa: E402
from .model import Site  # noqa: E402
from .pipeline import BuildOptions, BuildResult, build  # noqa: E402

__all__ = [
    "BuildFailed", "BuildOptions", "BuildResult", "Config", "ConfigError", "ContentError", "Page", "Site",
    "SitegenError", "TemplateError", "build", "load_config",
]
