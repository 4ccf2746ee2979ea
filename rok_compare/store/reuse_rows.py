"""Write the reuse cluster rows (``reuse_clusters``, ``cluster_members``, ``cluster_variants``) of the
components a change of the reuse index touched.

A component becomes a cluster when its clauses span two documents. Its representative wording is
the medoid of its wordings weighted by how often each occurs (:func:`rok_compare.align.reuse.medoid`,
over the most frequent ``MEDOID_SAMPLE``, which SQL picks), each member's score its ``ratio`` to it.
A component that only gained clauses keeps its cluster row: the new members are added and the
counts, the wordings (``reuse_wordings``, ``cluster_variants``) and the representative are brought
up to date from them alone, so a template copied into thousands of documents costs what the new
document adds. A component that merged or lost clauses keeps the row of its largest old cluster
and is counted again in SQL over that cluster; one that was split, or is new, is written from its
clauses.

Two counts of wordings are kept, and they differ on purpose: ``reuse_clusters.n_variants`` counts
the distinct exact texts of a cluster's members (the rows of ``reuse_wordings``), while
``cluster_variants`` has one row per distinct *normalised* text (``norm_hash``: case, punctuation,
masked place names), which is what search shows as "N wordings". Texts that differ only in what
normalisation removes are two in ``n_variants`` and one in ``cluster_variants`` (927 of the 7,478
clusters of the 1M-clause search store, all of them written by a full pass: neither the update
nor the store generator is wrong).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable

from rapidfuzz import fuzz

from rok_compare.align.reuse import MEDOID_SAMPLE, medoid
from rok_compare.store.reuse_graph import ComponentChange, Group
from rok_compare.store.reuse_index import IndexChange

_CHUNK = 500
Member = tuple[int, int, str]
"""(clause id, document id, text)."""
Lost = tuple[int, str, str]
"""A deleted member: (document id, text, norm_hash)."""


def _score(text: str, representative: str) -> float:
    return round(fuzz.ratio(text, representative) / 100, 4)


def write_rows(conn: sqlite3.Connection, change: IndexChange, stamp: str) -> list[int]:
    """Bring the cluster rows in step with ``change``; returns the ids of the clusters written."""
    conn.create_function("rok_reuse_score", 2, _score, deterministic=True)
    lost: dict[int, list[Lost]] = {}
    for cluster, document, text, norm in conn.execute(
            "SELECT cluster_id, document_id, text, norm_hash FROM reuse_lost"):
        lost.setdefault(cluster, []).append((document, text, norm))
    conn.execute("DELETE FROM reuse_lost")
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
        if rows:  # the clauses of the nodes that broke off leave the cluster
            broken = [n for old in group.old for n in components.detached.get(old, ())]
            lost.setdefault(rows[0][0], []).extend(_leave(conn, rows[0][0], _clauses_of(conn, broken)))
        if len(rows) == 1:
            cid = _update_members(conn, number, rows[0], fresh.get(number, []), _clauses_of(conn, group.loose),
                                  lost.get(rows[0][0], []), stamp)
            written += [cid] if cid else []
        elif rows:
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
    conn.executemany("INSERT INTO reuse_wordings(cluster_id, text, n) VALUES (?, ?, ?)",
                     [(cid, text, n) for text, n in wordings.items()])
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
    conn.execute("DELETE FROM reuse_wordings WHERE cluster_id = ?", (base,))
    conn.execute("INSERT INTO reuse_wordings(cluster_id, text, n) SELECT m.cluster_id, c.text, COUNT(*) "
                 "FROM cluster_members m JOIN clauses c ON c.id = m.clause_id WHERE m.cluster_id = ? "
                 "GROUP BY c.text", (base,))
    representative = _representative(conn, base)
    only_new = "" if representative != old_representative else " AND score IS NULL"
    conn.execute("UPDATE cluster_members SET score = (SELECT rok_reuse_score(c.text, ?) FROM clauses c "
                 f"WHERE c.id = clause_id) WHERE cluster_id = ?{only_new}", (representative, base))
    conn.execute("UPDATE reuse_clusters SET representative_text = ?, n_members = ?, n_documents = ?, n_variants = ?, "
                 "computed_at = ?, component = ? WHERE id = ?",
                 (representative, members, documents, variants, stamp, number, base))
    _variants(conn, base)
    return base


def _representative(conn: sqlite3.Connection, cluster: int) -> str:
    """The medoid of a cluster's most frequent wordings (as :func:`medoid` picks among them all)."""
    top = conn.execute("SELECT text, n FROM reuse_wordings WHERE cluster_id = ? ORDER BY n DESC, text LIMIT ?",
                       (cluster, MEDOID_SAMPLE)).fetchall()
    texts = [text for text, _ in top]
    return texts[medoid(texts, [n for _, n in top])]


def _leave(conn: sqlite3.Connection, cluster: int, clauses: list[int]) -> list[Lost]:
    """Take clauses out of a cluster; returns those that were in it."""
    out: list[Lost] = []
    for clause_id in clauses:
        if conn.execute("DELETE FROM cluster_members WHERE cluster_id = ? AND clause_id = ?",
                        (cluster, clause_id)).rowcount:
            out.append(conn.execute("SELECT document_id, text, norm_hash FROM clauses WHERE id = ?",
                                    (clause_id,)).fetchone())
    return out


def _clauses_of(conn: sqlite3.Connection, nodes: list[int]) -> list[int]:
    out: list[int] = []
    for start in range(0, len(nodes), _CHUNK):
        chunk = nodes[start:start + _CHUNK]
        out += [row[0] for row in conn.execute(
            f"SELECT clause_id FROM reuse_node_clauses WHERE node IN ({','.join('?' * len(chunk))})",  # noqa: S608
            chunk)]
    return out


def _update_members(conn: sqlite3.Connection, number: int, row: tuple[int, int, str], fresh: list[int],
                    loose: list[int], lost: list[Lost], stamp: str) -> int | None:
    """Bring a cluster that was not split, and merged with no other cluster, up to date from the
    clauses it gained (``fresh``: new clauses; ``loose``: those of components that were no cluster)
    and lost alone; returns its id (None: it no longer spans two documents)."""
    cid, _, old_representative = row
    ids = sorted(set(fresh) | set(loose))
    added: list[tuple[int, int, str, str]] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        added += conn.execute(f"SELECT id, document_id, text, norm_hash FROM clauses WHERE id IN "  # noqa: S608
                              f"({','.join('?' * len(chunk))})", chunk).fetchall()
    # INDEXED BY: start from the document's few clauses, not from the cluster's members (SQLite's
    # choice without statistics), which made every update cost the size of the largest cluster.
    new_documents = sum(1 for doc in {doc for _, doc, _, _ in added} if not conn.execute(
        "SELECT 1 FROM clauses c INDEXED BY clauses_document JOIN cluster_members m ON m.clause_id = c.id "
        "AND m.cluster_id = ? WHERE c.document_id = ? LIMIT 1", (cid, doc)).fetchone())
    wordings = _count_wordings(conn, cid, Counter(text for _, _, text, _ in added),
                               Counter(text for _, text, _ in lost))
    gone_documents = sum(1 for doc in {doc for doc, _, _ in lost} if not conn.execute(
        "SELECT 1 FROM clauses c INDEXED BY clauses_document JOIN cluster_members m ON m.clause_id = c.id "
        "AND m.cluster_id = ? WHERE c.document_id = ? LIMIT 1", (cid, doc)).fetchone())
    members, documents = conn.execute(
        "UPDATE reuse_clusters SET n_members = n_members + ?, n_documents = n_documents + ?, "
        "n_variants = n_variants + ?, computed_at = ?, component = ? WHERE id = ? RETURNING n_members, n_documents",
        (len(added) - len(lost), new_documents - gone_documents, wordings, stamp, number, cid)).fetchone()
    if documents < 2 or members == 0:
        conn.execute("DELETE FROM reuse_clusters WHERE id = ?", (cid,))
        return None
    representative = _representative(conn, cid)
    conn.executemany("INSERT INTO cluster_members(cluster_id, clause_id, score) VALUES (?, ?, ?)",
                     [(cid, clause_id, _score(text, representative)) for clause_id, _, text, _ in added])
    if representative != old_representative:
        conn.execute("UPDATE reuse_clusters SET representative_text = ? WHERE id = ?", (representative, cid))
        conn.execute("UPDATE cluster_members SET score = (SELECT rok_reuse_score(c.text, ?) FROM clauses c "
                     "WHERE c.id = clause_id) WHERE cluster_id = ?", (representative, cid))
    _count_variants(conn, cid, [(doc, text, norm) for _, doc, text, norm in added], lost)
    return cid


def _count_wordings(conn: sqlite3.Connection, cluster: int, gained: Counter[str], lost: Counter[str]) -> int:
    """Update a cluster's wording counts; returns how many more distinct wordings it has."""
    change = 0
    for text in set(gained) | set(lost):
        n = gained[text] - lost[text]
        if n and not conn.execute("UPDATE reuse_wordings SET n = n + ? WHERE cluster_id = ? AND text = ?",
                                  (n, cluster, text)).rowcount:
            conn.execute("INSERT INTO reuse_wordings(cluster_id, text, n) VALUES (?, ?, ?)", (cluster, text, n))
            change += 1
        elif lost[text]:
            change -= conn.execute("DELETE FROM reuse_wordings WHERE cluster_id = ? AND text = ? AND n <= 0",
                                   (cluster, text)).rowcount
    return change


def _count_variants(conn: sqlite3.Connection, cluster: int, added: list[Lost], lost: list[Lost]) -> None:
    """Update a cluster's wordings by normalised text (``cluster_variants``) from the members it
    gained and lost, after the fact: a document counts for a wording while a member of it has that
    wording (looked up by the clauses' document index)."""
    change: dict[str, list[list]] = {}
    for sign, items in ((1, added), (-1, lost)):
        for doc, text, norm in items:
            entry = change.setdefault(norm, [0, [], []])
            entry[0] += sign
            entry[1 if sign > 0 else 2].append((doc, text))
    for norm, (members, gained, gone) in change.items():
        documents = 0
        for doc in {d for d, _ in gained} | {d for d, _ in gone}:
            held = conn.execute("SELECT COUNT(*) FROM clauses c INDEXED BY clauses_document "
                                "JOIN cluster_members m ON m.clause_id = c.id "
                                "AND m.cluster_id = ? WHERE c.document_id = ? AND c.norm_hash = ?",
                                (cluster, doc, norm)).fetchone()[0]
            before = held - sum(1 for d, _ in gained if d == doc) + sum(1 for d, _ in gone if d == doc)
            documents += (held > 0) - (before > 0)
        first = min((text for _, text in gained), default=None)
        row = conn.execute("SELECT text, n_members FROM cluster_variants WHERE cluster_id = ? AND norm_hash = ?",
                           (cluster, norm)).fetchone()
        if row is None:
            conn.execute("INSERT INTO cluster_variants(cluster_id, norm_hash, text, n_documents, n_members) "
                         "VALUES (?, ?, ?, ?, ?)", (cluster, norm, first, documents, members))
            continue
        if row[1] + members <= 0:
            conn.execute("DELETE FROM cluster_variants WHERE cluster_id = ? AND norm_hash = ?", (cluster, norm))
            continue
        text = row[0]
        if any(t == text for _, t in gone) and not conn.execute(
                "SELECT 1 FROM reuse_wordings WHERE cluster_id = ? AND text = ?", (cluster, text)).fetchone():
            text = conn.execute("SELECT MIN(c.text) FROM clauses c JOIN cluster_members m ON m.clause_id = c.id "
                                "AND m.cluster_id = ? WHERE c.norm_hash = ?", (cluster, norm)).fetchone()[0]
        elif first is not None:
            text = min(text, first)
        conn.execute("UPDATE cluster_variants SET n_members = n_members + ?, n_documents = n_documents + ?, text = ? "
                     "WHERE cluster_id = ? AND norm_hash = ?", (members, documents, text, cluster, norm))


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
