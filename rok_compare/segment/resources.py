"""Load the segmenter's versioned data files (patterns and word lists in ``data/``)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


def data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.rstrip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@cache
def furniture_sources() -> list[tuple[str, str]]:
    """The label and the (case-insensitive) pattern of each line of ``data/furniture.txt``."""
    sources = []
    for line in data_lines("furniture.txt"):
        label, _, pattern = line.partition("\t")
        sources.append((label, pattern.strip()))
    return sources


@cache
def furniture_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [(label, re.compile(pattern, re.I)) for label, pattern in furniture_sources()]


@cache
def heading_pattern() -> re.Pattern[str]:
    """One alternation of all known section headings, anchored at the start."""
    alternatives = "|".join(f"(?:{p})" for p in data_lines("headings.txt"))
    return re.compile(rf"(?:{alternatives})", re.I)


@cache
def abbreviations() -> frozenset[str]:
    return frozenset(a.lower() for a in data_lines("abbreviations.txt"))


@cache
def sentence_final_abbreviations() -> frozenset[str]:
    return frozenset(a.lower() for a in data_lines("sentence_final_abbreviations.txt"))
