"""The search's batched reads (issue 15, speed at a million clauses) find what one query per hit,
per wording and per clause found: a page's families read in a few queries, a sample's texts checked
and scored once per distinct text, word bases found by suffix look-up. Checked on the seed
documents, against the straightforward reads written out here."""

from __future__ import annotations

from pathlib import Path

import pytest

from rok_compare.search import search, swedish
from rok_compare.search.compile import plan_query, store_words
from rok_compare.search.families import MAX_OCCURRENCES, MAX_VARIANTS, families, occurrences
from rok_compare.search.query import parse_query
from rok_compare.search.verify import Scorer, matches, ranked_matches, tokens
from rok_compare.store import Store, ingest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seeds_reads") / "rok.db"
    ingest([SEEDS], db, workers=1)
    return db


def _one_by_one(conn, cluster_id: int | None, norm_hash: str) -> tuple[int, int, list[tuple[str, int, list[int]]]]:
    """A clause's family read as search read it before: one query per count, wording and wording's clauses."""
    def clauses_of(h: str) -> list[int]:
        rows = conn.execute("SELECT c.id, d.county_code, d.period_start FROM clauses c JOIN documents d "
                            "ON d.id = c.document_id WHERE c.norm_hash = ? ORDER BY c.id LIMIT ?", (h, MAX_OCCURRENCES))
        return [r[0] for r in sorted(rows, key=lambda r: (r[1] or "~", r[2] or 0, r[0]))]

    if cluster_id:
        n_documents = conn.execute("SELECT n_documents FROM reuse_clusters WHERE id = ?", (cluster_id,)).fetchone()[0]
        n_variants = conn.execute("SELECT COUNT(*) FROM cluster_variants WHERE cluster_id = ?",
                                  (cluster_id,)).fetchone()[0]
        rows = conn.execute("SELECT norm_hash, text, n_documents FROM cluster_variants WHERE cluster_id = ? "
                            "ORDER BY n_documents DESC, n_members DESC, norm_hash LIMIT ?", (cluster_id, MAX_VARIANTS))
        return n_documents, n_variants, [(t, n, clauses_of(h)) for h, t, n in rows]
    n_documents = conn.execute("SELECT COUNT(DISTINCT document_id) FROM clauses WHERE norm_hash = ?",
                               (norm_hash,)).fetchone()[0]
    text = conn.execute("SELECT text FROM clauses WHERE norm_hash = ? LIMIT 1", (norm_hash,)).fetchone()[0]
    return n_documents, 1, [(text, n_documents, clauses_of(norm_hash))]


def test_a_pages_families_read_together_equal_those_read_one_by_one(seeds_db: Path) -> None:
    with Store.open(seeds_db, readonly=True) as store:
        conn = store.conn
        rows = conn.execute("SELECT c.id, m.cluster_id, c.norm_hash, c.text FROM clauses c LEFT JOIN cluster_members m "
                            "ON m.clause_id = c.id ORDER BY m.cluster_id IS NULL, c.id LIMIT 300").fetchall()
        assert any(r[1] for r in rows) and any(r[1] is None for r in rows)
        read = families(conn, [(cluster, norm, text) for _, cluster, norm, text in rows])
        for (_, cluster, norm, text), fam in zip(rows, read, strict=True):
            n_documents, n_variants, variants = _one_by_one(conn, cluster, norm)
            assert (fam.n_documents, fam.n_variants) == (n_documents, n_variants)
            got = [(v.text, v.n_documents, [o.clause_id for o in v.occurrences]) for v in fam.variants]
            if cluster is None:  # the clause's own text names the wording
                variants = [(text, *rest) for _, *rest in variants]
            assert got == variants
        where = occurrences(conn, [r[0] for r in rows])
        for clause_id, *_ in rows:
            label = conn.execute("SELECT d.county_name, s.heading FROM clauses c JOIN documents d "
                                 "ON d.id = c.document_id LEFT JOIN sections s ON s.id = c.section_id "
                                 "WHERE c.id = ?", (clause_id,)).fetchone()
            assert (where[clause_id].county, where[clause_id].section) == label
            assert where[clause_id].anchor.endswith(f"#clause-{clause_id}")


@pytest.mark.parametrize("query", ["nyanlända", "kommun*", '"ensamkommande barn"', "skola OR bostad",
                                   "samverkan -kommun"])
def test_copies_scored_once_rank_as_every_clause_scored_alone(seeds_db: Path, query: str) -> None:
    with Store.open(seeds_db, readonly=True) as store:
        words = store_words(store.conn, str(store.path))
        plan = plan_query(parse_query(query), lambda: words)
        rows = store.conn.execute("SELECT id, text FROM clauses").fetchall()
    assert plan.root is not None
    texts = [text for _, text in rows]
    assert len(set(texts)) < len(texts)  # the seeds have copies
    scorer = Scorer(plan, words)
    alone = sorted((-Scorer(plan, words).score(tokens(text)), id_) for id_, text in rows
                   if matches(plan.root, tokens(text), set(tokens(text)), plan))
    assert alone and ranked_matches(plan, scorer, rows) == alone


def test_word_bases_by_suffix_equal_every_ending_tried() -> None:
    data = swedish.word_data()

    def every_ending_tried(word: str) -> frozenset[str]:
        if word in data.stopwords or swedish._DIGIT.search(word):
            return frozenset({word})
        found = {word} | {word[:-len(e)] for e in data.endings
                          if word.endswith(e) and swedish._ending_fits(word[:-len(e)], e)}
        for base in list(found):
            found |= {base[:-len(p)] + s for s, p in data.umlaut if base.endswith(p)}
        return frozenset(found)

    words = [*data.lexicon, *data.endings, "bostäderna", "städer", "länder", "er", "s"]
    assert len(words) > 1000
    assert [w for w in words if swedish.bases(w) != every_ending_tried(w)] == []


def test_search_hits_keep_their_families_on_the_seeds(seeds_db: Path) -> None:
    hits = search(seeds_db, "nyanlända", limit=50)
    with Store.open(seeds_db, readonly=True) as store:
        for hit in hits:
            norm = store.conn.execute("SELECT norm_hash FROM clauses WHERE id = ?", (hit.clause_id,)).fetchone()[0]
            n_documents, n_variants, variants = _one_by_one(store.conn, hit.cluster_id, norm)
            assert (hit.n_documents, hit.n_variants) == (n_documents, n_variants)
            assert [[o.clause_id for o in v.occurrences] for v in hit.variants] == [v[2] for v in variants]
