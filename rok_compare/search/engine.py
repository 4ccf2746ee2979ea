"""Clause search: the one function behind ``rok search`` and the report's search.

1. Parse (:mod:`~rok_compare.search.query`) and plan (:mod:`~rok_compare.search.compile`): each
   query word becomes the store words it finds (Swedish forms and compounds), one FTS5 expression.
2. Candidates: the best matches by bm25 in the word index, one per reuse family (a clause copied
   into 200 documents takes one place, not 200). Without query words (filters alone, or only
   ``-words``) the matching clauses are listed in document order instead.
3. Re-rank: ``score = w * lexical + (1 - w) * similarity``, where lexical is bm25 scaled to 0..1
   within the candidates and similarity compares each clause with the query words or the
   ``similar_to`` passage (:mod:`~rok_compare.search.similarity`).
4. Group: each hit is one family, listing its wordings and where each occurs
   (:mod:`~rok_compare.search.families`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

from rok_compare.search.compile import Plan, plan_passage, plan_query, store_words
from rok_compare.search.families import Occurrence, Variant, family, occurrence
from rok_compare.search.filters import Filters, conditions, year_range
from rok_compare.search.query import WORD, Query, SearchQueryError, parse_query
from rok_compare.search.similarity import similarity
from rok_compare.search.swedish import fold
from rok_compare.store.database import Store

LEXICAL_WEIGHT = 0.6
LEXICAL_WEIGHT_SIMILAR = 0.3
"""With ``similar_to`` the passage similarity matters more than the query words."""
COMPOUND_DISCOUNT = 0.5
"""A clause that has a query word only inside compounds counts less than one that has the word."""
FIRST_PASS = 10
"""The first pass groups the ``FIRST_PASS * candidates`` best-ranked matches by family."""
_NOT_QUERY_ERRORS = ("locked", "busy", "disk", "malformed", "no such table", "readonly", "unable to open")
_FAMILY = "COALESCE('k' || m.cluster_id, c.norm_hash)"
_FROM = ("clauses c JOIN documents d ON d.id = c.document_id "
         "LEFT JOIN cluster_members m ON m.clause_id = c.id")
_DOCUMENT_ORDER = "d.county_code IS NULL, d.county_code, d.period_start IS NULL, d.period_start, d.id, c.ord"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One clause found, standing for its reuse family (its copies and edited copies)."""

    rank: int
    score: float
    """0..1; 0 for a listing without query words (filters alone)."""
    lexical: float
    similarity: float
    text: str
    kind: str
    themes: tuple[str, ...]
    occurrence: Occurrence
    """The best-scoring clause of the family: document id and label, clause id and anchor."""
    cluster_id: int | None
    n_documents: int
    """Documents carrying this clause or a variant of it, in the whole corpus."""
    n_variants: int
    """Distinct wordings in the family; ``variants`` lists the most widespread of them."""
    variants: tuple[Variant, ...]
    highlights: tuple[str, ...] = ()
    """The words of ``text`` (lower case) that the query found, for marking them."""

    @property
    def document_id(self) -> int:
        return self.occurrence.document_id

    @property
    def clause_id(self) -> int:
        return self.occurrence.clause_id

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready data (what ``rok search --format json`` prints, one per hit)."""
        data = asdict(self)
        data["document_id"], data["clause_id"] = self.document_id, self.clause_id
        data["label"], data["anchor"] = self.occurrence.label, self.occurrence.anchor
        return data


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


def search(db: str | Path | Store, query: str = "", *, county: str | None = None,
           year: int | str | tuple[int | None, int | None] | None = None, kind: str | None = None,
           party: str | None = None, theme: str | None = None, doc_type: str | None = None,
           document: int | None = None, similar_to: str | None = None, limit: int = 20, offset: int = 0,
           candidates: int = 100) -> list[SearchHit]:
    """Clauses of the store matching ``query`` and the filters, best first, copies shown once.

    **Query language** (the same for ``rok search``, the report and Python)::

        bostad                 the word in any form and compounds with it: bostäder, bostaden,
                               bostadsförsörjning, hyresbostäder (Swedish, rule-based)
        "egen bostad"          exact words in this order, any case; "bostad" alone: only that word
        bostad*                words beginning with bostad
        bostad tolk            both (AND is implied; AND may be written)
        bostad OR boende       either; OR binds tighter than AND:
                               bostad OR boende nyanlända = (bostad OR boende) AND nyanlända
        bostad -tolk           bostad but not tolk (also: bostad NOT tolk)
        (bostad OR boende) -tolk   parentheses group; -"a phrase" and -(a OR b) also exclude
        -tolk                  only -words: every clause (of the filters) without them

    Operators are capitals (OR, AND, NOT); letters are compared case-insensitively, å/ä/ö kept
    apart from a/o (``får`` never finds ``far``). Function words (och, att, för, ska, ...) match
    only themselves. An empty query lists the clauses the filters select, by county, year and
    document. A bad query or filter raises :class:`SearchQueryError` (a one-line message).

    **Filters** (all optional, combined with AND): ``county`` (part of a name, any case, or a
    two-digit code), ``year`` (documents valid in that year: ``2019``, ``"2017-2019"``,
    ``"2017-"``, ``(2017, 2019)``), ``kind`` (clause kind: goal, commitment, ...), ``theme``,
    ``party`` (part of a party's name), ``doc_type`` (regional_agreement, local_agreement, ...),
    ``document`` (a document id). ``similar_to`` ranks by likeness to a passage (alone: find
    the passage's wordings). ``limit``/``offset`` page through the hits.

    Each :class:`SearchHit` names its document (``occurrence.label``: short title · county ·
    year · type; ``document_id``) and its clause (``clause_id``; ``occurrence.anchor`` is
    ``doc/<document_id>.html#clause-<clause_id>`` in the report).
    """
    if limit < 1 or offset < 0:
        raise SearchQueryError("limit must be 1 or more and offset 0 or more")
    request = _request(query, similar_to, Filters(county, kind, theme, party, year_range(year), doc_type, document))
    with _opened(db) as store:
        prepared = _prepare(store, request)
        if prepared is None:
            return []
        plan, where = prepared
        wanted = offset + limit
        if plan.include is None:
            found = _listed(store.conn, plan, where, wanted)
            _load(store.conn, found)
        else:
            found = _ranked(store.conn, plan, where, max(candidates, wanted), wanted)
            _load(store.conn, found)
            _rerank(found, plan, request.passage)
        return _hits(store.conn, found[offset:wanted], plan, offset)


def count_matches(db: str | Path | Store, query: str = "", *, county: str | None = None,
                  year: int | str | tuple[int | None, int | None] | None = None, kind: str | None = None,
                  party: str | None = None, theme: str | None = None, doc_type: str | None = None,
                  document: int | None = None, similar_to: str | None = None, **paging: int) -> int:
    """How many hits :func:`search` has in all for the same arguments (reuse families, each
    counted once), however many ``limit`` shows; ``paging`` (limit, offset, ...) is ignored."""
    request = _request(query, similar_to, Filters(county, kind, theme, party, year_range(year), doc_type, document))
    with _opened(db) as store:
        prepared = _prepare(store, request)
        if prepared is None:
            return 0
        sql, args = _matching_sql(*prepared)
        return int(_execute(store.conn, f"SELECT COUNT(DISTINCT {_FAMILY}) FROM {_FROM} WHERE {sql}", args,
                            query).fetchone()[0])


@dataclass(frozen=True, slots=True)
class _Request:
    query: Query
    passage: str | None
    filters: Filters


def _request(query: str, similar_to: str | None, filters: Filters) -> _Request:
    """The parsed request; raises :class:`SearchQueryError` when it asks for nothing or cannot be run."""
    parsed = parse_query(query)
    passage = similar_to.strip() if similar_to and similar_to.strip() else None
    if parsed.root is None and passage is None and not filters.any:
        raise SearchQueryError("give a query, a filter (county, year, kind, theme, party, document type) "
                               "or a text to compare with (--similar-to)")
    return _Request(parsed, passage, filters)


@contextmanager
def _opened(db: str | Path | Store) -> Iterator[Store]:
    """The store given, or the one at a path opened read-only for this call."""
    if isinstance(db, Store):
        yield db
        return
    with Store.open(db, readonly=True) as store:
        yield store


def _prepare(store: Store, request: _Request) -> tuple[Plan, tuple[str, list[object]]] | None:
    """The plan and the filters' SQL condition; None when nothing in the store can match."""
    where = conditions(store.conn, request.filters)
    if where is None:
        return None
    words = partial(store_words, store.conn, str(store.path))  # read only when the query has words
    if request.query.root is None and request.passage:
        plan = plan_passage(request.passage, words())
    else:
        plan = plan_query(request.query, words)
    return None if plan.empty else (plan, where)


def _matching_sql(plan: Plan, where: tuple[str, list[object]]) -> tuple[str, list[object]]:
    """The condition for every clause the plan and filters select."""
    sql, args = where[0], list(where[1])
    for expression, negate in ((plan.include, ""), (plan.exclude, "NOT ")):
        if expression:
            sql += f" AND c.id {negate}IN (SELECT rowid FROM clauses_fts WHERE clauses_fts MATCH ?)"
            args.append(expression)
    return sql, args


def _listed(conn: sqlite3.Connection, plan: Plan, where: tuple[str, list[object]], wanted: int) -> list[_Candidate]:
    """Without query words: the first clause of each family, in document order."""
    sql, args = _matching_sql(plan, where)
    rows = _execute(conn, f"WITH found AS (SELECT c.id, {_FAMILY} AS family, ROW_NUMBER() OVER ("
                          f"PARTITION BY {_FAMILY} ORDER BY {_DOCUMENT_ORDER}) AS n, "
                          f"ROW_NUMBER() OVER (ORDER BY {_DOCUMENT_ORDER}) AS position FROM {_FROM} WHERE {sql}) "
                          f"SELECT id, family FROM found WHERE n = 1 ORDER BY position LIMIT ?",
                    [*args, wanted], plan.include or plan.exclude or "").fetchall()
    return [_Candidate(id_, 0.0, fam) for id_, fam in rows]


def _ranked(conn: sqlite3.Connection, plan: Plan, where: tuple[str, list[object]], limit: int,
            wanted: int) -> list[_Candidate]:
    """The best clause of each of the ``limit`` best families by bm25.

    The first pass groups the best ``FIRST_PASS * limit`` matches; when filters or big families
    leave fewer than ``wanted`` families there, a second pass groups every match.
    """
    expression = plan.include or ""
    first = limit * FIRST_PASS
    rows = _grouped(conn, expression, where, limit, first)
    if len(rows) < wanted and _more_than(conn, expression, first):
        rows = _grouped(conn, expression, where, limit, None)
    if not rows:
        return []
    best = min(rank for _, rank, _ in rows)
    return [_Candidate(id_, rank / best if best else 1.0, fam) for id_, rank, fam in rows]


def _grouped(conn: sqlite3.Connection, expression: str, where: tuple[str, list[object]], limit: int,
             first: int | None) -> list[tuple[int, float, str]]:
    # bm25 (the FTS5 rank) works only in a query driven by the FTS table itself: rank there, join after.
    top = "ORDER BY rank LIMIT ?" if first else ""
    sql = (f"WITH hits AS MATERIALIZED (SELECT rowid AS id, rank FROM clauses_fts WHERE clauses_fts MATCH ? "
           f"{top}) SELECT c.id, MIN(hits.rank), {_FAMILY} AS family FROM hits JOIN {_FROM} "
           f"WHERE c.id = hits.id AND {where[0]} GROUP BY family ORDER BY MIN(hits.rank), c.id LIMIT ?")
    args = [expression, *([first] if first else []), *where[1], limit]
    return _execute(conn, sql, args, expression).fetchall()


def _more_than(conn: sqlite3.Connection, expression: str, count: int) -> bool:
    sql = "SELECT COUNT(*) FROM (SELECT 1 FROM clauses_fts WHERE clauses_fts MATCH ? LIMIT ?)"
    return _execute(conn, sql, [expression, count + 1], expression).fetchone()[0] > count


def _execute(conn: sqlite3.Connection, sql: str, args: list[object], shown: str) -> sqlite3.Cursor:
    try:
        return conn.execute(sql, args)
    except sqlite3.OperationalError as error:
        if any(word in str(error) for word in _NOT_QUERY_ERRORS):
            raise
        # Every word is quoted when the expression is built: this is a bug, not the user's query.
        raise RuntimeError(f"search expression {shown[:200]!r} failed: {error}") from error


def _load(conn: sqlite3.Connection, found: list[_Candidate]) -> None:
    if not found:
        return
    by_id = {c.id: c for c in found}
    marks = ",".join("?" * len(by_id))
    for id_, text, kind, themes, norm, cluster in conn.execute(
            f"SELECT c.id, c.text, c.kind, c.themes, c.norm_hash, m.cluster_id FROM clauses c "
            f"LEFT JOIN cluster_members m ON m.clause_id = c.id WHERE c.id IN ({marks})", list(by_id)):
        candidate = by_id[id_]
        candidate.text, candidate.kind, candidate.themes = text, kind, themes
        candidate.norm_hash, candidate.cluster_id = norm, cluster


def _rerank(found: list[_Candidate], plan: Plan, similar_to: str | None) -> None:
    reference = similar_to or " ".join(plan.terms)
    weight = LEXICAL_WEIGHT_SIMILAR if similar_to else LEXICAL_WEIGHT
    scores = similarity(reference, plan.terms, [c.text for c in found])
    for candidate, sim in zip(found, scores, strict=True):
        if plan.compounds and plan.found.isdisjoint(fold(w) for w in WORD.findall(candidate.text)):
            candidate.lexical *= COMPOUND_DISCOUNT
        candidate.similarity = sim
        candidate.score = weight * candidate.lexical + (1 - weight) * sim
    found.sort(key=lambda c: (-c.score, c.id))


def _highlights(text: str, plan: Plan) -> tuple[str, ...]:
    words = dict.fromkeys(fold(w) for w in WORD.findall(text))
    found = plan.found | plan.compounds
    return tuple(w for w in words if w in found or w.startswith(plan.prefixes or ("\0",)))


def _hits(conn: sqlite3.Connection, found: list[_Candidate], plan: Plan, offset: int) -> list[SearchHit]:
    """The candidates (one per family already) with their families."""
    hits = []
    for rank, best in enumerate(found, start=offset + 1):
        fam = family(conn, best.cluster_id, best.norm_hash, best.text)
        hits.append(SearchHit(rank, round(best.score, 4), round(best.lexical, 4), round(best.similarity, 4),
                              best.text, best.kind, tuple(json.loads(best.themes)), occurrence(conn, best.id),
                              best.cluster_id, fam.n_documents, fam.n_variants, fam.variants,
                              _highlights(best.text, plan)))
    return hits
