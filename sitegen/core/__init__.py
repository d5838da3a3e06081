"""The foundation every layer uses: errors, addresses, formats, fingerprints, file helpers. Imports nothing of sitegen."""
