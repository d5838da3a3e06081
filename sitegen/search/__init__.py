"""Full-text search with Pagefind: running it, and the index in parts."""
