"""The trained clause models: shipped files load, predictions are plausible, training is
deterministic, and a damaged model file falls back to the keyword rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rok_compare.classify import (
    KIND_FILE,
    MODELS_DIR,
    THEMES_FILE,
    ClauseClassifier,
    ClauseInput,
    clear_cache,
    default_models,
)
from rok_compare.extract import extract_document
from rok_compare.extract.clauses import clause_themes, rule_cues

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seeds" / "001_db03df83e1636e02.txt"


def _inputs(texts: list[str], section: str | None = None) -> list[ClauseInput]:
    return [ClauseInput(t, section, None, rule_cues(t)) for t in texts]


def test_shipped_models_load():
    kind = ClauseClassifier.load(MODELS_DIR / KIND_FILE)
    themes = ClauseClassifier.load(MODELS_DIR / THEMES_FILE)
    assert "governance" in kind.labels_ and "background" in kind.labels_
    assert set(themes.labels_) >= {"health", "education_language", "labour_market", "housing_settlement"}


def test_plausible_themes():
    themes = ClauseClassifier.load(MODELS_DIR / THEMES_FILE)
    texts = [
        "Regionen erbjuder alla nyanlända en kostnadsfri hälsoundersökning inom två månader efter ankomsten.",
        "Kommunen ansvarar för att nyanlända snabbt kan börja läsa svenska för invandrare (sfi).",
        "Länsstyrelsen förhandlar med kommunerna om hur många nyanlända som ska anvisas och få bostad.",
        "Arbetsförmedlingen erbjuder praktikplatser och matchning mot lediga jobb.",
    ]
    predicted = themes.predict(_inputs(texts))
    assert "health" in predicted[0]
    assert "education_language" in predicted[1]
    assert "housing_settlement" in predicted[2]
    assert "labour_market" in predicted[3]


def test_plausible_kinds():
    kind = ClauseClassifier.load(MODELS_DIR / KIND_FILE)
    texts = [
        "Styrgruppen sammanträder fyra gånger per år och följer upp överenskommelsen.",
        "Under 2015 togs 1 250 personer emot i länets kommuner.",
    ]
    assert kind.predict(_inputs(texts, "Organisation och uppföljning")) == ["governance", "statistics"]


def test_extraction_uses_models():
    agreement = extract_document(SEED)
    assert all(isinstance(c.themes, list) for c in agreement.clauses)
    health = [c for c in agreement.clauses if "hälsoundersökning" in c.text]
    assert health and all("health" in c.themes for c in health)


def _subset(tmp_path: Path) -> Path:
    lines = (ROOT / "corpus" / "annotations" / "clauses.jsonl").read_text(encoding="utf-8").splitlines()
    seeds = [line for line in lines if json.loads(line)["set"] == "seeds"][:120]
    path = tmp_path / "subset.jsonl"
    path.write_text("\n".join(seeds) + "\n", encoding="utf-8")
    return path


def test_training_is_deterministic(tmp_path):
    subset = _subset(tmp_path)
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        subprocess.run([sys.executable, str(ROOT / "scripts" / "train.py"), "--annotations", str(subset),
                        "--out", str(out), "--no-cv"], check=True, capture_output=True)
        outputs.append({name: (out / name).read_bytes() for name in (KIND_FILE, THEMES_FILE)})
    assert outputs[0] == outputs[1]
    assert ClauseClassifier.load(tmp_path / "a" / THEMES_FILE).labels_


def test_corrupt_model_falls_back_to_rules(tmp_path, monkeypatch):
    (tmp_path / KIND_FILE).write_text('{"format": "rok-clause-model/1", "labels": [', encoding="utf-8")
    (tmp_path / THEMES_FILE).write_text("not json", encoding="utf-8")
    monkeypatch.setenv("ROK_MODELS_DIR", str(tmp_path))
    clear_cache()
    try:
        with pytest.warns(RuntimeWarning, match="keyword rules"):
            models = default_models()
        assert models.kind is None and models.themes is None
        agreement = extract_document(SEED)
        assert [c.themes for c in agreement.clauses] == [clause_themes(c.text) for c in agreement.clauses]
    finally:
        clear_cache()


def test_fast_scores_match_training_matrix():
    """Prediction's shortcut (occurrence products, no duplicate summing) equals the training features."""
    kind = ClauseClassifier.load(MODELS_DIR / KIND_FILE)
    clauses = extract_document(SEED).clauses
    inputs = [ClauseInput(c.text, c.section, c.kind.value, rule_cues(c.text)) for c in clauses]
    full = kind.transform(inputs) @ kind.coef_.T + kind.intercept_
    assert abs(kind.scores(inputs) - full).max() < 1e-4


def test_dedupe_gives_same_predictions():
    clauses = extract_document(SEED).clauses
    inputs = [ClauseInput(c.text, c.section, c.kind.value, rule_cues(c.text)) for c in clauses] * 3
    models = default_models()
    assert models.shared
    assert models.predict(inputs, dedupe=True) == models.predict(inputs, dedupe=False)
