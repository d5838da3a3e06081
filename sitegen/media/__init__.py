"""Pictures: their sizes, cleaned and resized copies, and the <img> tags of rendered pages."""
