"""Labelled party candidates from the annotated documents."""

from __future__ import annotations

from rok_compare.extract.pipeline import PartyEvidence
from rok_compare.learn.annotated import AnnotatedDocument
from rok_compare.learn.similarity import MATCH, similarity

POSITIVE, NEGATIVE = "party", "not"


def label_candidates(document: AnnotatedDocument, evidence: PartyEvidence) -> list[str]:
    """A candidate is a party when it is named as a gold party is ("Länsstyrelsen i X län" for that
    name; a bare "Länsstyrelsen" elsewhere in the text is not the listed name)."""
    names = [p["name"] for p in document.gold.get("parties", [])]
    labels = []
    for candidate in evidence.candidates:
        name = candidate.mention.name
        labels.append(POSITIVE if any(similarity(name, g) >= MATCH for g in names) else NEGATIVE)
    return labels
