"""Model-clause search: full-text candidates, re-ranked by similarity, reuse families shown once.

1. Candidates: the best FTS5 matches by bm25 in the word index, one per reuse family (a clause
   copied into 200 documents takes one place, not 200); topped up from the trigram index when
   the words alone give fewer than ``candidates`` families (words inside compounds).
2. Re-rank: ``score = w * lexical + (1 - w) * similarity``, where lexical is bm25 scaled to 0..1
   within the candidates and similarity compares each clause with the query words or the
   ``similar_to`` passage (see :mod:`rok_compare.search.similarity`).
3. Group: each hit is one family, listing its wordings and how many documents carry each
   (:mod:`rok_compare.search.families`).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from rok_compare.model import ClauseKind
from rok_compare.search.families import Occurrence, Variant, family, occurrence
from rok_compare.search.query import (
    MatchQuery,
    SearchQueryError,
    explain_fts_error,
    parse_query,
    query_from_text,
)
from rok_compare.search.similarity import similarity
from rok_compare.store.database import Store

LEXICAL_WEIGHT = 0.6
LEXICAL_WEIGHT_SIMILAR = 0.3
"""With ``similar_to`` the passage similarity matters more than the query words."""
TRIGRAM_DISCOUNT = 0.5
"""A match inside a compound counts less than a match of the word itself."""
FIRST_PASS = 10
"""The first pass groups the ``FIRST_PASS * candidates`` best-ranked matches by family."""
_NOT_QUERY_ERRORS = ("locked", "busy", "disk", "malformed", "no such table", "readonly", "unable to open")


@dataclass(frozen=True, slots=True)
class SearchHit:
    rank: int
    score: float
    lexical: float
    similarity: float
    text: str
    kind: str
    themes: tuple[str, ...]
    occurrence: Occurrence
    """The best-scoring clause of the family."""
    cluster_id: int | None
    n_documents: int
    """Documents carrying this clause or a variant of it, in the whole corpus."""
    n_variants: int
    """Distinct wordings in the family; ``variants`` lists the most widespread of them."""
    variants: tuple[Variant, ...]


@dataclass(slots=True)
class _Candidate:
    id: int
    lexical: float
    family: str
    text: str = ""
    kind: str = ""
    themes: str = "[]"
    norm_hash: str = ""
    cluster_id: int | None = None
    similarity: float = 0.0
    score: float = 0.0


def search(db: str | Path | Store, query: str = "", *, county: str | None = None, year: int | None = None,
           kind: str | None = None, party: str | None = None, similar_to: str | None = None,
           limit: int = 20, candidates: int = 100, theme: str | None = None) -> list[SearchHit]:
    """Ranked model clauses for ``query``; raises :class:`SearchQueryError` for a bad query or filter."""
    if not query.strip() and not (similar_to and similar_to.strip()):
        raise SearchQueryError("give a query, or a text to compare with (--similar-to)")
    store = db if isinstance(db, Store) else Store.open(db, readonly=True)
    try:
        conn = store.conn
        if query.strip():
            match = parse_query(query)
        else:
            match = query_from_text(similar_to or "", lambda words: _frequencies(conn, words),
                                    _clause_count(conn))
        where, params = _filters(conn, county, year, kind, party, theme)
        if where is None:
            return []
        found = _candidates(conn, match, where, params, max(candidates, limit), limit)
        if not found:
            return []
        _load(conn, found)
        _rerank(found, match, similar_to)
        return _hits(conn, found, limit)
    finally:
        if not isinstance(db, Store):
            store.close()


def _frequencies(conn: sqlite3.Connection, words: list[str]) -> dict[str, int]:
    """How many clauses each word occurs in (the word index's vocabulary)."""
    if not words:
        return {}
    marks = ",".join("?" * len(words))
    return dict(conn.execute(f"SELECT term, doc FROM clauses_vocab WHERE term IN ({marks})", words).fetchall())


def _clause_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM clauses").fetchone()[0])


def _filters(conn: sqlite3.Connection, county: str | None, year: int | None, kind: str | None,
             party: str | None, theme: str | None = None) -> tuple[str | None, list[object]]:
    """SQL conditions on ``c`` (clauses) and ``d`` (documents); None where when nothing can match."""
    where, params = [], []
    if county:
        if county.strip().isdigit():
            where.append("d.county_code = ?")
            params.append(county.strip().zfill(2))
        else:
            names = _matching(
                conn, "SELECT DISTINCT county_name FROM documents WHERE county_name IS NOT NULL", county)
            if not names:
                return None, []
            where.append(f"d.county_name IN ({','.join('?' * len(names))})")
            params += names
    if year is not None:
        where.append("d.period_start <= ? AND COALESCE(d.period_end, 9999) >= ?")
        params += [year, year]
    if kind:
        if kind not in {k.value for k in ClauseKind}:
            choices = ", ".join(k.value for k in ClauseKind)
            raise SearchQueryError(f"unknown clause kind {kind!r} (choose from {choices})")
        where.append("c.kind = ?")
        params.append(kind)
    if theme:
        from rok_compare.extract.clauses import theme_names

        if theme not in theme_names():
            raise SearchQueryError(f"unknown theme {theme!r} (choose from {', '.join(theme_names())})")
        where.append("EXISTS (SELECT 1 FROM json_each(c.themes) WHERE json_each.value = ?)")
        params.append(theme)
    if party:
        names = _matching(
            conn, "SELECT DISTINCT canonical FROM parties UNION SELECT DISTINCT name FROM parties", party)
        if not names:
            return None, []
        marks = ",".join("?" * len(names))
        where.append(f"d.id IN (SELECT document_id FROM parties "
                     f"WHERE canonical IN ({marks}) OR name IN ({marks}))")
        params += names + names
    return " AND ".join(where) or "1", params


def _matching(conn: sqlite3.Connection, sql: str, needle: str) -> list[str]:
    """Values containing ``needle``, compared case-insensitively (SQLite's LIKE folds ASCII only)."""
    folded = needle.casefold().strip()
    return [row[0] for row in conn.execute(sql) if row[0] and folded in row[0].casefold()]


def _run_match(conn: sqlite3.Connection, table: str, expression: str, match: MatchQuery, where: str,
               params: list[object], exclude: set[str], limit: int, wanted: int) -> list[tuple[int, float, str]]:
    """The best clause of each of the ``limit`` best families: (clause id, bm25, family key).

    The first pass groups the best ``FIRST_PASS * limit`` matches; when filters or big families
    leave fewer than ``wanted`` families there, a second pass groups every match.
    """
    first = limit * FIRST_PASS
    rows = _grouped(conn, table, expression, match, where, params, len(exclude) + limit, first)
    if len(rows) < len(exclude) + wanted and _more_than(conn, table, expression, first):
        rows = _grouped(conn, table, expression, match, where, params, len(exclude) + limit, None)
    return [row for row in rows if row[2] not in exclude][:limit]


def _grouped(conn: sqlite3.Connection, table: str, expression: str, match: MatchQuery, where: str,
             params: list[object], limit: int, first: int | None) -> list[tuple[int, float, str]]:
    # bm25 (the FTS5 rank) works only in a query driven by the FTS table itself: rank there, join after.
    top = "ORDER BY rank LIMIT ?" if first else ""
    sql = (f"WITH hits AS MATERIALIZED (SELECT rowid AS id, rank FROM {table} WHERE {table} MATCH ? {top}) "
           f"SELECT c.id, MIN(hits.rank), COALESCE('k' || m.cluster_id, c.norm_hash) AS family FROM hits "
           f"JOIN clauses c ON c.id = hits.id JOIN documents d ON d.id = c.document_id "
           f"LEFT JOIN cluster_members m ON m.clause_id = c.id WHERE {where} "
           f"GROUP BY family ORDER BY MIN(hits.rank), c.id LIMIT ?")
    args = [expression, *([first] if first else []), *params, limit]
    return _execute(conn, sql, args, match)


def _more_than(conn: sqlite3.Connection, table: str, expression: str, count: int) -> bool:
    sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT ?)"
    return conn.execute(sql, (expression, count + 1)).fetchone()[0] > count


def _execute(conn: sqlite3.Connection, sql: str, args: list[object], match: MatchQuery) -> list:
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError as error:
        if any(word in str(error) for word in _NOT_QUERY_ERRORS):
            raise
        raise explain_fts_error(match, error) from error  # the MATCH text is the only user input


def _candidates(conn: sqlite3.Connection, match: MatchQuery, where: str, params: list[object],
                limit: int, wanted: int) -> list[_Candidate]:
    """Up to ``limit`` families; the trigram index is asked only when the words match few clauses."""
    words = _run_match(conn, "clauses_fts", match.words, match, where, params, set(), limit, wanted)
    found = _scaled(words, 1.0)
    if match.trigram and len(found) < wanted and not _more_than(conn, "clauses_fts", match.words, limit):
        seen = {family for _, _, family in words}
        extra = _run_match(conn, "clauses_tri", match.trigram, match, where, params, seen, limit - len(found),
                           wanted - len(found))
        found += _scaled(extra, TRIGRAM_DISCOUNT)
    return found


def _scaled(rows: list[tuple[int, float, str]], weight: float) -> list[_Candidate]:
    """bm25 (negative, lower is better) scaled so the best candidate gets ``weight``."""
    if not rows:
        return []
    best = min(rank for _, rank, _ in rows)
    return [_Candidate(id_, weight * (rank / best if best else 1.0), family) for id_, rank, family in rows]


def _load(conn: sqlite3.Connection, found: list[_Candidate]) -> None:
    by_id = {c.id: c for c in found}
    marks = ",".join("?" * len(by_id))
    for id_, text, kind, themes, norm, cluster in conn.execute(
            f"SELECT c.id, c.text, c.kind, c.themes, c.norm_hash, m.cluster_id FROM clauses c "
            f"LEFT JOIN cluster_members m ON m.clause_id = c.id WHERE c.id IN ({marks})", list(by_id)):
        candidate = by_id[id_]
        candidate.text, candidate.kind, candidate.themes = text, kind, themes
        candidate.norm_hash, candidate.cluster_id = norm, cluster


def _rerank(found: list[_Candidate], match: MatchQuery, similar_to: str | None) -> None:
    reference = similar_to or " ".join(match.terms)
    weight = LEXICAL_WEIGHT_SIMILAR if similar_to else LEXICAL_WEIGHT
    scores = similarity(reference, match.terms, [c.text for c in found])
    for candidate, sim in zip(found, scores, strict=True):
        candidate.similarity = sim
        candidate.score = weight * candidate.lexical + (1 - weight) * sim
    found.sort(key=lambda c: (-c.score, c.id))


def _hits(conn: sqlite3.Connection, found: list[_Candidate], limit: int) -> list[SearchHit]:
    """The ``limit`` best candidates (one per family already) with their families."""
    hits = []
    for rank, best in enumerate(found[:limit], start=1):
        fam = family(conn, best.cluster_id, best.norm_hash, best.text)
        hits.append(SearchHit(rank, round(best.score, 4), round(best.lexical, 4), round(best.similarity, 4),
                              best.text, best.kind, tuple(json.loads(best.themes)), occurrence(conn, best.id),
                              best.cluster_id, fam.n_documents, fam.n_variants, fam.variants))
    return hits
