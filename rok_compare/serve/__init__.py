"""``rok serve``: a local, read-only web server over the store.

    >>> from rok_compare.serve import create_app
    >>> app = create_app("rok.db")          # a Starlette app; run it with uvicorn

It serves the static report at ``/`` and makes it a workbench: any two stored documents aligned
side by side (``/compare``), the revision diff of two versions (``/diff``), and the clause search
of ``rok search`` as a page (``/search``) and as JSON (``/api/search``, ``/api/documents``).
"""

from rok_compare.serve.app import ServeError, create_app

__all__ = ["ServeError", "create_app"]
