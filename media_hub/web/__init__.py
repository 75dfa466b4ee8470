"""`media-hub serve`: the team's web app, a thin layer over the same library as the CLI.

Pages are rendered on the server (Jinja2) and read without JavaScript; htmx, vendored under
`static/`, only swaps parts of a page. Every action is one call of the catalog's services,
made as the signed-in person, so the audit log names them.
"""
