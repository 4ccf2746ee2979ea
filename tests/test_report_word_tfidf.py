"""The report's word TF-IDF rows are scikit-learn's, bit for bit and in the same order, on the
seeds' and the 83 shared documents' stems (documents and counties) and on edge cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from rok_compare.report import analysis
from rok_compare.report.data import load
from rok_compare.report.word_tfidf import word_tfidf
from rok_compare.store import ingest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
SHARED = ROOT.parent / "shared" / "corpus"


def _assert_same(texts: list[str]) -> None:
    ours = word_tfidf(texts)
    theirs = TfidfVectorizer(analyzer=str.split, sublinear_tf=True).fit_transform(texts).tocsr()
    assert ours.shape == theirs.shape
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)  # the same order in each row, so the same sums after
    assert np.array_equal(ours.data, theirs.data)


@pytest.fixture(scope="module")
def corpus_stems(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    folders = [SEEDS]
    if (SHARED / "dev").is_dir() and (SHARED / "train").is_dir():
        folders += [SHARED / "dev", SHARED / "train"]
    out = []
    for k in range(len(folders)):
        db = tmp_path_factory.mktemp("tfidf") / "rok.db"
        assert ingest(folders[:k + 1], db, workers=1).failed == 0
        data = load(db)
        stems = analysis.document_stems(data)
        out.append(stems)
        by_county: dict[str, list[str]] = {}
        for doc, text in zip(data.documents, stems, strict=True):
            by_county.setdefault(doc.county_label, []).append(text)
        out.append([" ".join(texts) for texts in by_county.values()])
    return out


def test_document_and_county_rows_are_scikit_learn_s(corpus_stems: list[list[str]]) -> None:
    assert len(corpus_stems) >= 2
    for texts in corpus_stems:
        assert any(t.strip() for t in texts)
        _assert_same(texts)


@pytest.mark.parametrize("texts", [["", "a b a", "", "b c"], ["x"], ["b a", "a b", "ä å ö a", "10 9 b"]])
def test_small_cases_with_empty_texts_and_repeats(texts: list[str]) -> None:
    _assert_same(texts)


def test_no_word_at_all_gives_no_columns() -> None:
    assert word_tfidf(["", " "]).shape == (2, 0)
