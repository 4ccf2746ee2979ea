"""Clauses: the sentences, list items and table rows that alignment, reuse and search work on,
each with a kind and themes.

Kind comes first from the goal and commitment extractors (a clause that is a goal or
commitment is one), then from cue words (``data/clause_kinds.csv``); themes from keywords
(``data/themes.csv``). Trained models replace the cue words where ``models/`` holds them.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from rok_compare.model import BlockKind, Clause, ClauseKind, SegmentedDocument, Span

_DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    lines = [line for line in (_DATA / name).read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def theme_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((row["theme"], re.compile(row["pattern"], re.I)) for row in _rows("themes.csv"))


@cache
def kind_patterns() -> tuple[tuple[ClauseKind, re.Pattern[str]], ...]:
    return tuple((ClauseKind(row["kind"]), re.compile(row["pattern"], re.I)) for row in _rows("clause_kinds.csv"))


def clause_themes(text: str) -> list[str]:
    return [theme for theme, pattern in theme_patterns() if pattern.search(text)]


def cue_kind(text: str) -> ClauseKind:
    for kind, pattern in kind_patterns():
        if pattern.search(text):
            return kind
    return ClauseKind.OTHER


def build_clauses(doc: SegmentedDocument, goal_spans: set[tuple[int, int]],
                  commitment_spans: set[tuple[int, int]]) -> list[Clause]:
    """One clause per sentence of a paragraph or list item and per table row, in order."""
    clauses: list[Clause] = []
    for section in doc.sections:
        name = section.heading
        for block in section.blocks:
            if block.kind is BlockKind.HEADING:
                continue
            units = [(block.text, block.span)] if block.kind is BlockKind.TABLE_ROW else \
                [(s.text, s.span) for s in block.sentences]
            for text, span in units:
                if len(text) < 3:
                    continue
                kind = _kind(text, span, goal_spans, commitment_spans)
                clauses.append(Clause(f"c{len(clauses) + 1}", name, kind, clause_themes(text), text, span))
    return clauses


def _kind(text: str, span: Span, goals: set[tuple[int, int]], commitments: set[tuple[int, int]]) -> ClauseKind:
    if _overlaps(span, goals):
        return ClauseKind.GOAL
    if _overlaps(span, commitments):
        return ClauseKind.COMMITMENT
    return cue_kind(text)


def _overlaps(span: Span, spans: set[tuple[int, int]]) -> bool:
    return any(span.start < end and start < span.end for start, end in spans)
