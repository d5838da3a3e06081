"""plan(): every file the build writes, as plain descriptions. Rendering them is a separate, pure step.

An Output is either a page rendered from a template, or a file made by a `render`
function (a feed, a calendar, the sitemap): a plain function of the output and the site.
"""
