"""Clauses: the sentences, list items and table rows that alignment, reuse and search work on,
each with a kind and themes.

Kind comes first from the goal and commitment extractors (a clause that is a goal or
commitment is one), then from cue words (``data/clause_kinds.csv``); themes from keywords
(``data/themes.csv``). Trained models replace the cue words where ``models/`` holds them.
"""

from __future__ import annotations

import bisect
import csv
from functools import cache
from pathlib import Path

from rok_compare.extract.keywords import KeywordMatcher, padded
from rok_compare.model import BlockKind, Clause, ClauseKind, SegmentedDocument, Span

_DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    lines = [line for line in (_DATA / name).read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def theme_matchers() -> tuple[tuple[str, KeywordMatcher], ...]:
    return tuple((row["theme"], KeywordMatcher(row["pattern"])) for row in _rows("themes.csv"))


@cache
def kind_matchers() -> tuple[tuple[ClauseKind, KeywordMatcher], ...]:
    return tuple((ClauseKind(row["kind"]), KeywordMatcher(row["pattern"])) for row in _rows("clause_kinds.csv"))


def theme_names() -> list[str]:
    """The themes a clause can have, in the order of ``data/themes.csv``."""
    return [theme for theme, _ in theme_matchers()]


def clause_themes(text: str, lowered: str | None = None) -> list[str]:
    """``lowered`` is :func:`~rok_compare.extract.keywords.padded` of ``text``, when already made."""
    lowered = lowered or padded(text)
    return [theme for theme, matcher in theme_matchers() if matcher.search(text, lowered)]


def cue_kind(text: str, lowered: str | None = None) -> ClauseKind:
    """The first kind in file order whose cue occurs in the text."""
    lowered = lowered or padded(text)
    return next((kind for kind, matcher in kind_matchers() if matcher.search(text, lowered)), ClauseKind.OTHER)


def rule_cues(text: str, lowered: str | None = None, themes: list[str] | None = None) -> tuple[str, ...]:
    """The keyword rules' verdicts as model features: the keyword themes (the cue-word kind reaches the
    models as the clause's rule kind, so it is not worked out a second time here)."""
    if themes is None:
        themes = clause_themes(text, lowered)
    return tuple("theme:" + t for t in themes)


def build_clauses(doc: SegmentedDocument, goal_spans: set[tuple[int, int]],
                  commitment_spans: set[tuple[int, int]]) -> list[Clause]:
    """One clause per sentence of a paragraph or list item and per table row, in order.

    Kinds and themes come from the keyword rules, then, where ``models/`` holds trained models,
    from the models (all clauses of the document at once): kind only where extraction has not
    decided goal or commitment."""
    goals, commitments = _Spans(goal_spans), _Spans(commitment_spans)
    clauses: list[Clause] = []
    cues: list[tuple[str, ...]] = []
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
                lowered = padded(text)
                kind = _kind(text, lowered, span, goals, commitments)
                themes = clause_themes(text, lowered)
                clauses.append(Clause(f"c{len(clauses) + 1}", name, kind, themes, text, span))
                cues.append(rule_cues(text, lowered, themes))
    _apply_models(clauses, cues)
    return clauses


def _apply_models(clauses: list[Clause], cues: list[tuple[str, ...]]) -> None:
    """Replace rule kinds (not extraction's goal/commitment) and themes by the trained models'."""
    from rok_compare.extract.models import Columns, default_models

    models = default_models()
    if not clauses or (models.kind is None and models.themes is None):
        return
    columns = Columns([c.text for c in clauses], [c.section for c in clauses], [c.kind.value for c in clauses], cues)
    kinds, themes = models.predict(columns)
    if kinds is not None:
        decided = (ClauseKind.GOAL, ClauseKind.COMMITMENT)
        as_kind = {label: ClauseKind(label) for label in set(kinds)}
        for clause, kind in zip(clauses, kinds, strict=True):
            if clause.kind not in decided:
                clause.kind = as_kind[kind]
    if themes is not None:
        for clause, labels in zip(clauses, themes, strict=True):
            clause.themes = labels


def _kind(text: str, lowered: str, span: Span, goals: _Spans, commitments: _Spans) -> ClauseKind:
    if goals.overlaps(span):
        return ClauseKind.GOAL
    if commitments.overlaps(span):
        return ClauseKind.COMMITMENT
    return cue_kind(text, lowered)


class _Spans:
    """Sorted character ranges, asked whether they overlap a span."""

    def __init__(self, spans: set[tuple[int, int]]) -> None:
        self._spans = sorted(spans)
        self._starts = [start for start, _ in self._spans]
        self._longest = max((end - start for start, end in self._spans), default=0)

    def overlaps(self, span: Span) -> bool:
        first = bisect.bisect_left(self._starts, span.start - self._longest)
        last = bisect.bisect_left(self._starts, span.end)
        return any(start < span.end and span.start < end for start, end in self._spans[first:last])
