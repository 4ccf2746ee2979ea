"""The sparse alignment path gives the numbers and pairs of the dense one it replaced.

Each piece is checked against the dense computation it stands for, on the seed documents'
clauses: TF-IDF rows against scikit-learn's ``TfidfVectorizer``, candidates against the dense
cosine matrices, the per-component assignment against one ``linear_sum_assignment`` over A x B,
and whole alignments against the dense path kept for the benchmark (``scripts/align_dense.py``).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment
from sklearn.feature_extraction.text import TfidfVectorizer

from rok_compare import extract_document
from rok_compare.align import Aligner
from rok_compare.align.assignment import max_gain_pairs
from rok_compare.align.candidates import cosine_candidates
from rok_compare.align.normalize import normalize, normalize_many, surface_key
from rok_compare.align.similarity import CANDIDATE_FLOOR, ClauseVectorizer
from rok_compare.model import Clause, ClauseKind, Span

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))


def seed_clauses(k: int) -> list[Clause]:
    return extract_document(SEEDS[k]).clauses


def norms(clauses: list[Clause]):
    return normalize_many([c.text for c in clauses])


def test_tfidf_rows_are_scikit_learns_numbers():
    texts = norms(seed_clauses(0) + seed_clauses(1))
    mine = ClauseVectorizer().fit_transform(texts)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=False,
                            dtype=np.float32).fit([t.masked or "_tom_" for t in texts])
    words = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, lowercase=False,
                            dtype=np.float32).fit([t.stems or "_tom_" for t in texts])
    expected_chars = chars.transform([t.masked for t in texts])
    assert mine.chars.shape == expected_chars.shape
    assert np.array_equal(mine.chars.toarray(), expected_chars.toarray())
    assert np.array_equal(mine.words.toarray(), words.transform([t.stems for t in texts]).toarray())
    # a text seen after the fit: unknown words still count with the n-grams the fit saw
    later = [normalize("Arbetsmarknadsetableringen för nyanlända i Jämtlands län, oväntat ordxyz.")]
    assert np.array_equal(ClauseVectorizer.transform(_fitted(texts), later).chars.toarray(),
                          chars.transform([t.masked for t in later]).toarray())


def _fitted(texts):
    vectorizer = ClauseVectorizer()
    vectorizer.fit_transform(texts)
    return vectorizer


def test_candidates_are_the_pairs_the_dense_cosines_keep():
    a, b = norms(seed_clauses(0)), norms(seed_clauses(1))
    vectors = ClauseVectorizer().fit_transform(a + b)
    va, vb = vectors.rows(0, len(a)), vectors.rows(len(a), len(a) + len(b))
    dense = np.maximum((va.chars @ vb.chars.T).toarray(), (va.words @ vb.words.T).toarray())
    expected = set(zip(*np.nonzero(dense >= CANDIDATE_FLOOR), strict=True))
    for block, threads in ((1, 1), (7, 3), (1 << 21, 2)):  # one row at a time, a few rows, all rows at once
        found = cosine_candidates(va, vb, CANDIDATE_FLOOR, block_pairs=block * len(b), threads=threads)
        assert list(zip(found.rows.tolist(), found.cols.tolist(), strict=True)) == sorted(expected)
        assert np.allclose(found.char, (va.chars @ vb.chars.T).toarray()[found.rows, found.cols])
    assert expected, "the two seed documents share clauses"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_assignment_per_component_has_the_dense_optimum(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    n, m = 60, 50
    mask = rng.random((n, m)) < 0.06
    rows, cols = np.nonzero(mask)
    gain = rng.random(len(rows)) + 0.4
    dense = np.zeros((n, m))
    dense[rows, cols] = gain
    r, c = linear_sum_assignment(dense, maximize=True)
    best = dense[r, c].sum()
    pairs = max_gain_pairs(rows, cols, gain, n, m)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
    assert dense[tuple(np.array(pairs).T)].sum() == pytest.approx(best, abs=1e-9)
    # the sparse matching that large components use gives the same optimum
    monkeypatch.setattr("rok_compare.align.assignment.DENSE_CELLS", 0)
    sparse_pairs = max_gain_pairs(rows, cols, gain, n, m)
    assert dense[tuple(np.array(sparse_pairs).T)].sum() == pytest.approx(best, abs=1e-9)


def _dense_aligner():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from align_dense import DenseAligner
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return DenseAligner()


def _signature(alignment):
    return ([(p.a.id, p.b.id, p.relation, p.shape, p.moved, p.score, p.diff) for p in alignment.pairs],
            [r.id for r in alignment.only_a], [r.id for r in alignment.only_b])


@pytest.mark.parametrize(("first", "second"), [(0, 1), (0, 4), (2, 3)])
def test_seed_documents_align_as_the_dense_path_did(first, second):
    a, b = seed_clauses(first), seed_clauses(second)
    assert _signature(Aligner().align(a, b)) == _signature(_dense_aligner().align(a, b))


def test_revised_seed_with_splits_merges_and_moves_aligns_as_the_dense_path_did():
    """As in bench_align, a clause repeated word for word is kept once: with two identical
    clauses, two assignments can have exactly the same total gain, and which of them an
    assignment solver returns is its own tie-break (the sparse one solves each component alone)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import bench_align as ba
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    keys: set[str] = set()
    clauses = [c for k in range(len(SEEDS)) for c in seed_clauses(k)
               if surface_key(c.text) not in keys and not keys.add(surface_key(c.text))]
    rng = random.Random(5)
    for _ in range(3):
        revision = ba.make_revision(clauses, [c.text for c in clauses], rng)
        sparse_result = Aligner().align(revision.old, revision.new)
        assert any(p.shape.value != "1:1" for p in sparse_result.pairs)
        assert _signature(sparse_result) == _signature(_dense_aligner().align(revision.old, revision.new))


def test_documents_without_a_related_pair_align_to_nothing():
    a = [Clause("a1", None, ClauseKind.OTHER, [], "Parterna ska mötas varje kvartal.", Span(1, 0, 0))]
    b = [Clause("b1", None, ClauseKind.OTHER, [], "Bilaga 3: budget för år 2015.", Span(1, 0, 0))]
    result = Aligner().align(a, b)
    assert not result.pairs and [c.id for c in result.only_a] == ["a1"] and [c.id for c in result.only_b] == ["b1"]


def test_empty_texts_count_for_the_fit_as_a_filler_and_give_empty_rows():
    texts = [normalize(t) for t in ("Parterna ska mötas varje kvartal.", "", "Mötas varje år.", "")]
    mine = ClauseVectorizer().fit_transform(texts)
    words = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, lowercase=False,
                            dtype=np.float32).fit([t.stems or "_tom_" for t in texts])
    assert np.array_equal(mine.words.toarray(), words.transform([t.stems for t in texts]).toarray())
    assert mine.chars[1].nnz == 0 and mine.chars[3].nnz == 0 and mine.chars[0].nnz > 0
