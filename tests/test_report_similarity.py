"""The report's document similarity from sparse products, and its alignment cache in the store.

The nearest documents, the closest documents of every two counties, the county pages' document
tables and the county vocabulary heatmap must be what the dense documents × documents matrices of
the report before issue 15 gave (the reference below is that code), on the seeds and on the 83
real documents. A second build aligns nothing; a changed document or aligner is aligned again.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from rok_compare.align import align
from rok_compare.report import analysis, build_report, nearest
from rok_compare.report.analysis import Pair
from rok_compare.report.data import ReportData, load
from rok_compare.store import alignment_cache, ingest
from rok_compare.store.alignment_cache import AlignmentCache, decode, document_digest, encode

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
SHARED = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seeds") / "rok.db"
    assert ingest([SEEDS], db, workers=1).failed == 0
    return db


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (SHARED / "dev").is_dir() or not (SHARED / "train").is_dir():
        pytest.skip(f"shared corpora not available ({SHARED})")
    db = tmp_path_factory.mktemp("shared") / "rok.db"
    assert ingest([SEEDS, SHARED / "dev", SHARED / "train"], db, workers=2).failed == 0
    return db


# --- the dense reference: the report's similarity before issue 15 -----------------------------------

def _dense(data: ReportData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from rok_compare.align.normalize import normalize_many

    docs = data.documents
    n = len(docs)
    texts = [" ".join(nt.stems for nt in normalize_many([c.text for c in d.clauses])) for d in docs]
    cosine = np.zeros((n, n))
    if any(t.strip() for t in texts):
        vectors = TfidfVectorizer(analyzer=str.split, sublinear_tf=True).fit_transform(texts)
        cosine = (vectors @ vectors.T).toarray()
    shared = np.zeros((n, n))
    position = {d.id: k for k, d in enumerate(docs)}
    for cluster in data.clusters:
        members = sorted({position[m.document_id] for m in cluster.members if m.document_id in position})
        for i in members:
            for j in members:
                shared[i, j] += 1
    score = shared + np.minimum(cosine, 0.999)
    np.fill_diagonal(score, -1.0)
    return cosine, shared, score


def _dense_nearest(data: ReportData, score: np.ndarray) -> dict[int, Pair]:
    out: dict[int, Pair] = {}
    for i, doc in enumerate(data.documents):
        if len(data.documents) < 2 or not doc.clauses:
            continue
        j = int(np.argmax(score[i]))
        if score[i, j] < analysis.MIN_COSINE or not data.documents[j].clauses:
            continue
        a, b = sorted((doc.id, data.documents[j].id))
        out[doc.id] = Pair(a, b, "similar", float(score[i, j]))
    return out


def _dense_county_pairs(data: ReportData, score: np.ndarray) -> dict[frozenset[str], Pair]:
    members: dict[str, list[int]] = defaultdict(list)
    for k, doc in enumerate(data.documents):
        if doc.clauses:
            members[doc.county_label].append(k)
    counties = [c for c in data.counties if c in members]
    out: dict[frozenset[str], Pair] = {}
    for x, first in enumerate(counties):
        for second in counties[x + 1:]:
            block = score[np.ix_(members[first], members[second])]
            i, j = np.unravel_index(int(np.argmax(block)), block.shape)
            if block[i, j] < 1:
                continue
            a, b = sorted((data.documents[members[first][i]].id, data.documents[members[second][j]].id))
            out[frozenset((first, second))] = Pair(a, b, "county", float(block[i, j]))
    return out


def _dense_county_vocabulary(data: ReportData) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from rok_compare.align.normalize import normalize_many

    texts: dict[str, list[str]] = defaultdict(list)
    for doc in data.documents:
        texts[doc.county_label].extend(c.text for c in doc.clauses)
    labels = [c for c in data.counties if texts.get(c)]
    joined = [" ".join(nt.stems for nt in normalize_many(texts[c])) for c in labels]
    vectors = TfidfVectorizer(analyzer=str.split, sublinear_tf=True).fit_transform(joined)
    return (vectors @ vectors.T).toarray()


@pytest.mark.parametrize("corpus", ["seeds_db", "shared_db"])
def test_sparse_similarity_gives_what_the_dense_matrices_gave(corpus: str, request: pytest.FixtureRequest) -> None:
    data = load(request.getfixturevalue(corpus))
    cosine, shared, score = _dense(data)
    stems = analysis.document_stems(data)
    similarity = nearest.document_similarity(data, stems)
    found = nearest.nearest_pairs(data, similarity)
    assert found == _dense_nearest(data, score)
    assert list(found) == list(_dense_nearest(data, score))  # same order: the comparison list is built from it
    counties = nearest.county_pairs(data, similarity)
    assert counties == _dense_county_pairs(data, score) and list(counties) == list(_dense_county_pairs(data, score))
    assert found and counties  # the corpora have near documents and counties sharing clauses
    everyone = list(range(len(data.documents)))
    assert np.array_equal(similarity.cosine(everyone, everyone), cosine)
    assert np.array_equal(similarity.shared(everyone, everyone), shared)
    vocabulary = analysis.county_vocabulary(data, stems)
    assert np.array_equal(vocabulary.values, _dense_county_vocabulary(data))


def test_nearest_ties_go_to_the_first_document_in_report_order(seeds_db: Path) -> None:
    """Two identical copies of one document: both are equally near to it; the dense argmax took the first."""
    data = load(seeds_db)
    doc = data.documents[0]
    twins = [type(doc)(**{**{f: getattr(doc, f) for f in doc.__slots__ if not f.startswith("_")},
                          "id": 1000 + k, "path": f"/twin{k}.txt"}) for k in range(2)]
    data = ReportData(data.db_path, data.generated, [*data.documents, *twins], data.clusters)
    _, _, score = _dense(data)
    similarity = nearest.document_similarity(data, analysis.document_stems(data))
    found = nearest.nearest_pairs(data, similarity)
    assert found == _dense_nearest(data, score)
    assert found[1000] == Pair(doc.id, 1000, "similar", 0.999)  # not the other twin, as near but later
    assert found[1001] == Pair(doc.id, 1001, "similar", 0.999)


# --- the alignment cache --------------------------------------------------------------------------

def _compare_pages(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((site / "compare").glob("*.html"))}


def test_a_second_build_aligns_nothing_and_writes_the_same_pages(seeds_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "rok.db"
    db.write_bytes(seeds_db.read_bytes())
    first = build_report(db, tmp_path / "one", workers=1)
    assert first.aligned > 0 and first.cached == 0 and first.align_cpu_seconds > 0
    second = build_report(db, tmp_path / "two", workers=1)
    assert second.aligned == 0 and second.cached == first.aligned
    assert _compare_pages(tmp_path / "two") == _compare_pages(tmp_path / "one")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM alignment_cache").fetchone()[0] == first.aligned


def test_a_changed_document_or_aligner_is_aligned_again(seeds_db: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "rok.db"
    db.write_bytes(seeds_db.read_bytes())
    first = build_report(db, tmp_path / "site", workers=1)
    data = load(db)
    pairs = [p.removesuffix(".html").split("-") for p in _compare_pages(tmp_path / "site")]
    changed = int(pairs[0][0])
    with sqlite3.connect(db) as conn:  # one clause of one document reworded, as a re-ingest would
        clause = data.by_id[changed].clauses[0]
        conn.execute("UPDATE clauses SET text = ? WHERE id = ?", (clause.text + " Ändrad.", clause.id))
    involving = sum(1 for a, b in pairs if changed in (int(a), int(b)))
    again = build_report(db, tmp_path / "site", workers=1)
    assert again.aligned >= involving > 0 and again.cached > 0
    assert again.aligned < first.aligned  # the pairs of the other documents came from the cache
    monkeypatch.setattr(alignment_cache, "aligner_version", lambda: "another aligner")
    third = build_report(db, tmp_path / "site", workers=1)
    assert third.cached == 0 and third.aligned == first.aligned
    with sqlite3.connect(db) as conn:  # the other aligner's entries are gone
        assert {v for (v,) in conn.execute("SELECT DISTINCT aligner FROM alignment_cache")} == {"another aligner"}


def test_cached_alignments_are_the_aligner_s(seeds_db: Path) -> None:
    data = load(seeds_db)
    by_name = {d.name: d for d in data.documents}
    a, b = ([c.to_clause() for c in by_name[name].clauses]
            for name in ("000_7d7dd3b94a00e6f5.txt", "001_db03df83e1636e02.txt"))
    fresh = align(a, b, "A", "B")
    blob = encode(fresh, a, b)
    assert blob is not None and decode(blob, a, b, "A", "B") == fresh
    assert fresh.pairs and any(p.diff for p in fresh.pairs)
    assert document_digest(a) != document_digest(b) and document_digest(a) == document_digest(list(a))


def test_a_store_that_cannot_be_written_is_read_or_left_alone(seeds_db: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "rok.db"
    db.write_bytes(seeds_db.read_bytes())
    monkeypatch.setattr(alignment_cache, "writable", lambda path: False)
    assert AlignmentCache.open(db) is None  # no table yet, and none can be made: aligned as before
    before = db.read_bytes()
    first = build_report(db, tmp_path / "one", workers=1)
    assert first.aligned > 0 and db.read_bytes() == before
    monkeypatch.undo()
    build_report(db, tmp_path / "two", workers=1)  # writable again: fills the cache
    monkeypatch.setattr(alignment_cache, "writable", lambda path: False)
    cache = AlignmentCache.open(db)
    assert cache is not None and not cache.can_write
    cache.close()
    third = build_report(db, tmp_path / "three", workers=1)
    assert third.aligned == 0 and third.cached == first.aligned


def test_the_aligner_version_covers_the_code_that_aligns_and_only_that() -> None:
    package = Path(alignment_cache.__file__).resolve().parents[1]
    files = {p.relative_to(package).as_posix() for p in alignment_cache.aligner_files()}
    assert {"align/pairwise.py", "align/normalize.py", "align/worddiff.py", "align/model.py",
            "align/data/places.txt", "model.py"} <= files
    assert not files & {"align/matrix.py", "align/lineage.py", "report/build.py", "store/alignment_cache.py"}
    assert alignment_cache.aligner_version() == alignment_cache.aligner_version()


def test_a_busy_store_builds_the_report_without_the_cache(seeds_db: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """An ingest holding the store's write lock: the report reads, aligns and goes on without caching."""
    db = tmp_path / "rok.db"
    db.write_bytes(seeds_db.read_bytes())
    monkeypatch.setattr(alignment_cache, "BUSY_MS", 100)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        summary = build_report(db, tmp_path / "site", workers=1)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert summary.aligned > 0 and summary.cached == 0 and summary.comparisons > 0
    with sqlite3.connect(db) as conn:
        assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'alignment_cache'").fetchone()
