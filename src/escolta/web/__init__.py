"""The operations centre (docs/design.md §11): a FastAPI application over the record.

:func:`escolta.web.app.create_app` builds it from :class:`escolta.web.settings.Settings`;
``escolta serve`` runs it on uvicorn. Nothing here is imported when the CLI starts.
"""
