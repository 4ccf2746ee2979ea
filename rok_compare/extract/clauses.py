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
from itertools import accumulate
from pathlib import Path

from rok_compare.extract.keywords import KeywordMatcher, KeywordSet, padded_all
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


@cache
def _theme_set() -> KeywordSet:
    return KeywordSet([matcher for _, matcher in theme_matchers()])


@cache
def _kind_set() -> KeywordSet:
    return KeywordSet([matcher for _, matcher in kind_matchers()])


def theme_names() -> list[str]:
    """The themes a clause can have, in the order of ``data/themes.csv``."""
    return [theme for theme, _ in theme_matchers()]


def themes_of(texts: list[str], lowered: list[str] | None = None) -> list[list[str]]:
    """The keyword themes of each text, in the order of ``data/themes.csv``."""
    names = theme_names()
    return [[names[i] for i in sorted(found)] for found in _theme_set().matches(texts, lowered)]


def cue_kinds_of(texts: list[str], lowered: list[str] | None = None) -> list[ClauseKind]:
    """For each text, the first kind in file order whose cue occurs in it, else other."""
    kinds = [kind for kind, _ in kind_matchers()]
    return [kinds[min(found)] if found else ClauseKind.OTHER for found in _kind_set().matches(texts, lowered)]


def clause_themes(text: str) -> list[str]:
    return themes_of([text])[0]


def rule_cues(text: str, themes: list[str] | None = None, structure: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The keyword rules' verdicts as model features: the keyword themes (the cue-word kind reaches the
    models as the clause's rule kind, so it is not worked out a second time here), then the clause's
    place in the document as :func:`build_clauses` sees it (``structure``: "b:list_item" for a list item;
    block kind otherwise, goal block, commitment section and first/last fifth were tried and did not help)."""
    if themes is None:
        themes = clause_themes(text)
    return tuple("theme:" + t for t in themes) + structure


def build_clauses(doc: SegmentedDocument, goal_spans: set[tuple[int, int]],
                  commitment_spans: set[tuple[int, int]]) -> list[Clause]:
    """One clause per sentence of a paragraph or list item and per table row, in order.

    Kinds and themes come from the keyword rules, then, where ``models/`` holds trained models,
    from the models (all clauses of the document at once): kind only where extraction has not
    decided goal or commitment."""
    goals, commitments = _Spans(goal_spans), _Spans(commitment_spans)
    units: list[tuple[str | None, str, Span, tuple[str, ...]]] = []
    for section in doc.sections:
        for block in section.blocks:
            if block.kind is BlockKind.HEADING:
                continue
            pieces = [(block.text, block.span)] if block.kind is BlockKind.TABLE_ROW else \
                [(s.text, s.span) for s in block.sentences]
            place = ("b:list_item",) if block.kind is BlockKind.LIST_ITEM else ()
            units += [(section.heading, text, span, place) for text, span in pieces if len(text) >= 3]
    texts = [text for _, text, _, _ in units]
    distinct = list(dict.fromkeys(texts))  # boilerplate repeats (per-party lists): each text looked at once
    lowered = padded_all(distinct)
    cue_of = dict(zip(distinct, cue_kinds_of(distinct, lowered), strict=True))
    themes_by_text = dict(zip(distinct, themes_of(distinct, lowered), strict=True))
    clauses: list[Clause] = []
    cues: list[tuple[str, ...]] = []
    for name, text, span, place in units:
        themes, cue = list(themes_by_text[text]), cue_of[text]
        kind = ClauseKind.GOAL if goals.overlaps(span) else ClauseKind.COMMITMENT if commitments.overlaps(span) \
            else cue
        clauses.append(Clause(f"c{len(clauses) + 1}", name, kind, themes, text, span))
        cues.append(rule_cues(text, themes, place))
    _apply_models(clauses, cues)
    return clauses


def _apply_models(clauses: list[Clause], cues: list[tuple[str, ...]]) -> None:
    """Replace rule kinds (not extraction's goal/commitment) and themes by the trained models'."""
    from rok_compare.classify import Columns, default_models

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


class _Spans:
    """Sorted character ranges, asked whether they overlap a span."""

    def __init__(self, spans: set[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._reach = list(accumulate((end for _, end in ordered), max))
        """The furthest end among the spans up to each one."""

    def overlaps(self, span: Span) -> bool:
        """Some span starts before ``span`` ends and ends after it starts: of the spans that start
        before its end, the one that reaches furthest does."""
        last = bisect.bisect_left(self._starts, span.end)
        return last > 0 and self._reach[last - 1] > span.start
