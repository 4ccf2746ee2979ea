"""The corpus store: whole-document writes, replacement, and refusing files that are not ours."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rok_compare.model import Clause, ClauseKind
from rok_compare.store import SCHEMA_VERSION, Store, StoreError, WriteOutcome, status, write_agreement
from rok_compare.store.read import incomplete_documents
from rok_compare.store.testing import make_agreement
from rok_compare.store.write import document_key, sync_trigram_index

ROOT = Path(__file__).resolve().parents[1]
ROK = Path(sys.executable).parent / "rok"


def run_rok(*args: str, env: dict[str, str] | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the ``rok`` command installed next to this Python, as a user would."""
    return subprocess.run([str(ROK), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, timeout=120)


def test_write_one_document_with_everything(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        agreement = make_agreement(tmp_path / "a.txt", ["Parterna ska samverka.", "Tolk ska användas."],
                                   county=("Jämtlands län", "23"), period=(2016, 2019),
                                   parties=["Arbetsförmedlingen", "Region Jämtland Härjedalen"])
        assert write_agreement(store, agreement) is WriteOutcome.ADDED
        info = status(store)
        assert (info.documents, info.clauses, info.parties, info.commitments, info.goals, info.sections) == \
            (1, 2, 2, 2, 1, 2)
        assert info.groups[0].county_code == "23" and info.groups[0].period == "2016–2019"
        assert incomplete_documents(store) == []
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_changed_document_replaces_old_version_and_its_index(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        write_agreement(store, make_agreement(tmp_path / "a.txt", ["Gammal lydelse om bostäder."]))
        new = make_agreement(tmp_path / "a.txt", ["Ny lydelse om skolor.", "Mer."])
        outcome = write_agreement(store, new)
        assert outcome is WriteOutcome.UPDATED
        assert status(store).documents == 1
        texts = [row[0] for row in store.conn.execute("SELECT text FROM clauses")]
        assert texts == ["Ny lydelse om skolor.", "Mer."]

        def count(table: str, word: str) -> int:
            sql = f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH ?"
            return store.conn.execute(sql, (word,)).fetchone()[0]

        assert count("clauses_fts", "bostäder") == 0 and count("clauses_tri", "bostäder") == 0
        assert count("clauses_fts", "skolor") == 1 and count("clauses_tri", "skolor") == 1


def test_trigram_index_may_lag_and_catches_up(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        def compound_hits() -> int:
            sql = "SELECT COUNT(*) FROM clauses_tri WHERE clauses_tri MATCH '\"undersökning\"'"
            return store.conn.execute(sql).fetchone()[0]

        first = make_agreement(tmp_path / "a.txt", ["Alla erbjuds hälsoundersökning."])
        write_agreement(store, first, index_compounds=False)
        assert compound_hits() == 0
        # Replacing a document whose clauses are not in the trigram index yet must not corrupt it.
        second = make_agreement(tmp_path / "a.txt", ["Alla erbjuds hälsoundersökning snabbt."])
        write_agreement(store, second, index_compounds=False)
        assert sync_trigram_index(store) == 1 and sync_trigram_index(store) == 0
        assert compound_hits() == 1
        write_agreement(store, make_agreement(tmp_path / "a.txt", ["Ingen sådan klausul."]))
        assert compound_hits() == 0
        for index in ("clauses_fts", "clauses_tri"):
            store.conn.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")


def test_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        bad = make_agreement(tmp_path / "a.txt", ["En klausul."])
        bad.clauses.append(Clause("c2", None, ClauseKind.OTHER, [], None, None))  # type: ignore[arg-type]
        with pytest.raises((sqlite3.IntegrityError, AttributeError)):  # after the document row went in
            write_agreement(store, bad)
        assert status(store).documents == 0 and status(store).clauses == 0


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


@pytest.mark.parametrize("kind", ["foreign_sqlite", "text_file", "corrupt_store", "newer_schema"])
def test_unusable_file_gives_clear_error_and_stays_unchanged(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "x.db"
    if kind == "foreign_sqlite":
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE users(id INTEGER, name TEXT)")
        conn.execute("INSERT INTO users VALUES (1, 'Åsa')")
        conn.commit()
        conn.close()
        expected = "foreign SQLite database"
    elif kind == "text_file":
        db.write_text("Regional överenskommelse, inte en databas\n" * 50, encoding="utf-8")
        expected = "not an SQLite database"
    elif kind == "corrupt_store":
        with Store.open(db) as store:
            for i in range(40):
                write_agreement(store, make_agreement(tmp_path / f"{i}.txt", [f"Klausul {i} " * 40] * 5))
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = bytearray(db.read_bytes())
        data[8192:] = bytes((i * 7 + 13) % 256 for i in range(len(data) - 8192))
        db.write_bytes(bytes(data))
        expected = "corrupt"
    else:
        with Store.open(db):
            pass
        conn = sqlite3.connect(db)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.close()
        expected = "newer rok-compare"
    before = _bytes(db)
    with pytest.raises(StoreError, match=expected):
        Store.open(db, check=True)
    seeds = ROOT / "corpus" / "seeds"
    for args in (["ingest", str(seeds), "--db", str(db), "--workers", "1"], ["status", "--db", str(db)],
                 ["search", "tolk", "--db", str(db)], ["export", "--format", "csv", "--out",
                                                        str(tmp_path / "out"), "--db", str(db)]):
        result = run_rok(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], result.stderr
    assert _bytes(db) == before


def test_empty_sqlite_file_and_missing_store(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    with Store.open(empty) as store:
        assert status(store).documents == 0
    with pytest.raises(StoreError, match="no store here"):
        Store.open(tmp_path / "missing.db", readonly=True)
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "no" / "such" / "dir.db")


def test_db_defaults_to_env_then_working_directory(tmp_path: Path) -> None:
    env = {"ROK_EXTRACTOR": "rok_compare.store.testing:paragraph_extractor",
           "ROK_DB": str(tmp_path / "env.db")}
    seed = ROOT / "corpus" / "seeds" / "000_7d7dd3b94a00e6f5.txt"
    assert run_rok("ingest", str(seed), "--workers", "1", env=env, cwd=tmp_path).returncode == 0
    assert (tmp_path / "env.db").exists() and not (tmp_path / "rok.db").exists()
    env.pop("ROK_DB")
    result = run_rok("ingest", str(seed), "--workers", "1", env={**env, "ROK_DB": ""}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "rok.db").exists()
    with Store.open(tmp_path / "rok.db", readonly=True) as store:
        assert [row[0] for row in store.conn.execute("SELECT path FROM documents")] == [document_key(seed)]


def test_reuse_clusters_fall_back_to_exact_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rok_compare.store import reuse

    shared = "Parterna ska gemensamt verka för att validering av utländsk utbildning sker tidigt."
    with Store.open(tmp_path / "s.db") as store:
        for name in ("a", "b", "c"):
            write_agreement(store, make_agreement(tmp_path / f"{name}.txt", [shared, f"Unik klausul för {name}."]))

        def broken(store: Store, rebuild: bool = False) -> None:
            raise ImportError("no align package")

        monkeypatch.setattr(reuse, "_align_clusters", broken)
        summary = reuse.recompute_reuse_clusters(store)
        assert (summary.method, summary.clusters, summary.clauses) == ("exact", 1, 3)
        assert summary.note and "no align package" in summary.note
        variants = store.conn.execute("SELECT n_documents, n_members FROM cluster_variants").fetchall()
        assert variants == [(3, 3)]
