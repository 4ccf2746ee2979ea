"""How sure the document-type model must be to overrule a type that the cue rules name.

Chosen by leave-one-county-out within the training documents only: for each candidate value, the
type model is fitted without one county and its documents are typed with that value; the value that
types most documents right wins (ties: the more cautious one). Fitting the value this way keeps the
choice away from the documents it will be scored on: inside ``scripts/evaluate.py`` the held-out
county is never among the documents it is chosen on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rok_compare.extract.decider import LinearDecider
from rok_compare.extract.doc_type import type_from_scores
from rok_compare.model import DocType

OVERRIDE_GRID: tuple[float | None, ...] = (None, 0.9, 0.8, 0.7, 0.6, 0.5)
"""From the most cautious (the rules always stand) to the boldest."""


@dataclass(frozen=True, slots=True)
class TypeExample:
    """One annotated document as the type model sees it."""

    county: str
    rule_type: DocType
    features: dict[str, float]
    """As extraction computes them."""
    training_features: dict[str, float]
    """As the model is fitted on them (the rules' verdict hidden where the rules were written)."""
    gold: str


def choose_override(examples: Sequence[TypeExample], fit: Callable[[Sequence[TypeExample]], LinearDecider],
                    threshold: float) -> float | None:
    """The override that types most ``examples`` right when each county is typed by a model fitted
    without it (``fit``); None when the counties are too few to hold one out."""
    counties = sorted({e.county for e in examples})
    if len(counties) < 2:
        return None
    held_out: list[tuple[TypeExample, dict[str, float]]] = []
    for county in counties:
        model = fit([e for e in examples if e.county != county])
        tested = [e for e in examples if e.county == county]
        held_out.extend(zip(tested, model.predict_proba([e.features for e in tested]), strict=True))

    def right(override: float | None) -> int:
        return sum(type_from_scores(scores, e.rule_type, threshold, override).value == e.gold
                   for e, scores in held_out)

    return max(OVERRIDE_GRID, key=right)  # max keeps the first (most cautious) of equals
