"""From every Page to the Site: references, links, publishing dates, facets and the security policy, as queries over the site."""
