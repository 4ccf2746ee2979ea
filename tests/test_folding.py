"""Case-insensitive search on lower-cased text (``rok_compare.segment.folding``) finds exactly what
``re.IGNORECASE`` finds on the original text: the speed work relies on it for the strength, cue,
document-type, furniture and keyword patterns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rok_compare.extract.clauses import kind_matchers, theme_matchers
from rok_compare.extract.commitments import _JOINT_ANYWHERE, _JOINT_SUBJECT, _RECEPTION
from rok_compare.extract.doc_type import _cues
from rok_compare.extract.parties import party_cues
from rok_compare.extract.strength import strength_rules
from rok_compare.segment.folding import FoldedPattern, lowered, required_words
from rok_compare.segment.furniture import _any_furniture_pattern, _furniture_lines

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
    patterns += [_JOINT_ANYWHERE, _JOINT_SUBJECT, _RECEPTION]
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


def test_required_words_are_what_every_match_must_contain():
    assert required_words(r"\bverksamhetsplan\b") == ("verksamhetsplan",)
    assert required_words(r"\b(säger|berättar)\s+(han|hon)") == ("berättar", "säger")
    assert required_words(r"[\wåäö]{4,}program(met)?\b") == ("program",)
    assert required_words(r"(?-i:\bRÖK\b)") == ("RÖK",)
    assert required_words(r"(?:ab)+cdef") == ("cdef",)
    # nothing every match must hold, or too short to be worth a look
    for pattern in (r"ab|cde", r"x(?:abc)?yz", r"[a-z]+", r"a(?=bcd)", r"(?i)abcdef", r"(?i:abcdef)"):
        assert required_words(pattern) is None, pattern
    assert required_words(r"ska\b") == ("ska",)


def test_a_text_without_the_required_words_is_not_searched_and_matches_are_unchanged():
    pattern = FoldedPattern(r"\b(arbetsutskottets|nämndens) beslut\b")
    assert pattern.search("Nämndens BESLUT i dag") is not None
    assert pattern.search("nämndens beslutsunderlag") is None
    assert pattern.search("Kommunstyrelsens beslut") is None  # neither word: the engine is not run
    assert list(pattern.finditer("inget här")) == []
    assert pattern.fullmatch("Nämndens beslut") is not None
    assert pattern.fullmatch("ſkolans beslut") is None  # a text lowered() refuses: the flagged pattern


def test_furniture_lines_give_the_verdict_of_the_one_pattern():
    texts = _texts()
    lines = [line.strip() for text in texts for line in text.splitlines() if line.strip()]
    lines += ["Läs mer på SMHI:s webbplats om vädret", "Länk till annan webbplats.", "Sida 3 av 12", "Dela",
              "Publicerad 2019-03-04", "ſida 3", "Vi använder kakor för statistik", "Foto: Anna Berg"]
    one, lines_matcher = _any_furniture_pattern(), _furniture_lines()
    verdicts = [bool(one.fullmatch(line)) for line in lines]
    assert verdicts == [lines_matcher.fullmatch(line) for line in lines]
    assert sum(verdicts) >= 6  # furniture lines are among them


def test_the_minutes_author_words_cover_what_its_expression_requires():
    from rok_compare.extract.metadata import _AUTHOR, _AUTHOR_WORDS

    required = required_words(_AUTHOR.pattern)
    assert required and all(any(word in needle for word in _AUTHOR_WORDS) for needle in required)
