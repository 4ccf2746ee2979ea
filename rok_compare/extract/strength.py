"""How binding a commitment's wording is, on a six-step scale (see ``data/strength.csv``).

    guarantee  5  "ska säkerställa", "ansvarar för"
    shall      4  "ska", "skall", "kommer att"
    undertake  3  "åtar sig", a bare infinitive under a party's heading ("Informera kommunerna")
    offer      2  "erbjuder", "tillhandahåller", "anordnar"
    endeavour  1  "verka för", "sträva efter", "avser"
    should     0  "bör", "kan", "vid behov"

Hedged wording wins over the modal it stands with: "ska verka för" is an endeavour.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from rok_compare.segment.folding import FoldedPattern, lowered

_FILE = Path(__file__).parent / "data" / "strength.csv"


@dataclass(frozen=True, slots=True)
class StrengthRule:
    level: int
    label: str
    pattern: FoldedPattern


@cache
def strength_rules() -> tuple[StrengthRule, ...]:
    lines = [line for line in _FILE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return tuple(
        StrengthRule(int(row["level"]), row["label"], FoldedPattern(row["pattern"]))
        for row in csv.DictReader(lines)
    )


@lru_cache(maxsize=8192)
def commitment_strength(text: str) -> str:
    """The label of the first rule whose pattern matches (the last rule matches anything); remembered,
    as the commitment passes and the statement choice weigh the same sentences again."""
    low = lowered(text)
    for rule in strength_rules():
        if rule.pattern.search(text, low):
            return rule.label
    return "undertake"


def strength_level(label: str) -> int:
    return next((rule.level for rule in strength_rules() if rule.label == label), 3)
