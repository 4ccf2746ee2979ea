"""Parallel ingest stores documents in the order the files were given, so ids (report pages, clause
anchors) are the same on every run."""

from __future__ import annotations

import sqlite3

from conftest import SEEDS

from rok_compare.store import ingest
from rok_compare.store.in_order import InOrder


def _ids(db) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT path FROM documents ORDER BY id")]


def test_parallel_ingest_numbers_documents_in_file_order(tmp_path):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    ingest([SEEDS], first, workers=2)
    ingest(sorted(SEEDS.glob("*.txt"), reverse=True), second, workers=2)
    names = [p.rsplit("/", 1)[-1] for p in _ids(first)]
    assert names == sorted(names)
    assert [p.rsplit("/", 1)[-1] for p in _ids(second)] == sorted(names, reverse=True)


def test_results_wait_for_earlier_files_but_not_without_bound():
    delivered: list[str] = []
    order = InOrder(["a", "b", "c", "d"], delivered.append, max_waiting=1)
    order("c", "c")
    assert delivered == []
    order("a", "a")
    assert delivered == ["a"]
    order("d", "d")  # two wait behind a slow "b": the bound hands them on
    assert delivered == ["a", "c", "d"]
    order("b", "b")
    order("x", "x")  # a key that was not given goes straight on
    assert delivered == ["a", "c", "d", "b", "x"]
