"""Scores of clauses against two consecutive clauses of the other document joined (splits, merges).

Every window an alignment tries is scored in one batch: the joined texts are normalised and
vectorised once each (a window is shared by the clauses that try it), and the cosines and
edit-based ratios of all (clause, window) pairs are computed together, with the same
arithmetic as scoring one pair at a time.
"""

from __future__ import annotations

import numpy as np

from rok_compare.align.normalize import NormText, normalize, surface_key
from rok_compare.align.similarity import ClauseVectorizer, ClauseVectors, row_cosines, score_pairs


class WindowScorer:
    """Scores (clause of one side, window of the other) pairs with a fitted vectorizer."""

    def __init__(self, vectorizer: ClauseVectorizer) -> None:
        self.vectorizer = vectorizer

    def score(self, one_norm: list[NormText], one_keys: list[str], one_vectors: ClauseVectors,
              many_texts: list[str], tries: list[tuple[int, int]]) -> dict[tuple[int, int], float | None]:
        """For each (i, lo): the score of ``one[i]`` against ``many[lo]`` and ``many[lo + 1]``
        joined, or None when the joined text has the same words as ``one[i]``."""
        out: dict[tuple[int, int], float | None] = {}
        window_of: dict[int, int] = {}
        joined: list[str] = []
        needed: list[tuple[int, int]] = []
        for i, lo in tries:
            if lo not in window_of:
                window_of[lo] = len(joined)
                joined.append(f"{many_texts[lo]} {many_texts[lo + 1]}")
            if surface_key(joined[window_of[lo]]) == one_keys[i]:
                out[(i, lo)] = None
            else:
                needed.append((i, lo))
        if not needed:
            return out
        norms = [normalize(text) for text in joined]
        vectors = self.vectorizer.transform(norms)
        rows = np.array([i for i, _ in needed])
        cols = np.array([window_of[lo] for _, lo in needed])
        char, word = row_cosines(one_vectors, vectors, rows, cols)
        scores = score_pairs(one_norm, norms, rows, cols, char, word)
        out.update(zip(needed, (float(s) for s in scores), strict=True))
        return out
