"""Similarity between a query (or a model clause) and candidate clauses, for re-ranking.

Both measures run in rapidfuzz's C++ on normalised text (case and punctuation evened out), so a
few hundred candidates cost about a millisecond:

- a few words: for each word, the best fuzzy match anywhere in the clause (``partial_ratio``),
  averaged, so inflected forms and compounds still count ("hälsoundersökning" in
  "hälsoundersökningar");
- a passage (``--similar-to``): the Indel similarity of the whole texts (``ratio``), the measure
  the reuse clustering verifies copies with, so an edited copy of the model clause ranks first
  and a long clause that merely shares its words does not.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from rok_compare.store.write import normalise

PASSAGE_MIN_CHARS = 60
"""A reference text at least this long is compared as a passage, shorter as words."""


def term_similarity(terms: Sequence[str], texts: Sequence[str]) -> list[float]:
    """Mean best-substring match of each term in each text, 0..1."""
    words = [w for w in (normalise(t) for t in terms) if w]
    if not words or not texts:
        return [0.0] * len(texts)
    norms = [normalise(t) for t in texts]
    matrix = process.cdist(words, norms, scorer=fuzz.partial_ratio)
    return [float(v) / 100.0 for v in matrix.mean(axis=0)]


def passage_similarity(reference: str, texts: Sequence[str]) -> list[float]:
    """Indel similarity (rapidfuzz ``ratio``) of each text with the reference passage, 0..1."""
    if not texts:
        return []
    scores = process.cdist([normalise(reference)], [normalise(t) for t in texts], scorer=fuzz.ratio)
    return [float(v) / 100.0 for v in scores[0]]


def similarity(reference: str, terms: Sequence[str], texts: Sequence[str]) -> list[float]:
    """The measure that suits the reference: passage similarity for long text, term matching for words."""
    if len(reference) >= PASSAGE_MIN_CHARS:
        return passage_similarity(reference, texts)
    return term_similarity(terms or reference.split(), texts)
