"""Labelled sentence candidates: goal, commitment or neither, from the gold lists."""

from __future__ import annotations

from rok_compare.extract.statements import COMMITMENT, GOAL, NEITHER, StatementCandidate
from rok_compare.learn.similarity import MATCH, similarity

SKIP = "skip"
"""An optional commitment of the gold (a borderline statement): left out of training."""


def _best(texts: list[str], gold: list[str]) -> float:
    return max((similarity(t, g) for t in texts for g in gold), default=0.0)


def label_statements(gold: dict, candidates: list[StatementCandidate]) -> list[str]:
    """The gold label of each candidate: its sentence (or a rule's item in it) matches a gold goal or
    commitment; the better match wins when it matches both."""
    goals = list(gold.get("goals", []))
    commitments = [c["text"] for c in gold.get("commitments", [])]
    optional = [c["text"] for c in gold.get("optional_commitments", [])]
    labels = []
    for candidate in candidates:
        texts = [candidate.site.text, *(g.text for g in candidate.rule_goals),
                 *(c.text for c in candidate.rule_commitments)]
        goal, commitment = _best(texts, goals), _best(texts, commitments)
        if max(goal, commitment) >= MATCH:
            labels.append(GOAL if goal >= commitment else COMMITMENT)
        elif optional and _best(texts, optional) >= MATCH:
            labels.append(SKIP)
        else:
            labels.append(NEITHER)
    return labels
