"""Check a clause against the whole query, and score it, from its words alone (no index needed).

A large store's candidates come from a cheaper expression than the query (each word cut to its
most common forms, see :mod:`rok_compare.search.compile`); this decides, with every form and
compound of every word, whether a candidate matches the query as FTS5 would, and ranks the
candidates with the same bm25 formula FTS5 uses (Robertson & Zaragoza 2009; FTS5's ``bm25()``:
k1 = 1.2, b = 0.75, idf = ln((N - n + 0.5) / (n + 0.5)), at least 1e-6).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

from rok_compare.search.compile import Plan
from rok_compare.search.query import WORD, AnyOf, Node, Phrase, Prefix, Word
from rok_compare.search.swedish import fold
from rok_compare.search.vocab import StoreWords

K1 = 1.2
B = 0.75


def tokens(text: str) -> list[str]:
    """The words of a clause as the word index holds them (unicode61: letters and digits, lower case)."""
    return WORD.findall(fold(text))


def matches(node: Node, words: list[str], present: AbstractSet[str], plan: Plan) -> bool:
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
        self._idfs: dict[str, float] = {}
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

    def _word_idf(self, word: str) -> float:
        idf = self._idfs.get(word)
        if idf is None:
            idf = self._idfs[word] = self.idf(self.store.counts.get(word, 0))
        return idf

    def score(self, words: list[str], distinct: Iterable[str] | None = None) -> float:
        """bm25 of a clause with these ``words`` (``distinct``: each of them once, in text order,
        when known already). Terms are added in a fixed order (query terms, then the clause's words
        in text order), so that a clause's score is the same float however it was found."""
        norm = K1 * (1 - B + B * (len(words) or 1) / self.store.mean_length)
        if distinct is None:
            distinct = dict.fromkeys(words)
        score = 0.0
        for forms in self.words:
            for word in distinct:
                if word in forms:
                    tf = words.count(word)
                    score += self._word_idf(word) * tf * (K1 + 1) / (tf + norm)
        for prefix, idf in self.prefixes:
            if tf := sum(words.count(word) for word in distinct if word.startswith(prefix)):
                score += idf * tf * (K1 + 1) / (tf + norm)
        for phrase, idf in self.phrases:
            if tf := _occurrences(words, phrase):
                score += idf * tf * (K1 + 1) / (tf + norm)
        return score


def _occurrences(words: list[str], phrase: tuple[str, ...]) -> int:
    n = len(phrase)
    return sum(1 for i, w in enumerate(words) if w == phrase[0] and tuple(words[i:i + n]) == phrase)


def ranked_matches(plan: Plan, scorer: Scorer, rows: Iterable[Sequence]) -> list[tuple[float, int]]:
    """``(-score, id)`` of the rows (``(id, text, ...)``) that match the whole query, best first.
    A text is checked and scored once however many rows carry it (copies of a clause are common)."""
    assert plan.root is not None
    root = plan.root
    scores: dict[str, float | None] = {}
    ranked = []
    for id_, text, *_ in rows:
        if text in scores:
            score = scores[text]
        else:
            words = tokens(text)
            distinct = dict.fromkeys(words)
            found = matches(root, words, distinct.keys(), plan)
            score = scores[text] = scorer.score(words, distinct) if found else None
        if score is not None:
            ranked.append((-score, id_))
    ranked.sort()
    return ranked
