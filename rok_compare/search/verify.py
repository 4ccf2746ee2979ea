"""Check a clause against the whole query, and score it, from its words alone (no index needed).

A large store's candidates come from a cheaper expression than the query (each word cut to its
most common forms, see :mod:`rok_compare.search.compile`); this decides, with every form and
compound of every word, whether a candidate matches the query as FTS5 would, and ranks the
candidates with the same bm25 formula FTS5 uses (Robertson & Zaragoza 2009; FTS5's ``bm25()``:
k1 = 1.2, b = 0.75, idf = ln((N - n + 0.5) / (n + 0.5)), at least 1e-6).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from rok_compare.search.compile import Plan
from rok_compare.search.query import WORD, AnyOf, Node, Phrase, Prefix, Word
from rok_compare.search.swedish import fold
from rok_compare.search.vocab import StoreWords

K1 = 1.2
B = 0.75


def tokens(text: str) -> list[str]:
    """The words of a clause as the word index holds them (unicode61: letters and digits, lower case)."""
    return WORD.findall(fold(text))


def matches(node: Node, words: list[str], present: set[str], plan: Plan) -> bool:
    """Whether a clause with these ``words`` (``present``: the same as a set) matches ``node``."""
    if isinstance(node, Word):
        return not present.isdisjoint(plan.expanded.get(node.text, ()))
    if isinstance(node, Prefix):
        return any(w.startswith(node.text) for w in present)
    if isinstance(node, Phrase):
        return _has_phrase(words, node.words)
    if isinstance(node, AnyOf):
        return any(matches(part, words, present, plan) for part in node.parts)
    return (all(matches(part, words, present, plan) for part in node.include)
            and not any(matches(part, words, present, plan) for part in node.exclude))


def _has_phrase(words: list[str], phrase: tuple[str, ...]) -> bool:
    return _occurrences(words, phrase) > 0


class Scorer:
    """bm25 of clauses for one plan, term by term as FTS5 ranks its expression: each word a query
    word finds is a term of its own (the query word is an OR of them), a prefix one term (every word
    beginning with it), a phrase one term (its occurrences). A prefix's and a phrase's clause count
    is estimated from the vocabulary (FTS5 counts them exactly): for a query of one of them the
    order is the same, since the estimate scales every clause's score alike."""

    def __init__(self, plan: Plan, store: StoreWords) -> None:
        self.store = store
        self.words: list[frozenset[str]] = []
        self.prefixes: list[tuple[str, float]] = []
        self.phrases: list[tuple[tuple[str, ...], float]] = []
        if plan.root is not None:
            self._collect(plan.root, plan)

    def _collect(self, node: Node, plan: Plan) -> None:
        counts, index = self.store.counts, self.store.index
        if isinstance(node, Word):
            self.words.append(plan.expanded.get(node.text, frozenset()))
        elif isinstance(node, Prefix):
            self.prefixes.append((node.text, self.idf(sum(counts[w] for w in index.starting(node.text)))))
        elif isinstance(node, Phrase):
            self.phrases.append((node.words, self.idf(min(counts.get(w, 0) for w in node.words))))
        elif isinstance(node, AnyOf):
            for part in node.parts:
                self._collect(part, plan)
        else:
            for part in node.include:
                self._collect(part, plan)

    def idf(self, n: int) -> float:
        n = min(n, self.store.clauses)
        return max(1e-6, math.log((self.store.clauses - n + 0.5) / (n + 0.5)))

    def score(self, words: list[str]) -> float:
        norm = K1 * (1 - B + B * (len(words) or 1) / self.store.mean_length)
        counts = Counter(words)
        score = 0.0

        def add(idf: float, tf: int) -> None:
            nonlocal score
            score += idf * tf * (K1 + 1) / (tf + norm)

        for forms in self.words:
            for word, tf in counts.items():
                if word in forms:
                    add(self.idf(self.store.counts.get(word, 0)), tf)
        for prefix, idf in self.prefixes:
            if tf := sum(n for word, n in counts.items() if word.startswith(prefix)):
                add(idf, tf)
        for phrase, idf in self.phrases:
            if tf := _occurrences(words, phrase):
                add(idf, tf)
        return score


def _occurrences(words: list[str], phrase: tuple[str, ...]) -> int:
    n = len(phrase)
    return sum(1 for i, w in enumerate(words) if w == phrase[0] and tuple(words[i:i + n]) == phrase)


def first_matching(plan: Plan, texts: Iterable[Sequence]) -> list[tuple[int, list[str]]]:
    """The (id, words) of the texts that match the whole query."""
    assert plan.root is not None
    kept = []
    for id_, text in texts:
        words = tokens(text)
        if matches(plan.root, words, set(words), plan):
            kept.append((id_, words))
    return kept
