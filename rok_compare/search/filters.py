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

from rok_compare.model import ClauseKind, DocType
from rok_compare.search.query import SearchQueryError

_YEARS = re.compile(r"^\s*(\d{1,4})?\s*(?:(-|–|\.\.)\s*(\d{1,4})?)?\s*$")


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
            names = _matching(conn, "SELECT DISTINCT county_name FROM documents WHERE county_name IS NOT NULL",
                              county)
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
        names = _matching(conn, "SELECT DISTINCT canonical FROM parties UNION SELECT DISTINCT name FROM parties",
                          filters.party)
        if not names:
            return None
        where.append(f"d.id IN (SELECT document_id FROM parties WHERE canonical IN ({_marks(names)}) "
                     f"OR name IN ({_marks(names)}))")
        params += names + names
    if filters.document is not None:
        where.append("d.id = ?")
        params.append(filters.document)
    return (" AND ".join(where) or "1", params), (" AND ".join(clause_where) or "1", clause_params)


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
