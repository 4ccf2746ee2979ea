"""Fit the party, sentence and document-type deciders on annotated documents.

The hand-written rules were written while looking at the seed and development documents, so on
those their verdicts are leaked labels. Rule features (``r:``) are therefore shown to the models only
on documents the rules were not written against (``RULE_BLIND_SETS``): their weights measure how far
the rules generalise, not how well they fit the documents they were made from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rok_compare.extract.decider import LinearDecider
from rok_compare.extract.deciders import Deciders
from rok_compare.extract.doc_type import agreement_level
from rok_compare.extract.doc_type_features import doc_type_features
from rok_compare.extract.period_candidates import period_candidates
from rok_compare.extract.pipeline import (
    PartyEvidence,
    StatementEvidence,
    decide,
    party_evidence,
    statement_evidence,
)
from rok_compare.ingest import read_document
from rok_compare.learn.annotated import AnnotatedDocument
from rok_compare.learn.doc_type_override import TypeExample, choose_override
from rok_compare.learn.party_data import label_candidates
from rok_compare.learn.statement_data import SKIP, label_statements

RULE_BLIND_SETS = ("train",)
PARTY_PARAMS = {"C": 1.0}
PARTY_THRESHOLD = 0.6
SENTENCE_PARAMS = {"C": 0.3}
SENTENCE_THRESHOLD = 0.4
GOAL_THRESHOLD = 0.6
"""Goals are added in every document, so they need more certainty than commitments, which the
model adds only where the rules found none."""
SENTENCE_EVERYWHERE = ("goal",)
"""Goals the model finds are added in every document; commitments only where the rules found none
(added everywhere, their attribution fell on dev: 1.000 -> 0.946)."""
DOC_TYPE_THRESHOLD = 0.4
DOC_TYPE_PARAMS = {"C": 1.0, "min_count": 1}
PERIOD_PARAMS = {"C": 0.3, "min_count": 1}
PERIOD_THRESHOLD = 0.6
KEEP_RULES = True


@dataclass(slots=True)
class Prepared:
    """One annotated document with its party evidence and candidate labels (no model involved)."""

    document: AnnotatedDocument
    evidence: PartyEvidence
    party_labels: list[str]


def prepare(documents: Sequence[AnnotatedDocument]) -> list[Prepared]:
    """Read and segment every document once."""
    prepared = []
    for document in documents:
        evidence = party_evidence(read_document(document.path), heading_pass=True)
        prepared.append(Prepared(document, evidence, label_candidates(document, evidence)))
    return prepared


def _visible(features: dict[str, float], document: AnnotatedDocument) -> dict[str, float]:
    if document.set in RULE_BLIND_SETS:
        return features
    return {k: v for k, v in features.items() if not k.startswith("r:")}


def fit_party_model(prepared: Sequence[Prepared]) -> LinearDecider:
    X = [_visible(c.features, p.document) for p in prepared for c in p.evidence.candidates]
    y = [label for p in prepared for label in p.party_labels]
    return LinearDecider(**PARTY_PARAMS).fit(X, y)


def doc_type_examples(prepared: Sequence[Prepared]) -> list[TypeExample]:
    """Every document, with the rules' type (after the party-aware refinement) among its features."""
    examples = []
    for item in prepared:
        evidence = item.evidence
        rule_type = agreement_level(evidence.doc, evidence.doc_type, evidence.rule_parties)
        features = doc_type_features(evidence.doc, rule_type, evidence.rule_parties)
        examples.append(TypeExample(item.document.county, rule_type, features, _visible(features, item.document),
                                    item.document.gold["doc_type"]))
    return examples


def _fit_types(examples: Sequence[TypeExample]) -> LinearDecider:
    return LinearDecider(**DOC_TYPE_PARAMS).fit([e.training_features for e in examples], [e.gold for e in examples])


def fit_doc_type_model(prepared: Sequence[Prepared]) -> LinearDecider:
    return _fit_types(doc_type_examples(prepared))


def fit_doc_type_override(prepared: Sequence[Prepared]) -> float | None:
    """How sure the type model must be to overrule the rules' type: see :mod:`.doc_type_override`."""
    return choose_override(doc_type_examples(prepared), _fit_types, DOC_TYPE_THRESHOLD)


def fit_period_model(items: Sequence[tuple[Prepared, StatementEvidence]]) -> LinearDecider:
    """Fitted on every document whose gold scores a period: the candidate equal to the gold period is
    the positive, every other one (all of them where the gold says "none stated") negative."""
    X, y = [], []
    for item, statements in items:
        gold = item.document.gold
        if "period" not in gold:
            continue
        target = (gold["period"]["start"], gold["period"]["end"]) if gold["period"] else None
        for candidate in period_candidates(item.evidence.doc, statements.doc_type):
            X.append(candidate.features)
            y.append("period" if (candidate.period.start, candidate.period.end) == target else "none")
    return LinearDecider(**PERIOD_PARAMS).fit(X, y)


def fit_sentence_model(items: Sequence[tuple[Prepared, StatementEvidence]]) -> LinearDecider:
    X, y = [], []
    for item, statements in items:
        labels = label_statements(item.document.gold, statements.candidates)
        for candidate, label in zip(statements.candidates, labels, strict=True):
            if label != SKIP:
                X.append(_visible(candidate.features, item.document))
                y.append(label)
    return LinearDecider(**SENTENCE_PARAMS).fit(X, y)


def fit_deciders(prepared: Sequence[Prepared], statements=None) -> Deciders:
    """All four deciders, fitted on ``prepared``: the party and type models first, then the sentence and
    period models on the statements as extraction will see them (with the fitted parties and type).
    ``statements(evidence, parties, deciders)`` may memoise :func:`statement_evidence`."""
    statements = statements or (lambda evidence, parties, deciders: statement_evidence(evidence, parties, deciders))
    partial = Deciders(party=fit_party_model(prepared), party_threshold=PARTY_THRESHOLD,
                       doc_type=fit_doc_type_model(prepared), doc_type_threshold=DOC_TYPE_THRESHOLD,
                       doc_type_override=fit_doc_type_override(prepared), keep_rules=KEEP_RULES)
    fitted = [(item, decide(item.evidence, partial, statements)[1]) for item in prepared]
    return Deciders(party=partial.party, party_threshold=PARTY_THRESHOLD, sentence=fit_sentence_model(fitted),
                    sentence_threshold=SENTENCE_THRESHOLD, goal_threshold=GOAL_THRESHOLD,
                    doc_type=partial.doc_type, doc_type_threshold=DOC_TYPE_THRESHOLD,
                    doc_type_override=partial.doc_type_override, period=fit_period_model(fitted),
                    period_threshold=PERIOD_THRESHOLD, keep_rules=KEEP_RULES,
                    sentence_everywhere=SENTENCE_EVERYWHERE)
