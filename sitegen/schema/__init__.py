"""The one description of every kind of content and its fields, the readers of each field type, and the vocabularies."""
