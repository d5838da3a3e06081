"""`sitegen import wordpress`: a WordPress export (WXR) into the hub's content files, with a report of what needs a person."""
