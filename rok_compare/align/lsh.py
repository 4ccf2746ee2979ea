"""Sub-quadratic candidate pairs for corpus-wide reuse: MinHash LSH in numpy.

Each clause is the set of its word stems, less the stems so common that they join unrelated
clauses (document frequency above ``max_df``, like ``max_df`` in scikit-learn's vectorisers).
MinHash signatures are computed for all clauses at once with vectorised universal hashing
(multiply-shift, the high bits of ``a * x + b`` mod 2^64, per permutation; minimum over a clause's terms with
``np.minimum.reduceat``), in row chunks to bound memory, and cut into ``bands`` of ``rows``
values; clauses that agree on a whole band fall into the same bucket (found by sorting the band
hashes) and become candidate pairs. A bucket larger than ``max_bucket`` (a template that
hundreds of documents copy) is linked as a chain in signature order rather than all pairs,
which keeps the pair count linear and its members connected.

datasketch's MinHashLSH needs ~17.5 GB for a million clauses (NOTES.md) because it keeps a
Python object per clause; these arrays need ~0.3 GB. With 32 bands of 4 rows a pair of
Jaccard similarity 0.5 becomes a candidate with probability 0.87, 0.6 with 0.99, 0.2 with 0.05.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

_EMPTY = np.uint32(0xFFFFFFFF)


def term_sets(texts: list[str], max_df: float | int = 0.05) -> sparse.csr_matrix:
    """Binary clause x term matrix of space-separated stems, very common terms removed."""
    vectorizer = CountVectorizer(analyzer=str.split, binary=True, dtype=np.uint8)
    matrix = vectorizer.fit_transform(texts).tocsr()
    if matrix.shape[0] == 0:
        return matrix
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    limit = max_df if isinstance(max_df, int) else max(2, int(max_df * matrix.shape[0]))
    keep = np.flatnonzero(df <= limit)
    return matrix[:, keep].tocsr()


class MinHashLSH:
    """Candidate pairs of similar term sets (scikit-learn style: parameters in ``__init__``)."""

    def __init__(self, bands: int = 32, rows: int = 4, max_bucket: int = 50, chunk: int = 20000,
                 seed: int = 1) -> None:
        self.bands = bands
        self.rows = rows
        self.max_bucket = max_bucket
        self.chunk = chunk
        self.seed = seed

    def signatures(self, sets: sparse.csr_matrix) -> np.ndarray:
        """MinHash signatures (clauses x bands*rows, uint32); empty sets get ``_EMPTY``."""
        rng = np.random.default_rng(self.seed)
        k = self.bands * self.rows
        a = rng.integers(0, 1 << 63, size=k, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        b = rng.integers(0, 1 << 63, size=k, dtype=np.uint64)
        n_terms = sets.shape[1]
        term_ids = np.arange(n_terms, dtype=np.uint64)
        # Hash of every term under every permutation (multiply-shift: high 32 bits of a*x+b).
        table = np.empty((n_terms, k), dtype=np.uint32)
        for start in range(0, n_terms, 65536):
            x = term_ids[start:start + 65536, None]
            table[start:start + 65536] = ((a * x + b) >> np.uint64(32)).astype(np.uint32)
        out = np.full((sets.shape[0], k), _EMPTY, dtype=np.uint32)
        for start in range(0, sets.shape[0], self.chunk):
            block = sets[start:start + self.chunk]
            sizes = np.diff(block.indptr)
            filled = np.flatnonzero(sizes > 0)
            if len(filled) == 0:
                continue
            values = table[block.indices]
            out[start + filled] = np.minimum.reduceat(values, block.indptr[:-1][filled], axis=0)
        return out

    def candidates(self, sets: sparse.csr_matrix) -> np.ndarray:
        """Unique candidate pairs ``(i, j)`` with ``i < j``, as an (n, 2) int64 array."""
        signatures = self.signatures(sets)
        nonempty = np.flatnonzero(np.diff(sets.indptr) > 0)
        if len(nonempty) < 2:
            return np.zeros((0, 2), dtype=np.int64)
        order_key = signatures[nonempty, 0]
        pairs = [self._band_pairs(signatures[nonempty, band * self.rows:(band + 1) * self.rows], order_key)
                 for band in range(self.bands)]
        local = np.unique(np.concatenate(pairs), axis=0) if pairs else np.zeros((0, 2), np.int64)
        return nonempty[local]

    def _band_pairs(self, band: np.ndarray, order_key: np.ndarray) -> np.ndarray:
        """Pairs of rows that share this band's values exactly."""
        mix = np.zeros(band.shape[0], dtype=np.uint64)
        for col in range(band.shape[1]):
            mix = (mix * np.uint64(0x9E3779B97F4A7C15)) ^ band[:, col].astype(np.uint64)
        order = np.lexsort((order_key, mix))
        sorted_mix = mix[order]
        starts = np.flatnonzero(np.r_[True, sorted_mix[1:] != sorted_mix[:-1]])
        sizes = np.diff(np.r_[starts, len(order)])
        out = [_chain_pairs(order, starts[sizes > self.max_bucket], sizes[sizes > self.max_bucket])]
        for size in np.unique(sizes[(sizes > 1) & (sizes <= self.max_bucket)]):
            out.append(_all_pairs(order, starts[sizes == size], int(size)))
        return np.concatenate(out)


def _all_pairs(order: np.ndarray, starts: np.ndarray, size: int) -> np.ndarray:
    """All pairs inside buckets of one size (vectorised over buckets)."""
    left, right = np.triu_indices(size, k=1)
    i = order[starts[:, None] + left[None, :]].ravel()
    j = order[starts[:, None] + right[None, :]].ravel()
    return np.stack([np.minimum(i, j), np.maximum(i, j)], axis=1).astype(np.int64)


def _chain_pairs(order: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Consecutive members of large buckets, linked as chains."""
    if len(starts) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    members = np.concatenate([order[s:s + n] for s, n in zip(starts, sizes, strict=True)])
    last = np.cumsum(sizes) - 1
    i, j = members[:-1], members[1:]
    keep = np.ones(len(i), dtype=bool)
    keep[last[:-1]] = False
    i, j = i[keep], j[keep]
    return np.stack([np.minimum(i, j), np.maximum(i, j)], axis=1).astype(np.int64)
