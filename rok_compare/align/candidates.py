"""Candidate pairs of an alignment: every pair whose character or word cosine reaches the floor.

The cosines of A x B are sparse matrix products of the TF-IDF rows, computed for a block of A's
rows at a time so that no n x m matrix is ever held: the memory is that of a block per thread
(about ``BLOCK_PAIRS`` cosines) plus the pairs kept. The kept pairs are exactly those the dense
matrices gave, with their cosines, so nothing downstream changes.
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
    chars_t = vb.chars.T.tocsr()
    words_t = (np.ascontiguousarray(vb.words.T.toarray()) if vb.words.shape[1] * m <= DENSE_WORD_CELLS
               else vb.words.T.tocsr())
    step = max(1, block_pairs // max(m, 1))

    def block(start: int) -> tuple[np.ndarray, ...]:
        char = (va.chars[start:start + step] @ chars_t).toarray()
        word = va.words[start:start + step] @ words_t
        word = word.toarray() if sparse.issparse(word) else np.asarray(word)
        rows, cols = np.nonzero(np.maximum(char, word) >= floor)
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
    return Candidates(rows.astype(np.int64), cols.astype(np.int64), char, word)


def _cores() -> int:
    """Cores this process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))
