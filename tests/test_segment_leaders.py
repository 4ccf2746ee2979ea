"""The table-of-contents leader finder looks back at a short run of dots and spaces directly and
lists every run only for a long one: both give the run start that the list of every run gives."""

from __future__ import annotations

import bisect
import random
import re
from pathlib import Path

import pytest

from rok_compare.segment import blocks
from rok_compare.segment.blocks import _LEADER_FILL, _Leaders

ROOT = Path(__file__).resolve().parent.parent


def _run_start_by_list(text: str, start: int, fill_end: int) -> int:
    fills = [m.start() for m in _LEADER_FILL.finditer(text)]
    return max(start, fills[bisect.bisect_right(fills, fill_end - 1) - 1])


def _texts() -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "seeds").glob("*.txt"))]
    leaders = "Innehåll\n1. Inledning . . . . . . . . 3\n2. Parter" + "." * 700 + " 4\n3. Mål" + " ." * 300 + "  12\n"
    return [*seeds, leaders, "Slut" + " \t." * 200 + "5"]


@pytest.mark.parametrize("look_back", [4, 256])
def test_run_start_is_the_listed_one(monkeypatch, look_back):
    monkeypatch.setattr(blocks, "_FILL_LOOK_BACK", look_back)
    generator = random.Random(7)
    for text in _texts():
        ends = [i + 1 for i, ch in enumerate(text) if ch == "." or ch.isspace()]
        for fill_end in generator.sample(ends, min(300, len(ends))):
            start = generator.randrange(0, fill_end)
            leaders = _Leaders(text)
            assert leaders._fill_start(start, fill_end) == _run_start_by_list(text, start, fill_end)


def test_leaders_are_found_in_a_table_of_contents():
    text = _texts()[-2]
    leaders = _Leaders(text)
    line = re.search(r"1\. Inledning[^\n]*", text)
    found = leaders.start(line.start(), line.end())
    assert found is not None and text[line.start() : found] == "1. Inledning"
    assert leaders.start(0, len("Innehåll")) is None
