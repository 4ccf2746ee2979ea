"""How alike two clauses are: vectorisers for candidates, one combined score for decisions.

Candidates come from two TF-IDF spaces fitted on the clauses being compared (scikit-learn's
numbers, counted per distinct word by :mod:`tfidf`): words (Swedish stems of the name-masked
text) and character n-grams (``char_wb``, 3-5, on the masked text without stemming), which
survive compounding: "arbetsmarknadsetablering" shares
most of its n-grams with "etablering på arbetsmarknaden" while sharing no word. The decision
score of a pair combines the two cosines with rapidfuzz's edit-based ratio on the stems, and
credits containment (one clause is the other with a clause added or cut) through
``token_set_ratio`` when the shorter clause is long enough for that to mean something.

Weights and floors were chosen on the gold seed alignments and the revisions benchmark; see
``THRESHOLDS.md`` next to this module.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from rok_compare.align.normalize import NormText
from rok_compare.align.tfidf import TfidfSpace

CANDIDATE_FLOOR = 0.2
"""Pairs whose character and word cosines both stay below this are not scored further."""
CONTAINMENT_MIN_WORDS = 6
"""The shorter clause needs this many words before containment counts as similarity."""
THREADED_PAIRS = 5_000
"""rapidfuzz starts its threads for a batch of at least this many pairs: for fewer, starting them
costs more than the scores (2-3 ms a batch, most of a small alignment's time)."""


def _workers(pairs: int) -> int:
    return -1 if pairs >= THREADED_PAIRS else 1


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    """Weights of the combined score (they sum to 1) and the containment discount."""

    char: float = 0.4
    word: float = 0.3
    ratio: float = 0.3
    containment: float = 0.85


@dataclass(slots=True)
class ClauseVectors:
    """TF-IDF rows (L2-normalised) of a list of clauses."""

    words: sparse.csr_matrix
    chars: sparse.csr_matrix

    def rows(self, start: int, end: int) -> ClauseVectors:
        return ClauseVectors(self.words[start:end], self.chars[start:end])


class ClauseVectorizer:
    """Word-stem and character n-gram TF-IDF over normalised clauses (the numbers of
    scikit-learn's ``TfidfVectorizer``, counted once per distinct word: :mod:`tfidf`)."""

    def __init__(self, char_ngram_range: tuple[int, int] = (3, 5), sublinear_tf: bool = True) -> None:
        self.char_ngram_range = char_ngram_range
        self.sublinear_tf = sublinear_tf

    def fit_transform(self, texts: list[NormText]) -> ClauseVectors:
        """Fit on ``texts`` (an empty text counts as a filler word) and return their rows."""
        self.words_ = TfidfSpace(None, self.sublinear_tf)
        self.chars_ = TfidfSpace(self.char_ngram_range, self.sublinear_tf)
        return ClauseVectors(
            words=self.words_.fit_transform([t.stems or "_tom_" for t in texts], [t.stems for t in texts]),
            chars=self.chars_.fit_transform([t.masked or "_tom_" for t in texts], [t.masked for t in texts]),
        )

    def transform(self, texts: list[NormText]) -> ClauseVectors:
        return ClauseVectors(
            words=self.words_.transform([t.stems for t in texts]),
            chars=self.chars_.transform([t.masked for t in texts]),
        )


def fuzzy_scores(a: list[str], b: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Element-wise ``ratio`` and length-guarded ``token_set_ratio`` of aligned lists, in [0, 1]."""
    if not a:
        return np.zeros(0, np.float32), np.zeros(0, np.float32)
    workers = _workers(len(a))
    ratio = process.cpdist(a, b, scorer=fuzz.ratio, workers=workers, dtype=np.float32) / 100.0
    token_set = process.cpdist(a, b, scorer=fuzz.token_set_ratio, workers=workers, dtype=np.float32) / 100.0
    shorter = np.array([min(x.count(" "), y.count(" ")) + 1 for x, y in zip(a, b, strict=True)])
    token_set[shorter < CONTAINMENT_MIN_WORDS] = 0.0
    return ratio, token_set


def combine(char: np.ndarray, word: np.ndarray, ratio: np.ndarray, token_set: np.ndarray,
            weights: ScoreWeights = ScoreWeights()) -> np.ndarray:  # noqa: B008
    """The combined score in [0, 1]: a weighted mean, or discounted containment if higher."""
    mean = weights.char * char + weights.word * word + weights.ratio * ratio
    return np.clip(np.maximum(mean, weights.containment * token_set * np.maximum(char, word)), 0.0, 1.0)


ROW_CHUNK = 20_000
"""Pairs whose rows are gathered at once by :func:`row_cosines` (bounds its memory)."""


def row_cosines(va: ClauseVectors, vb: ClauseVectors, rows: np.ndarray,
                cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Character and word cosines of the given (row of ``va``, row of ``vb``) pairs."""
    if va.chars.shape[0] * va.chars.shape[1] <= DENSE_ROW_CELLS:
        return _pair_dots(va.chars, vb.chars, rows, cols), _pair_dots(va.words, vb.words, rows, cols)
    chars: list[np.ndarray] = [np.zeros(0, np.float32)]
    words: list[np.ndarray] = [np.zeros(0, np.float32)]
    for start in range(0, len(rows), ROW_CHUNK):
        r, c = rows[start:start + ROW_CHUNK], cols[start:start + ROW_CHUNK]
        chars.append(np.asarray(va.chars[r].multiply(vb.chars[c]).sum(axis=1), dtype=np.float32).ravel())
        words.append(np.asarray(va.words[r].multiply(vb.words[c]).sum(axis=1), dtype=np.float32).ravel())
    return np.concatenate(chars), np.concatenate(words)


DENSE_ROW_CELLS = 1 << 21
"""Up to this many rows x features on A's side (a small document: 8 MB), :func:`row_cosines`
looks the products up in A's rows made dense instead of building scipy matrices, whose
construction and checks cost a tenth of a millisecond each, most of the scoring of a small
alignment."""


def _pair_dots(a: sparse.csr_matrix, b: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``a[rows].multiply(b[cols]).sum(axis=1)`` with the same arithmetic: per pair the products
    of the features both rows have (``multiply`` keeps the nonzero ones), in feature order, summed
    by ``np.add.reduceat`` over the nonempty pairs as scipy's ``sum`` does: the same numbers."""
    out = np.zeros(len(rows), np.float32)
    if len(rows) == 0:
        return out
    cols = np.asarray(cols, np.int64)
    starts, sizes = b.indptr[cols], np.diff(b.indptr)[cols]
    total = int(sizes.sum())
    at = np.arange(total) + np.repeat(starts - np.cumsum(sizes) + sizes, sizes)
    pair = np.repeat(np.arange(len(rows)), sizes)
    dense_a = a.toarray()
    products = dense_a[np.asarray(rows, np.int64)[pair], b.indices[at]] * b.data[at]
    kept = products != 0
    products, pair = products[kept], pair[kept]
    if len(products):
        first = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
        out[pair[first]] = np.add.reduceat(products, first)
    return out


def score_pairs(a: list[NormText], b: list[NormText], rows: np.ndarray, cols: np.ndarray,
                char: np.ndarray, word: np.ndarray, weights: ScoreWeights = ScoreWeights()) -> np.ndarray:  # noqa: B008
    """Combined scores of the given (row, col) pairs, whose cosines are known."""
    if len(rows) == 0:
        return np.zeros(0, np.float32)
    ratio, token_set = fuzzy_scores([a[i].stems for i in rows], [b[j].stems for j in cols])
    return combine(char, word, ratio, token_set, weights)


def score_best_case(a: list[NormText], b: list[NormText], rows: np.ndarray, cols: np.ndarray,
                    char: np.ndarray, word: np.ndarray, weights: ScoreWeights = ScoreWeights()) -> np.ndarray:  # noqa: B008
    """An upper bound of ``score_pairs`` without the edit-based ratios: ``ratio`` cannot exceed
    ``2 min(len) / (len_a + len_b)`` (the indel distance is at least the length difference) and
    ``token_set_ratio`` cannot exceed 1."""
    if len(rows) == 0:
        return np.zeros(0, np.float32)
    len_a = np.fromiter((len(t.stems) for t in a), dtype=np.float64, count=len(a))[rows]
    len_b = np.fromiter((len(t.stems) for t in b), dtype=np.float64, count=len(b))[cols]
    total = np.maximum(len_a + len_b, 1.0)
    ratio = 2.0 * np.minimum(len_a, len_b) / total
    ratio[(len_a + len_b) == 0] = 1.0
    mean = weights.char * char + weights.word * word + weights.ratio * ratio
    return np.maximum(mean, weights.containment * np.maximum(char, word))


def rough_scores(a: list[NormText], b: list[NormText], rows: np.ndarray, cols: np.ndarray, char: np.ndarray,
                 word: np.ndarray, floor: float, weights: ScoreWeights = ScoreWeights()) -> np.ndarray:  # noqa: B008
    """``score_pairs`` where it may reach ``floor``, with ``token_set_ratio`` computed only where
    containment could lift a pair to ``floor`` (elsewhere it is taken as 0: lower, never higher)."""
    if len(rows) == 0:
        return np.zeros(0, np.float32)
    sa, sb = [a[i].stems for i in rows], [b[j].stems for j in cols]
    ratio = process.cpdist(sa, sb, scorer=fuzz.ratio, workers=_workers(len(sa)), dtype=np.float32) / 100.0
    token_set = np.zeros(len(rows), np.float32)
    lift = np.flatnonzero(weights.containment * np.maximum(char, word) >= floor)
    if len(lift):
        _, token_set[lift] = fuzzy_scores([sa[k] for k in lift], [sb[k] for k in lift])
    return combine(char, word, ratio, token_set, weights)
