"""The check before a batch writes: whole for a small store, bounded for a large one, and damage still found."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rok_compare.store import Store, StoreError, ingest, integrity, write_agreement
from rok_compare.store.integrity import store_problem
from rok_compare.store.testing import make_agreement
from rok_compare.store.write import document_key

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"


def _filled(tmp_path: Path, documents: int = 60) -> Path:
    db = tmp_path / "s.db"
    with Store.open(db) as store:
        for i in range(documents):
            clauses = [f"Klausul {i}.{k} om samverkan kring nyanlända och etablering. " * 6 for k in range(8)]
            write_agreement(store, make_agreement(tmp_path / f"d{i}.txt", clauses))
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def _page_size(db: Path) -> int:
    return int.from_bytes(db.read_bytes()[16:18], "big")


def _leaf_pages(db: Path, table: str) -> list[int]:
    """The leaf pages of a table's b-tree, in key order (SQLite's ``dbstat`` walks it in order)."""
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path", (table,))]
    finally:
        conn.close()


def _trash(db: Path, pages: list[int]) -> None:
    size = _page_size(db)
    data = bytearray(db.read_bytes())
    for page in pages:
        start = (page - 1) * size
        data[start:start + size] = bytes((i * 7 + 13) % 256 for i in range(size))
    db.write_bytes(bytes(data))


def test_whole_store_passes_both_checks(tmp_path: Path) -> None:
    db = tmp_path / "seeds.db"
    report = ingest([SEEDS], db)
    assert report.added == 5 and report.failed == 0
    conn = sqlite3.connect(db)
    try:
        assert store_problem(conn, full_limit=0) is None  # the bounded check
        assert store_problem(conn, full_limit=1 << 40) is None  # SQLite's quick_check of every page
    finally:
        conn.close()


@pytest.mark.parametrize("where", ["after_schema", "last_clause_leaf", "meta"])
def test_bounded_check_finds_damage_where_a_batch_writes(tmp_path: Path, where: str) -> None:
    db = _filled(tmp_path)
    total = db.stat().st_size // _page_size(db)
    if where == "after_schema":  # everything but the first two pages, as in test_store's corrupt store
        pages = list(range(3, total + 1))
    elif where == "last_clause_leaf":  # the page the next clause goes to
        pages = _leaf_pages(db, "clauses")[-1:]
    else:
        pages = _leaf_pages(db, "meta")
    _trash(db, pages)
    conn = sqlite3.connect(db)
    try:
        assert store_problem(conn, full_limit=0) is not None
    finally:
        conn.close()


def test_ingest_refuses_a_large_damaged_store_and_leaves_it_unchanged(tmp_path: Path, monkeypatch) -> None:
    db = _filled(tmp_path)
    _trash(db, _leaf_pages(db, "clauses")[-1:])
    monkeypatch.setattr(integrity, "FULL_CHECK_BYTES", 0)  # every store is "large": the bounded check
    before = db.read_bytes()
    with pytest.raises(StoreError, match="corrupt"):
        ingest([SEEDS], db)
    assert db.read_bytes() == before


def _document_on_leaf(db: Path, leaf: int) -> str:
    """The path of a document with a clause stored on the ``leaf``-th leaf page of the clauses."""
    conn = sqlite3.connect(db)
    try:
        cells = [row[0] for row in conn.execute(
            "SELECT ncell FROM dbstat WHERE name = 'clauses' AND pagetype = 'leaf' ORDER BY path")]
        offset = sum(cells[:leaf])
        return conn.execute("SELECT d.path FROM documents d JOIN clauses c ON c.document_id = d.id "
                            "ORDER BY c.id LIMIT 1 OFFSET ?", (offset,)).fetchone()[0]
    finally:
        conn.close()


def test_a_write_through_a_damaged_page_fails_and_keeps_the_rest(tmp_path: Path, monkeypatch) -> None:
    """Damage the bounded check does not look at (a leaf in the middle of the clauses) stops the
    write that reaches it: the transaction rolls back and the other documents read as before."""
    db = _filled(tmp_path)
    leaves = _leaf_pages(db, "clauses")
    middle = len(leaves) // 2
    victim = _document_on_leaf(db, middle)
    with Store.open(db) as store:
        last = store.conn.execute("SELECT id, path FROM documents ORDER BY id DESC LIMIT 1").fetchone()
        kept = store.conn.execute("SELECT id, text FROM clauses WHERE document_id = ? ORDER BY id",
                                  (last[0],)).fetchall()
        count = store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    _trash(db, [leaves[middle]])
    monkeypatch.setattr(integrity, "FULL_CHECK_BYTES", 0)
    with Store.open(db, check=True) as store:  # the bounded check does not read that page
        with pytest.raises(sqlite3.DatabaseError):
            write_agreement(store, make_agreement(Path(victim), ["En ny version av avtalet. " * 4]),
                            document_key(Path(victim)))
        assert not store.conn.in_transaction
        assert store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == count
        assert store.conn.execute("SELECT id, text FROM clauses WHERE document_id = ? ORDER BY id",
                                  (last[0],)).fetchall() == kept
