"""Candidate pairs of an alignment: every pair whose character or word cosine reaches the floor.

The cosines of A x B are sparse matrix products of the TF-IDF rows, computed for a block of A's
rows at a time so that no n x m matrix is ever held: the memory is that of a block per thread
(about ``BLOCK_PAIRS`` cosines) plus the pairs kept. The kept pairs are exactly those the dense
matrices gave, with their cosines, so nothing downstream changes.

Character n-grams make that product nearly dense (at 8,000 clauses a side, 95 % of the pairs
share one), and a sparse product builds it entry by entry. For large documents the character
cosine is therefore split: the ``FREQUENT`` n-grams that make most of the work (by how often they
meet, document frequency in A times in B) are multiplied as dense arrays (BLAS), the others
sparsely, and the two parts added. Summed in another order, those cosines may differ from the
plain product's in the last bits: a pair within ``MARGIN`` of the floor is decided by its cosine
computed as the plain product computes it, so the pairs kept are exactly the same, and the
cosines kept differ from the plain product's by float rounding at most (they only feed bounds
that allow for it, ``pair_scores.BOUND_SLACK``; scores are computed again pair by pair).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from rok_compare.align.similarity import ClauseVectors

BLOCK_PAIRS = 1 << 21
"""Cosines computed at once (a block of A's rows times all of B): 8 MB per measure."""
SPLIT_PAIRS = 1 << 22
"""Pairs (A x B) from which the character product is split into frequent and other n-grams."""
FREQUENT = 256
"""N-grams multiplied densely in a split product."""
MARGIN = 1e-4
"""Split cosines this close to the floor are computed again as the plain product does (their
rounding error is below 1e-5)."""
DENSE_WORD_CELLS = 1 << 25
"""B's word rows are multiplied as a dense words x clauses array up to this size (128 MB): word
rows are short and share common words, so a sparse product builds a nearly dense result entry by
entry (5 times slower at 8,000 clauses); sparse times dense adds the same products in the same
order (A's features in turn), so the cosines are the same numbers."""


@dataclass(slots=True)
class Candidates:
    """Pairs (row of A, row of B) with their character and word cosines, in row-major order."""

    rows: np.ndarray
    cols: np.ndarray
    char: np.ndarray
    word: np.ndarray

    def __len__(self) -> int:
        return len(self.rows)

    def keys(self, width: int) -> np.ndarray:
        """``row * width + col``: sorted, since the pairs are in row-major order."""
        return self.rows.astype(np.int64) * width + self.cols


def cosine_candidates(va: ClauseVectors, vb: ClauseVectors, floor: float,
                      block_pairs: int = BLOCK_PAIRS, threads: int | None = None) -> Candidates:
    """Every pair whose character or word cosine is at least ``floor``. Blocks run on
    ``threads`` threads (default: the cores this process may use, at most 4): scipy's sparse
    products release the GIL, so they run side by side."""
    n, m = va.chars.shape[0], vb.chars.shape[0]
    chars = _CharCosines(va.chars, vb.chars, split=n * m >= SPLIT_PAIRS)
    words_t = (np.ascontiguousarray(vb.words.T.toarray()) if vb.words.shape[1] * m <= DENSE_WORD_CELLS
               else vb.words.T.tocsr())
    step = max(1, block_pairs // max(m, 1))

    def block(start: int) -> tuple[np.ndarray, ...]:
        whole = start == 0 and step >= n  # one block: no slice to build
        char = chars.block(start, start + step, whole)
        word = (va.words if whole else va.words[start:start + step]) @ words_t
        word = word.toarray() if sparse.issparse(word) else np.asarray(word)
        low = floor - MARGIN if chars.split else floor
        rows, cols = np.nonzero((char >= low) | (word >= floor))
        return rows + start, cols, char[rows, cols], word[rows, cols]

    starts = range(0, n, step)
    workers = min(threads or _cores(), len(starts))
    if workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(block, starts))
    else:
        parts = [block(start) for start in starts]
    if not parts:
        empty = np.zeros(0, np.int64)
        return Candidates(empty, empty, np.zeros(0, np.float32), np.zeros(0, np.float32))
    rows, cols, char, word = (np.concatenate(p) for p in zip(*parts, strict=True))
    rows, cols = rows.astype(np.int64), cols.astype(np.int64)
    if chars.split:
        border = np.flatnonzero((char < floor + MARGIN) & (word < floor))
        char[border] = chars.exact(rows[border], cols[border])
        keep = (char >= floor) | (word >= floor)
        rows, cols, char, word = rows[keep], cols[keep], char[keep], word[keep]
    return Candidates(rows, cols, char, word)


class _CharCosines:
    """Character cosines of blocks of A's rows with all of B: the plain sparse product, or split
    (frequent n-grams dense, the others sparse) for large documents."""

    def __init__(self, a: sparse.csr_matrix, b: sparse.csr_matrix, split: bool) -> None:
        self.a, self.b_t = a, b.T.tocsr()
        self.split = split and a.shape[1] > FREQUENT
        if self.split:
            meets = np.bincount(a.indices, minlength=a.shape[1]).astype(np.float64) * np.bincount(
                b.indices, minlength=b.shape[1])
            order = np.argsort(-meets, kind="stable")
            frequent, other = np.sort(order[:FREQUENT]), np.sort(order[FREQUENT:])
            self.a_frequent = a[:, frequent].toarray()
            self.b_frequent_t = np.ascontiguousarray(b[:, frequent].toarray().T)
            self.a_other, self.b_other_t = a[:, other].tocsr(), b[:, other].T.tocsr()

    def block(self, start: int, stop: int, whole: bool) -> np.ndarray:
        if not self.split:
            return ((self.a if whole else self.a[start:stop]) @ self.b_t).toarray()
        out = self.a_frequent[start:stop] @ self.b_frequent_t
        out += (self.a_other[start:stop] @ self.b_other_t).toarray()
        return out

    def exact(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The plain product's cosines of the given pairs: each entry of a sparse product sums
        A's row in its own order, whatever other rows and columns are in the product."""
        if len(rows) == 0:
            return np.zeros(0, np.float32)
        row_ids, r = np.unique(rows, return_inverse=True)
        col_ids, c = np.unique(cols, return_inverse=True)
        out = np.empty(len(rows), np.float32)
        step = max(1, BLOCK_PAIRS // len(col_ids))
        b_t = self.b_t[:, col_ids]
        for start in range(0, len(row_ids), step):
            product = (self.a[row_ids[start:start + step]] @ b_t).toarray()
            here = (r >= start) & (r < start + step)
            out[here] = product[r[here] - start, c[here]]
        return out


def _cores() -> int:
    """Cores this process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))
