"""Write the reuse cluster rows (``reuse_clusters``, ``cluster_members``, ``cluster_variants``) of the
components a change of the reuse index touched.

A component becomes a cluster when its clauses span two documents. Its representative wording is
the medoid of its wordings weighted by how often each occurs (:func:`rok_compare.align.reuse.medoid`,
over the most frequent ``MEDOID_SAMPLE``, which SQL picks), each member's score its ``ratio`` to it.
A component that only grew or merged keeps the row of its largest old cluster: the new members are
added and the counts, representative and wordings brought up to date, in SQL over that cluster
only. A component that was split, or that is new, is written from its clauses.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from rapidfuzz import fuzz

from rok_compare.align.reuse import MEDOID_SAMPLE, medoid
from rok_compare.store.reuse_graph import ComponentChange, Group
from rok_compare.store.reuse_index import IndexChange

_CHUNK = 500
Member = tuple[int, int, str]
"""(clause id, document id, text)."""


def _score(text: str, representative: str) -> float:
    return round(fuzz.ratio(text, representative) / 100, 4)


def write_rows(conn: sqlite3.Connection, change: IndexChange, stamp: str) -> list[int]:
    """Bring the cluster rows in step with ``change``; returns the ids of the clusters written."""
    conn.create_function("rok_reuse_score", 2, _score, deterministic=True)
    if change.full:
        conn.execute("DELETE FROM reuse_clusters")
        return [cid for number, members in _all_members(conn) if (cid := _write(conn, number, members, stamp))]
    components = change.change
    fresh: dict[int, list[int]] = {}
    for component, clause_id in conn.execute(
            "SELECT n.component, r.clause_id FROM reuse_node_clauses r JOIN reuse_nodes n ON n.id = r.node "
            "WHERE r.clause_id > ?", (change.upto,)):
        fresh.setdefault(component, []).append(clause_id)
    written, anew = [], []
    for number, group in sorted(components.groups.items()):
        rows = [] if group.split else _old_rows(conn, group)
        if rows:
            cid = _grow(conn, number, group, rows, fresh.get(number, []), stamp)
            written += [cid] if cid else []
        else:
            anew.append(number)
    _drop_stale(conn, components, set(written))
    for number in anew:
        if cid := _write(conn, number, _members(conn, number), stamp):
            written.append(cid)
    return written


def _all_members(conn: sqlite3.Connection) -> Iterable[tuple[int, list[Member]]]:
    """Every component with its clauses, component by component."""
    current, members = None, []
    for component, clause_id, doc_id, text in conn.execute(
            "SELECT n.component, r.clause_id, r.document_id, c.text FROM reuse_node_clauses r "
            "JOIN reuse_nodes n ON n.id = r.node JOIN clauses c ON c.id = r.clause_id ORDER BY n.component"):
        if component != current:
            if members:
                yield current, members
            current, members = component, []
        members.append((clause_id, doc_id, text))
    if members:
        yield current, members


def _members(conn: sqlite3.Connection, component: int) -> list[Member]:
    return conn.execute("SELECT r.clause_id, r.document_id, c.text FROM reuse_nodes n "
                        "JOIN reuse_node_clauses r ON r.node = n.id JOIN clauses c ON c.id = r.clause_id "
                        "WHERE n.component = ?", (component,)).fetchall()


def _write(conn: sqlite3.Connection, component: int, members: list[Member], stamp: str) -> int | None:
    """Write a component's cluster from its clauses, if they span two documents; returns its id."""
    documents = len({doc for _, doc, _ in members})
    if documents < 2:
        return None
    wordings: dict[str, int] = {}
    for _, _, text in members:
        wordings[text] = wordings.get(text, 0) + 1
    distinct = sorted(wordings)
    representative = distinct[medoid(distinct, [wordings[t] for t in distinct])]
    cid = conn.execute(
        "INSERT INTO reuse_clusters(method, representative_text, n_members, n_documents, n_variants, computed_at, "
        "component) VALUES ('align', ?, ?, ?, ?, ?, ?)",
        (representative, len(members), documents, len(distinct), stamp, component)).lastrowid
    assert cid is not None
    scores = {text: _score(text, representative) for text in distinct}
    conn.executemany("INSERT INTO cluster_members(cluster_id, clause_id, score) VALUES (?, ?, ?)",
                     [(cid, clause_id, scores[text]) for clause_id, _, text in members])
    _variants(conn, cid)
    return cid


def _old_rows(conn: sqlite3.Connection, group: Group) -> list[tuple[int, int, str]]:
    """The clusters of the old components a group holds, largest first."""
    old = sorted(group.old)
    rows: list[tuple[int, int, str]] = []
    for start in range(0, len(old), _CHUNK):
        chunk = old[start:start + _CHUNK]
        rows += conn.execute("SELECT id, component, representative_text FROM reuse_clusters "
                             f"WHERE component IN ({','.join('?' * len(chunk))})", chunk).fetchall()  # noqa: S608
    sizes = {cid: conn.execute("SELECT n_members FROM reuse_clusters WHERE id = ?", (cid,)).fetchone()[0]
             for cid, _, _ in rows}
    return sorted(rows, key=lambda row: (-sizes[row[0]], row[0]))


def _grow(conn: sqlite3.Connection, number: int, group: Group, rows: list[tuple[int, int, str]],
          fresh: list[int], stamp: str) -> int | None:
    """Update the largest old cluster of a component that grew, merged or lost members but was not
    split; returns its id (None: it no longer spans two documents)."""
    base, _, old_representative = rows[0]
    for other, _, _ in rows[1:]:
        conn.execute("UPDATE cluster_members SET cluster_id = ? WHERE cluster_id = ?", (base, other))
        conn.execute("DELETE FROM reuse_clusters WHERE id = ?", (other,))
    if len(rows) < len(group.old):  # a component that was no cluster joins: all of its clauses
        conn.execute("INSERT OR IGNORE INTO cluster_members(cluster_id, clause_id, score) SELECT ?, r.clause_id, NULL "
                     "FROM reuse_nodes n JOIN reuse_node_clauses r ON r.node = n.id WHERE n.component = ?",
                     (base, number))
    else:
        conn.executemany("INSERT OR IGNORE INTO cluster_members(cluster_id, clause_id, score) VALUES (?, ?, NULL)",
                         [(base, clause_id) for clause_id in fresh])
    members, documents, variants = conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT c.document_id), COUNT(DISTINCT c.text) FROM cluster_members m "
        "JOIN clauses c ON c.id = m.clause_id WHERE m.cluster_id = ?", (base,)).fetchone()
    if documents < 2:
        conn.execute("DELETE FROM reuse_clusters WHERE id = ?", (base,))
        return None
    top = conn.execute("SELECT c.text, COUNT(*) AS n FROM cluster_members m JOIN clauses c ON c.id = m.clause_id "
                       "WHERE m.cluster_id = ? GROUP BY c.text ORDER BY n DESC, c.text LIMIT ?",
                       (base, MEDOID_SAMPLE)).fetchall()
    texts = [text for text, _ in top]
    representative = texts[medoid(texts, [n for _, n in top])]
    only_new = "" if representative != old_representative else " AND score IS NULL"
    conn.execute("UPDATE cluster_members SET score = (SELECT rok_reuse_score(c.text, ?) FROM clauses c "
                 f"WHERE c.id = clause_id) WHERE cluster_id = ?{only_new}", (representative, base))
    conn.execute("UPDATE reuse_clusters SET representative_text = ?, n_members = ?, n_documents = ?, n_variants = ?, "
                 "computed_at = ?, component = ? WHERE id = ?",
                 (representative, members, documents, variants, stamp, number, base))
    _variants(conn, base)
    return base


def _drop_stale(conn: sqlite3.Connection, change: ComponentChange, kept: set[int]) -> None:
    """Delete the clusters of the touched old components that were not carried over."""
    old = sorted(change.removed | set(change.groups))
    for start in range(0, len(old), _CHUNK):
        chunk = old[start:start + _CHUNK]
        ids = [row[0] for row in conn.execute(
            f"SELECT id FROM reuse_clusters WHERE component IN ({','.join('?' * len(chunk))})",  # noqa: S608
            chunk) if row[0] not in kept]
        conn.executemany("DELETE FROM reuse_clusters WHERE id = ?", [(cid,) for cid in ids])


def _variants(conn: sqlite3.Connection, cluster: int) -> None:
    """A cluster's distinct wordings (by normalised text) with their document counts (search shows them)."""
    conn.execute("DELETE FROM cluster_variants WHERE cluster_id = ?", (cluster,))
    conn.execute(
        "INSERT INTO cluster_variants(cluster_id, norm_hash, text, n_documents, n_members) "
        "SELECT m.cluster_id, c.norm_hash, MIN(c.text), COUNT(DISTINCT c.document_id), COUNT(*) "
        "FROM cluster_members m JOIN clauses c ON c.id = m.clause_id WHERE m.cluster_id = ? "
        "GROUP BY m.cluster_id, c.norm_hash", (cluster,))
