"""The store's reuse index: the clustering of :func:`rok_compare.align.reuse.cluster_clauses`, kept
up to date one change at a time instead of recomputed over the whole store.

A *node* is a distinct normalised text (stems) of the clauses that count for reuse (``MIN_CHARS``
characters or more, some stems). Because a node's MinHash signature depends on its own text alone
(:mod:`rok_compare.align.lsh`), its 32 LSH band keys are stored (``reuse_bands``), and so are the
verified pairs (``reuse_edges``, both ways) and each node's connected component (numbered by its
smallest node id). A change then costs what it touches:

* new clauses (ids above the watermark ``meta.reuse_index_upto``; clause ids never come back) join
  the node of their stems, or make a new node, whose buckets give its candidates;
* deleted clauses are noted by a trigger (``reuse_dirty``); a node left with no clause goes, with
  its band keys and edges;
* a bucket that gains or loses members changes its candidate pairs: all pairs up to
  ``max_bucket`` members, a chain in tie order beyond, exactly as :meth:`MinHashLSH.candidates`
  makes them (:mod:`rok_compare.store.reuse_buckets`). New candidates are verified; a chain pair
  no longer made by any bucket loses its edge;
* components that gained an edge or a node merge (union-find); components that lost one are
  split again where no other path joins them (:mod:`rok_compare.store.reuse_graph`).

The result equals a full clustering of the same clauses: the same candidates, verified by the
same test, give the same edges and so the same components (tests/test_reuse_incremental.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from rok_compare.align.lsh import MinHashLSH, term_sets, tie_hashes
from rok_compare.align.normalize import normalize_many
from rok_compare.align.reuse import MIN_CHARS, verify_pairs
from rok_compare.store.reuse_buckets import BucketChanges, Nodes, sql_ties
from rok_compare.store.reuse_graph import ComponentChange, Group, connect

LSH = MinHashLSH()
UPTO = "reuse_index_upto"
"""The meta key of the watermark: the index holds every clause with an id up to it."""
_CHUNK = 500


@dataclass(slots=True)
class IndexChange:
    """What an update did: the components whose cluster rows must be written again."""

    change: ComponentChange
    upto: int = 0
    """The watermark before the update: the clauses above it are new."""
    clauses: int = 0
    nodes_added: int = 0
    nodes_removed: int = 0
    edges_added: int = 0
    edges_removed: int = 0
    full: bool = False


def index_ready(conn: sqlite3.Connection) -> bool:
    """Whether the index holds the store's clauses up to a watermark (else it must be rebuilt)."""
    return conn.execute("SELECT 1 FROM meta WHERE key = ?", (UPTO,)).fetchone() is not None


def _set_upto(conn: sqlite3.Connection, upto: int) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                 (UPTO, str(upto)))


def _stems(texts: Sequence[str]) -> list[str]:
    return [n.stems for n in normalize_many(list(texts), False)]


def rebuild_index(conn: sqlite3.Connection) -> IndexChange:
    """Build the index over every stored clause, from nothing (in the caller's transaction)."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    for table in ("reuse_nodes", "reuse_node_clauses", "reuse_bands", "reuse_edges", "reuse_dirty"):
        conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
    rows = conn.execute("SELECT id, document_id, text FROM clauses ORDER BY id").fetchall()
    counted = [row for row in rows if len(row[2]) >= MIN_CHARS]
    stems = _stems([row[2] for row in counted])
    unique = sorted({s for s in stems if s})
    node_of = {s: k + 1 for k, s in enumerate(unique)}  # node ids in stems order, from 1
    sets = term_sets(unique)
    signatures = LSH.signatures(sets)
    keys = LSH.band_keys(signatures)
    filled = np.flatnonzero(sets.filled())
    ties = sql_ties(unique)
    pairs = LSH.candidates(sets, tie_hashes(unique)) if len(unique) > 1 else np.zeros((0, 2), np.int64)
    keep = verify_pairs([unique[i] for i in pairs[:, 0]], [unique[j] for j in pairs[:, 1]])
    edges = pairs[keep]
    graph = sparse.coo_matrix((np.ones(len(edges), np.int8), (edges[:, 0], edges[:, 1])),
                              shape=(len(unique), len(unique)))
    _, labels = connected_components(graph, directed=False)
    first = np.full(labels.max() + 1 if len(labels) else 0, np.iinfo(np.int64).max, np.int64)
    np.minimum.at(first, labels, np.arange(1, len(unique) + 1))
    component = first[labels] if len(labels) else labels
    conn.executemany("INSERT INTO reuse_nodes(id, stems, component) VALUES (?, ?, ?)",
                     zip(range(1, len(unique) + 1), unique, component.tolist(), strict=True))
    conn.executemany("INSERT INTO reuse_node_clauses(clause_id, node, document_id) VALUES (?, ?, ?)",
                     [(cid, node_of[s], doc) for (cid, doc, _), s in zip(counted, stems, strict=True) if s])
    conn.executemany("INSERT INTO reuse_bands(band, key, tie, node) VALUES (?, ?, ?, ?)",
                     ((band, int(keys[k, band]), ties[k], int(k) + 1) for k in filled for band in range(LSH.bands)))
    ends = (edges + 1).tolist()
    conn.executemany("INSERT INTO reuse_edges(a, b) VALUES (?, ?)", ((a, b) for a, b in ends))
    conn.executemany("INSERT INTO reuse_edges(a, b) VALUES (?, ?)", ((b, a) for a, b in ends))
    _set_upto(conn, max((row[0] for row in rows), default=0))
    change = ComponentChange(removed=set(), groups={int(c): Group(split=True) for c in np.unique(component)})
    return IndexChange(change, 0, len(counted), len(unique), 0, len(edges), 0, full=True)


def update_index(conn: sqlite3.Connection) -> IndexChange:
    """Bring the index up to date with the clauses added and deleted since it was last updated."""
    upto = int(conn.execute("SELECT value FROM meta WHERE key = ?", (UPTO,)).fetchone()[0])
    new = conn.execute("SELECT id, document_id, text FROM clauses WHERE id > ? ORDER BY id", (upto,)).fetchall()
    dirty = [row[0] for row in conn.execute("SELECT node FROM reuse_dirty")]
    conn.execute("DELETE FROM reuse_dirty")
    nodes = Nodes(conn, LSH)
    touched: set[int] = set()
    added = _add_clauses(conn, new, nodes, touched)
    removed = _orphans(conn, dirty, nodes, touched)
    old_component = _components(conn, touched | set(removed))
    lost, candidates = BucketChanges(conn, nodes).run(added, removed)
    gone_edges = _drop_lost_edges(conn, lost)
    lost_nodes = _drop_nodes(conn, nodes, removed)
    _insert_bands(conn, nodes, added)
    new_edges = _verify_new(conn, nodes, candidates, set(added))
    ends = {n for edge in gone_edges + new_edges for n in edge} | {n for ns in lost_nodes.values() for n in ns}
    old_component.update(_components(conn, ends - set(added) - set(old_component)))
    clustered = _clustered(conn, set(old_component.values()))
    change = connect(conn, old_component, gone_edges, lost_nodes, set(added), new_edges, clustered)
    change.shrunk = {old_component[n] for n in dirty if n in old_component}
    if new:
        _set_upto(conn, max(upto, new[-1][0]))
    return IndexChange(change, upto, len(new), len(added), len(removed), len(new_edges), len(gone_edges))


def _clustered(conn: sqlite3.Connection, components: set[int]) -> set[int]:
    """Which of ``components`` are reuse clusters."""
    values = sorted(components)
    out: set[int] = set()
    for start in range(0, len(values), _CHUNK):
        chunk = values[start:start + _CHUNK]
        out.update(row[0] for row in conn.execute(
            f"SELECT component FROM reuse_clusters WHERE component IN ({','.join('?' * len(chunk))})",  # noqa: S608
            chunk))
    return out


def _add_clauses(conn: sqlite3.Connection, rows: list[tuple[int, int, str]], nodes: Nodes,
                 touched: set[int]) -> list[int]:
    """Index new clauses; returns the nodes they created (the nodes they joined go to ``touched``)."""
    counted = [row for row in rows if len(row[2]) >= MIN_CHARS]
    stems = _stems([row[2] for row in counted])
    node_of: dict[str, int] = {}
    created = []
    for text in sorted({s for s in stems if s}):
        row = conn.execute("SELECT id FROM reuse_nodes WHERE stems = ?", (text,)).fetchone()
        if row is not None:
            node_of[text] = row[0]
            touched.add(row[0])
            continue
        node = conn.execute("INSERT INTO reuse_nodes(stems, component) VALUES (?, 0)", (text,)).lastrowid
        assert node is not None
        conn.execute("UPDATE reuse_nodes SET component = id WHERE id = ?", (node,))
        node_of[text] = node
        nodes.stems[node] = text
        created.append(node)
    conn.executemany("INSERT INTO reuse_node_clauses(clause_id, node, document_id) VALUES (?, ?, ?)",
                     [(cid, node_of[s], doc) for (cid, doc, _), s in zip(counted, stems, strict=True) if s])
    nodes.sign(created)
    return created


def _orphans(conn: sqlite3.Connection, dirty: list[int], nodes: Nodes, touched: set[int]) -> list[int]:
    """The dirty nodes left with no clause (to remove); the others go to ``touched``."""
    removed = []
    for node in dirty:
        if conn.execute("SELECT 1 FROM reuse_node_clauses WHERE node = ? LIMIT 1", (node,)).fetchone():
            touched.add(node)
        elif conn.execute("SELECT 1 FROM reuse_nodes WHERE id = ?", (node,)).fetchone():
            removed.append(node)
    nodes.load(removed)
    return removed


def _components(conn: sqlite3.Connection, members: Iterable[int]) -> dict[int, int]:
    """The current component of each node."""
    members = list(members)
    out: dict[int, int] = {}
    for start in range(0, len(members), _CHUNK):
        chunk = members[start:start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        out.update(conn.execute(f"SELECT id, component FROM reuse_nodes WHERE id IN ({marks})",  # noqa: S608
                                chunk).fetchall())
    return out


def _drop_lost_edges(conn: sqlite3.Connection, lost: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Delete the edges of pairs that are no candidates any more; returns those that were edges."""
    gone = []
    for a, b in sorted(lost):
        if conn.execute("DELETE FROM reuse_edges WHERE (a = ? AND b = ?) OR (a = ? AND b = ?)",
                        (a, b, b, a)).rowcount:
            gone.append((a, b))
    return gone


def _drop_nodes(conn: sqlite3.Connection, nodes: Nodes, removed: list[int]) -> dict[int, list[int]]:
    """Delete removed nodes with their band keys and edges; returns their surviving neighbours."""
    gone = set(removed)
    neighbours: dict[int, list[int]] = {}
    for node in removed:
        every = [row[0] for row in conn.execute("SELECT b FROM reuse_edges WHERE a = ?", (node,))]
        neighbours[node] = sorted(n for n in every if n not in gone)
        conn.execute("DELETE FROM reuse_edges WHERE a = ?", (node,))
        conn.executemany("DELETE FROM reuse_edges WHERE a = ? AND b = ?", [(n, node) for n in every])
        keys = nodes.keys.get(node)
        if keys is not None:
            conn.executemany("DELETE FROM reuse_bands WHERE band = ? AND key = ? AND tie = ? AND node = ?",
                             [(band, int(keys[band]), nodes.ties[node], node) for band in range(LSH.bands)])
        conn.execute("DELETE FROM reuse_nodes WHERE id = ?", (node,))
    return neighbours


def _insert_bands(conn: sqlite3.Connection, nodes: Nodes, added: list[int]) -> None:
    rows = []
    for node in added:
        keys = nodes.keys.get(node)
        if keys is not None:
            rows.extend((band, int(keys[band]), nodes.ties[node], node) for band in range(LSH.bands))
    conn.executemany("INSERT INTO reuse_bands(band, key, tie, node) VALUES (?, ?, ?, ?)", rows)


def _verify_new(conn: sqlite3.Connection, nodes: Nodes, candidates: set[tuple[int, int]],
                added: set[int]) -> list[tuple[int, int]]:
    """Verify new candidate pairs; store and return those that are new edges.

    A pair with a node ``added`` by this update is a new edge if it verifies (such a node has no
    stored edge yet): those are inserted in one sorted pass. A pair of older nodes (relinked in a
    bucket's chain) may be an edge already."""
    pairs = sorted(candidates)
    nodes.load((n for p in pairs for n in p), sign=False)
    keep = verify_pairs([nodes.stems[a] for a, _ in pairs], [nodes.stems[b] for _, b in pairs])
    verified = [pair for pair, ok in zip(pairs, keep.tolist(), strict=True) if ok]
    new_edges = [(a, b) for a, b in verified if a in added or b in added]
    conn.executemany("INSERT INTO reuse_edges(a, b) VALUES (?, ?)",
                     sorted(new_edges + [(b, a) for a, b in new_edges]))
    for a, b in verified:
        if a not in added and b not in added and conn.execute(
                "INSERT OR IGNORE INTO reuse_edges(a, b) VALUES (?, ?)", (a, b)).rowcount:
            conn.execute("INSERT OR IGNORE INTO reuse_edges(a, b) VALUES (?, ?)", (b, a))
            new_edges.append((a, b))
    return new_edges
