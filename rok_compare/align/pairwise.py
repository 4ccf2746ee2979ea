"""Align the clauses of two documents: pairs, splits and merges, moves, word differences.

1. Every clause is normalised (stems, masked names); the pairs of A x B whose word or
   character TF-IDF cosine reaches a floor are the candidates (:mod:`candidates`, sparse
   products a block of rows at a time), and those that can be related get a combined score
   (:mod:`similarity`, :mod:`pair_scores`). No n x m matrix is built.
2. A one-to-one assignment maximises the total score (not a greedy first match), with a small
   bonus for identical wording and a smaller one for a similar relative position, so that
   repeated clauses pair with their counterpart in place. It is solved on the graph of related
   pairs, component by component (:mod:`assignment`); pairs below the *related* threshold are
   never paired.
3. Splits and merges: a clause of A paired (or not) with one of two consecutive clauses of B
   whose concatenation has the same words, or scores clearly better than either alone (by
   ``SPLIT_MARGIN``, or at all when the weaker part's stems are ``CONTAINED`` in the clause),
   becomes a split; the mirror image a merge.
4. Relations: identical (same words), edited (score >= ``EDITED``), related (>= ``RELATED``).
5. Moves: the pairs (a split or merge counts once) in A's order whose B positions are not in a
   longest increasing subsequence are out of order relative to the pairs around them.

Thresholds (chosen on the gold seed pairs and the revisions benchmark, see THRESHOLDS.md):
``EDITED`` = 0.55, ``RELATED`` = 0.4; ``SPLIT_MARGIN`` = 0.05.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rok_compare.align.assignment import max_gain_pairs
from rok_compare.align.candidates import cosine_candidates
from rok_compare.align.model import Alignment, ClausePair, ClauseRef, Relation, Shape
from rok_compare.align.normalize import NormText, surface_key, views_of_recurring
from rok_compare.align.pair_scores import PairScores, score_candidates
from rok_compare.align.similarity import CANDIDATE_FLOOR, ClauseVectorizer, ClauseVectors
from rok_compare.align.window_scores import WindowScorer
from rok_compare.align.worddiff import split_diff, word_diff
from rok_compare.model import Clause

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
    vectors: ClauseVectors | None = None

    @classmethod
    def of(cls, clauses: Sequence[Clause]) -> _Side:
        norm, keys = views_of_recurring([c.text for c in clauses])
        return cls([ClauseRef(c.id, c.text, k) for k, c in enumerate(clauses)], norm, keys)


@dataclass(slots=True)
class _Group:
    """A 1:1 pair, or a split (one A, several B) or merge (several A, one B), before rendering."""

    a: list[int]
    b: list[int]
    score: float
    shape: Shape


class Aligner:
    """Clause aligner; thresholds are parameters so that benchmarks can vary them."""

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
            self.vectorizer_ = ClauseVectorizer()
            vectors = self.vectorizer_.fit_transform(side_a.norm + side_b.norm)
            side_a.vectors, side_b.vectors = vectors.rows(0, len(a)), vectors.rows(len(a), len(a) + len(b))
            candidates = cosine_candidates(side_a.vectors, side_b.vectors, CANDIDATE_FLOOR)
            scores = score_candidates(side_a.norm, side_b.norm, side_a.vectors, side_b.vectors, candidates,
                                      self.related)
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

    def _assign(self, scores: PairScores, side_a: _Side, side_b: _Side) -> list[_Group]:
        """One-to-one pairs that maximise the total score over the related pairs."""
        n, m = scores.shape
        rows, cols, score = scores.related_rows, scores.related_cols, scores.related_score
        if len(rows) == 0:
            return []
        key_ids: dict[str, int] = {}
        ids_a = np.array([key_ids.setdefault(k, len(key_ids)) for k in side_a.keys])
        ids_b = np.array([key_ids.setdefault(k, len(key_ids)) for k in side_b.keys])
        same = ids_a[rows] == ids_b[cols]
        closeness = 1.0 - np.abs((rows + 0.5) / n - (cols + 0.5) / m)
        gain = score + IDENTICAL_BONUS * same + POSITION_BONUS * closeness
        return [_Group([i], [j], float(scores.at(i, j)), Shape.ONE_TO_ONE)
                for i, j in max_gain_pairs(rows, cols, gain, n, m)]

    def _splits_and_merges(self, groups: list[_Group], scores: PairScores,
                           side_a: _Side, side_b: _Side) -> list[_Group]:
        """Replace 1:1 pairs by splits/merges where two joined clauses match clearly better."""
        pair_of_a = {g.a[0]: g for g in groups}
        pair_of_b = {g.b[0]: g for g in groups}
        windows = WindowScorer(self.vectorizer_)
        proposals = self._proposals(scores, side_a, side_b, pair_of_a, pair_of_b, True, windows)
        proposals += self._proposals(scores.T, side_b, side_a, pair_of_b, pair_of_a, False, windows)
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

    def _proposals(self, scores: PairScores, one: _Side, many: _Side, pair_of_one: dict[int, _Group],
                   pair_of_many: dict[int, _Group], split: bool, windows: WindowScorer) -> list[_Group]:
        """Clauses of ``one`` that match two consecutive clauses of ``many`` joined: the windows
        worth trying are listed first, their joined texts scored in one batch, then judged."""
        tries = {i: self._windows_to_try(i, cols, scores, one, many, pair_of_one, pair_of_many, split)
                 for i, cols in scores.related_in_row().items()}
        judged = windows.score(one.norm, one.keys, one.vectors, [r.text for r in many.refs],
                               [(i, lo) for i, los in tries.items() for lo in los])
        out: list[_Group] = []
        for i in sorted(tries):
            best: _Group | None = None
            for lo in tries[i]:
                proposal = self._judge_window(i, [lo, lo + 1], judged[(i, lo)], scores, one, many, split)
                if proposal is not None and (best is None or proposal.score > best.score):
                    best = proposal
            if best is not None:
                out.append(best)
        return out

    def _windows_to_try(self, i: int, related: np.ndarray, scores: PairScores, one: _Side, many: _Side,
                        pair_of_one: dict[int, _Group], pair_of_many: dict[int, _Group],
                        split: bool) -> list[int]:
        """First clauses ``lo`` of the windows (lo, lo + 1) of ``many`` that ``one[i]`` may split into."""
        own = pair_of_one.get(i)
        keys = many.keys
        if own is not None and one.keys[i] == (keys[own.b[0]] if split else keys[own.a[0]]):
            return []  # an identical pair stays as it is
        size = len(keys)
        # each window holds a related clause (lo = j - 1 or j), tried in ascending order
        los = sorted({lo for j in related.tolist() for lo in (j - 1, j) if 0 <= lo < size - 1})
        if own is not None:  # a paired clause only splits over a window that holds its partner
            partner = (own.b if split else own.a)[0]
            los = [lo for lo in los if lo == partner or lo + 1 == partner]
        out: list[int] = []
        at = scores.at
        for lo in los:
            if min(at(i, lo), at(i, lo + 1)) <= 0 and f"{keys[lo]} {keys[lo + 1]}" != one.keys[i]:
                continue
            if self._window_taken(i, (lo, lo + 1), pair_of_many, split):
                continue
            out.append(lo)
        return out

    def _window_taken(self, i: int, window: tuple[int, int], pair_of_many: dict[int, _Group],
                      split: bool) -> bool:
        """A clause of the window is already well paired (>= ``edited``) with another clause."""
        for j in window:
            taken = pair_of_many.get(j)
            other = None if taken is None else (taken.a if split else taken.b)[0]
            if other is not None and other != i and taken.score >= self.edited:
                return True
        return False

    def _judge_window(self, i: int, window: list[int], joined: float | None, scores: PairScores,
                      one: _Side, many: _Side, split: bool) -> _Group | None:
        """A split (or merge) of ``one[i]`` over ``many[window]`` if the joined text explains it
        (``joined``: the joined text's score, None when it has the same words as ``one[i]``)."""
        if joined is None:
            score = 1.0
        else:
            alone = max(scores.at(i, j) for j in window)
            score = joined
            weaker = min(window, key=lambda j: scores.at(i, j))
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
            if group.shape is Shape.ONE_TO_ONE:  # the clauses' own surface keys
                same = side_a.keys[group.a[0]] == side_b.keys[group.b[0]]
            else:
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
    return Aligner().align(a, b, a_path, b_path)
