"""sitegen's version: imports nothing, so that reading it is free."""

__version__ = "0.1.0"
