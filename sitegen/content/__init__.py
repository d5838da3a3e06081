"""Reading the hub's files: finding them, front matter, Markdown, data files and the schools CSV, each file into a Page."""
