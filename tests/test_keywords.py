"""Keyword matching over many clauses at once (``rok_compare.extract.keywords``)."""

from __future__ import annotations

import random

from rok_compare.extract.clauses import cue_kinds_of, kind_matchers, themes_of
from rok_compare.extract.keywords import padded, padded_all


def test_padded_all_is_padded_of_each_text():
    texts = ["Region Skåne ska erbjuda SFI.", "", "  (2010:197) – lag", "ΑΣ. Σ", "ſkola İ", "a\tb\nc"]
    assert padded_all(texts) == [padded(text) for text in texts]
    assert padded("Hej, världen!") == " hej världen  "
    assert padded_all([]) == []
    assert padded_all(["a\x00b", "c"]) == [padded("a\x00b"), padded("c")]  # a NUL in a text: one by one
    rng = random.Random(7)
    alphabet = "abcÅÄÖåäöéü-.,;: \t\nΣσς!?()0123_İſ"
    for _ in range(2000):
        texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(rng.randint(1, 5))]
        assert padded_all(texts) == [padded(text) for text in texts], texts


def test_kinds_and_themes_are_the_same_for_texts_alone_and_together():
    texts = ["Arbetsförmedlingen ska erbjuda praktik och arbetsmarknadsutbildning.",
             "Målet är att fler nyanlända ska få arbete.", "Kontakt: 010-123 45 67", "Parterna ska följa upp hälsan."]
    together_kinds, together_themes = cue_kinds_of(texts), themes_of(texts)
    assert together_kinds == [cue_kinds_of([text])[0] for text in texts]
    assert together_themes == [themes_of([text])[0] for text in texts]
    assert any(together_themes) and len(kind_matchers()) > 1
