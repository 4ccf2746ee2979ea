"""The period decider: every year and span a document states is a candidate; a model trained on the
annotations chooses among them where the cue rules read no period."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import SEEDS

from rok_compare.extract.decider import LinearDecider
from rok_compare.extract.deciders import shipped_deciders
from rok_compare.extract.metadata import detect_period
from rok_compare.extract.period_candidates import choose_period, period_candidates
from rok_compare.extract.pipeline import decide_period, party_evidence
from rok_compare.ingest import read_document
from rok_compare.model import DocType, Period


@pytest.fixture(scope="module")
def seeds():
    """Each seed's segmented document, rule type and rule period."""
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        evidence = party_evidence(read_document(path))
        out.append((evidence.doc, evidence.doc_type, detect_period(evidence.doc, evidence.doc_type)))
    return out


def test_every_stated_period_is_a_candidate_once(seeds):
    for doc, doc_type, rule_period in seeds:
        candidates = period_candidates(doc, doc_type)
        keys = [(c.period.start, c.period.end) for c in candidates]
        assert len(keys) == len(set(keys))
        if rule_period is not None and rule_period.start != rule_period.end:  # a span stated in the text
            assert (rule_period.start, rule_period.end) in keys
        for candidate in candidates:
            assert candidate.places >= 1 and any(k.startswith("shape=") for k in candidate.features)


def test_a_model_fitted_on_periods_chooses_them(seeds):
    """Fitted with the seeds' own periods as the answers, the model picks them out again among all
    the years the seeds state, and says "no period" for a document without any."""
    X, y = [], []
    for doc, doc_type, rule_period in seeds:
        for candidate in period_candidates(doc, doc_type):
            X.append(candidate.features)
            y.append("period" if candidate.period == rule_period else "none")
    model = LinearDecider(C=10.0, min_count=1).fit(X, y)
    right = sum(choose_period(period_candidates(doc, doc_type), model, 0.5) == rule_period
                for doc, doc_type, rule_period in seeds)
    assert right >= 4
    assert choose_period([], model, 0.5) is None


def test_the_rules_reading_stands_and_the_model_fills_in(seeds, tmp_path):
    deciders = shipped_deciders()
    assert deciders.period is not None, "models/period_decider.json is shipped"
    for doc, doc_type, rule_period in seeds:
        if rule_period is not None:
            assert decide_period(doc, doc_type, deciders) == rule_period
    # a plan with its validity stated only in a sentence the cue rules do not read
    text = ("Integrationsplan för Exempelby kommun\n\n"
            "Planen beskriver kommunens arbete med mottagande och etablering av nyanlända under "
            "åren 2024 och 2025 och följs upp årligen av kommunstyrelsen.\n\n"
            "Kommunen har tagit emot nyanlända sedan 1994.\n")
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    doc = party_evidence(read_document(path)).doc
    assert detect_period(doc, DocType.OTHER) is None
    candidates = {(c.period.start, c.period.end) for c in period_candidates(doc, DocType.OTHER)}
    assert {(2024, 2024), (2025, 2025), (1994, 1994)} <= candidates
    without_model = replace(deciders, period=None)
    assert decide_period(doc, DocType.OTHER, without_model) is None
    chosen = decide_period(doc, DocType.OTHER, deciders)
    assert chosen is None or isinstance(chosen, Period) and chosen.start in (2024, 2025)
