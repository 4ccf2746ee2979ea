"""The search vocabulary after documents are added (issue 15, the first search on a big store):
brought up to date from the earlier state with the added clauses' words, it equals the vocabulary
read from the whole word index; a store that lost clauses is read whole again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rok_compare.search import search, vocab, vocab_growth
from rok_compare.store import Store, ingest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))


def _from_the_index(db: Path) -> tuple[dict[str, int], int, int]:
    with Store.open(db, readonly=True) as store:
        rows = store.conn.execute("SELECT term, doc, cnt FROM clauses_vocab").fetchall()
        clauses = store.conn.execute("SELECT COUNT(*) FROM clauses").fetchone()[0]
    return {t: d for t, d, _ in rows}, clauses, sum(c for _, _, c in rows)


def _words(db: Path) -> vocab.StoreWords:
    with Store.open(db, readonly=True) as store:
        return vocab.store_words(store.conn, str(store.path))


@pytest.fixture
def grown_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(vocab_growth, "GROWTH_SHARE", 1.0)  # the seeds grow by more than a tenth
    monkeypatch.setattr(vocab, "_cache", {})
    monkeypatch.setenv("ROK_SEARCH_CACHE", "")
    db = tmp_path / "rok.db"
    ingest(SEEDS[:3], db, workers=1)
    return db


def _spied(monkeypatch: pytest.MonkeyPatch) -> list:
    """What each bringing up to date returned (None: the vocabulary was read whole)."""
    results: list = []
    monkeypatch.setattr(vocab, "grown", lambda *a: results.append(vocab_growth.grown(*a)) or results[-1])
    return results


def test_added_documents_update_the_vocabulary_as_a_full_read(grown_store: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    before = _words(grown_store)
    ingest(SEEDS[3:], grown_store, workers=1)
    results = _spied(monkeypatch)
    after = _words(grown_store)
    counts, clauses, tokens = _from_the_index(grown_store)
    assert results and results[0] is not None  # brought up to date, not read whole
    assert len(after.counts) > len(before.counts) and after.clauses > before.clauses
    assert (after.counts, after.clauses, after.tokens) == (counts, clauses, tokens)
    assert list(after.counts) == list(counts)  # the word index's order too
    assert search(grown_store, "nyanlända")


def test_a_store_that_lost_clauses_is_read_whole(grown_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _words(grown_store)
    with Store.open(grown_store) as store, store.transaction() as conn:
        conn.execute("DELETE FROM clauses WHERE id = (SELECT MIN(id) FROM clauses)")
    ingest(SEEDS[3:], grown_store, workers=1)
    with Store.open(grown_store, readonly=True) as store:
        earlier = vocab._earlier((str(store.path), vocab._inode(str(store.path)), 10**9, 10**9))
        assert earlier is not None and vocab_growth.grown(store.conn, *earlier) is None
    after = _words(grown_store)
    assert (after.counts, after.clauses, after.tokens) == _from_the_index(grown_store)


def test_the_cache_folder_carries_the_earlier_state_to_the_next_process(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocab_growth, "GROWTH_SHARE", 1.0)
    monkeypatch.setattr(vocab, "FILE_CACHE_CLAUSES", 0)
    monkeypatch.setattr(vocab, "_cache", {})
    folder = tmp_path / "cache"
    monkeypatch.setenv("ROK_SEARCH_CACHE", str(folder))
    db = tmp_path / "rok.db"
    ingest(SEEDS[:3], db, workers=1)
    _words(db)
    first = sorted(p.name for p in folder.iterdir())
    ingest(SEEDS[3:], db, workers=1)
    vocab._cache.clear()  # a new process: only the cache folder knows the earlier state
    results = _spied(monkeypatch)
    after = _words(db)
    assert results and results[0] is not None
    assert (after.counts, after.clauses, after.tokens) == _from_the_index(db)
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 2 and files != first  # the latest state's vocabulary and its pointer
    shutil.rmtree(folder)
