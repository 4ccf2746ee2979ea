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


def test_patterns_searched_over_all_texts_at_once_find_the_texts_a_search_of_each_finds():
    from rok_compare.extract.keywords import KeywordMatcher, KeywordSet

    patterns = [r"@|\b0\d{1,3}-\d", r"\b\d[\d  ]*(personer|platser|procent|%)\b", r"\b(19|20)\d\d\b|prop\.",
                r"^mål\b", r"ska$", r"(?<!\d)17", r"bo(?!ende)", r"a[^b]*c", r"a.{0,3}c", r"a\W*c"]
    matchers = [KeywordMatcher(pattern) for pattern in patterns]
    keyword_set = KeywordSet(matchers)
    rng = random.Random(3)
    pieces = ["Mål", "mål ", "ska", " 2019", "prop.", "08-123 45", "@", "12 personer", " 17", "117", "boende", "bo",
              "a", "c", "b", "\n", " ", "ſka", "–"]
    for _ in range(300):
        texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(1, 8))]
        expected = [{i for i, m in enumerate(matchers) if m._folded.flagged.search(text)} for text in texts]
        assert keyword_set.matches(texts) == expected, texts
