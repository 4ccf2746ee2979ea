"""Leave-one-county-out cross-validation of the whole extraction.

For each county, the deciders are fitted on the other counties' documents only, then the county's
documents are extracted with them and scored as ``score.py`` scores them. The rules were written
while looking at the seed and development documents: on those the figures are optimistic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rok_compare.extract.deciders import Deciders
from rok_compare.extract.pipeline import (
    PartyEvidence,
    StatementEvidence,
    decide,
    decide_period,
    decide_statements,
    statement_evidence,
)
from rok_compare.learn.fitting import Prepared, fit_deciders
from rok_compare.learn.scoring import Counts, score_document
from rok_compare.model import Party


@dataclass(slots=True)
class DocumentResult:
    name: str
    set: str
    county: str
    doc_type: str
    counts: Counts


class StatementCache:
    """Statement evidence per document, party list and type model: folds often agree on them, and it
    is the slow part of a fold."""

    def __init__(self) -> None:
        self._memo: dict[tuple, StatementEvidence] = {}

    def __call__(self, evidence: PartyEvidence, parties: list[Party], deciders: Deciders) -> StatementEvidence:
        key = (id(evidence.doc), id(deciders.doc_type), tuple((p.name, p.canonical) for p in parties))
        if key not in self._memo:
            self._memo[key] = statement_evidence(evidence, parties, deciders)
        return self._memo[key]


def output_of(item: Prepared, deciders: Deciders, statements: Callable | None = None) -> dict:
    """Extract one prepared document with ``deciders``: the fields of ``rok extract --format json``
    that the scoring reads."""
    parties, evidence = decide(item.evidence, deciders, statements or StatementCache())
    goals, commitments = decide_statements(evidence, deciders)
    county = item.evidence.county
    period = decide_period(item.evidence.doc, evidence.doc_type, deciders)
    return {
        "county": {"name": county.name, "code": county.code} if county else None,
        "period": {"start": period.start, "end": period.end} if period else None,
        "doc_type": evidence.doc_type.value,
        "parties": [{"name": p.name, "canonical": p.canonical} for p in parties],
        "goals": [{"text": g.text} for g in goals],
        "commitments": [{"party": c.party, "text": c.text} for c in commitments],
    }


def leave_one_county_out(prepared: Sequence[Prepared],
                         progress: Callable[[str], None] | None = None) -> list[DocumentResult]:
    results = []
    cache = StatementCache()
    for county in sorted({p.document.county for p in prepared}):
        if progress:
            progress(county)
        deciders = fit_deciders([p for p in prepared if p.document.county != county], cache)
        for item in (p for p in prepared if p.document.county == county):
            out = output_of(item, deciders, cache)
            results.append(DocumentResult(item.document.name, item.document.set, county,
                                          item.document.gold["doc_type"], score_document(item.document.gold, out)))
    return results
