"""The store's alignment cache keeps only what a document still in the store can use, and
``rok serve``'s side-by-side view reads it (never aligning again what a report aligned)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from rok_compare.report import build_report
from rok_compare.report.aligning import document_digest
from rok_compare.report.data import load
from rok_compare.serve import create_app
from rok_compare.store import ingest
from rok_compare.store.prune import prune

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


@pytest.fixture()
def seeds(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the seeds ingested into a store, and the folder the store read them from."""
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    db = tmp_path / "rok.db"
    assert ingest([folder], db, workers=1).failed == 0
    return db, folder


def _cached(db: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return set(conn.execute("SELECT a_digest, b_digest FROM alignment_cache"))


def test_a_pruned_document_s_alignments_leave_the_cache(seeds: tuple[Path, Path], tmp_path: Path) -> None:
    db, folder = seeds
    first = build_report(db, tmp_path / "site", workers=1)
    before = _cached(db)
    assert len(before) == first.aligned > 0
    data = load(db)
    digests = {doc.id: document_digest(doc) for doc in data.documents}
    counts = {doc_id: sum(digest in key for key in before) for doc_id, digest in digests.items()}
    gone = max(counts, key=counts.get)
    (folder / data.by_id[gone].name).unlink()
    assert prune(db).removed
    again = build_report(db, tmp_path / "site", workers=1)
    after = _cached(db)
    assert not any(digests[gone] in key for key in after)
    kept = {key for key in before if digests[gone] not in key}
    assert kept < before and kept <= after  # the other documents' alignments are all still there
    assert len(after - kept) == again.aligned  # and what this build aligned (the pairs changed)


def test_serve_compares_from_the_cache_what_a_report_aligned(seeds: tuple[Path, Path], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    db, _ = seeds
    client = TestClient(create_app(db, tmp_path / "cache"), base_url="http://127.0.0.1")
    build_report(db, tmp_path / "plain", workers=1)
    pairs = [p.stem.split("-") for p in (tmp_path / "plain" / "compare").glob("*.html")]
    assert pairs
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM alignment_cache")
    fresh = {(a, b): client.get(f"/compare?a={a}&b={b}").text for a, b in pairs}  # aligned now
    build_report(db, tmp_path / "site", workers=1)

    def no_aligning(*args: object, **kwargs: object) -> None:
        raise AssertionError("aligned again")

    import rok_compare.align

    monkeypatch.setattr(rok_compare.align, "align", no_aligning)
    for (a, b), page in fresh.items():
        response = client.get(f"/compare?a={a}&b={b}")
        assert response.status_code == 200 and response.text == page
    with pytest.raises(AssertionError, match="aligned again"):  # a pair no report aligned is aligned
        a, b = pairs[0]
        client.get(f"/compare?a={b}&b={a}")
