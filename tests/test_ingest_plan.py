"""How a batch decides per file (skip, move, same content, extract) with the store asked one file at a time."""

from __future__ import annotations

import shutil
from pathlib import Path

from rok_compare.store import Store, ingest
from rok_compare.store.ingest import Status
from rok_compare.store.write import document_key

SEEDS = sorted((Path(__file__).resolve().parents[1] / "corpus" / "seeds").glob("*.txt"))


def _reasons(report) -> dict[str, tuple[Status, str | None]]:
    return {Path(o.path).name: (o.status, o.reason) for o in report.outcomes}


def test_plan_skips_moves_and_names_the_stored_holder(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copyfile(SEEDS[0], folder / "a.txt")
    shutil.copyfile(SEEDS[1], folder / "b.txt")
    shutil.copyfile(SEEDS[2], folder / "d.txt")
    db = tmp_path / "s.db"
    first = ingest([folder], db)
    assert first.added == 3, [o.reason for o in first.outcomes]
    # b.txt now holds a.txt's content; c.txt is a third copy of it.
    (folder / "b.txt").write_bytes(SEEDS[0].read_bytes())
    shutil.copyfile(SEEDS[0], folder / "c.txt")
    second = ingest([folder], db)
    reasons = _reasons(second)
    assert reasons["a.txt"] == (Status.SKIPPED, "unchanged")
    assert reasons["b.txt"][0] is Status.UPDATED
    # The copy is named after the document the store held that content under, not the one just updated.
    assert reasons["c.txt"] == (Status.SKIPPED, f"same content as {document_key(folder / 'a.txt')}")
    # A stored file moved to a new name is re-keyed, not read again.
    (folder / "d.txt").rename(folder / "e.txt")
    third = _reasons(ingest([folder / "e.txt"], db))
    assert third["e.txt"] == (Status.MOVED, f"moved from {document_key(folder / 'd.txt')}")
    with Store.open(db) as store:
        paths = sorted(Path(p).name for (p,) in store.conn.execute("SELECT path FROM documents"))
    assert paths == ["a.txt", "b.txt", "e.txt"]
