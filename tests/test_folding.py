"""Case-insensitive search on lower-cased text (``rok_compare.segment.folding``) finds exactly what
``re.IGNORECASE`` finds on the original text: the speed work relies on it for the strength, cue,
document-type, furniture and keyword patterns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rok_compare.extract.clauses import kind_matchers, theme_matchers
from rok_compare.extract.doc_type import _cues
from rok_compare.extract.parties import party_cues
from rok_compare.extract.strength import strength_rules
from rok_compare.segment.folding import FoldedPattern, lowered
from rok_compare.segment.furniture import _any_furniture_pattern

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"


def _texts() -> list[str]:
    folders = [ROOT / "corpus" / "seeds", SHARED / "dev", SHARED / "train"]
    return [p.read_text(encoding="utf-8") for folder in folders if folder.is_dir()
            for p in sorted(folder.glob("*.txt"))]


def _patterns() -> list[FoldedPattern]:
    patterns = [rule.pattern for rule in strength_rules()]
    patterns += [p for cues in _cues().values() for p in cues]
    patterns += [cue.folded for cue in party_cues()]
    patterns.append(_any_furniture_pattern())
    patterns += [m._folded for _, m in (*kind_matchers(), *theme_matchers()) if m._folded is not None]
    return patterns


def _spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def test_lowered_refuses_texts_where_offsets_or_matches_would_differ():
    assert lowered("Region Skåne ÅTAR SIG") == "region skåne åtar sig"
    assert lowered("İstanbul") is None  # lower-cases to a longer text
    assert lowered("Arbetsförmedlıngen") is None  # dotless i: IGNORECASE equates it with i
    assert lowered("ſkola") is None  # long s


def test_a_lower_case_pattern_finds_the_same_on_tricky_text():
    pattern = FoldedPattern(r"\bkommuner(?:na)?\b|föreningar|\bska\b")
    flagged = re.compile(pattern.pattern, re.I)
    for text in ("KOMMUNERNA och Föreningar SKA", "Kommunernas ska-planer", "dotless ıska ska", "İ ska KOMMUNER",
                 "µ ſka", "Åre kommuner"):
        assert _spans(pattern.finditer(text)) == _spans(flagged.finditer(text)), text
        assert bool(pattern.search(text)) == bool(flagged.search(text)), text
    assert FoldedPattern(r"[A-ZÅÄÖ]\w+").plain is None  # upper case in the pattern: always the flagged one


def test_every_folded_pattern_of_the_extractor_agrees_on_the_real_corpus():
    texts = _texts()
    if len(texts) < 10:
        pytest.skip("the shared corpus is not available")
    lines = [line for text in texts for line in text.splitlines() if line.strip()]
    for pattern in _patterns():
        for text in texts:
            assert _spans(pattern.finditer(text)) == _spans(pattern.flagged.finditer(text)), pattern.pattern[:60]
        for line in lines[::7]:
            assert bool(pattern.fullmatch(line)) == bool(pattern.flagged.fullmatch(line)), pattern.pattern[:60]
