"""The web application: ``create_app(db) -> Starlette``.

    /                          the static report of the store (built into a cache folder)
    /compare?a=ID&b=ID         any two stored documents side by side (one id: the pickers, preset)
    /diff?a=OLD&b=NEW          the revision diff of two versions
    /search?q=&county=&kind=&theme=&party=&year=&type=&limit=&offset=   clause search, HTML
    /api/search?...            the same search, JSON
    /api/documents             every stored document with its label, JSON

Read-only: the store is opened read-only for each request and never written; only the cache
folder is written. Only GET and HEAD are answered. Requests must name this machine (Host
``127.0.0.1``, ``localhost``, ``[::1]`` or the address the server listens on), so a web page
elsewhere cannot read the store through a DNS-rebinding trick.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from rok_compare.serve import api, catalog, layout, pages, search_page, searching
from rok_compare.serve.site import ReportSite, SiteError, default_cache_dir
from rok_compare.store.database import Store, StoreError

if TYPE_CHECKING:
    from rok_compare.align.model import Alignment

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
"""The served pages need no script and no inline style: document text could never run there even if
it slipped past the escaping."""


class ServeError(Exception):
    """The server cannot start (no store, or the report cannot be built); ``str()`` is one line."""


def create_app(db: str | Path, cache_dir: str | Path | None = None, *, hosts: Sequence[str] = ()) -> Starlette:
    """The app over the store at ``db``: checks that it is a readable store, builds (or reuses) the
    report in ``cache_dir`` (default: a folder per store under ``~/.cache/rok-compare``). ``hosts``
    are Host names accepted besides the local ones ("*" for any)."""
    db = Path(db)
    try:
        Store.open(db, readonly=True).close()
        site = ReportSite(db, Path(cache_dir) if cache_dir else default_cache_dir(db))
        site.ensure()
    except (StoreError, SiteError) as error:
        raise ServeError(str(error)) from None
    routes = [
        Route("/compare", compare),
        Route("/diff", diff),
        Route("/search", search),
        Route("/api/documents", api.documents),
        Route("/api/search", api.search),
        Route(layout.STYLESHEET, stylesheet),
        Route("/favicon.ico", no_icon),
        Mount("/", app=_ReportFiles(site, directory=site.folder, html=True), name="report"),
    ]
    allowed = ["*"] if "*" in hosts else [*LOCAL_HOSTS, *hosts]
    app = Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=allowed)],
                    exception_handlers={HTTPException: _http_error, StoreError: _store_error})
    app.state.db = db
    app.state.site = site
    return app


class _ReportFiles(StaticFiles):
    """The report's files; each request also looks (now and then) whether the store changed."""

    def __init__(self, site: ReportSite, **kwargs) -> None:
        super().__init__(**kwargs)
        self.site = site

    async def get_response(self, path: str, scope: Scope) -> Response:
        self.site.refresh_soon()
        response = await super().get_response(path, scope)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def _page(html: str, status_code: int = 200) -> HTMLResponse:
    return HTMLResponse(html, status_code=status_code, headers={
        "Content-Security-Policy": PAGE_POLICY, "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})


def _not_found(message: str, back: bool = False) -> HTMLResponse:
    """404 with one line; ``back`` adds a link to the pickers (a bad document id)."""
    return _page(layout.not_found_page(message, layout.link("/compare", "Pick two documents") if back else None), 404)


async def _http_error(request: Request, error: HTTPException) -> Response:
    if error.status_code == 404:
        return _not_found(f"{request.url.path}: no such page in the report or the server")
    message = error.detail if isinstance(error.detail, str) else "request refused"
    return _page(layout.served_page(f"Error {error.status_code}", layout.el("p", message, class_="error")),
                 error.status_code)


async def _store_error(request: Request, error: Exception) -> Response:
    return _page(layout.served_page("Store unavailable", layout.el("p", str(error), class_="error")), 503)


def stylesheet(request: Request) -> Response:
    return Response(layout.CSS, media_type="text/css", headers={"X-Content-Type-Options": "nosniff"})


def no_icon(request: Request) -> Response:
    """Browsers ask for an icon; there is none, which is no error."""
    return Response(status_code=204)


def compare(request: Request) -> Response:
    """The pickers; with ``a`` and ``b`` the two documents aligned; with one of them, that one preset."""
    db = request.app.state.db
    entries = catalog.documents(db)
    given = {name: request.query_params.get(name) for name in ("a", "b")}
    given = {name: value for name, value in given.items() if value is not None and value.strip()}
    try:
        ids = {name: catalog.parse_id(value, name) for name, value in given.items()}
        loaded = dict(zip(ids, catalog.clauses_of(db, list(ids.values()), entries), strict=True)) if ids else {}
    except catalog.DocumentMissing as error:
        return _not_found(str(error), back=True)
    if len(loaded) < 2:
        chosen = {name: stored.entry.id for name, stored in loaded.items()}
        return _page(pages.picker_page(entries, chosen.get("a"), chosen.get("b")))
    a, b = loaded["a"], loaded["b"]
    alignment = _alignment(db, a, b)
    return _page(pages.compare_page(entries, a, b, alignment, catalog.versions(db, a.entry.id, b.entry.id)))


def _alignment(db: Path, a: catalog.StoredClauses, b: catalog.StoredClauses) -> Alignment:
    """The two documents aligned: from the store's alignment cache when a report aligned them
    before (read only, the store is never written), else aligned now."""
    from rok_compare.store.alignment_cache import AlignmentCache

    cache = AlignmentCache.open_readonly(db)
    if cache is not None:
        with cache:
            found = cache.lookup(a.clauses, b.clauses, a.entry.label, b.entry.label)
        if found is not None:
            return found
    from rok_compare.align import align

    return align(a.clauses, b.clauses, a.entry.label, b.entry.label)


def diff(request: Request) -> Response:
    """The revision diff of ``a`` (the older version) and ``b`` (the newer)."""
    from rok_compare.align.revisions import diff_revisions

    db = request.app.state.db
    try:
        ids = [catalog.parse_id(request.query_params.get(name), name) for name in ("a", "b")]
        old, new = catalog.clauses_of(db, ids)
    except catalog.DocumentMissing as error:
        return _not_found(str(error), back=True)
    revision = diff_revisions(old.clauses, new.clauses, old.entry.label, new.entry.label)
    return _page(pages.diff_page(old, new, revision))


def search(request: Request) -> Response:
    """The search form and, when anything is asked, the hits of the same search as ``/api/search``."""
    from rok_compare.extract.clauses import theme_names
    from rok_compare.search import SearchQueryError

    db = request.app.state.db
    entries, parties, themes = catalog.documents(db), catalog.party_names(db), theme_names()
    empty = searching.SearchResult([], 0)
    try:
        asked = searching.parse_request(request.query_params)
    except SearchQueryError as error:
        return _page(search_page.search_page(searching.SearchRequest(), empty, entries, parties, themes, str(error)),
                     400)
    try:
        result = searching.run(db, asked)
    except SearchQueryError as error:
        return _page(search_page.search_page(asked, empty, entries, parties, themes, str(error)), 400)
    return _page(search_page.search_page(asked, result, entries, parties, themes))
