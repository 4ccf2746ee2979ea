"""The JSON endpoints: ``/api/documents`` for the pickers and ``/api/search`` for scripts.

A bad query or filter is a 400 with ``{"error": "<one line>"}``; the responses are served as
``application/json``, never as HTML. (Plain functions: Starlette runs them in its thread pool, as
every SQLite read here blocks.)
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from rok_compare.search import SearchQueryError
from rok_compare.serve import catalog, searching


def documents(request: Request) -> JSONResponse:
    """Every stored document: id, label ("short title · county · year · type"), county, year, type."""
    return JSONResponse([entry.to_dict() for entry in catalog.documents(request.app.state.db)])


def search(request: Request) -> JSONResponse:
    """The hits of :func:`rok_compare.search.search` as ``rok search --format json`` lists them, each
    with its document's label and the URL of the clause in the report; ``total``: matches in all
    (reuse families; ``total_families`` false: clauses, for a query matching very many, and
    ``total_more`` true: more than ``total``)."""
    try:
        asked = searching.parse_request(request.query_params)
        result = searching.run(request.app.state.db, asked)
    except SearchQueryError as error:
        return JSONResponse({"error": str(error)}, status_code=400)
    return JSONResponse({"query": asked.to_dict(), "count": len(result.hits), "total": result.total,
                         "total_families": result.families, "total_more": result.more,
                         "hits": [searching.hit_json(hit) for hit in result.hits]})
