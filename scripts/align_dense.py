"""The dense alignment path as it was before the sparse one: the baseline of bench_align_growth.

A frozen copy of ``rok_compare.align.pairwise`` and ``similarity`` at the commit before the
sparse rewrite (n x m cosine, score and gain matrices, one ``linear_sum_assignment`` over
A x B, scikit-learn's ``TfidfVectorizer`` fitted and applied separately, one vectorisation per
split/merge window). Only the benchmark imports it, to measure the new path against the old
in the same run and to check that both give the same alignment.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from sklearn.feature_extraction.text import TfidfVectorizer

from rok_compare.align.model import Alignment, ClausePair, ClauseRef, Relation, Shape
from rok_compare.align.normalize import NormText, normalize, normalize_many, surface_key
from rok_compare.align.similarity import CANDIDATE_FLOOR, ScoreWeights, combine, fuzzy_scores
from rok_compare.align.worddiff import split_diff, word_diff
from rok_compare.model import Clause


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


EDITED = 0.55
RELATED = 0.4
SPLIT_MARGIN = 0.05
CONTAINED = 0.8
IDENTICAL_BONUS = 0.05
POSITION_BONUS = 0.02


@dataclass(slots=True)
class _Side:
    """One document's clauses with their comparison views."""

    refs: list[ClauseRef]
    norm: list[NormText]
    keys: list[str]

    @classmethod
    def of(cls, clauses: Sequence[Clause]) -> _Side:
        texts = [c.text for c in clauses]
        return cls([ClauseRef(c.id, c.text, k) for k, c in enumerate(clauses)],
                   normalize_many(texts), [surface_key(t) for t in texts])


@dataclass(slots=True)
class _Group:
    """A 1:1 pair, or a split (one A, several B) or merge (several A, one B), before rendering."""

    a: list[int]
    b: list[int]
    score: float
    shape: Shape


class DenseAligner:
    """The clause aligner before the sparse rewrite."""

    def __init__(self, edited: float = EDITED, related: float = RELATED,
                 split_margin: float = SPLIT_MARGIN) -> None:
        self.edited = edited
        self.related = related
        self.split_margin = split_margin

    def align(self, a: Sequence[Clause], b: Sequence[Clause],
              a_path: str | None = None, b_path: str | None = None) -> Alignment:
        side_a, side_b = _Side.of(a), _Side.of(b)
        groups: list[_Group] = []
        if a and b:
            self.vectorizer_ = ClauseVectorizer().fit(side_a.norm + side_b.norm)
            scores = score_all(side_a.norm, side_b.norm, self.vectorizer_).dense((len(a), len(b)))
            groups = self._assign(scores, side_a, side_b)
            groups = self._splits_and_merges(groups, scores, side_a, side_b)
        pairs = self._render(groups, side_a, side_b)
        paired_a = {p.a.index for p in pairs}
        paired_b = {p.b.index for p in pairs}
        return Alignment(
            pairs=pairs,
            only_a=[r for r in side_a.refs if r.index not in paired_a],
            only_b=[r for r in side_b.refs if r.index not in paired_b],
            a_path=a_path, b_path=b_path,
        )

    def _assign(self, scores: np.ndarray, side_a: _Side, side_b: _Side) -> list[_Group]:
        """One-to-one pairs that maximise the total score."""
        n, m = scores.shape
        if n == 0 or m == 0:
            return []
        key_ids: dict[str, int] = {}
        ids_a = np.array([key_ids.setdefault(k, len(key_ids)) for k in side_a.keys])
        ids_b = np.array([key_ids.setdefault(k, len(key_ids)) for k in side_b.keys])
        same = ids_a[:, None] == ids_b[None, :]
        pos_a = (np.arange(n) + 0.5) / n
        pos_b = (np.arange(m) + 0.5) / m
        closeness = 1.0 - np.abs(pos_a[:, None] - pos_b[None, :])
        gain = scores + IDENTICAL_BONUS * same + POSITION_BONUS * closeness
        gain[scores < self.related] = 0.0
        rows, cols = linear_sum_assignment(gain, maximize=True)
        return [_Group([i], [j], float(scores[i, j]), Shape.ONE_TO_ONE)
                for i, j in zip(rows, cols, strict=True) if scores[i, j] >= self.related]

    def _splits_and_merges(self, groups: list[_Group], scores: np.ndarray,
                           side_a: _Side, side_b: _Side) -> list[_Group]:
        """Replace 1:1 pairs by splits/merges where two joined clauses match clearly better."""
        pair_of_a = {g.a[0]: g for g in groups}
        pair_of_b = {g.b[0]: g for g in groups}
        proposals = self._proposals(scores, side_a, side_b, pair_of_a, pair_of_b, split=True)
        proposals += self._proposals(scores.T, side_b, side_a, pair_of_b, pair_of_a, split=False)
        used_a: set[int] = set()
        used_b: set[int] = set()
        replaced: set[int] = set()
        accepted: list[_Group] = []
        for proposal in sorted(proposals, key=lambda g: -g.score):
            if used_a & set(proposal.a) or used_b & set(proposal.b):
                continue
            used_a.update(proposal.a)
            used_b.update(proposal.b)
            for i in proposal.a:
                replaced.add(id(pair_of_a.get(i)))
            for j in proposal.b:
                replaced.add(id(pair_of_b.get(j)))
            accepted.append(proposal)
        kept = [g for g in groups if id(g) not in replaced]
        return sorted(kept + accepted, key=lambda g: (g.a[0], g.b[0]))

    def _proposals(self, scores: np.ndarray, one: _Side, many: _Side, pair_of_one: dict[int, _Group],
                   pair_of_many: dict[int, _Group], split: bool) -> list[_Group]:
        """Clauses of ``one`` that match two consecutive clauses of ``many`` joined."""
        out: list[_Group] = []
        for i in range(scores.shape[0]):
            own = pair_of_one.get(i)
            if own is not None and one.keys[i] == (many.keys[own.b[0]] if split else many.keys[own.a[0]]):
                continue  # an identical pair stays as it is
            best: _Group | None = None
            tried: set[int] = set()
            for j in np.nonzero(scores[i] >= self.related)[0]:
                for lo in (j - 1, j):
                    window = [lo, lo + 1]
                    if lo < 0 or lo + 1 >= scores.shape[1] or lo in tried:
                        continue
                    tried.add(lo)
                    joined_key = f"{many.keys[lo]} {many.keys[lo + 1]}"
                    if min(scores[i, lo], scores[i, lo + 1]) <= 0 and joined_key != one.keys[i]:
                        continue
                    if own is not None and (own.b if split else own.a)[0] not in window:
                        continue
                    proposal = self._try_window(i, window, scores, one, many, pair_of_many, split)
                    if proposal is not None and (best is None or proposal.score > best.score):
                        best = proposal
            if best is not None:
                out.append(best)
        return out

    def _try_window(self, i: int, window: list[int], scores: np.ndarray, one: _Side, many: _Side,
                    pair_of_many: dict[int, _Group], split: bool) -> _Group | None:
        """A split (or merge) of ``one[i]`` over ``many[window]`` if the joined text explains it."""
        for j in window:
            taken = pair_of_many.get(j)
            other = None if taken is None else (taken.a if split else taken.b)[0]
            if other is not None and other != i and taken.score >= self.edited:
                return None
        joined_text = " ".join(many.refs[j].text for j in window)
        if surface_key(joined_text) == one.keys[i]:
            score = 1.0
        else:
            alone = max(scores[i, j] for j in window)
            score = score_one(one.norm[i], normalize(joined_text), self.vectorizer_)
            weaker = min(window, key=lambda j: scores[i, j])
            if score < self.edited or score < alone:
                return None
            if score < alone + self.split_margin and _contained(many.norm[weaker], one.norm[i]) < CONTAINED:
                return None
        if split:
            return _Group([i], window, score, Shape.SPLIT)
        return _Group(window, [i], score, Shape.MERGE)

    def _render(self, groups: list[_Group], side_a: _Side, side_b: _Side) -> list[ClausePair]:
        moved = _moved_groups(groups)
        pairs: list[ClausePair] = []
        for number, group in enumerate(groups):
            texts_a = [side_a.refs[i].text for i in group.a]
            texts_b = [side_b.refs[j].text for j in group.b]
            same = surface_key(" ".join(texts_a)) == surface_key(" ".join(texts_b))
            relation = self._relation(group.score, same)
            if group.shape is Shape.SPLIT:
                diffs = split_diff(texts_a[0], texts_b, whole_is_a=True)
            elif group.shape is Shape.MERGE:
                diffs = split_diff(texts_b[0], texts_a, whole_is_a=False)
            else:
                diffs = [word_diff(texts_a[0], texts_b[0])]
            members = [(i, j) for i in group.a for j in group.b]
            for (i, j), diff in zip(members, diffs, strict=True):
                pairs.append(ClausePair(side_a.refs[i], side_b.refs[j], group.score, relation,
                                        group.shape, number in moved, diff, number))
        return pairs

    def _relation(self, score: float, same_words: bool) -> Relation:
        if same_words:
            return Relation.IDENTICAL
        return Relation.EDITED if score >= self.edited else Relation.RELATED


def _contained(part: NormText, whole: NormText) -> float:
    """Share of the part's stems that occur in the whole."""
    stems = part.stems.split()
    vocabulary = set(whole.stems.split())
    return sum(1 for s in stems if s in vocabulary) / len(stems) if stems else 0.0


def _moved_groups(groups: list[_Group]) -> set[int]:
    """Groups (in A's order) whose B position is outside a longest increasing subsequence."""
    keep = longest_increasing_subsequence([g.b[0] for g in groups])
    return set(range(len(groups))) - set(keep)


def longest_increasing_subsequence(values: list[int]) -> list[int]:
    """Indices of one longest strictly increasing subsequence of ``values`` (O(n log n))."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for k, value in enumerate(values):
        pos = bisect.bisect_left(tails, value)
        if pos == len(tails):
            tails.append(value)
            tail_index.append(k)
        else:
            tails[pos] = value
            tail_index[pos] = k
        previous[k] = tail_index[pos - 1] if pos > 0 else -1
    out: list[int] = []
    k = tail_index[-1] if tail_index else -1
    while k >= 0:
        out.append(k)
        k = previous[k]
    return out[::-1]


def align(a: Sequence[Clause], b: Sequence[Clause], a_path: str | None = None,
          b_path: str | None = None) -> Alignment:
    """Align the clauses of two documents with the default thresholds."""
    return DenseAligner().align(a, b, a_path, b_path)
