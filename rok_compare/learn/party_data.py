"""Labelled party candidates from the annotated documents, and the party measures of ``score.py``."""

from __future__ import annotations

from dataclasses import dataclass

from rok_compare.extract.party_model import choose_parties
from rok_compare.extract.pipeline import PartyEvidence
from rok_compare.learn.annotated import AnnotatedDocument
from rok_compare.learn.similarity import MATCH, greedy_match, similarity

POSITIVE, NEGATIVE = "party", "not"


@dataclass(slots=True)
class PartyExample:
    document: AnnotatedDocument
    evidence: PartyEvidence
    labels: list[str]


def label_candidates(document: AnnotatedDocument, evidence: PartyEvidence) -> PartyExample:
    """A candidate is a party when it is named as a gold party is ("Länsstyrelsen i X län" for that
    name; a bare "Länsstyrelsen" elsewhere in the text is not the listed name)."""
    names = [p["name"] for p in document.gold.get("parties", [])]
    labels = []
    for candidate in evidence.candidates:
        name = candidate.mention.name
        labels.append(POSITIVE if any(similarity(name, g) >= MATCH for g in names) else NEGATIVE)
    return PartyExample(document, evidence, labels)


def predicted_names(example: PartyExample, scores: list[float], threshold: float) -> list[str]:
    parties = choose_parties(example.evidence.doc.source, example.evidence.candidates, scores, threshold)
    return [p.name for p in parties]


def party_counts(example: PartyExample, predicted: list[str]) -> tuple[int, int, int]:
    """(true positives, predicted, gold) as score.py counts them."""
    gold = [p["name"] for p in example.document.gold.get("parties", [])]
    return len(greedy_match(gold, predicted)), len(predicted), len(gold)
