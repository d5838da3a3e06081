"""Rendering one output: the Jinja environment, the views that record what a render reads, structured data, search marks."""
