"""Search filters: which documents and clauses a search may return, as SQL conditions.

The conditions are on ``c`` (clauses) and ``d`` (documents). A filter naming something the store
does not hold (a county, a party) matches nothing; a value that cannot be a filter at all (an
unknown clause kind or document type, a year that is not one) raises :class:`SearchQueryError`.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from rok_compare.model import ClauseKind, DocType
from rok_compare.search.query import SearchQueryError

_YEARS = re.compile(r"^\s*(\d{1,4})?\s*(?:(-|–|\.\.)\s*(\d{1,4})?)?\s*$")
_COUNTY_NAMES = "SELECT DISTINCT county_name FROM documents WHERE county_name IS NOT NULL"
_PARTY_NAMES = "SELECT DISTINCT canonical FROM parties UNION SELECT DISTINCT name FROM parties"
SUGGESTIONS = 3
"""Close names offered for a county or party that the store does not hold."""
CLOSE = 0.6
"""Least likeness (difflib's ratio, 0..1) of a name offered as a close match."""
NEAR_BEST = 0.1
"""Names offered are at most this much less like the value than the closest one."""


@dataclass(frozen=True, slots=True)
class Filters:
    """What the user narrowed the search to; every field None means the whole store."""

    county: str | None = None
    """County name (part of it, any case) or two-digit code."""
    kind: str | None = None
    theme: str | None = None
    party: str | None = None
    """Documents this party took part in (part of its name, any case)."""
    years: tuple[int, int] | None = None
    """Documents valid at some time in these years (both included)."""
    doc_type: str | None = None
    document: int | None = None
    """One document, by its store id."""

    @property
    def any(self) -> bool:
        return any(v is not None and v != "" for v in (self.county, self.kind, self.theme, self.party,
                                                        self.years, self.doc_type, self.document))


def year_range(value: int | str | tuple[int | None, int | None] | None) -> tuple[int, int] | None:
    """``2019``, ``"2019"``, ``"2017-2019"``, ``"2017-"``, ``"-2019"`` or ``(2017, 2019)`` as a range."""
    if value is None or value == "":
        return None
    if isinstance(value, tuple):
        low, high = value
    elif isinstance(value, int) and not isinstance(value, bool):
        low = high = value
    else:
        match = _YEARS.match(str(value))
        if not match or not (match[1] or match[3]):
            raise SearchQueryError(f"year {str(value)[:40]!r} is not a year or a range such as 2019 or 2017-2019")
        low = int(match[1]) if match[1] else None
        high = int(match[3]) if match[3] else (None if match[2] else low)
    low, high = low if low is not None else 1, high if high is not None else 9999
    for year in (low, high):
        if not 1 <= year <= 9999:
            raise SearchQueryError(f"year {year} is not a year such as 2019")
    if low > high:
        raise SearchQueryError(f"year range {low}-{high} ends before it starts")
    return low, high


def conditions(conn: sqlite3.Connection, filters: Filters) -> tuple[str, list[object]] | None:
    """The SQL condition and its parameters; None when nothing in the store can match."""
    parts = split_conditions(conn, filters)
    if parts is None:
        return None
    (documents, document_params), (clauses, clause_params) = parts
    where = [sql for sql in (documents, clauses) if sql != "1"]
    return " AND ".join(where) or "1", document_params + clause_params


def split_conditions(conn: sqlite3.Connection, filters: Filters) -> tuple[tuple[str, list[object]],
                                                                          tuple[str, list[object]]] | None:
    """The conditions on the document (``d``) and on the clause (``c``) apart, each with its
    parameters; None when nothing in the store can match."""
    where: list[str] = []
    params: list[object] = []
    if filters.county:
        county = filters.county.strip()
        if county.isdigit():
            where.append("d.county_code = ?")
            params.append(county.zfill(2))
        else:
            names = _matching(conn, _COUNTY_NAMES, county)
            if not names:
                return None
            where.append(f"d.county_name IN ({_marks(names)})")
            params += names
    if filters.years:
        where.append("d.period_start <= ? AND COALESCE(d.period_end, 9999) >= ?")
        params += [filters.years[1], filters.years[0]]
    clause_where: list[str] = []
    clause_params: list[object] = []
    if filters.kind:
        _check_choice("clause kind", filters.kind, [k.value for k in ClauseKind])
        clause_where.append("c.kind = ?")
        clause_params.append(filters.kind)
    if filters.doc_type:
        _check_choice("document type", filters.doc_type, [t.value for t in DocType])
        where.append("d.doc_type = ?")
        params.append(filters.doc_type)
    if filters.theme:
        from rok_compare.extract.clauses import theme_names

        _check_choice("theme", filters.theme, list(theme_names()))
        clause_where.append("EXISTS (SELECT 1 FROM json_each(c.themes) WHERE json_each.value = ?)")
        clause_params.append(filters.theme)
    if filters.party:
        names = _matching(conn, _PARTY_NAMES, filters.party)
        if not names:
            return None
        where.append(f"d.id IN (SELECT document_id FROM parties WHERE canonical IN ({_marks(names)}) "
                     f"OR name IN ({_marks(names)}))")
        params += names + names
    if filters.document is not None:
        where.append("d.id = ?")
        params.append(filters.document)
    return (" AND ".join(where) or "1", params), (" AND ".join(clause_where) or "1", clause_params)


def unknown_names(conn: sqlite3.Connection, county: str | None = None, party: str | None = None) -> None:
    """Raise :class:`SearchQueryError` for a county or party filter that no document of the store
    matches (a typo, most often), naming the value and the store's closest names; a filter that
    matches something, or none given, passes. :func:`conditions` instead lets such a filter select
    nothing (a search finds no clauses)."""
    county = county.strip() if county else ""
    if county.isdigit():
        codes = [row[0] for row in conn.execute("SELECT DISTINCT county_code FROM documents "
                                                "WHERE county_code IS NOT NULL ORDER BY 1")]
        if county.zfill(2) not in codes:
            raise SearchQueryError(f"unknown county {county[:40]!r}: no document of the store has this county "
                                   f"code (the store's: {', '.join(codes) or 'none'})")
    elif county and not _matching(conn, _COUNTY_NAMES, county):
        raise SearchQueryError(_unknown("county", county, [row[0] for row in conn.execute(_COUNTY_NAMES)]))
    party = party.strip() if party else ""
    if party and not _matching(conn, _PARTY_NAMES, party):
        raise SearchQueryError(_unknown("party", party, [row[0] for row in conn.execute(_PARTY_NAMES)]))


def _unknown(what: str, value: str, names: list[str]) -> str:
    close = close_names(value, names)
    hint = f"did you mean {' or '.join(repr(n) for n in close)}?" if close else f"no {what} of the store is close"
    return f"unknown {what} {value[:40]!r}: no document of the store names a {what} like it ({hint})"


def close_names(value: str, names: list[str], n: int = SUGGESTIONS) -> list[str]:
    """The ``n`` names most like ``value`` (a misspelt part of one, such as "Varmland" for
    "Värmlands län"), best first, compared with the whole name and with its words."""
    needle = _folded(value).strip()

    def likeness(name: str) -> float:
        folded = _folded(name)
        parts = [folded, folded[:len(needle)], *folded.split()]
        return max(SequenceMatcher(None, needle, part).ratio() for part in parts)

    scored = sorted(((likeness(name), name) for name in dict.fromkeys(names) if name), key=lambda x: (-x[0], x[1]))
    best = scored[0][0] if scored else 0.0
    return [name for score, name in scored[:n] if score >= max(CLOSE, best - NEAR_BEST)]


def _check_choice(what: str, value: str, choices: list[str]) -> None:
    if value not in choices:
        raise SearchQueryError(f"unknown {what} {value[:40]!r} (choose from {', '.join(choices)})")


def _marks(values: list[str]) -> str:
    return ",".join("?" * len(values))


def _matching(conn: sqlite3.Connection, sql: str, needle: str) -> list[str]:
    """Values containing ``needle``, compared case-insensitively (SQLite's LIKE folds ASCII only)
    and in NFC on both sides (a decomposed "ä" typed or stored is the letter ä)."""
    folded = _folded(needle).strip()
    return [row[0] for row in conn.execute(sql) if row[0] and folded in _folded(row[0])]


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()
