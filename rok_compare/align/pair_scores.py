"""The scores an alignment looks at, held sparsely instead of as an n x m matrix.

An alignment needs (1) the *related* pairs (score >= ``related``), row by row, for the
assignment and for split/merge proposals, and (2) the score of a pair next to a related one
(the clause before or after on either side), which a split or merge compares with the joined
text. Every other pair is never read. So: the candidate pairs (:mod:`candidates`) are bounded
from above without the edit-based ratios (:func:`similarity.score_best_case`), those that may
reach ``related`` are scored, then the candidates next to a related pair; a pair that is not a
candidate scores 0, as in the dense matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from rok_compare.align.candidates import Candidates
from rok_compare.align.normalize import NormText
from rok_compare.align.similarity import (
    CONTAINMENT_MIN_WORDS,
    THREADED_PAIRS,
    ClauseVectors,
    ScoreWeights,
    combine,
    row_cosines,
    score_best_case,
)

WEIGHTS = ScoreWeights()
BOUND_SLACK = 1e-4
"""Margin on the upper bound, for rounding in float32."""


@dataclass(slots=True)
class PairScores:
    """Related pairs by row and the scores of the pairs around them."""

    shape: tuple[int, int]
    related_rows: np.ndarray
    related_cols: np.ndarray
    related_score: np.ndarray
    """The related pairs in row-major order."""
    by_key: dict[int, np.float32]
    """``row * shape[1] + col`` -> score, for every scored pair."""
    transposed: bool = False

    def at(self, i: int, j: int) -> np.float32:
        """The score of (i, j) (0 for a pair that is not a candidate)."""
        if self.transposed:
            i, j = j, i
        return self.by_key.get(i * self.shape[1] + j, np.float32(0.0))

    def related_in_row(self) -> dict[int, np.ndarray]:
        """For each row with related pairs, their columns in ascending order (transposed:
        rows of B and columns of A)."""
        rows, cols = (self.related_cols, self.related_rows) if self.transposed else (
            self.related_rows, self.related_cols)
        if len(rows) == 0:
            return {}
        order = np.lexsort((cols, rows))
        rows, cols = rows[order], cols[order]
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        return {int(rows[s]): cols[s:e] for s, e in zip(starts, np.r_[starts[1:], len(rows)], strict=True)}

    @property
    def T(self) -> PairScores:  # noqa: N802 - mirrors numpy's transpose
        return PairScores(self.shape, self.related_rows, self.related_cols, self.related_score, self.by_key,
                          not self.transposed)


def score_candidates(a: list[NormText], b: list[NormText], va: ClauseVectors, vb: ClauseVectors,
                     cands: Candidates, related: float) -> PairScores:
    """Score the candidates that may be related, then the candidates next to a related pair.

    Which candidates may be related is settled cheaply first: a bound from the lengths, then
    the edit ratio with the cosines of the candidate search; only the pairs within
    ``BOUND_SLACK`` of ``related`` or above, and their neighbours, get the exact score."""
    n, m = len(a), len(b)
    keys = cands.keys(m)
    edits = _EditRatios(a, b)
    bound = score_best_case(a, b, cands.rows, cands.cols, cands.char, cands.word)
    maybe = np.flatnonzero(bound >= related - BOUND_SLACK)
    rough = _RoughScores(edits, cands.rows[maybe], cands.cols[maybe], cands.char[maybe], cands.word[maybe],
                         related - BOUND_SLACK)
    kept = rough.score >= related - BOUND_SLACK
    first = maybe[kept]
    first_score = rough.exact(va, vb, kept)
    hit = first_score >= related
    rel_rows, rel_cols = cands.rows[first[hit]], cands.cols[first[hit]]
    near = _neighbour_keys(rel_rows, rel_cols, n, m)
    position = np.searchsorted(keys, near)
    inside = position < len(keys)
    position, near = position[inside], near[inside]
    found = position[keys[position] == near]
    second = np.setdiff1d(found, first, assume_unique=True)
    second_score = _scores(edits, va, vb, cands.rows[second], cands.cols[second])
    scored = np.concatenate([first, second])
    values = np.concatenate([first_score, second_score]).astype(np.float32)
    return PairScores((n, m), rel_rows, rel_cols, first_score[hit],
                      dict(zip(keys[scored].tolist(), values, strict=True)))


def _scores(edits: _EditRatios, va: ClauseVectors, vb: ClauseVectors, rows: np.ndarray,
            cols: np.ndarray) -> np.ndarray:
    """``similarity.score_pairs`` with the cosines taken again pair by pair: a row-by-row product
    sums in another order than the matrix product that found the candidates, and the score must
    not depend on which pairs were scored together."""
    if len(rows) == 0:
        return np.zeros(0, np.float32)
    char, word = row_cosines(va, vb, rows, cols)
    return combine(char, word, edits.ratio(rows, cols), edits.token_set(rows, cols))


class _EditRatios:
    """The edit-based ratios of ``similarity.fuzzy_scores`` (the same calls, element-wise, so alike
    in any batch), with each clause's word count taken once instead of once per pair."""

    def __init__(self, a: list[NormText], b: list[NormText]) -> None:
        self.a, self.b = [t.stems for t in a], [t.stems for t in b]
        self.a_words = np.fromiter((s.count(" ") + 1 for s in self.a), np.int64, len(self.a))
        self.b_words = np.fromiter((s.count(" ") + 1 for s in self.b), np.int64, len(self.b))

    def _cpdist(self, rows: np.ndarray, cols: np.ndarray, scorer) -> np.ndarray:  # noqa: ANN001
        a, b = self.a, self.b
        workers = -1 if len(rows) >= THREADED_PAIRS else 1
        return process.cpdist([a[i] for i in rows.tolist()], [b[j] for j in cols.tolist()], scorer=scorer,
                              workers=workers, dtype=np.float32) / 100.0

    def ratio(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return self._cpdist(rows, cols, fuzz.ratio)

    def token_set(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """``token_set_ratio``, 0 where the shorter clause has fewer than ``CONTAINMENT_MIN_WORDS``."""
        out = self._cpdist(rows, cols, fuzz.token_set_ratio)
        out[np.minimum(self.a_words[rows], self.b_words[cols]) < CONTAINMENT_MIN_WORDS] = 0.0
        return out


class _RoughScores:
    """``similarity.rough_scores`` that keeps its edit-based ratios: the exact score of a pair
    it keeps is then the same combination with the pair's own cosines (:meth:`exact`), and only
    the ``token_set_ratio`` it skipped is computed (``score_pairs`` would compute both again)."""

    def __init__(self, edits: _EditRatios, rows: np.ndarray, cols: np.ndarray, char: np.ndarray,
                 word: np.ndarray, floor: float) -> None:
        self.edits, self.rows, self.cols = edits, rows, cols
        self.ratio = edits.ratio(rows, cols) if len(rows) else np.zeros(0, np.float32)
        self.token_set = np.zeros(len(rows), np.float32)
        self.has_token_set = np.zeros(len(rows), bool)
        self._add_token_set(np.flatnonzero(WEIGHTS.containment * np.maximum(char, word) >= floor))
        self.score = combine(char, word, self.ratio, self.token_set)

    def _add_token_set(self, at: np.ndarray) -> None:
        if len(at):
            self.token_set[at] = self.edits.token_set(self.rows[at], self.cols[at])
            self.has_token_set[at] = True

    def exact(self, va: ClauseVectors, vb: ClauseVectors, kept: np.ndarray) -> np.ndarray:
        """``score_pairs`` of the kept pairs with their cosines taken again pair by pair."""
        at = np.flatnonzero(kept)
        if len(at) == 0:
            return np.zeros(0, np.float32)
        self._add_token_set(at[~self.has_token_set[at]])
        char, word = row_cosines(va, vb, self.rows[at], self.cols[at])
        return combine(char, word, self.ratio[at], self.token_set[at])


def _neighbour_keys(rows: np.ndarray, cols: np.ndarray, n: int, m: int) -> np.ndarray:
    """Sorted keys of the pairs one step before or after a related pair on either side."""
    parts = []
    for di, dj in ((0, -1), (0, 1), (-1, 0), (1, 0)):
        r, c = rows + di, cols + dj
        ok = (r >= 0) & (r < n) & (c >= 0) & (c < m)
        parts.append(r[ok].astype(np.int64) * m + c[ok])
    keys = np.sort(np.concatenate(parts))
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys
