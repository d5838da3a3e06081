"""`sitegen serve`: the dev server, its lazy rebuilds in memory, its search index and local editing."""
