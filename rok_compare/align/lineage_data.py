"""What lineage linking reads from the store, and the set similarities it compares documents by.

Each document's vocabulary (the Swedish stems of its clauses and title, place names masked) and its
title's stems are rows of one sparse document x term matrix; the IDF-weighted Jaccard of two rows is
``sum idf(shared terms) / sum idf(all their terms)``, computed for a whole block of documents (one
county's) with two sparse products instead of set operations pair by pair.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from rok_compare.align.reuse import MIN_CHARS
from rok_compare.store.database import Store

_YEAR = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d\d)(?![0-9A-Za-z:])")


@dataclass(slots=True)
class LineageDocument:
    """A stored document as lineage linking sees it."""

    id: int
    path: str
    title: str | None
    county: str | None
    county_code: str | None
    period: tuple[int, int | None] | None
    doc_type: str
    year: int | None
    parties: frozenset[str]
    municipalities: frozenset[str]
    clauses: int
    vocabulary: frozenset[str] = frozenset()
    title_stems: frozenset[str] = frozenset()
    clusters: frozenset[int] = frozenset()


def document_year(period_start: int | None, revision_date: str | None, path: str,
                  texts: Iterable[str] = ()) -> int | None:
    """The year a document dates from, for ordering versions: its period's start, else its revision
    date, else the first year in its file name ("stockholm_2017_..."), else the latest year its
    text mentions (law numbers such as "2010:197" left out), else None."""
    if period_start is not None:
        return period_start
    for source in (revision_date or "", Path(path).name):
        if found := _YEAR.search(source):
            return int(found.group(1))
    years = [int(m.group(1)) for text in texts for m in _YEAR.finditer(text)]
    return max(years) if years else None


@dataclass(slots=True)
class TermIndex:
    """A column per term of the documents' vocabularies, and each term's IDF over them."""

    index: dict[str, int]
    idf: np.ndarray

    @classmethod
    def of(cls, vocabularies: Sequence[frozenset[str]]) -> TermIndex:
        index: dict[str, int] = {}
        columns = [index.setdefault(word, len(index)) for vocabulary in vocabularies for word in vocabulary]
        df = np.bincount(np.asarray(columns, dtype=np.int64), minlength=len(index)).astype(np.float64)
        return cls(index, np.log(max(1, len(vocabularies)) / np.maximum(df, 1.0)))


class WeightedJaccard:
    """IDF-weighted Jaccard between the term sets of documents (rows), block by block.

    IDF is ``log(N / df)`` over the vocabularies: a word in every document weighs nothing, so
    "Integration" against "Integration" says nothing and "Koordination Norrort" a lot. ``terms``
    (:meth:`TermIndex.of` the vocabularies) is made here when not given.
    """

    def __init__(self, vocabularies: Sequence[frozenset[str]], sets: Sequence[frozenset[str]],
                 terms: TermIndex | None = None) -> None:
        terms = terms if terms is not None else TermIndex.of(vocabularies)
        index = terms.index
        rows: list[int] = []
        cols: list[int] = []
        for row, words in enumerate(sets):
            found = [index[word] for word in words if word in index]
            cols += found
            rows += [row] * len(found)
        shape = (len(sets), len(index))
        self.binary = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
        self.weighted = self.binary @ sparse.diags(terms.idf) if len(index) else self.binary
        self.mass = np.asarray(self.weighted.sum(axis=1)).ravel()

    def block(self, left: Sequence[int], right: Sequence[int]) -> np.ndarray:
        """Similarity of every row in ``left`` with every row in ``right``."""
        shared = (self.weighted[list(left)] @ self.binary[list(right)].T).toarray()
        union = self.mass[list(left)][:, None] + self.mass[list(right)][None, :] - shared
        return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


def read_documents(store: Store) -> list[LineageDocument]:
    """The documents with what the links need: parties, stems, titles, reuse clusters."""
    from rok_compare.align.normalize import normalize_many

    conn = store.conn
    parties: dict[int, set[str]] = defaultdict(set)
    municipalities: dict[int, set[str]] = defaultdict(set)
    for document_id, canonical, kind in conn.execute("SELECT document_id, canonical, kind FROM parties"):
        parties[document_id].add(canonical)
        if kind == "municipality":
            municipalities[document_id].add(canonical)
    texts: dict[int, list[str]] = defaultdict(list)
    for document_id, text in conn.execute("SELECT document_id, text FROM clauses ORDER BY document_id, ord"):
        texts[document_id].append(text)
    clusters = _clusters(store)
    rows = list(conn.execute(
        "SELECT id, path, title, county_name, county_code, period_start, period_end, revision_date, doc_type "
        "FROM documents ORDER BY id"))
    # One call for the whole corpus: a wording that recurs across documents is normalised once.
    norms = iter(normalize_many([text for row in rows for text in (*texts.get(row[0], ()), row[2] or "")],
                                use_registry=False))
    documents = []
    for (doc_id, path, title, county, code, start, end, revision, doc_type) in rows:
        own = texts.get(doc_id, [])
        stems = [next(norms) for _ in range(len(own) + 1)]
        documents.append(LineageDocument(
            id=doc_id, path=path, title=title, county=county, county_code=code,
            period=(start, end) if start is not None else None, doc_type=doc_type,
            year=document_year(start, revision, path, own), parties=frozenset(parties[doc_id]),
            municipalities=frozenset(municipalities[doc_id]),
            clauses=sum(len(t) >= MIN_CHARS for t in own),
            vocabulary=frozenset(w for s in stems for w in s.stems.split()),
            title_stems=frozenset(stems[-1].stems.split()),
            clusters=frozenset(clusters.get(doc_id, ()))))
    return documents


def _clusters(store: Store) -> dict[int, set[int]]:
    """Reuse clusters of each document: the store's, or computed afresh when they are out of date."""
    from rok_compare.store.reuse import reuse_due, stored_clause_labels

    out: dict[int, set[int]] = defaultdict(set)
    if reuse_due(store):
        for document_id, label in stored_clause_labels(store):
            out[document_id].add(label)
        return out
    for document_id, cluster_id in store.conn.execute(
            "SELECT c.document_id, m.cluster_id FROM cluster_members m JOIN clauses c ON c.id = m.clause_id"):
        out[document_id].add(cluster_id)
    return out
