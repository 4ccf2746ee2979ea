"""Period candidates: every year, span of years or open-ended validity a document states, with the
evidence around it, for the period decider to choose from.

The cue rules (:func:`.metadata.detect_period`) pick one reading by a fixed order of phrasings and
say nothing when the document is not typed as an agreement; on documents they were not written
against they miss most periods. Here every reading is a candidate: one per distinct period, its
features pooled over the places that state it (the words around each place, whether it stands in
the title or a heading, near a document name or a validity word, in history or statistics, in a law
reference). A trained model scores each candidate; the best one above the threshold is the period,
and none when no candidate reaches it. The model speaks where the rules read no period, so the rules'
reading is not one of its features.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rok_compare.extract.decider import LinearDecider
from rok_compare.extract.metadata import head_texts, sentences_and_headings
from rok_compare.extract.sites import bin_of, stems
from rok_compare.extract.year_patterns import (
    ADOPTED,
    DOCUMENT_WORDS,
    LAW,
    NOT_VALIDITY,
    OPEN_VALIDITY,
    SPAN_PATTERNS,
    YEAR,
    span_years,
)
from rok_compare.model import DocType, Period, SegmentedDocument

WINDOW = 4
"""Words on each side of a year that describe it ("antagen av kommunfullmäktige", "under perioden")."""
_ANY_YEAR = re.compile(rf"(?<![\d/:.])({YEAR})(-\d\d-\d\d)?(?![\d/:])")
_OPEN_ENDED = re.compile(r"\b(tills vidare|och framåt|framöver)\b", re.I)
_DIGIT = re.compile(r"\d")


@dataclass(slots=True)
class PeriodCandidate:
    period: Period
    features: dict[str, float] = field(default_factory=dict)
    places: int = 0


@dataclass(frozen=True, slots=True)
class _Place:
    """One statement of a period in the text: the reading, its shape and where it stands."""

    period: Period
    shape: str
    text: str
    start: int
    end: int
    index: int
    in_head: bool


def period_candidates(doc: SegmentedDocument, doc_type: DocType) -> list[PeriodCandidate]:
    """One candidate per distinct period the document states, in order of first statement."""
    heads = head_texts(doc)
    texts = list(dict.fromkeys([*heads, *sentences_and_headings(doc)]))
    places = list(_places(texts, heads))
    years = [p.period.start for p in places] + [p.period.end for p in places if p.period.end is not None]
    newest, oldest = (max(years), min(years)) if years else (0, 0)
    candidates: dict[tuple[int, int | None], PeriodCandidate] = {}
    for place in places:
        key = (place.period.start, place.period.end)
        candidate = candidates.setdefault(key, PeriodCandidate(place.period, {"bias_dt=" + doc_type.value: 1.0}))
        candidate.places += 1
        for name in _place_features(place, len(texts)):
            candidate.features[name] = 1.0
    for candidate in candidates.values():
        period = candidate.period
        features = candidate.features
        features[f"places={bin_of(candidate.places, (1, 2, 3, 5))}"] = 1.0
        features[f"shape_dt={features_shape(features)}_{doc_type.value}"] = 1.0
        if period.end is not None:
            features[f"years={bin_of(period.end - period.start, (0, 1, 2, 3, 5))}"] = 1.0
        if max(period.start, period.end or 0) == newest:
            features["newest"] = 1.0
        if period.start == oldest:
            features["oldest"] = 1.0
    return list(candidates.values())


def features_shape(features: dict[str, float]) -> str:
    for shape in ("span", "open", "single", "date"):
        if f"shape={shape}" in features:
            return shape
    return "none"


def choose_period(candidates: Sequence[PeriodCandidate], model: LinearDecider, threshold: float) -> Period | None:
    """The most probable candidate when it reaches ``threshold``, else no period."""
    if not candidates:
        return None
    scores = [s.get("period", 0.0) for s in model.predict_proba([c.features for c in candidates])]
    best = max(range(len(candidates)), key=scores.__getitem__)
    return candidates[best].period if scores[best] >= threshold else None


def _places(texts: Sequence[str], heads: Sequence[str]) -> Iterator[_Place]:
    for index, text in enumerate(texts):
        if not _DIGIT.search(text):
            continue  # every reading holds a year
        in_head = text in heads
        taken: list[tuple[int, int]] = []
        for pattern in SPAN_PATTERNS:
            for match in pattern.finditer(text):
                years = span_years(match)
                if years and not _overlaps(match.span(), taken):
                    taken.append(match.span())
                    yield _Place(Period(*years), "span", text, *match.span(), index, in_head)
        for match in OPEN_VALIDITY.finditer(text):
            if match.group(1) and not _overlaps(match.span(3), taken):
                taken.append(match.span(3))
                yield _Place(Period(int(match.group(3)), None), "open", text, *match.span(3), index, in_head)
        for match in _ANY_YEAR.finditer(text):
            if _overlaps(match.span(), taken):
                continue
            year = int(match.group(1))
            shape = "date" if match.group(2) else "single"
            yield _Place(Period(year, year), shape, text, *match.span(), index, in_head)
            if _OPEN_ENDED.search(text[match.end():match.end() + 60]):
                yield _Place(Period(year, None), "open", text, *match.span(), index, in_head)


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _place_features(place: _Place, n_texts: int) -> Iterator[str]:
    yield f"shape={place.shape}"
    yield f"pos={bin_of(place.index / max(n_texts, 1), (0.0, 0.05, 0.2, 0.5))}"
    if place.in_head:
        yield "in_head"
        yield f"in_head_{place.shape}"
    text = place.text
    left = stems(text[max(0, place.start - 80):place.start])[-WINDOW:]
    right = stems(text[place.end:place.end + 80])[:WINDOW]
    for stem in left:
        yield f"l:{stem}"
    for stem in right:
        yield f"r+:{stem}"
    if left:
        yield f"l1:{left[-1]}"
    if right:
        yield f"r1:{right[0]}"
    if DOCUMENT_WORDS.search(text):
        yield "doc_word"
    if NOT_VALIDITY.search(text):
        yield "history_word"
    if LAW.search(text):
        yield "law"
    if ADOPTED.search(text):
        yield "adopted"
    if _OPEN_ENDED.search(text):
        yield "open_word"
    if len(text) < 90:
        yield "short_text"
