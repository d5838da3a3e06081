"""`sitegen check`: the checks of the sources beyond a build, and of the built site's links."""
