"""How alike the report's documents are, pair by pair, without a documents × documents matrix.

A document's most similar other document is the one sharing the most reuse clusters with it,
ties and documents without shared clauses decided by the cosine of their stemmed, name-masked word
TF-IDF vectors; the score of a pair is ``shared clusters + min(cosine, 0.999)``. At 10,000
documents a dense matrix of that score is 800 MB and its cosine product tens of seconds, so
nothing here holds one:

* shared clusters are the sparse product ``P Pᵀ`` of the documents × clusters incidence (no loop
  over cluster members);
* a document that shares a cluster with another has its nearest among the documents sharing the
  most clusters with it (any other scores less than ``max - 1 + 0.999``), so only those pairs
  get a cosine; a document that shares none gets its cosine row against all, a block of rows at a
  time;
* cosines of chosen pairs come from sparse row-block products, the same sums in the same order
  as the full product, so every value and every tie (the first document in report order wins)
  is what the full matrix would give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from rok_compare.report.analysis import MIN_COSINE, Pair
from rok_compare.report.data import ReportData

CAP = 0.999
"""The cosine's share of the score: below one shared cluster, so shared clusters rank first."""
BLOCK = 256
"""Rows of a cosine block (BLOCK × documents float64: 20 MB at 10,000 documents)."""
PAIR_BLOCK = 16
"""Rows of a block of chosen pairs' cosines: the product covers every row with every column any of
them needs, so few rows a block waste little (a value does not depend on the block it is in)."""


@dataclass(slots=True)
class DocumentSimilarity:
    """The documents of ``data.documents``, in that order, as sparse rows."""

    vectors: sparse.csr_matrix
    """Stemmed, name-masked word TF-IDF vector of each document (L2-normalised; empty: zero)."""
    clusters: sparse.csr_matrix
    """1 where the document has a clause in the reuse cluster (documents × clusters)."""

    @property
    def size(self) -> int:
        return self.vectors.shape[0]

    def cosine(self, rows: Sequence[int], cols: Sequence[int]) -> np.ndarray:
        """Word cosine of documents ``rows`` × ``cols`` (positions in report order)."""
        return (self.vectors[np.asarray(rows, np.int64)] @ self.vectors[np.asarray(cols, np.int64)].T).toarray()

    def shared(self, rows: Sequence[int], cols: Sequence[int]) -> np.ndarray:
        """Reuse clusters that documents ``rows`` and ``cols`` have in common."""
        return (self.clusters[np.asarray(rows, np.int64)] @ self.clusters[np.asarray(cols, np.int64)].T).toarray()

    def shared_pairs(self) -> sparse.coo_matrix:
        """Clusters shared by every two different documents that share any (both orders), sparse."""
        shared = (self.clusters @ self.clusters.T).tocsr()
        shared.setdiag(0)
        shared.eliminate_zeros()
        return shared.tocoo()

    def pair_cosines(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Word cosine of each pair ``(rows[k], cols[k])``, as the full product would give it."""
        out = np.zeros(len(rows))
        if not len(rows):
            return out
        order = np.argsort(rows, kind="stable")
        unique_rows, starts = np.unique(rows[order], return_index=True)
        bounds = [*starts, len(order)]
        for first in range(0, len(unique_rows), PAIR_BLOCK):
            picked = order[bounds[first]:bounds[min(first + PAIR_BLOCK, len(unique_rows))]]
            block_rows = unique_rows[first:first + PAIR_BLOCK]
            block_cols, col_at = np.unique(cols[picked], return_inverse=True)
            block = self.cosine(block_rows, block_cols)
            out[picked] = block[np.searchsorted(block_rows, rows[picked]), col_at]
        return out


def document_similarity(data: ReportData, stems: Sequence[str]) -> DocumentSimilarity:
    """The documents' word vectors (from ``stems``: each document's clauses' stems joined) and the
    reuse clusters each has a clause in."""
    from rok_compare.report.word_tfidf import word_tfidf

    n = len(data.documents)
    vectors = sparse.csr_matrix((n, 0))
    if any(t.strip() for t in stems):
        vectors = word_tfidf(list(stems))
    ids = np.array([d.id for d in data.documents], np.int64)
    member_docs = np.fromiter((m.document_id for c in data.clusters for m in c.members), np.int64)
    member_cluster = np.repeat(np.arange(len(data.clusters)), [len(c.members) for c in data.clusters])
    position = np.full(int(max(ids.max(initial=0), member_docs.max(initial=0))) + 1, -1, np.int64)
    position[ids] = np.arange(n)
    rows = position[member_docs]
    clusters = sparse.csr_matrix((np.ones(int((rows >= 0).sum())), (rows[rows >= 0], member_cluster[rows >= 0])),
                                 shape=(n, len(data.clusters)))
    clusters.sum_duplicates()
    clusters.data[:] = 1.0  # a cluster counts once per document, however many of its clauses are members
    return DocumentSimilarity(vectors, clusters)


def nearest_pairs(data: ReportData, similarity: DocumentSimilarity,
                  shared: sparse.coo_matrix | None = None) -> dict[int, Pair]:
    """For each document, its most similar other document (when anything is similar enough).
    ``shared``: ``similarity.shared_pairs()`` when the caller has it already."""
    docs = data.documents
    n = len(docs)
    if n < 2:
        return {}
    has_clauses = np.array([bool(d.clauses) for d in docs])
    shared = similarity.shared_pairs() if shared is None else shared
    best_shared = np.zeros(n)
    np.maximum.at(best_shared, shared.row, shared.data)
    best = np.full(n, -1, np.int64)
    value = np.full(n, -np.inf)
    # Documents sharing a cluster: the best among those sharing the most.
    top = shared.data == best_shared[shared.row]
    rows, cols, counts = shared.row[top], shared.col[top], shared.data[top]
    scores = counts + np.minimum(similarity.pair_cosines(rows, cols), CAP)
    order = np.lexsort((cols, -scores, rows))
    first = order[np.r_[True, rows[order][1:] != rows[order][:-1]]] if len(order) else order
    best[rows[first]], value[rows[first]] = cols[first], scores[first]
    # Documents sharing none: their whole cosine row, a block at a time.
    alone = np.flatnonzero((best_shared == 0) & has_clauses)
    for start in range(0, len(alone), BLOCK):
        block_rows = alone[start:start + BLOCK]
        block = np.minimum(similarity.cosine(block_rows, np.arange(n)), CAP)
        block[np.arange(len(block_rows)), block_rows] = -1.0
        best[block_rows] = np.argmax(block, axis=1)
        value[block_rows] = block[np.arange(len(block_rows)), best[block_rows]]
    nearest: dict[int, Pair] = {}
    for i in np.flatnonzero(has_clauses & (best >= 0)):
        j = int(best[i])
        if value[i] < MIN_COSINE or not has_clauses[j]:
            continue
        a, b = sorted((docs[i].id, docs[j].id))
        nearest[docs[i].id] = Pair(a, b, "similar", float(value[i]))
    return nearest


def county_pairs(data: ReportData, similarity: DocumentSimilarity,
                 shared: sparse.coo_matrix | None = None) -> dict[frozenset[str], Pair]:
    """For every two counties that share a reuse cluster, their two most similar documents (one from
    each, sharing most clusters): what a county × county heatmap cell leads to. Counties related by
    vocabulary alone get no precomputed comparison (``rok serve`` compares any two). ``shared`` as
    for :func:`nearest_pairs`."""
    docs = data.documents
    present = {d.county_label for d in docs if d.clauses}
    counties = [c for c in data.counties if c in present]
    number = {c: k for k, c in enumerate(counties)}
    county_of = np.array([number[d.county_label] if d.clauses else -1 for d in docs], np.int32)
    shared = similarity.shared_pairs() if shared is None else shared
    ci, cj = county_of[shared.row], county_of[shared.col]
    keep = (ci >= 0) & (cj >= 0) & (ci < cj)
    rows, cols, counts = shared.row[keep], shared.col[keep], shared.data[keep]
    key = ci[keep] * len(counties) + cj[keep]
    most = np.zeros(len(counties) ** 2)
    np.maximum.at(most, key, counts)
    top = counts == most[key]
    rows, cols, counts, key = rows[top], cols[top], counts[top], key[top]
    scores = counts + np.minimum(similarity.pair_cosines(rows, cols), CAP)
    order = np.lexsort((cols, rows, -scores, key))  # the block's argmax: best, then first row, first column
    first = order[np.r_[True, key[order][1:] != key[order][:-1]]] if len(order) else order
    pairs: dict[frozenset[str], Pair] = {}
    for k in first:
        i, j = int(rows[k]), int(cols[k])
        a, b = sorted((docs[i].id, docs[j].id))
        pairs[frozenset((counties[int(key[k]) // len(counties)], counties[int(key[k]) % len(counties)]))] = \
            Pair(a, b, "county", float(scores[k]))
    return pairs
