"""The store's reuse clusters (made at ingest) and ``rok reuse`` agree: one clustering, one set of clusters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rok_compare.align.corpus import load_documents
from rok_compare.align.reuse import MIN_CHARS, find_reuse
from rok_compare.cli import app
from rok_compare.export.stored import load
from rok_compare.store import Store, ingest
from rok_compare.store import reuse as store_reuse

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
DEV = ROOT.parent / "shared" / "corpus" / "dev"

Members = frozenset[frozenset[tuple[str, str]]]
"""Clusters as sets of (file name, clause key): comparable across stores and files."""


def stored_clusters(db: Path) -> Members:
    with Store.open(db, readonly=True) as store:
        rows = store.conn.execute(
            "SELECT m.cluster_id, d.path, c.clause_key FROM cluster_members m JOIN clauses c ON c.id = m.clause_id "
            "JOIN documents d ON d.id = c.document_id").fetchall()
    clusters: dict[int, set[tuple[str, str]]] = {}
    for cluster, path, key in rows:
        clusters.setdefault(cluster, set()).add((Path(path).name, key))
    return frozenset(frozenset(members) for members in clusters.values())


def reported_clusters(report) -> Members:
    return frozenset(frozenset((Path(m.path).name, m.clause_id) for m in c.members) for c in report.clusters)


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("agree") / "rok.db"
    ingest([SEEDS], db)
    return db


def test_store_and_files_give_the_same_clusters_on_the_seeds(seed_db: Path) -> None:
    stored = stored_clusters(seed_db)
    with Store.open(seed_db, readonly=True) as store:
        from_store = find_reuse([doc.document for doc in load(store)])[0]
    from_files = find_reuse(load_documents([SEEDS], pytest.fail))[0]
    assert len(stored) == len(from_store.clusters) == len(from_files.clusters) == 10
    assert reported_clusters(from_store) == reported_clusters(from_files) == stored


def test_the_order_documents_come_in_changes_nothing(seed_db: Path) -> None:
    with Store.open(seed_db, readonly=True) as store:
        documents = [doc.document for doc in load(store)]
    forward, backward = find_reuse(documents)[0], find_reuse(documents[::-1])[0]
    assert reported_clusters(forward) == reported_clusters(backward)
    assert [(c.id, c.canonical, c.documents) for c in forward.clusters] == \
        [(c.id, c.canonical, c.documents) for c in backward.clusters]


def test_rok_reuse_counts_what_the_store_counts(seed_db: Path) -> None:
    runner = CliRunner()
    over_store = runner.invoke(app, ["reuse", "--db", str(seed_db), "--format", "json"])
    over_files = runner.invoke(app, ["reuse", str(SEEDS), "--db", str(seed_db.parent / "none.db"), "--format", "json"])
    assert over_store.exit_code == 0 and over_files.exit_code == 0, over_store.output + over_files.output
    with Store.open(seed_db, readonly=True) as store:
        count = store.conn.execute("SELECT COUNT(*) FROM reuse_clusters").fetchone()[0]
    assert len(json.loads(over_store.stdout)["clusters"]) == len(json.loads(over_files.stdout)["clusters"]) == count


def test_short_clauses_are_left_out_alike() -> None:
    assert store_reuse.MIN_CHARS == MIN_CHARS  # the store's exact-match fallback counts the same clauses


def test_store_and_reuse_agree_on_the_development_set(tmp_path: Path) -> None:
    if not DEV.is_dir():
        pytest.skip(f"development corpus not available ({DEV})")
    db = tmp_path / "rok.db"
    ingest([SEEDS, DEV], db, workers=2)
    with Store.open(db, readonly=True) as store:
        report = find_reuse([doc.document for doc in load(store)])[0]
    assert reported_clusters(report) == stored_clusters(db)
    assert len(report.clusters) > 9
