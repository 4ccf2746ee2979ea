"""Clause search: the one function behind ``rok search`` and the report's search.

1. Parse (:mod:`~rok_compare.search.query`) and plan (:mod:`~rok_compare.search.compile`): each
   query word becomes the store words it finds (Swedish forms and compounds), one FTS5 expression.
2. Candidates (:mod:`~rok_compare.search.candidates`): the best matches by bm25 in the word index,
   one per reuse family (a clause copied into 200 documents takes one place, not 200). FTS5
   computes bm25 for every match even under a LIMIT, so a query matching very many clauses ranks
   a sample instead: the most recently stored matches of a cheaper expression (each word cut to
   its most common forms), checked against the whole query and ranked by the same bm25 formula.
   Without query words (filters alone, or only ``-words``) the matching clauses are listed in
   document order instead.
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

from rok_compare.search import candidates as found_by
from rok_compare.search.candidates import Candidate, HitCount, Where, exact
from rok_compare.search.compile import Plan, plan_passage, plan_query, store_words
from rok_compare.search.families import Occurrence, Variant, families, occurrences
from rok_compare.search.filters import Filters, split_conditions, unknown_names, year_range
from rok_compare.search.query import WORD, Query, SearchQueryError, parse_query
from rok_compare.search.similarity import similarity
from rok_compare.search.swedish import fold
from rok_compare.store.database import Store

LEXICAL_WEIGHT = 0.6
LEXICAL_WEIGHT_SIMILAR = 0.3
"""With ``similar_to`` the passage similarity matters more than the query words."""
COMPOUND_DISCOUNT = 0.5
"""A clause that has a query word only inside compounds counts less than one that has the word."""
MAP_BYTES = 1 << 32
"""Bytes of the store SQLite may read through a memory map (``PRAGMA mmap_size``; SQLite caps it at
its build's limit). A search reads a few thousand scattered rows: mapped, a row costs a memory
read instead of a read call that copies its page (about a quarter less CPU at a million clauses)."""


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
        plan, where, split = prepared
        wanted, conn = offset + limit, store.conn
        if plan.include is None:
            found = found_by.listed(conn, plan, where, split, wanted)
            found_by.load(conn, found)
        else:
            found = None
            if not exact(plan):
                words = store_words(conn, str(store.path))
                found = found_by.sampled(conn, words, plan, where, max(candidates, wanted), wanted)
            if found is None:
                found = found_by.ranked(conn, plan, where, max(candidates, wanted), wanted)
                found_by.load(conn, found)
            _rerank(found, plan, request.passage)
        return _hits(store.conn, found[offset:wanted], plan, offset)


def count_matches(db: str | Path | Store, query: str = "", *, county: str | None = None,
                  year: int | str | tuple[int | None, int | None] | None = None, kind: str | None = None,
                  party: str | None = None, theme: str | None = None, doc_type: str | None = None,
                  document: int | None = None, similar_to: str | None = None, **paging: int) -> int:
    """How many hits :func:`search` has in all for the same arguments (reuse families, each
    counted once), however many ``limit`` shows; ``paging`` (limit, offset, ...) is ignored.
    A query matching very many clauses counts clauses instead (see :func:`count_hits`)."""
    return count_hits(db, query, county=county, year=year, kind=kind, party=party, theme=theme,
                      doc_type=doc_type, document=document, similar_to=similar_to).n


def count_hits(db: str | Path | Store, query: str = "", *, county: str | None = None,
               year: int | str | tuple[int | None, int | None] | None = None, kind: str | None = None,
               party: str | None = None, theme: str | None = None, doc_type: str | None = None,
               document: int | None = None, similar_to: str | None = None, **paging: int) -> HitCount:
    """:func:`count_matches` and what it counted: reuse families, or for a query matching more
    clauses than :data:`~rok_compare.search.candidates.EXACT_BUDGET` allows to group, the matching clauses."""
    request = _request(query, similar_to, Filters(county, kind, theme, party, year_range(year), doc_type, document))
    with _opened(db) as store:
        prepared = _prepare(store, request)
        if prepared is None:
            return HitCount(0)
        return found_by.count(store.conn, prepared[0], prepared[1])


def check_names(db: str | Path | Store, *, county: str | None = None, party: str | None = None) -> None:
    """Raise :class:`SearchQueryError` when the ``county`` or ``party`` filter names something no
    document of the store matches, with the store's closest names (``rok search`` checks its
    filters with this: :func:`search` itself lets such a filter select nothing)."""
    with _opened(db) as store:
        unknown_names(store.conn, county, party)


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
    """The store given, or the one at a path opened read-only for this call; either way read
    through a memory map (:data:`MAP_BYTES`)."""
    if isinstance(db, Store):
        _mapped(db.conn)
        yield db
        return
    with Store.open(db, readonly=True) as store:
        _mapped(store.conn)
        yield store


def _mapped(conn: sqlite3.Connection) -> None:
    """Let SQLite read the store through a memory map, unless the connection already says how."""
    if conn.execute("PRAGMA mmap_size").fetchone()[0] == 0:
        conn.execute(f"PRAGMA mmap_size = {MAP_BYTES}")


def _prepare(store: Store, request: _Request) -> tuple[Plan, Where, tuple[Where, Where]] | None:
    """The plan and the filters' SQL condition (all of it, and on documents and clauses apart);
    None when nothing in the store can match."""
    split = split_conditions(store.conn, request.filters)
    if split is None:
        return None
    (documents, document_args), (clauses, clause_args) = split
    where = " AND ".join(sql for sql in (documents, clauses) if sql != "1") or "1", document_args + clause_args
    words = partial(store_words, store.conn, str(store.path))  # read only when the query has words
    if request.query.root is None and request.passage:
        plan = plan_passage(request.passage, words())
    else:
        plan = plan_query(request.query, words)
    return None if plan.empty else (plan, where, split)


def _rerank(found: list[Candidate], plan: Plan, similar_to: str | None) -> None:
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


def _hits(conn: sqlite3.Connection, found: list[Candidate], plan: Plan, offset: int) -> list[SearchHit]:
    """The candidates (one per family already) with their families, read for the whole page at once."""
    fams = families(conn, [(best.cluster_id, best.norm_hash, best.text) for best in found])
    where = occurrences(conn, [best.id for best in found])
    return [SearchHit(rank, round(best.score, 4), round(best.lexical, 4), round(best.similarity, 4), best.text,
                      best.kind, tuple(json.loads(best.themes)), where[best.id], best.cluster_id, fam.n_documents,
                      fam.n_variants, fam.variants, _highlights(best.text, plan))
            for rank, (best, fam) in enumerate(zip(found, fams, strict=True), start=offset + 1)]
