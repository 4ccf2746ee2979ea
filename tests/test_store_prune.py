"""Pruning: stored documents whose files are gone are removed whole; moved files are re-keyed."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rok_compare.search import search
from rok_compare.store import Status, Store, StoreError, ingest, prune, status
from rok_compare.store.prune import clusters_stale
from rok_compare.store.read import incomplete_documents

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
ROK = Path(sys.executable).parent / "rok"
PARAGRAPHS = "rok_compare.store.testing:paragraph_extractor"
CRASHING = "rok_compare.store.testing:crashing_extractor"
ACTION_PLAN = "003_ccf35b8a4e2ffd62.txt"  # Jämtlands län, 2016, action plan
TABLES = ("documents", "sections", "clauses", "parties", "commitments", "goals", "reuse_clusters",
          "cluster_members", "cluster_variants", "failures")


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def clusters(db: Path) -> set[tuple[frozenset[str], int]]:
    """Each reuse cluster as its member texts and document count (ids and representatives depend on
    the order documents were stored in)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT r.id, r.n_documents, c.text FROM reuse_clusters r JOIN cluster_members m "
                            "ON m.cluster_id = r.id JOIN clauses c ON c.id = m.clause_id").fetchall()
    members: dict[tuple[int, int], set[str]] = {}
    for cluster_id, n_documents, text in rows:
        members.setdefault((cluster_id, n_documents), set()).add(text)
    return {(frozenset(texts), n) for (_, n), texts in members.items()}


def assert_consistent(db: Path) -> None:
    """No row points at a missing document or clause, and both full-text indexes match the clauses."""
    with Store.open(db) as store:
        conn = store.conn
        assert incomplete_documents(store) == []
        for table in ("sections", "clauses", "parties", "commitments", "goals"):
            orphans = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE document_id NOT IN "
                                   "(SELECT id FROM documents)").fetchone()[0]
            assert orphans == 0, table
        assert conn.execute("SELECT COUNT(*) FROM cluster_members WHERE clause_id NOT IN "
                            "(SELECT id FROM clauses)").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM cluster_variants WHERE norm_hash NOT IN "
                            "(SELECT norm_hash FROM clauses)").fetchone()[0] == 0
        assert not clusters_stale(store)
        for index in ("clauses_fts", "clauses_tri"):  # raises if an index disagrees with the clauses
            conn.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_prune_removes_a_deleted_document_with_everything_extracted_from_it(seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "rok.db"
    assert ingest([seeds], db, workers=2).added == 5  # the real extractor
    gone = seeds / ACTION_PLAN
    key = str(gone.resolve())
    # A word of the action plan only, for both indexes: the word index and the compound (trigram) one.
    with sqlite3.connect(db) as conn:
        doc_id = conn.execute("SELECT id FROM documents WHERE path = ?", (key,)).fetchone()[0]
        words = [w for (w,) in conn.execute("SELECT term FROM clauses_vocab WHERE doc = 1 AND length(term) > 8")]
        unique = next(w for w in sorted(words) if conn.execute(
            "SELECT COUNT(DISTINCT document_id) FROM clauses WHERE id IN (SELECT rowid FROM clauses_fts "
            "WHERE clauses_fts MATCH ?)", (f'"{w}"',)).fetchone()[0] == 1 and conn.execute(
            "SELECT document_id FROM clauses WHERE id = (SELECT rowid FROM clauses_fts WHERE clauses_fts "
            "MATCH ? LIMIT 1)", (f'"{w}"',)).fetchone()[0] == doc_id)
    assert [h.occurrence.path for h in search(db, unique)] == [key]
    before = counts(db)
    gone.unlink()

    preview = prune(db, dry_run=True)
    assert [d.path for d in preview.removed] == [key] and preview.checked == 5
    assert (preview.removed[0].county, preview.removed[0].period, preview.removed[0].doc_type) == \
        ("Jämtlands län", "2016", "action_plan")
    assert counts(db) == before  # a dry run changes nothing

    report = prune(db)
    assert [d.path for d in report.removed] == [key] and report.reuse is not None
    after = counts(db)
    assert after["documents"] == 4 and after["clauses"] == before["clauses"] - report.removed[0].n_clauses
    assert search(db, unique) == []
    with sqlite3.connect(db) as conn:
        for index in ("clauses_fts", "clauses_tri"):
            assert conn.execute(f"SELECT COUNT(*) FROM {index} WHERE {index} MATCH ?",
                                (f'"{unique}"',)).fetchone()[0] == 0
    assert_consistent(db)
    # The pruned store holds what a fresh ingest of the four remaining files holds.
    fresh = tmp_path / "fresh.db"
    ingest([seeds], fresh, workers=2)
    assert counts(db) == counts(fresh) and clusters(db) == clusters(fresh)
    assert prune(db).removed == []  # nothing left to do


def test_prune_limited_to_folders_including_one_deleted_whole(tmp_path: Path) -> None:
    files = sorted(SEEDS.glob("*.txt"))
    folders = {name: tmp_path / name for name in ("a", "a2", "b")}  # "a2" must not count as under "a"
    for folder, chunk in zip(folders.values(), (files[:2], files[2:4], files[4:]), strict=True):
        folder.mkdir()
        for f in chunk:
            shutil.copy(f, folder / f.name)
    db = tmp_path / "rok.db"
    assert ingest(list(folders.values()), db, extractor=PARAGRAPHS).added == 5
    (folders["a"] / files[0].name).unlink()
    (folders["a2"] / files[2].name).unlink()
    shutil.rmtree(folders["b"])

    only_a = prune(db, [folders["a"]])
    assert [Path(d.path).name for d in only_a.removed] == [files[0].name] and only_a.checked == 2
    only_b = prune(db, [tmp_path / "b"])  # the folder no longer exists
    assert [Path(d.path).name for d in only_b.removed] == [files[4].name]
    assert prune(db, [folders["a"] / files[1].name]).removed == []  # a file that is still there
    rest = prune(db)
    assert [Path(d.path).name for d in rest.removed] == [files[2].name]
    assert counts(db)["documents"] == 2
    assert_consistent(db)


def test_failure_records_of_missing_files_are_dropped(seeds: Path, tmp_path: Path) -> None:
    bad = seeds / "broken.pdf"
    bad.write_bytes(b"not a pdf at all")
    db = tmp_path / "rok.db"
    assert ingest([seeds], db, extractor=PARAGRAPHS).failed == 1
    bad.unlink()
    assert prune(db, dry_run=True).failures == [str(bad.resolve())]
    report = prune(db)
    assert report.failures == [str(bad.resolve())] and report.removed == []
    with Store.open(db, readonly=True) as store:
        assert status(store).failures == [] and status(store).documents == 5


def test_interrupted_prune_leaves_whole_documents_and_a_rerun_finishes(seeds: Path, tmp_path: Path) -> None:
    # Edited copies of two seeds: each forms reuse clusters with its original.
    for prefix in ("003", "004"):
        original = next(seeds.glob(f"{prefix}_*.txt"))
        text = original.read_text(encoding="utf-8")
        (seeds / f"v{prefix}.txt").write_text(text + "\n\nEtt tillägg i kopian.\n", encoding="utf-8")
    db = tmp_path / "rok.db"
    assert ingest([seeds], db, extractor=PARAGRAPHS).added == 7
    (seeds / "004_053ccb9634956e56.txt").unlink()
    (seeds / "v004.txt").unlink()

    def stop(doc: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        prune(db, progress=stop)  # after the first document was removed (and committed)
    assert counts(db)["documents"] == 6
    with Store.open(db, readonly=True) as store:
        assert incomplete_documents(store) == [] and clusters_stale(store)
    rest = prune(db)
    assert [Path(d.path).name for d in rest.removed] == ["v004.txt"] and rest.reuse is not None
    assert counts(db)["documents"] == 5
    assert_consistent(db)
    # Killed after the last delete but before the clusters were recomputed: the next run repairs it.
    (seeds / ACTION_PLAN).unlink()
    with pytest.raises(KeyboardInterrupt):
        prune(db, progress=stop)
    with Store.open(db, readonly=True) as store:
        assert clusters_stale(store)
    again = prune(db)
    assert again.removed == [] and again.reuse is not None
    assert_consistent(db)


def test_moved_file_is_rekeyed_without_being_read_again(seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "rok.db"
    ingest([seeds], db, extractor=PARAGRAPHS)
    before = counts(db)
    elsewhere = tmp_path / "archive"
    elsewhere.mkdir()
    # The crashing extractor fails on "crash" files: had it been read again, the file would fail.
    moved = (seeds / ACTION_PLAN).rename(elsewhere / "crash_plan.txt")
    report = ingest([elsewhere], db, extractor=CRASHING)
    assert [(o.status, o.reason) for o in report.outcomes] == \
        [(Status.MOVED, f"moved from {(seeds / ACTION_PLAN).resolve()}")]
    assert counts(db) == before
    assert prune(db).removed == []  # nothing is missing any more
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM documents WHERE path = ?",
                            (str(moved.resolve()),)).fetchone()[0] == 1
    # A copy whose original is still there stays a skipped copy, as before.
    shutil.copy(moved, tmp_path / "copy.txt")
    copy = ingest([tmp_path / "copy.txt"], db, extractor=CRASHING)
    assert copy.outcomes[0].status is Status.SKIPPED


def test_ingest_notes_stored_documents_missing_under_its_folders(seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "rok.db"
    ingest([seeds], db, extractor=PARAGRAPHS)
    assert ingest([seeds], db, extractor=PARAGRAPHS).missing == []
    (seeds / ACTION_PLAN).unlink()
    report = ingest([seeds], db, extractor=PARAGRAPHS)
    assert report.missing == [str((seeds / ACTION_PLAN).resolve())] and report.skipped == 4
    assert ingest([seeds / "000_7d7dd3b94a00e6f5.txt"], db, extractor=PARAGRAPHS).missing == []  # files only


def test_files_that_cannot_be_checked_are_kept(seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An unreadable folder or a flaky mount is not "deleted": only a definite "no such file" is.
    db = tmp_path / "rok.db"
    ingest([seeds], db, extractor=PARAGRAPHS)
    for f in seeds.glob("*.txt"):
        f.unlink()
    real_stat, folder = os.stat, str(seeds.resolve())

    def denied(path: str, *args: object, **kwargs: object) -> os.stat_result:
        if str(path).startswith(folder):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", denied)
    report = prune(db)
    assert report.removed == [] and len(report.unchecked) == 5
    assert report.unchecked[0].endswith(": Permission denied")
    monkeypatch.undo()
    assert counts(db)["documents"] == 5 and len(prune(db).removed) == 5


def test_cli_prune(seeds: Path, tmp_path: Path) -> None:
    def rok(*args: str) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k != "ROK_EXTRACTOR"}  # the real extractor
        return subprocess.run([str(ROK), *args], capture_output=True, text=True, env=env, cwd=tmp_path,
                              timeout=120)

    assert rok("ingest", "seeds", "--db", "r.db").returncode == 0
    (seeds / ACTION_PLAN).unlink()
    noted = rok("ingest", "seeds", "--db", "r.db")
    assert noted.returncode == 0
    assert "note: 1 stored document(s) under seeds no longer on disk; `rok prune seeds` removes them" \
        in noted.stderr
    line = f"seeds/{ACTION_PLAN}  (Jämtlands län 2016, action_plan, "
    dry = rok("prune", "--db", "r.db", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith(f"would remove  {line}")
    assert "r.db: 1 of 5 stored document(s) no longer on disk; dry run, nothing removed" in dry.stdout
    done = rok("prune", "seeds", "--db", "r.db")
    assert done.returncode == 0 and done.stdout.startswith(f"removed  {line}")
    assert "r.db: 1 of 5 stored document(s) under seeds no longer on disk; 1 removed" in done.stdout
    assert "reuse clusters: " in done.stdout
    assert rok("prune", "--db", "r.db").stdout == "r.db: all 4 stored document(s) are on disk; nothing to remove\n"
    missing = rok("prune", "--db", "nothing.db")
    assert missing.returncode == 2 and "error: nothing.db: no store here" in missing.stderr
    assert not (tmp_path / "nothing.db").exists()
    with pytest.raises(StoreError):
        prune(tmp_path / "nothing.db")
