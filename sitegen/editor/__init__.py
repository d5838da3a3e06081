"""The browser editor at /admin/: Decap CMS, its configuration from the schema, the JSON Schema and the docs' field tables."""
