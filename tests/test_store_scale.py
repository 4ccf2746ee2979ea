"""Per-document store work does not grow with the store: counted in SQLite VM steps, not timed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rok_compare.store import Store, write_agreement
from rok_compare.store.testing import make_agreement
from rok_compare.store.write import delete_document, document_key


def _store(tmp_path: Path, documents: int) -> Path:
    tmp_path.mkdir()
    db = tmp_path / f"s{documents}.db"
    with Store.open(db) as store:
        for i in range(documents):
            clauses = [f"Klausul {i}.{k}: parterna ska samverka kring nyanländas etablering." for k in range(12)]
            agreement = make_agreement(tmp_path / f"d{i}.txt", clauses)
            # Several sections per document, as extracted ones have.
            sectioned = [replace(clause, section=f"Avsnitt {k % 4}") for k, clause in enumerate(agreement.clauses)]
            write_agreement(store, replace(agreement, clauses=sectioned))
    return db


def _steps(db: Path, action) -> int:
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    with Store.open(db) as store:
        store.conn.set_progress_handler(count, 10)
        action(store)
    return steps[0]


def test_deleting_a_document_costs_the_same_in_a_ten_times_larger_store(tmp_path: Path) -> None:
    small, large = _store(tmp_path / "a", 20), _store(tmp_path / "b", 200)
    with Store.open(small) as store:
        sections = store.conn.execute("SELECT COUNT(DISTINCT section_id) FROM clauses WHERE document_id = 1")
        assert sections.fetchone()[0] == 4
    key_small = document_key(tmp_path / "a" / "d3.txt")
    key_large = document_key(tmp_path / "b" / "d3.txt")
    cost_small = _steps(small, lambda store: delete_document(store, key_small))
    cost_large = _steps(large, lambda store: delete_document(store, key_large))
    assert cost_small > 0
    # A scan of the clauses per deleted section (the foreign key without an index) made it ~10x.
    assert cost_large < 2 * cost_small, (cost_small, cost_large)
