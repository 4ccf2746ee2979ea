"""One clause search behind ``/search`` (HTML) and ``/api/search`` (JSON): the parameters read from
the URL the same way for both, and the search run by :func:`rok_compare.search.search`, the very
function ``rok search`` calls, so the server and the command line find the same clauses."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rok_compare.search import SearchHit, SearchQueryError, search
from rok_compare.serve.catalog import DocumentEntry

DEFAULT_LIMIT = 20
"""As ``rok search --limit``."""
MAX_LIMIT = 200


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """What the URL asks for: ``q`` and the filters ``county``, ``kind``, ``theme``, ``party``, ``year``."""

    q: str = ""
    county: str = ""
    kind: str = ""
    theme: str = ""
    party: str = ""
    year: int | None = None
    limit: int = DEFAULT_LIMIT

    @property
    def asked(self) -> bool:
        """Whether there is anything to search for (words or at least one filter)."""
        return bool(self.q.strip() or self.county or self.kind or self.theme or self.party or self.year is not None)

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def parse_request(params: Mapping[str, str]) -> SearchRequest:
    """The request in ``params``; :class:`SearchQueryError` names a parameter that is not usable."""

    def text(name: str) -> str:
        return (params.get(name) or "").strip()

    year = _number(text("year"), "year", 1, 9999) if text("year") else None
    limit = _number(text("limit"), "limit", 1, MAX_LIMIT) if text("limit") else DEFAULT_LIMIT
    return SearchRequest((params.get("q") or "").strip(), text("county"), text("kind"), text("theme"), text("party"),
                         year, limit)


def _number(value: str, name: str, low: int, high: int) -> int:
    if not value.isdigit() or not low <= int(value) <= high:
        shown = value if len(value) <= 20 else value[:20] + "…"
        raise SearchQueryError(f"{name} must be a whole number from {low} to {high}, not {shown!r}")
    return int(value)


def run(db: str | Path, request: SearchRequest) -> list[SearchHit]:
    """The hits for ``request`` (none when nothing is asked); :class:`SearchQueryError` for a bad query."""
    if not request.asked:
        return []
    return search(db, request.q, county=request.county or None, year=request.year, kind=request.kind or None,
                  party=request.party or None, theme=request.theme or None, limit=request.limit)


def clause_url(document_id: int, clause_id: int) -> str:
    """The clause's anchor on its document's page in the report."""
    return f"/doc/{document_id}.html#clause-{clause_id}"


def hit_json(hit: SearchHit, labels: Mapping[int, DocumentEntry]) -> dict[str, object]:
    """A hit as ``rok search --format json`` writes it, plus the document's label and the clause's URL."""
    data = dataclasses.asdict(hit)
    o = hit.occurrence
    entry = labels.get(o.document_id)
    data["document"] = {"id": o.document_id, "label": entry.label if entry else o.path}
    data["url"] = clause_url(o.document_id, o.clause_id)
    return data
