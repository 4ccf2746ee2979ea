"""The store's incremental reuse clusters equal a full clustering of the same clauses.

Documents are written one at a time (each followed by the incremental update), some are replaced
or deleted, and after every step the stored clusters are compared with
:func:`rok_compare.align.reuse.cluster_clauses` over the store's clauses, and with a rebuild.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from rok_compare.align.corpus import load_documents
from rok_compare.align.lsh import MinHashLSH
from rok_compare.align.reuse import cluster_clauses
from rok_compare.cli import app
from rok_compare.store import Store, write_agreement
from rok_compare.store.reuse import recompute_reuse_clusters, reuse_due
from rok_compare.store.testing import make_agreement
from rok_compare.store.write import delete_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
DEV = ROOT.parent / "shared" / "corpus" / "dev"

Clusters = frozenset[frozenset[int]]


def stored(store: Store) -> Clusters:
    """The stored clusters as sets of clause ids."""
    groups: dict[int, set[int]] = {}
    for cluster, clause in store.conn.execute("SELECT cluster_id, clause_id FROM cluster_members"):
        groups.setdefault(cluster, set()).add(clause)
    return frozenset(frozenset(g) for g in groups.values())


def full(store: Store) -> Clusters:
    """The clusters ``cluster_clauses`` finds over every stored clause."""
    rows = store.conn.execute("SELECT id, document_id, text FROM clauses ORDER BY id").fetchall()
    labels = cluster_clauses([r[2] for r in rows], np.asarray([r[1] for r in rows])).labels
    groups: dict[int, set[int]] = {}
    for (clause, _, _), label in zip(rows, labels, strict=True):
        if label >= 0:
            groups.setdefault(int(label), set()).add(clause)
    return frozenset(frozenset(g) for g in groups.values())


def rows(store: Store) -> set:
    """Each stored cluster: its members with their scores, its counts, representative and wordings."""
    out = set()
    for cid, text, members, documents, variants in store.conn.execute(
            "SELECT id, representative_text, n_members, n_documents, n_variants FROM reuse_clusters"):
        scored = frozenset(store.conn.execute("SELECT clause_id, score FROM cluster_members WHERE cluster_id = ?",
                                              (cid,)).fetchall())
        wordings = frozenset(store.conn.execute("SELECT norm_hash, text, n_documents, n_members FROM cluster_variants "
                                                "WHERE cluster_id = ?", (cid,)).fetchall())
        counted = frozenset(store.conn.execute("SELECT text, n FROM reuse_wordings WHERE cluster_id = ?",
                                               (cid,)).fetchall())
        assert members == len(scored) and variants == len(counted)
        out.add((scored, text, members, documents, variants, wordings, counted))
    return out


def rebuilt_rows(store: Store, tmp_path: Path) -> set:
    """The cluster rows a full rebuild of a copy of the store writes."""
    copy = tmp_path / f"copy{len(list(tmp_path.glob('copy*')))}.db"
    with Store.open(copy) as target:
        store.conn.backup(target.conn)
    with Store.open(copy) as target:
        assert recompute_reuse_clusters(target, rebuild=True).full
        return rows(target)


def check(store: Store, tmp_path: Path | None = None) -> Clusters:
    """Update the clusters incrementally; they must be those of a full clustering (and, given
    ``tmp_path``, hold the rows a rebuild writes)."""
    summary = recompute_reuse_clusters(store)
    assert summary.method == "align" and not reuse_due(store)
    clusters = stored(store)
    assert clusters == full(store)
    if tmp_path is not None:
        assert rows(store) == rebuilt_rows(store, tmp_path)
    return clusters


def corpus_documents(*folders: Path) -> list[tuple[str, list[str]]]:
    documents = load_documents(sorted(p for f in folders for p in f.iterdir() if p.suffix != ".csv"), pytest.fail)
    return [(Path(d.path).name, [c.text for c in d.clauses]) for d in documents]


def test_one_document_at_a_time_equals_a_full_clustering_on_the_seeds(tmp_path: Path) -> None:
    documents = corpus_documents(SEEDS)
    with Store.open(tmp_path / "rok.db") as store:
        for name, clauses in documents:
            write_agreement(store, make_agreement(tmp_path / name, clauses))
            clusters = check(store, tmp_path)
        assert len(clusters) >= 9
        summary = recompute_reuse_clusters(store)  # nothing changed: nothing written again
        assert not summary.full and summary.updated == 0 and summary.clusters == len(clusters)
        # replace a document with an edited version, then delete two
        name, clauses = documents[0]
        write_agreement(store, make_agreement(tmp_path / name, [c.replace("ska", "skall") for c in clauses]))
        check(store, tmp_path)
        for name, _ in documents[1:3]:
            assert delete_document(store, str(tmp_path / name))
        after = check(store, tmp_path)
        assert after != clusters
        rebuilt = recompute_reuse_clusters(store, rebuild=True)
        assert rebuilt.full and stored(store) == after


@pytest.mark.skipif(not DEV.is_dir(), reason="../shared/corpus/dev is absent")
def test_one_document_at_a_time_equals_a_full_clustering_on_the_dev_set(tmp_path: Path) -> None:
    documents = corpus_documents(SEEDS, DEV)
    random.Random(3).shuffle(documents)
    with Store.open(tmp_path / "rok.db") as store:
        for name, clauses in documents:
            write_agreement(store, make_agreement(tmp_path / name, clauses))
            recompute_reuse_clusters(store)
        clusters = check(store)
        assert len(clusters) >= 26
        for name, _ in documents[::3]:
            delete_document(store, str(tmp_path / name))
            check(store)


def _templates(rng: random.Random, words: list[str], count: int) -> list[list[str]]:
    return [[rng.choice(words) for _ in range(14)] for _ in range(count)]


def test_large_buckets_chain_and_split_as_a_full_pass_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many edited copies of a few templates: buckets outgrow ``max_bucket`` (made small here), so
    members join and leave chains, pairs stop being candidates and clusters split."""
    small = MinHashLSH(max_bucket=4)
    monkeypatch.setattr("rok_compare.store.reuse_index.LSH", small)
    monkeypatch.setattr("rok_compare.align.reuse.MinHashLSH", lambda: small)
    rng = random.Random(11)
    words = [f"ordet{k}" for k in range(400)]
    names = []
    with Store.open(tmp_path / "rok.db") as store:
        for doc, clauses in enumerate(_edited_copies(rng, words, 40)):
            names.append(f"doc{doc}.txt")
            write_agreement(store, make_agreement(tmp_path / names[-1], clauses))
            check(store, tmp_path if doc % 5 == 4 else None)
        assert store.conn.execute("SELECT MAX(n) FROM (SELECT COUNT(*) n FROM reuse_bands "
                                  "GROUP BY band, key)").fetchone()[0] > small.max_bucket
        for k, name in enumerate(rng.sample(names, 25)):
            delete_document(store, str(tmp_path / name))
            check(store, tmp_path if k % 5 == 4 else None)


def test_rok_reuse_rebuild(tmp_path: Path) -> None:
    db = tmp_path / "rok.db"
    with Store.open(db) as store:
        for name, clauses in corpus_documents(SEEDS):
            write_agreement(store, make_agreement(tmp_path / name, clauses))
        recompute_reuse_clusters(store)
        before = stored(store)
        store.conn.execute("DELETE FROM reuse_edges")  # a damaged index: --rebuild makes it whole again
        store.conn.commit()
    result = CliRunner().invoke(app, ["reuse", "--db", str(db), "--rebuild", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "reuse index rebuilt" in result.stderr
    with Store.open(db, readonly=True) as store:
        assert stored(store) == before
    missing = CliRunner().invoke(app, ["reuse", str(SEEDS), "--rebuild", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and "--rebuild: no store at" in missing.stderr


def test_an_old_store_builds_its_index_at_the_next_clustering(tmp_path: Path) -> None:
    with Store.open(tmp_path / "rok.db") as store:
        for name, clauses in corpus_documents(SEEDS)[:3]:
            write_agreement(store, make_agreement(tmp_path / name, clauses))
        store.conn.execute("DELETE FROM meta WHERE key = 'reuse_index_upto'")  # as after the migration
        store.conn.commit()
        summary = recompute_reuse_clusters(store)
        assert summary.full and stored(store) == full(store)
        exact = recompute_reuse_clusters(store, method="exact")
        assert exact.method == "exact"
        again = recompute_reuse_clusters(store)  # the exact fallback dropped the index: built again
        assert again.full and stored(store) == full(store)


def test_deleting_the_bridge_splits_a_cluster(tmp_path: Path) -> None:
    """A ~ B and B ~ C but not A ~ C: one cluster while B is stored, two once its document goes."""
    a = ("Kommunen ska erbjuda alla nyanlända kvinnor och män samhällsorientering på modersmålet inom två "
         "månader efter ankomsten till länet.")
    b = ("Kommunen ska erbjuda alla nyanlända kvinnor och män samhällsorientering på svenska inom tre veckor "
         "efter beslutet om bosättning i regionen.")
    c = ("Kommunen ska erbjuda alla nyanlända ungdomar och barn samhällsinformation på svenska inom tre veckor "
         "efter beslutet om bosättning i regionen.")
    with Store.open(tmp_path / "rok.db") as store:
        for name, text in [("a1", a), ("a2", a), ("c1", c), ("c2", c), ("bridge", b)]:
            write_agreement(store, make_agreement(tmp_path / f"{name}.txt", [text, f"Egen klausul i {name}."]))
        assert len(check(store, tmp_path)) == 1
        delete_document(store, str(tmp_path / "bridge.txt"))
        assert len(check(store, tmp_path)) == 2
        write_agreement(store, make_agreement(tmp_path / "bridge.txt", [b]))
        assert len(check(store, tmp_path)) == 1


def _edited_copies(rng: random.Random, words: list[str], documents: int) -> list[list[str]]:
    """Per document, edited copies of a few templates and one clause of its own."""
    templates = _templates(rng, words, 6)
    out = []
    for _ in range(documents):
        clauses = []
        for template in templates:
            variant = list(template)
            for _ in range(rng.randrange(4)):
                variant[rng.randrange(len(variant))] = rng.choice(words)
            clauses.append(" ".join(variant))
        clauses.append(" ".join(rng.choice(words) for _ in range(12)))
        out.append(clauses)
    return out


def test_a_component_no_bounded_search_settles_is_connected_again_in_full(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The giant component case: when the bounded searches cannot tell whether a component that lost
    edges or nodes still holds together, it is connected again from all of its edges. Its largest
    part keeps its cluster row (updated by the clauses that leave, not written anew), and the
    clusters and their rows are still those of a full pass, through deletions that split it."""
    from rok_compare.store import reuse_graph

    calls = []

    def unsettled(conn, witnesses, limit=reuse_graph.SEARCH_LIMIT):
        calls.append(len(witnesses))
        return None

    monkeypatch.setattr(reuse_graph, "pieces", unsettled)
    small = MinHashLSH(max_bucket=4)
    monkeypatch.setattr("rok_compare.store.reuse_index.LSH", small)
    monkeypatch.setattr("rok_compare.align.reuse.MinHashLSH", lambda: small)
    rng = random.Random(5)
    words = [f"ordet{k}" for k in range(400)]
    names = [f"doc{doc}.txt" for doc in range(36)]
    with Store.open(tmp_path / "rok.db") as store:
        for name, clauses in zip(names, _edited_copies(rng, words, len(names)), strict=True):
            write_agreement(store, make_agreement(tmp_path / name, clauses))
            check(store, tmp_path if name.endswith(("9.txt", "5.txt")) else None)
        largest = store.conn.execute("SELECT id, n_members FROM reuse_clusters ORDER BY n_members DESC, id").fetchone()
        for k, name in enumerate(rng.sample(names, 24)):
            delete_document(store, str(tmp_path / name))
            check(store, tmp_path if k % 4 == 3 else None)
            if k == 0:  # the first deletion only takes the document's clauses out of the largest cluster
                kept = store.conn.execute("SELECT n_members FROM reuse_clusters WHERE id = ?", (largest[0],)).fetchone()
                assert kept is not None and kept[0] < largest[1]
    assert calls, "no component lost an edge or a node: the full path was not taken"
