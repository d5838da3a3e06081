"""The command line: build, check, serve, new, schema, init."""

from .main import COMMANDS, main, run_console  # noqa: F401 - for build.py files copied from this repository before 0.2

__all__ = ["COMMANDS", "main", "run_console"]
