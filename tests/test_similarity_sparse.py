"""``rok similarity`` from sparse matrices gives what the dense documents × documents matrices gave.

The group means (by county, year, type) no longer build the documents × documents matrix: cosine
sums come from the groups' summed vectors, Jaccard sums a block of rows at a time. The reference
below is the code before issue 15; every measure and grouping must agree with it on the seeds and
on the 83 real documents (the stored extractions, read without extracting again).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rok_compare.align import matrix
from rok_compare.align.matrix import GROUPINGS, MEASURES, similarity_matrix
from rok_compare.export.stored import load
from rok_compare.store import Store, ingest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
SHARED = ROOT.parent / "shared" / "corpus"


def _stored(db: Path):
    with Store.open(db, readonly=True) as store:
        stored = load(store)
        cluster_of = dict(store.conn.execute("SELECT clause_id, MIN(cluster_id) FROM cluster_members GROUP BY 1"))
        types = dict(store.conn.execute("SELECT id, doc_type FROM documents"))
    numbers: dict[int, int] = {}
    labels = np.array([numbers.setdefault(cluster_of[c], len(numbers)) if c in cluster_of else -1
                       for doc in stored for c in doc.clause_ids], dtype=np.int64)
    return [doc.document for doc in stored], labels, [types[doc.id] for doc in stored]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("seeds") / "rok.db"
    assert ingest([SEEDS], db, workers=1).failed == 0
    return _stored(db)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory):
    if not (SHARED / "dev").is_dir() or not (SHARED / "train").is_dir():
        pytest.skip(f"shared corpora not available ({SHARED})")
    db = tmp_path_factory.mktemp("shared") / "rok.db"
    assert ingest([SEEDS, SHARED / "dev", SHARED / "train"], db, workers=2).failed == 0
    return _stored(db)


# --- the dense reference: matrix.py before issue 15 -------------------------------------------------

def _dense_cosine(documents) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from rok_compare.align.normalize import normalize_many

    texts = [" ".join(n.stems for n in normalize_many([c.text for c in d.clauses], False)) for d in documents]
    if not any(t.strip() for t in texts):
        return np.zeros((len(documents), len(documents)))
    vectors = TfidfVectorizer(analyzer=str.split, sublinear_tf=True).fit_transform(texts)
    return np.clip((vectors @ vectors.T).toarray(), 0.0, 1.0)


def _dense_jaccard(documents) -> np.ndarray:
    from rok_compare.align.normalize import normalize_many

    sets = [matrix._shingles([n.stems for n in normalize_many([c.text for c in d.clauses], False)])
            for d in documents]
    common = np.array([[len(a & b) for b in sets] for a in sets], dtype=np.float64)
    sizes = np.asarray([len(s) for s in sets], dtype=np.float64)
    union = sizes[:, None] + sizes[None, :] - common
    return np.divide(common, union, out=np.zeros_like(common), where=union > 0)


def _dense_group_means(pairwise: np.ndarray, group_of_doc: np.ndarray, n_groups: int) -> np.ndarray:
    off = pairwise.copy()
    np.fill_diagonal(off, 0.0)
    member = np.zeros((len(group_of_doc), n_groups))
    member[np.arange(len(group_of_doc)), group_of_doc] = 1.0
    sums = member.T @ off @ member
    sizes = member.sum(axis=0)
    pairs = np.outer(sizes, sizes) - np.diag(sizes)
    return np.divide(sums, pairs, out=np.zeros_like(sums), where=pairs > 0)


def _reference(documents, measure: str, by: str, types) -> np.ndarray:
    pairwise = _dense_cosine(documents) if measure == "cosine" else _dense_jaccard(documents)
    if by == "document":
        np.fill_diagonal(pairwise, 1.0)
        return pairwise
    keys = matrix.group_keys(documents, by, types)
    names = matrix._ordered(keys, by)
    group_of_doc = np.array([names.index(k) for k in keys], dtype=np.int64)
    return _dense_group_means(pairwise, group_of_doc, len(names))


@pytest.mark.parametrize("corpus", ["seeds", "shared"])
@pytest.mark.parametrize("by", GROUPINGS)
@pytest.mark.parametrize("measure", [m for m in MEASURES if m != "overlap"])
def test_sparse_measures_equal_the_dense_ones(corpus: str, by: str, measure: str,
                                              request: pytest.FixtureRequest) -> None:
    documents, labels, types = request.getfixturevalue(corpus)
    found = similarity_matrix(documents, labels, by=by, measure=measure, types=types)
    expected = _reference(documents, measure, by, types)
    assert found.values.shape == expected.shape and found.values.shape[0] > 1
    assert np.allclose(found.values, expected, rtol=0, atol=1e-12)
    assert found.to_dict()["matrix"] == [[round(float(v), 4) for v in row] for row in expected]  # JSON, CSV
    assert (expected > 0).sum() > expected.shape[0]  # not a trivial matrix: groups are alike off the diagonal


def test_jaccard_group_means_in_blocks_equal_one_block(seeds, monkeypatch: pytest.MonkeyPatch) -> None:
    """The block size changes nothing: one document per block gives the same county means."""
    documents, labels, types = seeds
    whole = similarity_matrix(documents, labels, by="county", measure="jaccard").values
    monkeypatch.setattr(matrix, "ROWS", 1)
    assert np.allclose(similarity_matrix(documents, labels, by="county", measure="jaccard").values, whole,
                       rtol=0, atol=1e-12)


def test_the_notebook_similarity_offers_every_measure_and_grouping(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    from rok_compare.export import Corpus

    db = tmp_path / "rok.db"
    assert ingest([SEEDS], db, workers=1).failed == 0
    documents, labels, types = _stored(db)
    corpus = Corpus(db)
    for by in GROUPINGS:
        for measure in MEASURES:
            frame = corpus.similarity(by=by, measure=measure)
            expected = similarity_matrix(documents, labels, by=by, measure=measure, types=types)
            assert list(frame.index) == expected.labels and frame.index.name == by
            assert np.array_equal(frame.to_numpy(), expected.values)
    assert list(corpus.similarity(by="type").index) == sorted(set(types))
    with pytest.raises(ValueError, match="measure must be one of"):
        corpus.similarity(measure="euclid")
