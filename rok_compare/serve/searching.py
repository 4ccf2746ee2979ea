"""One clause search behind ``/search`` (HTML) and ``/api/search`` (JSON): the parameters read from
the URL the same way for both, and the search run by :func:`rok_compare.search.search`, the very
function ``rok search`` calls (its query language and filters, documented there), so the server
and the command line find the same clauses."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rok_compare.search import SearchHit, SearchQueryError, check_names, count_hits, search

DEFAULT_LIMIT = 20
"""As ``rok search --limit``."""
MAX_LIMIT = 200
FILTERS = ("county", "kind", "theme", "party", "year", "type")
"""URL parameters that filter; ``type`` is the document type (``rok search --type``)."""


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """What the URL asks for: ``q``, the :data:`FILTERS`, and the page of hits (``limit``, ``offset``)."""

    q: str = ""
    county: str = ""
    kind: str = ""
    theme: str = ""
    party: str = ""
    year: str = ""
    """A year or a range (``2019``, ``2017-2019``, ``2017-``), checked by the search."""
    type: str = ""
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    @property
    def asked(self) -> bool:
        """Whether there is anything to search for (words or at least one filter)."""
        return bool(self.q.strip() or any(getattr(self, name) for name in FILTERS))

    def filters(self) -> dict[str, str | None]:
        """The keyword arguments of :func:`rok_compare.search.search` for the filters."""
        return {"county": self.county or None, "kind": self.kind or None, "theme": self.theme or None,
                "party": self.party or None, "year": self.year or None, "doc_type": self.type or None}

    def params(self, **changed: object) -> dict[str, str]:
        """The request as URL parameters (empty ones left out), with ``changed`` applied."""
        values = {**dataclasses.asdict(self), **changed}
        defaults = {"limit": DEFAULT_LIMIT, "offset": 0}
        return {k: str(v) for k, v in values.items() if v not in ("", None) and defaults.get(k) != v}

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def parse_request(params: Mapping[str, str]) -> SearchRequest:
    """The request in ``params``; :class:`SearchQueryError` names a parameter that is not usable."""

    def text(name: str) -> str:
        return (params.get(name) or "").strip()

    limit = _number(text("limit"), "limit", 1, MAX_LIMIT) if text("limit") else DEFAULT_LIMIT
    offset = _number(text("offset"), "offset", 0, 10**9) if text("offset") else 0
    return SearchRequest((params.get("q") or "").strip(), *(text(name) for name in FILTERS), limit, offset)


def _number(value: str, name: str, low: int, high: int) -> int:
    if not value.isdigit() or not low <= int(value) <= high:
        shown = value if len(value) <= 20 else value[:20] + "…"
        raise SearchQueryError(f"{name} must be a whole number from {low} to {high}, not {shown!r}")
    return int(value)


@dataclass(frozen=True, slots=True)
class SearchResult:
    hits: list[SearchHit]
    total: int
    """Hits in all (reuse families counted once), however many ``limit`` shows."""
    families: bool = True
    """False: ``total`` counts clauses (copies apart), for a query matching very many clauses."""
    more: bool = False
    """True: there are more than ``total`` (the count stopped)."""


def run(db: str | Path, request: SearchRequest, *, total: bool = True) -> SearchResult:
    """The hits for ``request`` (none when nothing is asked); :class:`SearchQueryError` for a bad
    query or filter, or a county or party no document of the store names (as ``rok search``).
    ``total`` also counts every match (one more query)."""
    if not request.asked:
        return SearchResult([], 0)
    if request.county or request.party:  # a misspelt name: say so, with the store's closest names
        check_names(db, county=request.county or None, party=request.party or None)
    hits = search(db, request.q, limit=request.limit, offset=request.offset, **request.filters())
    if not total:
        return SearchResult(hits, request.offset + len(hits))
    count = count_hits(db, request.q, **request.filters())
    return SearchResult(hits, count.n, count.families, count.more)


def clause_url(document_id: int, clause_id: int) -> str:
    """The clause's anchor on its document's page in the report."""
    return f"/doc/{document_id}.html#clause-{clause_id}"


def hit_json(hit: SearchHit) -> dict[str, object]:
    """A hit as ``rok search --format json`` writes it, plus ``document`` (id and label) and ``url``
    (the clause's anchor on this server)."""
    data = hit.to_dict()
    o = hit.occurrence
    data["document"] = {"id": o.document_id, "label": o.label}
    data["url"] = clause_url(o.document_id, o.clause_id)
    return data
