"""The routers: ``pages`` (HTML) and ``api`` (JSON). They never import each other."""
