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
from collections.abc import Iterable

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
    n = len(phrase)
    return any(words[i:i + n] == list(phrase) for i, w in enumerate(words) if w == phrase[0])


def scoring_words(plan: Plan) -> frozenset[str]:
    """The store words that count for ranking: every form, compound and phrase word asked for."""
    found: set[str] = set(plan.found) | set(plan.compounds)
    for forms in plan.expanded.values():
        found |= forms
    return frozenset(found)


def bm25(words: list[str], asked: frozenset[str], prefixes: tuple[str, ...], store: StoreWords) -> float:
    """bm25 of one clause for the asked words (each word a term, as in an OR of them)."""
    length = len(words) or 1
    norm = K1 * (1 - B + B * length / store.mean_length)
    score = 0.0
    for word, tf in Counter(w for w in words if w in asked or (prefixes and w.startswith(prefixes))).items():
        n = store.counts.get(word, 0)
        idf = max(1e-6, math.log((store.clauses - n + 0.5) / (n + 0.5)))
        score += idf * tf * (K1 + 1) / (tf + norm)
    return score


def first_matching(plan: Plan, texts: Iterable[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    """The (id, words) of the texts that match the whole query."""
    assert plan.root is not None
    kept = []
    for id_, text in texts:
        words = tokens(text)
        if matches(plan.root, words, set(words), plan):
            kept.append((id_, words))
    return kept
