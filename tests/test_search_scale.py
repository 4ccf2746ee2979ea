"""Search in a large store (issue 15): a query matching very many clauses ranks a sample of its
matches checked against the whole query in Python, counts its clauses up to a cap, and a listing
reads document by document. These paths are forced here on the seed documents (small budgets), so
that what they find can be compared with the exact path on the same store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from rok_compare.cli import app
from rok_compare.search import candidates, count_hits, search
from rok_compare.search.compile import plan_query, store_words
from rok_compare.search.filters import Filters, split_conditions
from rok_compare.search.query import parse_query
from rok_compare.search.verify import matches, tokens
from rok_compare.store import Store, ingest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
ALL = 10_000
QUERIES = ["bostad", "nyanlända", "skola OR bostad", "samverkan -kommun", '"ensamkommande barn"', "kommun*",
           "(mottagande OR bosättning) nyanlända", "hälsa", "arbete -(skola OR utbildning)", "barn -ensamkommande",
           "integration", "län"]
runner = CliRunner()


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seeds_scale") / "rok.db"
    ingest([SEEDS], db, workers=1)
    return db


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every query takes the large-store path, with a sample bigger than the seeds' matches."""
    monkeypatch.setattr(candidates, "EXACT_BUDGET", 0)
    monkeypatch.setattr(candidates, "SAMPLE", ALL)
    monkeypatch.setattr(candidates, "SAMPLE_FILTERED", ALL)


def ids(hits: list) -> list[int]:
    return [h.clause_id for h in hits]


@pytest.mark.parametrize("query", QUERIES)
def test_python_check_agrees_with_the_word_index(seeds_db: Path, query: str) -> None:
    with Store.open(seeds_db, readonly=True) as store:
        words = store_words(store.conn, str(store.path))
        plan = plan_query(parse_query(query), lambda: words)
        assert plan.include and plan.root is not None
        by_index = {r[0] for r in store.conn.execute("SELECT rowid FROM clauses_fts WHERE clauses_fts MATCH ?",
                                                     (plan.include,))}
        checked = set()
        for id_, text in store.conn.execute("SELECT id, text FROM clauses"):
            found = tokens(text)
            if matches(plan.root, found, set(found), plan):
                checked.add(id_)
    assert by_index and checked == by_index


@pytest.mark.parametrize("query", QUERIES)
def test_sampled_ranking_finds_and_orders_what_the_exact_path_does(seeds_db: Path, query: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    exact = search(seeds_db, query, limit=ALL)
    monkeypatch.setattr(candidates, "EXACT_BUDGET", 0)
    monkeypatch.setattr(candidates, "SAMPLE", ALL)
    sampled = search(seeds_db, query, limit=ALL)
    assert exact and set(ids(sampled)) <= {c for h in exact for c in _family_ids(seeds_db, h)}
    assert len(sampled) == len(exact)  # one hit per family, every family
    assert [h.text for h in sampled[:5]] == [h.text for h in exact[:5]]  # the same bm25, the same best


def _family_ids(db: Path, hit) -> set[int]:
    """The clauses of a hit's family (the sample may pick another clause of the same family)."""
    with Store.open(db, readonly=True) as store:
        if hit.cluster_id:
            rows = store.conn.execute("SELECT clause_id FROM cluster_members WHERE cluster_id = ?", (hit.cluster_id,))
        else:
            rows = store.conn.execute("SELECT id FROM clauses WHERE norm_hash = (SELECT norm_hash FROM clauses "
                                      "WHERE id = ?)", (hit.clause_id,))
        return {r[0] for r in rows}


def test_a_small_sample_still_returns_matching_hits(seeds_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    everything = {c for h in search(seeds_db, "nyanlända", limit=ALL) for c in _family_ids(seeds_db, h)}
    monkeypatch.setattr(candidates, "EXACT_BUDGET", 0)
    monkeypatch.setattr(candidates, "SAMPLE", 30)
    hits = search(seeds_db, "nyanlända", limit=5)
    assert len(hits) == 5 and set(ids(hits)) <= everything
    newest = max(everything)
    assert any(h.clause_id > newest - 200 for h in hits)  # drawn from the most recently stored matches


def test_filtered_sample_keeps_to_the_filters(seeds_db: Path, large: None) -> None:
    hits = search(seeds_db, "nyanlända", county="Jämtland", kind="commitment", limit=ALL)
    assert hits and all(h.occurrence.county == "Jämtlands län" and h.kind == "commitment" for h in hits)


def test_large_counts_are_clause_counts_up_to_a_cap(seeds_db: Path, large: None,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(seeds_db, readonly=True) as store:
        plan = plan_query(parse_query("nyanlända"), lambda: store_words(store.conn, str(store.path)))
        clauses = store.conn.execute("SELECT COUNT(*) FROM clauses_fts WHERE clauses_fts MATCH ?",
                                     (plan.include,)).fetchone()[0]
    total = count_hits(seeds_db, "nyanlända")
    assert (total.n, total.families, total.more) == (clauses, False, False)
    monkeypatch.setattr(candidates, "COUNT_CAP", 3)
    assert (count_hits(seeds_db, "nyanlända").n, count_hits(seeds_db, "nyanlända").more) == (3, True)
    filtered = count_hits(seeds_db, "nyanlända", county="Jämtland")
    assert filtered.more and filtered.n <= 4 and not filtered.families
    result = runner.invoke(app, ["search", "nyanlända", "--db", str(seeds_db), "--limit", "2"])
    assert result.exit_code == 0 and "of more than 3 matching clauses (copies counted apart)" in result.stdout


@pytest.mark.parametrize("filters", [{"county": "Jämtland", "kind": "commitment"}, {"year": "2008-2016"},
                                     {"doc_type": "action_plan"}, {"theme": "health"}, {"county": "Norrbotten"}])
@pytest.mark.parametrize("query", ["", "-samverkan"])
def test_listing_document_by_document_equals_the_sql_listing(seeds_db: Path, filters: dict, query: str) -> None:
    from rok_compare.search.filters import year_range

    with Store.open(seeds_db, readonly=True) as store:
        plan = plan_query(parse_query(query), lambda: store_words(store.conn, str(store.path)))
        chosen = Filters(filters.get("county"), filters.get("kind"), filters.get("theme"), None,
                         year_range(filters.get("year")), filters.get("doc_type"))
        split = split_conditions(store.conn, chosen)
        assert split is not None
        where = " AND ".join(s for s in (split[0][0], split[1][0]) if s != "1") or "1", split[0][1] + split[1][1]
        streamed = candidates.listed(store.conn, plan, where, split, ALL)
        in_sql = candidates._listed_in_sql(store.conn, plan, where, ALL)
    assert streamed and [c.id for c in streamed] == [c.id for c in in_sql]


def test_vocabulary_is_kept_in_a_cache_file_for_the_next_process(seeds_db: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from rok_compare.search import vocab

    monkeypatch.setenv("ROK_SEARCH_CACHE", str(tmp_path))
    monkeypatch.setattr(vocab, "FILE_CACHE_CLAUSES", 1)
    vocab._cache.clear()
    with Store.open(seeds_db, readonly=True) as store:
        read = store_words(store.conn, str(store.path))
        files = list(tmp_path.glob("vocabulary-*.marshal"))
        assert len(files) == 1
        vocab._cache.clear()
        cached = store_words(store.conn, str(store.path))
        assert (cached.counts, cached.clauses, cached.tokens) == (read.counts, read.clauses, read.tokens)
        files[0].write_bytes(b"not a vocabulary")  # a damaged cache file: the index is read again
        vocab._cache.clear()
        assert store_words(store.conn, str(store.path)).counts == read.counts
    monkeypatch.setenv("ROK_SEARCH_CACHE", "")  # turned off: no file
    assert vocab._cache_file(("x", 1, 2, 3)) is None
    vocab._cache.clear()


def test_a_sample_of_copies_reads_on_until_the_page_is_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rok_compare.store import write_agreement
    from rok_compare.store.testing import make_agreement

    db = tmp_path / "copies.db"
    copied = ["Alla nyanlända ska erbjudas en hälsoundersökning inom fyra veckor.",
              "Regionen ansvarar för hälsoundersökning av nyanlända."]
    with Store.open(db) as store:
        for i in range(20):
            write_agreement(store, make_agreement(tmp_path / f"d{i}.txt", [*copied, f"Hälsoundersökning nummer {i} "
                                                                           f"genomförs i kommun {i}."]))
    everything = search(db, "hälsoundersökning", limit=ALL)
    assert len(everything) == 22  # two copied clauses and twenty unique ones
    monkeypatch.setattr(candidates, "EXACT_BUDGET", 0)
    monkeypatch.setattr(candidates, "FIRST_PASS", 1)
    monkeypatch.setattr(candidates, "SAMPLE", 6)  # the 15 newest matches hold 7 families: read on
    monkeypatch.setattr(candidates, "ranked", lambda *args: pytest.fail("ranked every match instead of reading on"))
    hits = search(db, "hälsoundersökning", limit=15)
    assert len(hits) == 15 and len({h.text for h in hits}) == 15
    assert {h.text for h in hits} <= {h.text for h in everything}
