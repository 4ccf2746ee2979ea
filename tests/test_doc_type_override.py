"""The type model overrules a type the cue rules name only when it is sure enough, and how sure is
chosen by leave-one-county-out within the training documents."""

from __future__ import annotations

import pytest
from conftest import SHARED

from rok_compare.extract.decider import LinearDecider
from rok_compare.extract.deciders import shipped_deciders
from rok_compare.extract.doc_type import type_from_scores
from rok_compare.learn.doc_type_override import OVERRIDE_GRID, TypeExample, choose_override
from rok_compare.model import DocType


def test_scores_decide_where_the_rules_say_other_and_overrule_only_from_the_override():
    scores = {"news": 0.65, "other": 0.2, "strategy": 0.15}
    assert type_from_scores(scores, DocType.OTHER, 0.4) is DocType.NEWS
    assert type_from_scores(scores, DocType.OTHER, 0.7) is DocType.OTHER
    assert type_from_scores(scores, DocType.STRATEGY, 0.4) is DocType.STRATEGY  # no override: the rules stand
    assert type_from_scores(scores, DocType.STRATEGY, 0.4, override=0.6) is DocType.NEWS
    assert type_from_scores(scores, DocType.STRATEGY, 0.4, override=0.7) is DocType.STRATEGY


def _examples(rule_right: bool) -> list[TypeExample]:
    """Six counties; every document's words say its type, the rules name a type that is right or wrong."""
    examples = []
    for county in "ABCDEF":
        for gold, word, wrong in (("news", "w:säger", DocType.STRATEGY), ("strategy", "w:strategi", DocType.NEWS)):
            rule = DocType(gold) if rule_right else wrong
            features = {word: 1.0, f"r:dt={rule.value}": 1.0}
            examples.append(TypeExample(county, rule, features, {word: 1.0}, gold))
    return examples


def _fit(examples):
    return LinearDecider(C=10.0, min_count=1).fit([e.training_features for e in examples], [e.gold for e in examples])


def test_the_override_is_chosen_where_the_rules_mislead_and_withheld_where_they_hold():
    assert choose_override(_examples(rule_right=False), _fit, 0.4) is not None
    assert choose_override(_examples(rule_right=True), _fit, 0.4) is None  # ties keep the rules
    assert choose_override(_examples(rule_right=False)[:2], _fit, 0.4) is None  # one county: nothing held out


def test_the_shipped_type_model_says_its_override():
    deciders = shipped_deciders()
    if deciders.doc_type is None:
        pytest.skip("no shipped type model")
    assert deciders.doc_type_override in OVERRIDE_GRID


@pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="needs ../shared")
def test_the_override_is_chosen_without_the_held_out_county():
    from rok_compare.learn.annotated import annotated_documents
    from rok_compare.learn.fitting import doc_type_examples, fit_doc_type_override, prepare

    prepared = prepare([d for d in annotated_documents() if d.set == "train"])
    counties = sorted({p.document.county for p in prepared})
    held_out = [p for p in prepared if p.document.county != counties[0]]
    assert fit_doc_type_override(held_out) in OVERRIDE_GRID
    assert {e.county for e in doc_type_examples(held_out)} == set(counties[1:])
