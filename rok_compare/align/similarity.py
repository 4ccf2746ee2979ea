"""How alike two clauses are: vectorisers for candidates, one combined score for decisions.

Candidates come from two scikit-learn TF-IDF vectorisers fitted on the clauses being compared:
words (Swedish stems of the name-masked text) and character n-grams (``char_wb``, 3-5, on the
masked text without stemming), which survive compounding: "arbetsmarknadsetablering" shares
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
from sklearn.feature_extraction.text import TfidfVectorizer

from rok_compare.align.normalize import NormText

CANDIDATE_FLOOR = 0.2
"""Pairs whose character and word cosines both stay below this are not scored further."""
CONTAINMENT_MIN_WORDS = 6
"""The shorter clause needs this many words before containment counts as similarity."""


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


class ClauseVectorizer:
    """Word-stem and character n-gram TF-IDF over normalised clauses (scikit-learn style)."""

    def __init__(self, char_ngram_range: tuple[int, int] = (3, 5), sublinear_tf: bool = True) -> None:
        self.char_ngram_range = char_ngram_range
        self.sublinear_tf = sublinear_tf

    def fit(self, texts: list[NormText]) -> ClauseVectorizer:
        self.words_ = TfidfVectorizer(
            analyzer=str.split, sublinear_tf=self.sublinear_tf, lowercase=False, dtype=np.float32,
        )
        self.chars_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=self.char_ngram_range, sublinear_tf=self.sublinear_tf,
            lowercase=False, dtype=np.float32,
        )
        self.words_.fit([t.stems or "_tom_" for t in texts])
        self.chars_.fit([t.masked or "_tom_" for t in texts])
        return self

    def transform(self, texts: list[NormText]) -> ClauseVectors:
        return ClauseVectors(
            words=self.words_.transform([t.stems for t in texts]).tocsr(),
            chars=self.chars_.transform([t.masked for t in texts]).tocsr(),
        )


def fuzzy_scores(a: list[str], b: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Element-wise ``ratio`` and length-guarded ``token_set_ratio`` of aligned lists, in [0, 1]."""
    if not a:
        return np.zeros(0, np.float32), np.zeros(0, np.float32)
    ratio = process.cpdist(a, b, scorer=fuzz.ratio, workers=-1, dtype=np.float32) / 100.0
    token_set = process.cpdist(a, b, scorer=fuzz.token_set_ratio, workers=-1, dtype=np.float32) / 100.0
    shorter = np.array([min(x.count(" "), y.count(" ")) + 1 for x, y in zip(a, b, strict=True)])
    token_set[shorter < CONTAINMENT_MIN_WORDS] = 0.0
    return ratio, token_set


def combine(char: np.ndarray, word: np.ndarray, ratio: np.ndarray, token_set: np.ndarray,
            weights: ScoreWeights = ScoreWeights()) -> np.ndarray:  # noqa: B008
    """The combined score in [0, 1]: a weighted mean, or discounted containment if higher."""
    mean = weights.char * char + weights.word * word + weights.ratio * ratio
    return np.clip(np.maximum(mean, weights.containment * token_set * np.maximum(char, word)), 0.0, 1.0)


@dataclass(slots=True)
class ScoredPairs:
    """Scores of candidate pairs (row in A, column in B), as aligned arrays."""

    rows: np.ndarray
    cols: np.ndarray
    score: np.ndarray

    def dense(self, shape: tuple[int, int]) -> np.ndarray:
        out = np.zeros(shape, dtype=np.float32)
        out[self.rows, self.cols] = self.score
        return out


def score_pairs(a: list[NormText], b: list[NormText], va: ClauseVectors, vb: ClauseVectors,
                rows: np.ndarray, cols: np.ndarray, weights: ScoreWeights = ScoreWeights()) -> np.ndarray:  # noqa: B008
    """Combined scores of the given (row, col) pairs."""
    if len(rows) == 0:
        return np.zeros(0, np.float32)
    char = np.asarray(va.chars[rows].multiply(vb.chars[cols]).sum(axis=1)).ravel()
    word = np.asarray(va.words[rows].multiply(vb.words[cols]).sum(axis=1)).ravel()
    ratio, token_set = fuzzy_scores([a[i].stems for i in rows], [b[j].stems for j in cols])
    return combine(char, word, ratio, token_set, weights)


def score_all(a: list[NormText], b: list[NormText], vectorizer: ClauseVectorizer,
              weights: ScoreWeights = ScoreWeights()) -> ScoredPairs:  # noqa: B008
    """Scores of every pair of A x B whose cosines reach ``CANDIDATE_FLOOR``."""
    va, vb = vectorizer.transform(a), vectorizer.transform(b)
    cosine = np.maximum((va.chars @ vb.chars.T).toarray(), (va.words @ vb.words.T).toarray())
    rows, cols = np.nonzero(cosine >= CANDIDATE_FLOOR)
    return ScoredPairs(rows, cols, score_pairs(a, b, va, vb, rows, cols, weights))


def score_one(a: NormText, b: NormText, vectorizer: ClauseVectorizer,
              weights: ScoreWeights = ScoreWeights()) -> float:  # noqa: B008
    """The combined score of one pair (e.g. a clause against two joined clauses)."""
    va, vb = vectorizer.transform([a]), vectorizer.transform([b])
    return float(score_pairs([a], [b], va, vb, np.array([0]), np.array([0]), weights)[0])
