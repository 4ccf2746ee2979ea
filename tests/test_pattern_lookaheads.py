"""Patterns that open with a look-behind got a look-ahead for their first character in front (the
regex engine then skips to where a match may start instead of trying every character). The look-ahead
must only restate what the pattern requires: without it each finds the same matches."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rok_compare.extract.name_patterns import _PREFIX, _SUFFIX, pattern_regexes
from rok_compare.extract.organisations import _KOMMUNEN
from rok_compare.extract.year_patterns import DATE_SPAN, ISO_DATE_SPAN, SPAN
from rok_compare.segment.blocks import _INLINE_BULLET
from rok_compare.segment.furniture import _PHONE
from rok_compare.segment.sentences import _BOUNDARY

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
TRICKY = ("Planen gäller 2019–2021, från 1 januari 2020 till 31 december 2022 (2020-01-01 – 2022-12-31). "
          "Kommunen, kommunens och Tingsryds kommunen. » punkt • punkt - att göra: - att göra. Ring 0470-123 45 "
          "eller +46 470 12 34 56. Region Kronoberg och Umeå kommun, Landstinget i Värmland. Slut... Nu!")


def _texts() -> list[str]:
    folders = [ROOT / "corpus" / "seeds", SHARED / "dev", SHARED / "train"]
    return [TRICKY, *(p.read_text(encoding="utf-8") for f in folders if f.is_dir() for p in sorted(f.glob("*.txt")))]


def _without_lookahead(pattern: re.Pattern[str]) -> re.Pattern[str]:
    opening = re.match(r"\(\?=\[[^\]]+\]\)", pattern.pattern)
    assert opening, pattern.pattern[:40]
    return re.compile(pattern.pattern[opening.end() :], pattern.flags)


@pytest.mark.parametrize("pattern", [_BOUNDARY, _INLINE_BULLET, _KOMMUNEN, SPAN, ISO_DATE_SPAN, DATE_SPAN, _PHONE,
                                     *(p for flags in (0, re.I) for p, _, _ in pattern_regexes(flags))],
                         ids=lambda p: p.pattern[12:40])
def test_the_opening_look_ahead_changes_no_match(pattern):
    plain = _without_lookahead(pattern)
    found = 0
    for text in _texts():
        spans = [m.span() for m in pattern.finditer(text)]
        assert spans == [m.span() for m in plain.finditer(text)]
        found += len(spans)
    assert found  # the texts exercise the pattern


def test_name_patterns_are_the_documented_ones():
    assert {_without_lookahead(p).pattern for p, _, _ in pattern_regexes(0)} == {_SUFFIX, _PREFIX}
