"""The corpus tables: their SQL, the type of each column, and their rows read without pandas.

CSV and JSON exports need nothing beyond the standard library, so the rows come straight from
SQLite (integers stay integers: a year is written ``2019``, never ``2019.0``). The column types
declared here are what :mod:`rok_compare.export.dtypes` turns into pandas dtypes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rok_compare.store.database import Store

_DOC_COLUMNS = "d.county_name AS county, d.county_code, d.period_start, d.period_end, d.doc_type"

TABLES: dict[str, str] = {
    "documents": (
        "SELECT id AS document_id, path, sha256, format, title, county_name AS county, county_code, "
        "period_start, period_end, revision_date, doc_type, n_pages, encoding, n_sections, n_clauses, "
        "n_parties, n_commitments, n_goals, warnings, ingested_at, extractor FROM documents ORDER BY id"),
    "sections": (
        f"SELECT s.id AS section_id, s.document_id, {_DOC_COLUMNS}, s.ord, s.heading, s.page, s.start "
        "FROM sections s JOIN documents d ON d.id = s.document_id ORDER BY s.document_id, s.ord"),
    "clauses": (
        f"SELECT c.id AS clause_id, c.document_id, {_DOC_COLUMNS}, c.ord, c.clause_key, "
        's.heading AS section, c.kind, c.themes, c.text, c.norm_hash, c.page, c.start, c."end", c.paragraph, '
        "(SELECT MIN(cluster_id) FROM cluster_members m WHERE m.clause_id = c.id) AS cluster_id "
        "FROM clauses c JOIN documents d ON d.id = c.document_id LEFT JOIN sections s ON s.id = c.section_id "
        "ORDER BY c.document_id, c.ord"),
    "parties": (
        f"SELECT p.id AS party_id, p.document_id, {_DOC_COLUMNS}, p.ord, p.name, p.canonical, p.current, "
        'p.kind, p.page, p.start, p."end", p.paragraph FROM parties p JOIN documents d ON d.id = p.document_id '
        "ORDER BY p.document_id, p.ord"),
    "commitments": (
        f"SELECT m.id AS commitment_id, m.document_id, {_DOC_COLUMNS}, m.ord, m.party, m.strength, "
        'm.section, m.text, m.page, m.start, m."end", m.paragraph FROM commitments m '
        "JOIN documents d ON d.id = m.document_id "
        "ORDER BY m.document_id, m.ord"),
    "goals": (
        f"SELECT g.id AS goal_id, g.document_id, {_DOC_COLUMNS}, g.ord, g.section, g.text, g.page, g.start, "
        'g."end", g.paragraph FROM goals g JOIN documents d ON d.id = g.document_id ORDER BY g.document_id, g.ord'),
    "reuse_clusters": (
        "SELECT id AS cluster_id, method, n_members, n_documents, n_variants, representative_text, "
        "computed_at FROM reuse_clusters ORDER BY n_documents DESC, id"),
    "cluster_members": (
        f"SELECT m.cluster_id, m.clause_id, c.document_id, {_DOC_COLUMNS}, m.score, c.text "
        "FROM cluster_members m JOIN clauses c ON c.id = m.clause_id "
        "JOIN documents d ON d.id = c.document_id "
        "ORDER BY m.cluster_id, c.document_id"),
}
JSON_COLUMNS = {"documents": "warnings", "clauses": "themes"}
"""Columns stored as JSON lists: decoded to lists (CSV writes them as ``a;b``)."""
INTEGER_COLUMNS = frozenset({
    "document_id", "section_id", "clause_id", "party_id", "commitment_id", "goal_id", "cluster_id",
    "a_document_id", "b_document_id", "a_clause_id", "b_clause_id",
    "ord", "page", "start", "end", "paragraph", "period_start", "period_end", "year", "n_pages", "n_sections",
    "n_clauses", "n_parties", "n_commitments", "n_goals", "n_members", "n_documents", "n_variants", "group"})
"""Ids, years, counts and offsets: nullable integers (a missing year is missing, not NaN)."""
FLOAT_COLUMNS = frozenset({"score", "boilerplate"})
"""Scores: nullable floats."""
DATE_COLUMNS = frozenset({"revision_date"})
"""Dates as the document states them ("2009-03" or "2009-03-12")."""
TIMESTAMP_COLUMNS = frozenset({"ingested_at", "computed_at"})
"""When the store wrote the row, in UTC."""
MATRIX = "party_county_matrix"
UNKNOWN_COUNTY = "(unknown county)"


def read_table(db_path: str | Path, name: str) -> tuple[list[str], list[list[Any]]]:
    """Column names and rows of the table ``name``, JSON list columns decoded."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r} (choose from {', '.join(TABLES)})")
    with Store.open(db_path, readonly=True) as store:
        cursor = store.conn.execute(TABLES[name])
        columns = [d[0] for d in cursor.description]
        rows = [list(row) for row in cursor]
    json_column = JSON_COLUMNS.get(name)
    if json_column in columns:
        k = columns.index(json_column)
        for row in rows:
            row[k] = json.loads(row[k]) if row[k] else []
    return columns, rows


def party_county_counts(parties: Iterable[tuple[int, str, str | None]]) -> tuple[list[str], list[list[Any]]]:
    """The party × county matrix from ``(document_id, canonical, county)`` rows: columns ``party`` and
    one per county (sorted), rows most widespread party first, each cell a count of documents."""
    seen: set[tuple[int, str]] = set()
    counts: dict[str, dict[str, int]] = {}
    for document_id, canonical, county in parties:
        if (document_id, canonical) in seen:
            continue
        seen.add((document_id, canonical))
        row = counts.setdefault(canonical, {})
        county = county or UNKNOWN_COUNTY
        row[county] = row.get(county, 0) + 1
    counties = sorted({c for row in counts.values() for c in row})
    names = sorted(sorted(counts), key=lambda p: -sum(counts[p].values()))  # stable: ties alphabetical
    return ["party", *counties], [[p, *(counts[p].get(c, 0) for c in counties)] for p in names]


def read_matrix(db_path: str | Path, by: str = "canonical") -> tuple[list[str], list[list[Any]]]:
    """The party × county matrix, parties named as the document's time knew them (``by="canonical"``)
    or by today's body (``by="current"``: a landsting and the region it became are one row)."""
    if by not in ("canonical", "current"):
        raise ValueError(f"by must be 'canonical' or 'current', not {by!r}")
    columns, rows = read_table(db_path, "parties")
    doc, name, county = (columns.index(c) for c in ("document_id", by, "county"))
    return party_county_counts((r[doc], r[name], r[county]) for r in rows)
