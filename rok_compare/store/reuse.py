"""Keep the store's reuse clusters (the same clause in several documents) up to date after a batch.

The clustering is :func:`rok_compare.align.reuse.cluster_clauses`, the same function with the same
parameters as ``rok reuse`` and ``rok similarity`` (normalised stems, MinHash LSH candidates,
rapidfuzz verification: exact copies and edited ones alike), so the store's clusters and theirs
agree for the same clauses. It is kept incrementally (:mod:`rok_compare.store.reuse_index`): a
batch updates the clusters its clauses touch, with the result a full pass would give, and only the
first clustering of a store (or ``rok reuse --rebuild``) clusters every clause. If the align
package is missing or fails, the store falls back to grouping clauses whose normalised text is
identical in at least two documents (``method = 'exact'``), so an ingest never fails for want of
clusters; the index is then built again by the next clustering.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass

from rok_compare.store.database import Store
from rok_compare.store.write import now

MIN_CHARS = 20
"""Shorter clauses (headings, party names alone) are not counted as reuse: the exact fallback's copy
of :data:`rok_compare.align.reuse.MIN_CHARS` (the fallback runs when that package cannot)."""
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReuseSummary:
    method: str
    """``align`` (copies and edits) or ``exact`` (identical normalised text only)."""
    clusters: int
    clauses: int
    note: str | None = None
    """Why the fallback was used, when it was."""
    full: bool = True
    """Every clause clustered again (a first clustering, ``--rebuild``, the fallback), or only the
    clusters a change touched."""
    updated: int = 0
    """Clusters written (the others were left as they were)."""


def recompute_reuse_clusters(store: Store, method: str = "align", rebuild: bool = False) -> ReuseSummary:
    """Bring the reuse clusters up to date with the clauses, in one transaction: incrementally from
    the changes since the last clustering, or over the whole corpus when ``rebuild`` is set or the
    store has no reuse index yet."""
    if method == "align":
        try:
            return _align_clusters(store, rebuild)
        except Exception as error:  # the store stays usable; say why clusters are exact-only
            note = f"align clustering unavailable ({type(error).__name__}: {error})"
            log.warning(note)
            summary = _exact_clusters(store)
            return ReuseSummary(summary.method, summary.clusters, summary.clauses, note, True, summary.updated)
    return _exact_clusters(store)


def _align_clusters(store: Store, rebuild: bool) -> ReuseSummary:
    from rok_compare.store import reuse_index
    from rok_compare.store.reuse_rows import write_rows

    stamp = now()
    with store.transaction() as conn:
        if rebuild or not reuse_index.index_ready(conn):
            change = reuse_index.rebuild_index(conn)
        else:
            change = reuse_index.update_index(conn)
        written = write_rows(conn, change, stamp)
        _clear_due(conn)
        clusters, clauses = conn.execute("SELECT COUNT(*), COALESCE(SUM(n_members), 0) FROM reuse_clusters").fetchone()
    return ReuseSummary("align", clusters, clauses, full=change.full, updated=len(written))


def _labelled_clauses(store: Store):
    """Ids, document ids, texts and cluster labels (-1: none) of every stored clause, clustered by
    :func:`rok_compare.align.reuse.cluster_clauses` (as ``rok reuse`` clusters them)."""
    import numpy as np

    from rok_compare.align.reuse import cluster_clauses

    rows = store.conn.execute(
        "SELECT c.id, c.document_id, c.text FROM clauses c JOIN documents d ON d.id = c.document_id "
        "ORDER BY d.path, c.ord, c.id").fetchall()
    ids = [row[0] for row in rows]
    texts = [row[2] for row in rows]
    doc_ids = np.asarray([row[1] for row in rows], dtype=np.int64)
    return ids, doc_ids, texts, cluster_clauses(texts, doc_ids).labels


def stored_clause_labels(store: Store) -> list[tuple[int, int]]:
    """(document id, cluster label) of every clustered clause, computed as ingest would compute the
    clusters but without writing them (for a read-only store whose clusters are out of date)."""
    _, doc_ids, _, labels = _labelled_clauses(store)
    return [(int(d), int(label)) for d, label in zip(doc_ids, labels, strict=True) if label >= 0]


def _exact_clusters(store: Store) -> ReuseSummary:
    """Clusters of clauses with identical normalised text in two or more documents."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM reuse_clusters")
        groups = conn.execute(
            "SELECT norm_hash, COUNT(*), COUNT(DISTINCT document_id), COUNT(DISTINCT text), "
            "MIN(id) FROM clauses WHERE length(text) >= ? GROUP BY norm_hash "
            "HAVING COUNT(DISTINCT document_id) >= 2", (MIN_CHARS,)).fetchall()
        members = 0
        stamp = now()
        for norm, n_members, n_docs, n_variants, first_id in groups:
            text = conn.execute("SELECT text FROM clauses WHERE id = ?", (first_id,)).fetchone()[0]
            cur = conn.execute(
                "INSERT INTO reuse_clusters(method, representative_text, n_members, n_documents, n_variants, "
                "computed_at) VALUES ('exact', ?, ?, ?, ?, ?)", (text, n_members, n_docs, n_variants, stamp))
            conn.execute("INSERT INTO cluster_members(cluster_id, clause_id, score) "
                         "SELECT ?, id, 1.0 FROM clauses WHERE norm_hash = ? AND length(text) >= ?",
                         (cur.lastrowid, norm, MIN_CHARS))
            members += n_members
        _fill_variants(conn)
        _clear_due(conn)
        # The clusters have no components: the next align clustering builds the index again.
        conn.execute("DELETE FROM meta WHERE key = 'reuse_index_upto'")
    return ReuseSummary("exact", len(groups), members, updated=len(groups))


def reuse_due(store: Store) -> bool:
    """Whether the reuse clusters must be recomputed: documents were written or deleted since (the
    mark is set in the same transaction), or, in a store from before the mark, clusters lost members."""
    conn = store.conn
    row = conn.execute("SELECT value FROM meta WHERE key = 'reuse_due'").fetchone()
    if row is not None:
        return row[0] == "1"
    return bool(conn.execute(
        "SELECT EXISTS (SELECT 1 FROM reuse_clusters r WHERE r.n_members != "
        "(SELECT COUNT(*) FROM cluster_members m WHERE m.cluster_id = r.id)) OR "
        "(SELECT MAX(ingested_at) FROM documents) > (SELECT MAX(computed_at) FROM reuse_clusters)").fetchone()[0])


def _clear_due(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES ('reuse_due', '0') ON CONFLICT(key) DO UPDATE SET value = '0'")


def _fill_variants(conn: sqlite3.Connection) -> None:
    """Per cluster, its distinct wordings with their document counts (search shows them)."""
    conn.execute(
        "INSERT INTO cluster_variants(cluster_id, norm_hash, text, n_documents, n_members) "
        "SELECT m.cluster_id, c.norm_hash, MIN(c.text), COUNT(DISTINCT c.document_id), COUNT(*) "
        "FROM cluster_members m JOIN clauses c ON c.id = m.clause_id GROUP BY m.cluster_id, c.norm_hash")
