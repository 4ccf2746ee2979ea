"""Where a search's candidates come from: the clauses it ranks, one per reuse family.

- :func:`ranked`: every match ranked by FTS5's bm25 and grouped by family in SQL. FTS5 computes
  bm25 for every match and every term of the expression, whatever the LIMIT, so this is for
  queries whose cost (matches times terms) fits :data:`EXACT_BUDGET`.
- :func:`sampled`: for larger ones, the :data:`SAMPLE` most recently stored matches of the plan's
  candidate expression, read in rowid order (which FTS5 streams and stops), checked against the
  whole query and ranked by the same bm25 formula in Python (:mod:`rok_compare.search.verify`).
- :func:`listed`: without query words, the first clause of each family in document order,
  read document by document until enough families are found.
- :func:`count`: how many families match (or, for a large query, how many clauses).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from itertools import chain, repeat

from rok_compare.search.compile import Plan
from rok_compare.search.verify import Scorer, matches, ranked_matches, tokens
from rok_compare.search.vocab import StoreWords

FIRST_PASS = 10
"""The first pass groups the ``FIRST_PASS * candidates`` best-ranked matches by family."""
EXACT_BUDGET = 30_000
"""Matches times (10 + FTS5 terms) up to which every match is ranked by FTS5's bm25 (about 10 ms
of CPU). Above it, candidates are sampled."""
SAMPLE = 500
"""Matches read and ranked for a large query (the most recently stored ones)."""
SAMPLE_FILTERED = 200
"""Matches that pass the filters read and ranked for a large filtered query."""
SCAN_FILTERED = 8_000
"""Matches read at most to find :data:`SAMPLE_FILTERED` that pass the filters (else every match is ranked)."""
EXTEND = 10_000
"""Further matches read when the sample holds copies of too few clauses to fill the page."""
EXTEND_CHUNKS = (500, 1_500, 3_000, 5_000)
"""The :data:`EXTEND` matches are read in chunks of these sizes (the last one repeated while
there are more to read); reading stops at the chunk that fills the page."""
LISTING_SCAN = 20_000
"""Clauses read at most, document by document, for a listing (else it is done in one SQL query)."""
FAMILY = "COALESCE('k' || m.cluster_id, c.norm_hash)"
FROM = "clauses c JOIN documents d ON d.id = c.document_id LEFT JOIN cluster_members m ON m.clause_id = c.id"
DOCUMENT_ORDER = "d.county_code IS NULL, d.county_code, d.period_start IS NULL, d.period_start, d.id"
COUNT_CAP = 10_000
"""Matches a large query's count reads at most ("more than 10,000": no page shows them all)."""
_NOT_QUERY_ERRORS = ("locked", "busy", "disk", "malformed", "no such table", "readonly", "unable to open")
_BATCH = 100

Where = tuple[str, list[object]]


@dataclass(slots=True)
class Candidate:
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


def exact(plan: Plan) -> bool:
    """Whether ranking every match of the plan in FTS5 is cheap enough (:data:`EXACT_BUDGET`)."""
    return plan.estimate * (10 + plan.fts_terms) <= EXACT_BUDGET


def execute(conn: sqlite3.Connection, sql: str, args: list[object], shown: str) -> sqlite3.Cursor:
    try:
        return conn.execute(sql, args)
    except sqlite3.OperationalError as error:
        if any(word in str(error) for word in _NOT_QUERY_ERRORS):
            raise
        # Every word is quoted when the expression is built: this is a bug, not the user's query.
        raise RuntimeError(f"search expression {shown[:200]!r} failed: {error}") from error


def matching_sql(plan: Plan, where: Where) -> Where:
    """The condition for every clause the plan and filters select."""
    sql, args = where[0], list(where[1])
    for expression, negate in ((plan.include, ""), (plan.exclude, "NOT ")):
        if expression:
            sql += f" AND c.id {negate}IN (SELECT rowid FROM clauses_fts WHERE clauses_fts MATCH ?)"
            args.append(expression)
    return sql, args


@dataclass(frozen=True, slots=True)
class HitCount:
    """How many hits a search has in all."""

    n: int
    families: bool = True
    """True: reuse families (copies counted once), as the hits are listed. False: the clauses
    matching a query too large to group every match (copies counted apart)."""
    more: bool = False
    """True: there are more than ``n`` (counting stopped at :data:`COUNT_CAP` matches)."""


def count(conn: sqlite3.Connection, plan: Plan, where: Where) -> HitCount:
    """Families matching, or for a large query (see :func:`exact`) the clauses matching, counted
    by the word index up to :data:`COUNT_CAP` matches read (no ranking, no grouping)."""
    if plan.include and not exact(plan):
        if where[0] == "1":
            sql = "SELECT COUNT(*) FROM (SELECT 1 FROM clauses_fts WHERE clauses_fts MATCH ? LIMIT ?)"
            n = execute(conn, sql, [plan.include, COUNT_CAP + 1], plan.include).fetchone()[0]
            return HitCount(min(n, COUNT_CAP), False, n > COUNT_CAP)
        sql = ("SELECT COUNT(*), COALESCE(SUM(passes), 0) FROM (SELECT d.id IS NOT NULL AND "
               f"{where[0]} AS passes FROM (SELECT rowid AS id FROM clauses_fts WHERE clauses_fts MATCH ? LIMIT ?) "
               "hits JOIN clauses c ON c.id = hits.id JOIN documents d ON d.id = c.document_id)")
        read, n = execute(conn, sql, [*where[1], plan.include, COUNT_CAP + 1], plan.include).fetchone()
        return HitCount(int(n), False, read > COUNT_CAP)
    sql, args = matching_sql(plan, where)
    shown = plan.include or plan.exclude or ""
    counted = execute(conn, f"SELECT COUNT(DISTINCT {FAMILY}) FROM {FROM} WHERE {sql}", args, shown).fetchone()[0]
    return HitCount(int(counted))


def ranked(conn: sqlite3.Connection, plan: Plan, where: Where, limit: int, wanted: int) -> list[Candidate]:
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
    return [Candidate(id_, rank / best if best else 1.0, fam) for id_, rank, fam in rows]


def _grouped(conn: sqlite3.Connection, expression: str, where: Where, limit: int,
             first: int | None) -> list[tuple[int, float, str]]:
    # bm25 (the FTS5 rank) works only in a query driven by the FTS table itself: rank there, join after.
    top = "ORDER BY rank LIMIT ?" if first else ""
    sql = (f"WITH hits AS MATERIALIZED (SELECT rowid AS id, rank FROM clauses_fts WHERE clauses_fts MATCH ? "
           f"{top}) SELECT c.id, MIN(hits.rank), {FAMILY} AS family FROM hits JOIN {FROM} "
           f"WHERE c.id = hits.id AND {where[0]} GROUP BY family ORDER BY MIN(hits.rank), c.id LIMIT ?")
    args = [expression, *([first] if first else []), *where[1], limit]
    return execute(conn, sql, args, expression).fetchall()


def _more_than(conn: sqlite3.Connection, expression: str, count: int) -> bool:
    sql = "SELECT COUNT(*) FROM (SELECT 1 FROM clauses_fts WHERE clauses_fts MATCH ? LIMIT ?)"
    return execute(conn, sql, [expression, count + 1], expression).fetchone()[0] > count


def sampled(conn: sqlite3.Connection, words: StoreWords, plan: Plan, where: Where, limit: int,
            wanted: int) -> list[Candidate] | None:
    """The best clause of each of the ``limit`` best families among the :data:`SAMPLE` most recently
    stored matches that pass the filters; None when they hold fewer than ``wanted`` families and
    more matches may exist (every match is ranked then)."""
    pool = max(SAMPLE if where[0] == "1" else SAMPLE_FILTERED, wanted * FIRST_PASS)
    expression = plan.retrieval or ""
    rows = _sample(conn, expression, where, pool)
    if len(rows) < pool and plan.retrieval != plan.include:  # the common forms are too few: read every form
        expression = plan.include or ""
        rows = _sample(conn, expression, where, pool)
    scorer = Scorer(plan, words)
    by_id = {row[0]: row for row in rows}
    scored = ranked_matches(plan, scorer, rows)
    best: dict[str, Candidate] = {}
    for score, id_ in scored:  # best first: a family's best clause is the first of it here
        _, text, kind, themes, norm, cluster = by_id[id_]
        fam = _family(cluster, norm)
        if fam not in best:
            best[fam] = Candidate(id_, -score, fam, text, kind, themes, norm, cluster)
            if len(best) >= limit:
                break
    scanned = pool if where[0] == "1" else max(SCAN_FILTERED, pool)
    if len(best) < wanted and (len(rows) >= pool or where[0] != "1" and _more_than(conn, expression, scanned)):
        # copies of a few clauses, or filters that pass few matches: read on, one clause per family
        _extend(conn, plan, scorer, expression, where, min(by_id, default=1 << 62), best, wanted)
        if len(best) < wanted and _more_than(conn, expression, scanned + EXTEND):
            return None  # still too few families, and more matches than were read: rank them all
    best = dict(sorted(best.items(), key=lambda item: (-item[1].lexical, item[1].id)))
    found = list(best.values())[:limit]
    top = found[0].lexical if found else 0.0
    for candidate in found:
        candidate.lexical = candidate.lexical / top if top else 1.0
    return found


def _clause_rows(conn: sqlite3.Connection, columns: str, ids: list[int]) -> dict[int, tuple]:
    """``(id, *columns)`` of the clauses ``ids`` by id; ``c`` is the clause, ``m`` its cluster membership."""
    marks = ",".join("?" * len(ids))
    return {row[0]: row for row in conn.execute(
        f"SELECT c.id, {columns} FROM clauses c LEFT JOIN cluster_members m ON m.clause_id = c.id "
        f"WHERE c.id IN ({marks})", ids)}


def _sample(conn: sqlite3.Connection, expression: str, where: Where, pool: int) -> list[tuple]:
    """(id, text, kind, themes, norm_hash, cluster id) of the ``pool`` most recently stored matches
    that pass the filters: all a candidate needs, in the one query that finds them."""
    inner = "SELECT rowid AS id FROM clauses_fts WHERE clauses_fts MATCH ? ORDER BY rowid DESC LIMIT ?"
    # The cluster as a subquery, not a join: the rows (and which of them a LIMIT keeps) are those
    # of the matches and filters alone.
    columns = ("c.id, c.text, c.kind, c.themes, c.norm_hash, "
               "(SELECT cluster_id FROM cluster_members WHERE clause_id = c.id)")
    if where[0] == "1":
        sql, args = f"SELECT {columns} FROM ({inner}) hits JOIN clauses c ON c.id = hits.id", [expression, pool]
    else:
        sql = (f"SELECT {columns} FROM ({inner}) hits JOIN clauses c ON c.id = hits.id "
               f"JOIN documents d ON d.id = c.document_id WHERE {where[0]} LIMIT ?")
        args = [expression, max(SCAN_FILTERED, pool), *where[1], pool]
    return execute(conn, sql, args, expression).fetchall()


def _family(cluster: int | None, norm_hash: str) -> str:
    """:data:`FAMILY` of a clause, worked out in Python."""
    return norm_hash if cluster is None else f"k{cluster}"


def _extend(conn: sqlite3.Connection, plan: Plan, scorer: Scorer, expression: str, where: Where, below: int,
            best: dict[str, Candidate], wanted: int) -> None:
    """Add the newest clause of each family not yet found among the next :data:`EXTEND` matches
    (older than ``below``), newest first, until there are ``wanted`` families.

    The matches are read newest first in chunks (:data:`EXTEND_CHUNKS`), each grouped by family in
    SQL: copies cost a row read, not a text to check, and reading stops at the chunk that fills the
    page. A family's first row read is its newest match, the one checked; older ones are passed over."""
    assert plan.root is not None
    seen = set(best)
    read = 0
    for size in chain(EXTEND_CHUNKS, repeat(EXTEND_CHUNKS[-1])):
        size = min(size, EXTEND - read)
        if size <= 0:
            return
        lowest, n, newest = _families_below(conn, expression, where, below, size)
        fresh = sorted(((id_, fam) for id_, fam in newest if fam not in seen), reverse=True)
        seen.update(fam for _, fam in fresh)
        for start in range(0, len(fresh), _BATCH):
            batch = fresh[start:start + _BATCH]
            details = _clause_rows(conn, "c.text, c.kind, c.themes, c.norm_hash, m.cluster_id", [i for i, _ in batch])
            for id_, fam in batch:
                _, text, kind, themes, norm, cluster = details[id_]
                found = tokens(text)
                if matches(plan.root, found, set(found), plan):
                    best[fam] = Candidate(id_, scorer.score(found), fam, text, kind, themes, norm, cluster)
                    if len(best) >= wanted:
                        return
        if n < size:
            return  # no older matches
        read, below = read + size, lowest


def _families_below(conn: sqlite3.Connection, expression: str, where: Where, below: int,
                    size: int) -> tuple[int, int, list[tuple[int, str]]]:
    """Of the ``size`` newest matches older than ``below``: the oldest id, how many there are, and
    (newest id, family) of each family among those that pass the filters."""
    inner = ("SELECT rowid AS id FROM clauses_fts WHERE clauses_fts MATCH ? AND rowid < ? ORDER BY rowid DESC "
             "LIMIT ?")
    if where[0] == "1":  # the clause row is read only for a clause in no cluster (its norm_hash)
        grouped = ("SELECT MAX(hits.id), NULL, COALESCE('k' || m.cluster_id, (SELECT norm_hash FROM clauses "
                   "WHERE id = hits.id)) AS family FROM hits LEFT JOIN cluster_members m ON m.clause_id = hits.id "
                   "GROUP BY family")
    else:
        grouped = (f"SELECT MAX(c.id), NULL, {FAMILY} AS family FROM hits JOIN clauses c ON c.id = hits.id "
                   f"JOIN documents d ON d.id = c.document_id LEFT JOIN cluster_members m ON m.clause_id = c.id "
                   f"WHERE {where[0]} GROUP BY family")
    # The bounds row is the one without a family (every clause has a norm_hash).
    rows = execute(conn, f"WITH hits AS MATERIALIZED ({inner}) SELECT MIN(id), COUNT(*), NULL FROM hits "
                         f"UNION ALL {grouped}", [expression, below, size, *where[1]], expression).fetchall()
    lowest, n = next((first, n) for first, n, fam in rows if fam is None)
    return lowest or below, n, [(id_, fam) for id_, _, fam in rows if fam is not None]


def listed(conn: sqlite3.Connection, plan: Plan, where: Where, split: tuple[Where, Where],
           wanted: int) -> list[Candidate]:
    """Without query words: the first clause of each family, in document order. Read document by
    document (a listing needs a page, not every clause), or in one SQL query when
    :data:`LISTING_SCAN` clauses did not fill the page."""
    (documents, document_args), (clauses, clause_args) = split
    order = conn.execute(f"SELECT d.id FROM documents d WHERE {documents} ORDER BY {DOCUMENT_ORDER}",
                         document_args).fetchall()
    found: dict[str, Candidate] = {}
    read = 0
    for (document,) in order:
        rows = conn.execute(f"SELECT c.id, c.text, {FAMILY} FROM clauses c LEFT JOIN cluster_members m "
                            f"ON m.clause_id = c.id WHERE c.document_id = ? AND {clauses} ORDER BY c.ord",
                            [document, *clause_args]).fetchall()
        read += len(rows)
        for id_, text, fam in rows:
            if fam in found or (plan.root is not None and not _kept(plan, text)):
                continue
            found[fam] = Candidate(id_, 0.0, fam)
            if len(found) >= wanted:
                return list(found.values())
        if read > LISTING_SCAN:
            return _listed_in_sql(conn, plan, where, wanted)
    return list(found.values())


def _kept(plan: Plan, text: str) -> bool:
    words = tokens(text)
    assert plan.root is not None
    return matches(plan.root, words, set(words), plan)


def _listed_in_sql(conn: sqlite3.Connection, plan: Plan, where: Where, wanted: int) -> list[Candidate]:
    sql, args = matching_sql(plan, where)
    order = f"{DOCUMENT_ORDER}, c.ord"
    rows = execute(conn, f"WITH found AS (SELECT c.id, {FAMILY} AS family, ROW_NUMBER() OVER ("
                         f"PARTITION BY {FAMILY} ORDER BY {order}) AS n, "
                         f"ROW_NUMBER() OVER (ORDER BY {order}) AS position FROM {FROM} WHERE {sql}) "
                         f"SELECT id, family FROM found WHERE n = 1 ORDER BY position LIMIT ?",
                   [*args, wanted], plan.include or plan.exclude or "").fetchall()
    return [Candidate(id_, 0.0, fam) for id_, fam in rows]


def load(conn: sqlite3.Connection, found: list[Candidate]) -> None:
    """Fill in the text, kind, themes and family of candidates known by id."""
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
