"""The store keeps today's name of every party (``current``): on a fresh ingest, in a store made by the
previous schema once it is migrated, and in every export."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from rok_compare.cli import app
from rok_compare.export import Corpus, export
from rok_compare.store import SCHEMA_VERSION, Store, StoreError, ingest, status
from rok_compare.store.schema import APPLICATION_ID, MIGRATIONS

V1_TABLES = ("documents", "sections", "clauses", "parties", "commitments", "goals", "reuse_clusters",
             "cluster_members", "cluster_variants", "failures")


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The five seeds copied to a folder and ingested into a fresh store: (folder, store)."""
    root = tmp_path_factory.mktemp("current")
    folder = root / "docs"
    shutil.copytree(SEEDS, folder, ignore=shutil.ignore_patterns("*.csv"))
    db = root / "rok.db"
    assert ingest([folder], db, workers=2).added == 5
    return folder, db


def _stored_parties(db: Path) -> dict[str, list[tuple[str, str, str]]]:
    with Store.open(db, readonly=True) as store:
        rows = store.conn.execute("SELECT d.path, p.name, p.canonical, p.current FROM parties p "
                                  "JOIN documents d ON d.id = p.document_id ORDER BY d.path, p.ord").fetchall()
    found: dict[str, list[tuple[str, str, str]]] = {}
    for path, *party in rows:
        found.setdefault(Path(path).name, []).append(tuple(party))
    return found


def test_a_fresh_ingest_stores_current_as_rok_extract_gives_it(seeds, tmp_path, monkeypatch) -> None:
    folder, db = seeds
    monkeypatch.setenv("ROK_DB", str(tmp_path / "no-store.db"))  # extract the files, not the store
    result = CliRunner().invoke(app, ["extract", str(folder), "--format", "json", "--timeout", "0"])
    assert result.exit_code == 0, result.output
    extracted = {Path(d["source"]["path"]).name: [(p["name"], p["canonical"], p["current"]) for p in d["parties"]]
                 for d in map(json.loads, result.stdout.splitlines())}
    assert len(extracted) == 5
    assert _stored_parties(db) == {name: parties for name, parties in extracted.items() if parties}
    renamed = [party for parties in extracted.values() for party in parties if party[1] != party[2]]
    assert ("Myndigheten för skolutveckling", "Myndigheten för skolutveckling", "Skolverket") in renamed
    assert all(current for parties in extracted.values() for _, _, current in parties)


def _previous_version_store(path: Path, fresh: Path) -> None:
    """A store as the previous version (schema 1) made it: its DDL, and the rows of ``fresh`` without
    the columns and tables that schema 2 added."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    MIGRATIONS[0](conn)  # the schema-1 DDL, as the previous version created it
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    conn.execute("ATTACH DATABASE ? AS fresh", (str(fresh),))
    conn.execute("BEGIN")
    for table in V1_TABLES:
        columns = ", ".join(f'"{row[1]}"' for row in conn.execute(f"PRAGMA main.table_info({table})"))
        conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM fresh.{table}")
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE fresh")
    assert "current" not in {row[1] for row in conn.execute("PRAGMA table_info(parties)")}
    conn.close()


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in V1_TABLES}


def test_a_store_of_the_previous_schema_is_migrated_and_keeps_its_data(seeds, tmp_path) -> None:
    _, fresh = seeds
    old = tmp_path / "old.db"
    _previous_version_store(old, fresh)
    with sqlite3.connect(old) as conn:
        before = _counts(conn)
        texts = conn.execute("SELECT id, text FROM clauses ORDER BY id").fetchall()
    assert before["parties"] >= 40 and before["clauses"] >= 200
    with pytest.raises(StoreError, match="older schema"):  # readers ask for the migration ...
        Store.open(old, readonly=True)
    with Store.open(old) as store:  # ... which opening it for writing (as ingest does) makes
        conn = store.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert _counts(conn) == before
        assert conn.execute("SELECT id, text FROM clauses ORDER BY id").fetchall() == texts
        assert conn.execute("SELECT COUNT(*) FROM clauses_fts WHERE clauses_fts MATCH 'hälsoundersökning'"
                            ).fetchone()[0] >= 1
        # old rows: current from the registry, equal to what extraction stored in the fresh store
        assert conn.execute("SELECT COUNT(*) FROM parties WHERE current IS NULL").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM documents WHERE extractor IS NULL").fetchone()[0] == 5
    assert _stored_parties(old) == _stored_parties(fresh)
    # ingest works on it afterwards: stored content is skipped, a new file is added with current
    new = tmp_path / "new" / "värmland.txt"
    new.parent.mkdir()
    new.write_text((SEEDS / "004_053ccb9634956e56.txt").read_text(encoding="utf-8") + "\nBilaga.\n", encoding="utf-8")
    report = ingest([SEEDS, new.parent], old, workers=1)
    assert (report.skipped, report.added) == (5, 1) and status_of(old).documents == 6
    with Store.open(old, readonly=True) as store:
        assert ("Myndigheten för skolutveckling", "Skolverket") in store.conn.execute(
            "SELECT canonical, current FROM parties p JOIN documents d ON d.id = p.document_id "
            "WHERE d.path LIKE '%värmland.txt'").fetchall()


def status_of(db: Path):
    with Store.open(db, readonly=True) as store:
        return status(store)


def test_exports_and_status_carry_current(seeds, tmp_path) -> None:
    _, db = seeds
    stored = _stored_parties(db)
    expected = sorted(party for parties in stored.values() for party in parties)
    for fmt in ("csv", "json"):
        export(db, fmt, tmp_path / fmt)
    with (tmp_path / "csv" / "parties.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted((r["name"], r["canonical"], r["current"]) for r in rows) == expected
    records = json.loads((tmp_path / "json" / "parties.json").read_text(encoding="utf-8"))
    assert sorted((r["name"], r["canonical"], r["current"]) for r in records) == expected
    info = status_of(db)
    assert info.distinct_current == len({current for _, _, current in expected}) < info.distinct_parties
    result = CliRunner().invoke(app, ["status", "--db", str(db), "--format", "json"])
    assert json.loads(result.stdout)["distinct_current"] == info.distinct_current
    pytest.importorskip("pandas")
    corpus = Corpus(db)
    frame = corpus.parties()
    assert sorted(zip(frame["name"], frame["canonical"], frame["current"], strict=True)) == expected
    by_today = corpus.party_county_matrix(by="current")
    assert "Skolverket" in by_today.index and "Myndigheten för skolutveckling" not in by_today.index
    assert "Myndigheten för skolutveckling" in corpus.party_county_matrix().index
