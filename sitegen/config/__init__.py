"""site.yaml: its settings, checked and typed, with the home page's hero and the editor's settings."""
