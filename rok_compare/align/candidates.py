"""Candidate pairs of an alignment: every pair whose character or word cosine reaches the floor.

The cosines of A x B are sparse matrix products of the TF-IDF rows, computed for a block of A's
rows at a time so that no n x m matrix is ever held: the memory is that of a block per thread
(about ``BLOCK_PAIRS`` cosines) plus the pairs kept. The kept pairs are exactly those the dense
matrices gave, with their cosines, so nothing downstream changes.

Character n-grams make that product nearly dense (at 8,000 clauses a side, 95 % of the pairs
share one), and a sparse product builds it entry by entry. For large documents the character
cosine is therefore split: the n-grams that make most of the work (by how often they meet,
document frequency in A times in B: those met by more than one pair in ``DENSE_MEETS``, at most
``FREQUENT``) are multiplied as dense arrays (BLAS), the others sparsely, and the two parts added.
The sparse part of a block is added straight into the dense one (:func:`_add_product`: scipy's
own kernel, without the pass that counts the result's entries first or the sparse matrix it
would build), which halves its cost. Summed in another order, those cosines may differ from the
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
FREQUENT = 1024
"""At most this many n-grams are multiplied densely in a split product."""
DENSE_MEETS = 96
"""An n-gram is multiplied densely when it meets (df in A times df in B) more than one pair in
this many: a dense multiply-add costs about 1/70 of a sparse one (8,000 clauses a side: 256
n-grams dense 0.6 s, the sparse rest 1.2 s; 384 dense, 0.7 + 1.0 s; 512 dense, 1.0 + 0.8 s)."""
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
    products release the GIL, so they run side by side.

    In large documents a clause that recurs word for word (boilerplate, short list items) is
    searched once: the distinct rows of each side are compared, and each pair found stands for
    every pair of their copies (the same rows give the same cosines)."""
    if va.chars.shape[0] * vb.chars.shape[0] >= SPLIT_PAIRS:
        a_rows, a_copies = _distinct_rows(va)
        b_rows, b_copies = _distinct_rows(vb)
        if len(a_rows) < va.chars.shape[0] or len(b_rows) < vb.chars.shape[0]:
            found = _search(_take(va, a_rows), _take(vb, b_rows), floor, block_pairs, threads)
            return _copies(found, a_copies, b_copies, vb.chars.shape[0])
    return _search(va, vb, floor, block_pairs, threads)


def _search(va: ClauseVectors, vb: ClauseVectors, floor: float, block_pairs: int,
            threads: int | None) -> Candidates:
    """:func:`cosine_candidates` without looking for repeated rows."""
    n, m = va.chars.shape[0], vb.chars.shape[0]
    chars = _CharCosines(va.chars, vb.chars, split=n * m >= SPLIT_PAIRS)
    words_t = (vb.words.T.tocsr().toarray() if vb.words.shape[1] * m <= DENSE_WORD_CELLS
               else vb.words.T.tocsr())
    step = max(1, block_pairs // max(m, 1))

    def block(start: int) -> tuple[np.ndarray, ...]:
        whole = start == 0 and step >= n  # one block: no slice to build
        char = chars.block(start, start + step, whole)
        word = (va.words if whole else va.words[start:start + step]) @ words_t
        word = word.toarray() if sparse.issparse(word) else np.asarray(word)
        low = floor - MARGIN if chars.split else floor
        mask = char >= low
        mask |= word >= floor
        rows, cols = np.divmod(np.flatnonzero(mask), char.shape[1])
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


def _distinct_rows(vectors: ClauseVectors) -> tuple[np.ndarray, np.ndarray]:
    """The first row of each distinct (character, word) row, and each row's number among them."""
    chars, words = _line_hashes(vectors.chars), _line_hashes(vectors.words)
    number = _same_lines(chars * np.uint64(0x9E3779B97F4A7C15) + words,
                         [vectors.chars, vectors.words])
    first = np.flatnonzero(number == np.arange(len(number)))
    renumber = np.zeros(len(number), np.int64)
    renumber[first] = np.arange(len(first))
    return first, renumber[number]


def _take(vectors: ClauseVectors, rows: np.ndarray) -> ClauseVectors:
    return ClauseVectors(vectors.words[rows], vectors.chars[rows])


def _copies(found: Candidates, a_number: np.ndarray, b_number: np.ndarray, m: int) -> Candidates:
    """The pairs of rows whose distinct rows were found, in row-major order, with their cosines."""
    a_ptr, a_rows = _members(a_number)
    b_ptr, b_rows = _members(b_number)
    per_a, per_b = np.diff(a_ptr)[found.rows], np.diff(b_ptr)[found.cols]
    count = per_a * per_b
    pair = np.repeat(np.arange(len(found)), count)
    within = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    rows = a_rows[a_ptr[found.rows[pair]] + within // per_b[pair]]
    cols = b_rows[b_ptr[found.cols[pair]] + within % per_b[pair]]
    order = np.argsort(rows * m + cols)
    pair = pair[order]
    return Candidates(rows[order], cols[order], found.char[pair], found.word[pair])


def _members(number: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR-like lists of the rows of each distinct row (ascending)."""
    rows = np.argsort(number, kind="stable")
    return np.r_[0, np.cumsum(np.bincount(number))], rows


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
            dense = min(FREQUENT, int(np.count_nonzero(meets * DENSE_MEETS > a.shape[0] * b.shape[0])))
            frequent, other = np.sort(order[:dense]), np.sort(order[dense:])
            self.a_frequent = a[:, frequent].toarray()
            self.b_frequent_t = b[:, frequent].T.tocsr().toarray()
            other, weight = _distinct_columns(a, b, other)
            a_other = a[:, other].tocsr()
            a_other.data = a_other.data * weight[a_other.indices]
            self.a_other, self.b_other_t = a_other, b[:, other].T.tocsr()

    def block(self, start: int, stop: int, whole: bool) -> np.ndarray:
        if not self.split:
            a = self.a if whole else self.a[start:stop]
            out = np.zeros((a.shape[0], self.b_t.shape[1]), np.result_type(a.dtype, self.b_t.dtype))
            _add_product(a, self.b_t, out)
            return out
        out = self.a_frequent[start:stop] @ self.b_frequent_t
        _add_product(self.a_other[start:stop], self.b_other_t, out)
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
            a = self.a[row_ids[start:start + step]]
            product = np.zeros((a.shape[0], b_t.shape[1]), np.result_type(a.dtype, b_t.dtype))
            _add_product(a, b_t, product)
            here = (r >= start) & (r < start + step)
            out[here] = product[r[here] - start, c[here]]
        return out


def _distinct_columns(a: sparse.csr_matrix, b: sparse.csr_matrix, columns: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """The first of each set of identical ``columns`` of A and B together, and how many there are.

    An n-gram that occurs only within one word (most 4- and 5-grams) has the same column as the
    word's other such n-grams: k identical columns add k equal products to every cosine, the
    work of one column with A's values times k (equal up to float rounding)."""
    both = sparse.vstack([a[:, columns], b[:, columns]]).T.tocsr()
    both.sort_indices()
    number = _same_lines(_line_hashes(both), [both])
    first = np.flatnonzero(number == np.arange(len(number)))
    return columns[first], np.bincount(number, minlength=len(number))[first].astype(np.float32)


def _line_hashes(matrix: sparse.csr_matrix) -> np.ndarray:
    """A 64-bit hash of each row's positions and values (equal rows, equal hashes)."""
    rows = matrix.shape[0]
    mixed = (matrix.indices.astype(np.uint64) + np.uint64(1)) * np.uint64(0xBF58476D1CE4E5B9)
    mixed ^= matrix.data.astype(np.float32).view(np.uint32).astype(np.uint64) * np.uint64(0x94D049BB133111EB)
    mixed *= (mixed >> np.uint64(31)) | np.uint64(1)
    out = np.zeros(rows, np.uint64)
    sizes = np.diff(matrix.indptr)
    filled = np.flatnonzero(sizes)
    if len(filled):
        out[filled] = np.add.reduceat(mixed, matrix.indptr[filled])
    return out + sizes.astype(np.uint64) * np.uint64(0xD6E8FEB86659FD93)


def _same_lines(hashes: np.ndarray, matrices: list[sparse.csr_matrix]) -> np.ndarray:
    """For each row, the first row equal to it in every matrix (itself if none): rows with the
    same hash are compared entry by entry, so a hash collision only keeps two rows apart."""
    order = np.argsort(hashes, kind="stable")
    head = np.r_[True, hashes[order][1:] != hashes[order][:-1]]
    candidate = np.empty(len(hashes), np.int64)
    candidate[order] = order[np.maximum.accumulate(np.where(head, np.arange(len(order)), 0))]
    same = candidate != np.arange(len(hashes))
    for matrix in matrices:
        same &= _rows_equal(matrix, np.arange(len(hashes)), candidate)
    return np.where(same, candidate, np.arange(len(hashes)))


def _rows_equal(matrix: sparse.csr_matrix, rows: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Whether row ``rows[k]`` equals row ``others[k]`` (positions and values), for every k."""
    ptr = matrix.indptr.astype(np.int64)
    sizes = ptr[rows + 1] - ptr[rows]
    out = sizes == ptr[others + 1] - ptr[others]
    check = np.flatnonzero(out & (sizes > 0))
    if len(check):
        count = sizes[check]
        step = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
        at = np.repeat(ptr[rows[check]], count) + step
        other_at = np.repeat(ptr[others[check]], count) + step
        equal = (matrix.indices[at] == matrix.indices[other_at]) & (matrix.data[at] == matrix.data[other_at])
        bad = np.repeat(np.arange(len(check)), count)[~equal]
        out[check[bad]] = False
    return out


def _add_product(a: sparse.csr_matrix, b: sparse.csr_matrix, out: np.ndarray) -> None:
    """``out += (a @ b).toarray()``, the same numbers: scipy's ``csr_matmat`` (the kernel of
    ``a @ b``) writes into buffers as large as the dense result, so the pass that first counts
    the result's entries is not needed, and ``csr_todense`` adds them into ``out`` (each entry
    of the product is one value, so out + value as before)."""
    rows, cols = out.shape
    if _KERNELS is None or a.dtype != out.dtype or b.dtype != out.dtype:
        out += (a @ b).toarray()
        return
    matmat, todense = _KERNELS
    a_ptr, a_idx = a.indptr.astype(np.int32, copy=False), a.indices.astype(np.int32, copy=False)
    b_ptr, b_idx = b.indptr.astype(np.int32, copy=False), b.indices.astype(np.int32, copy=False)
    indptr = np.empty(rows + 1, np.int32)
    indices = np.empty(rows * cols, np.int32)
    data = np.empty(rows * cols, out.dtype)
    matmat(rows, cols, a_ptr, a_idx, a.data, b_ptr, b_idx, b.data, indptr, indices, data)
    todense(rows, cols, indptr, indices, data, out)


def _kernels():  # noqa: ANN202 - private scipy functions
    """scipy's sparse product and densify kernels, if they are where they have always been and
    give what the public product gives on a small example (else None: the public path)."""
    try:
        from scipy.sparse._sparsetools import csr_matmat, csr_todense
    except ImportError:
        return None
    a = sparse.csr_matrix(np.array([[0.5, 0, 0.25], [0, 0, 0], [0.125, 1, 0]], np.float32))
    b = sparse.csr_matrix(np.array([[1, 0], [0.5, 2], [0, 4]], np.float32))
    out = np.ones((3, 2), np.float32)
    try:
        indptr, indices, data = np.empty(4, np.int32), np.empty(6, np.int32), np.empty(6, np.float32)
        csr_matmat(3, 2, a.indptr, a.indices, a.data, b.indptr, b.indices, b.data, indptr, indices, data)
        csr_todense(3, 2, indptr, indices, data, out)
    except (TypeError, ValueError):
        return None
    return (csr_matmat, csr_todense) if np.array_equal(out, 1 + (a @ b).toarray()) else None


_KERNELS = _kernels()


def _cores() -> int:
    """Cores this process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))
