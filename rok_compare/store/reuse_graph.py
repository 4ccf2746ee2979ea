"""Connected components of the reuse index after a change: merged by union-find where nodes and
edges were added, split again from the stored edges where some were removed.

A component is numbered by its smallest node id, so its number depends on its members alone and a
full rebuild numbers it the same way. A component that lost an edge or a node is split only when it
must be: the ends of each lost edge, and the neighbours of each lost node, are first looked for on
each other's side by a bounded two-way search over the stored edges (a template's copies are
linked many times over, so the search ends within a few steps). Only a component where that fails
is connected again from all of its edges, with ``scipy.sparse.csgraph`` (one query for the edges,
the components in C): its largest part keeps the component's cluster row, and the parts that broke
off (if any) are handled as those a search finds, so the cluster is updated by the clauses that
leave it instead of being written anew.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

_CHUNK = 500
SEARCH_LIMIT = 2000
"""Nodes a search for a lost connection visits before the component is connected again in full."""
Unit = tuple[str, int]
"""("c", component): a whole old component, still connected; ("n", node): one node."""


@dataclass(slots=True)
class Group:
    """A component after the change: the old components it holds whole, and whether some of its
    nodes come from a component that was split (its cluster is then written anew)."""

    old: set[int] = field(default_factory=set)
    split: bool = False
    loose: list[int] = field(default_factory=list)
    """The nodes of the old components it holds that were no cluster (their clauses join one)."""


@dataclass(slots=True)
class ComponentChange:
    """The components a change touched: the old numbers, and the new components by number."""

    removed: set[int]
    groups: dict[int, Group]
    shrunk: set[int] = field(default_factory=set)
    """Old components that lost clauses."""
    detached: dict[int, set[int]] = field(default_factory=dict)
    """Nodes that broke off an old component that otherwise held together (its cluster loses them)."""


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Unit, Unit] = {}

    def find(self, unit: Unit) -> Unit:
        root = self.parent.setdefault(unit, unit)
        while root != self.parent[root]:
            root = self.parent[root]
        while unit != root:  # path compression
            self.parent[unit], unit = root, self.parent[unit]
        return root

    def union(self, a: Unit, b: Unit) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _in_chunks(conn: sqlite3.Connection, sql: str, values: list[int]) -> Iterable[tuple]:
    for start in range(0, len(values), _CHUNK):
        chunk = values[start:start + _CHUNK]
        yield from conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk)


def _neighbours(conn: sqlite3.Connection, node: int) -> list[int]:
    return [row[0] for row in conn.execute("SELECT b FROM reuse_edges WHERE a = ?", (node,))]


def connected(conn: sqlite3.Connection, a: int, b: int, limit: int = SEARCH_LIMIT) -> bool | None:
    """Whether a path of stored edges joins ``a`` and ``b`` (None: not found within ``limit`` nodes)."""
    if a == b:
        return True
    seen = [{a}, {b}]
    frontier = [[a], [b]]
    while frontier[0] and frontier[1]:
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        grown = []
        for node in frontier[side]:
            for other in _neighbours(conn, node):
                if other in seen[1 - side]:
                    return True
                if other not in seen[side]:
                    seen[side].add(other)
                    grown.append(other)
        frontier[side] = grown
        if len(seen[0]) + len(seen[1]) > limit:
            return None
    return False


def _search(conn: sqlite3.Connection, start: int, settled: set[int], limit: int) -> tuple[set[int], str]:
    """Breadth-first from ``start`` over stored edges: "joined" when it meets a ``settled`` node,
    "whole" when it runs out of nodes (it then holds a whole component), "far" past ``limit`` nodes."""
    seen, frontier = {start}, [start]
    while frontier:
        grown = []
        for node in frontier:
            for other in _neighbours(conn, node):
                if other in settled:
                    return seen, "joined"
                if other not in seen:
                    seen.add(other)
                    grown.append(other)
        frontier = grown
        if len(seen) > limit:
            return seen, "far"
    return seen, "whole"


FIRST = 64
"""Nodes the search from the first witness reaches before it counts as the part that holds together."""


def pieces(conn: sqlite3.Connection, witnesses: set[int], limit: int = SEARCH_LIMIT) -> list[set[int]] | None:
    """The parts that break off a component which lost edges or nodes, or None when that is not
    found out within ``limit`` nodes a search (the component is then connected again in full).

    ``witnesses``: the ends of its lost edges and the surviving neighbours of its lost nodes; every
    other node reaches one of them over intact edges. Searches from the witnesses grow a *settled*
    part that holds together; a search that runs out of nodes before meeting it has found a part
    that broke off whole. When every witness is settled or broken off, the rest of the component
    holds together.
    """
    broken: list[set[int]] = []
    settled: set[int] = set()
    anchor: int | None = None
    for start in sorted(witnesses):
        if start in settled or any(start in piece for piece in broken):
            continue
        seen, outcome = _search(conn, start, settled, FIRST if anchor is None else limit)
        if outcome == "whole":
            broken.append(seen)
        elif outcome == "joined" or anchor is None:
            anchor = start if anchor is None else anchor
            settled |= seen
        elif connected(conn, start, anchor, limit) is True:
            settled |= seen
        else:
            return None
    return broken


def broken_off(conn: sqlite3.Connection, component: int) -> set[int]:
    """The nodes of a component that no longer hang together with its largest part (ties: the part
    with the smallest node), from all of its stored edges: what a bounded search could not settle."""
    import numpy as np
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    nodes = np.fromiter((row[0] for row in conn.execute(
        "SELECT id FROM reuse_nodes WHERE component = ? ORDER BY id", (component,))), dtype=np.int64)
    if len(nodes) < 2:
        return set()
    # Each edge once (it is stored both ways), its two ends packed in one integer: a third less CPU.
    packed = np.array(conn.execute(
        "SELECT e.a * 4294967296 + e.b FROM reuse_nodes n JOIN reuse_edges e ON e.a = n.id "
        "WHERE n.component = ? AND e.b > e.a", (component,)).fetchall(), dtype=np.int64).reshape(-1)
    ends = np.stack([packed >> 32, packed & 0xFFFFFFFF], axis=1)
    where = np.searchsorted(nodes, ends)  # edges to nodes outside it (new ones) do not hold it together
    inside = (where < len(nodes)) & (nodes[np.minimum(where, len(nodes) - 1)] == ends)
    keep = inside.all(axis=1)
    graph = sparse.coo_matrix((np.ones(int(keep.sum()), np.int8), (where[keep, 0], where[keep, 1])),
                              shape=(len(nodes), len(nodes)))
    count, labels = connected_components(graph, directed=False)
    if count == 1:
        return set()
    sizes = np.bincount(labels, minlength=count)
    main = int(np.flatnonzero(sizes == sizes.max())[0])  # labels run in node order: the smallest node first
    return set(nodes[labels != main].tolist())


def _first(conn: sqlite3.Connection, component: int, without: set[int]) -> int | None:
    """The smallest node of a component, ``without`` some of its nodes."""
    for (node,) in conn.execute("SELECT id FROM reuse_nodes WHERE component = ? ORDER BY id", (component,)):
        if node not in without:
            return node
    return None


def connect(conn: sqlite3.Connection, old_component: dict[int, int], lost_edges: list[tuple[int, int]],
            lost_nodes: dict[int, list[int]], added: set[int], new_edges: list[tuple[int, int]],
            clustered: set[int]) -> ComponentChange:
    """Renumber the components touched by a change and return them.

    ``old_component``: the component each touched old node had before the change (lost nodes
    included); ``lost_edges``: edges removed between surviving nodes; ``lost_nodes``: nodes deleted
    (already gone from the tables), with their surviving neighbours; ``added``: new nodes;
    ``new_edges``: edges the change added; ``clustered``: the old components that are clusters.
    """
    affected = set(old_component.values())
    edges_of: dict[int, list[tuple[int, int]]] = {}
    for a, b in lost_edges:
        edges_of.setdefault(old_component[a], []).append((a, b))
    neighbours_of: dict[int, list[list[int]]] = {}
    for node, neighbours in lost_nodes.items():
        if len(neighbours) > 1:
            neighbours_of.setdefault(old_component[node], []).append(neighbours)
    detached: dict[int, set[int]] = {}
    for component in set(edges_of) | set(neighbours_of):
        witnesses = {n for edge in edges_of.get(component, []) for n in edge}
        witnesses.update(n for ns in neighbours_of.get(component, []) for n in ns)
        found = pieces(conn, witnesses)
        broken = {n for piece in found for n in piece} if found is not None else broken_off(conn, component)
        if broken:
            detached[component] = broken
    forest = _UnionFind()
    split_nodes: set[int] = set()
    for component, nodes in detached.items():  # the broken-off nodes of the component itself
        own = {node for node, value in _in_chunks(conn, "SELECT id, component FROM reuse_nodes WHERE id IN ({marks})",
                                                  sorted(nodes)) if value == component}
        detached[component] = own
        split_nodes |= own
    for node in split_nodes | added:
        forest.find(("n", node))
    firsts: dict[int, int] = {}
    for component in affected:
        first = _first(conn, component, detached.get(component, set()))
        if first is not None:  # a component whose nodes all went is no unit
            firsts[component] = first
            forest.find(("c", component))
    for a, b in _in_chunks(conn, "SELECT a, b FROM reuse_edges WHERE a IN ({marks})", sorted(split_nodes)):
        if b in split_nodes or b in added:
            forest.union(("n", a), ("n", b))

    def unit(node: int) -> Unit:
        return ("n", node) if node in added or node in split_nodes else ("c", old_component[node])

    for a, b in new_edges:
        forest.union(unit(a), unit(b))
    roots: dict[Unit, list[Unit]] = {}
    for member in list(forest.parent):
        roots.setdefault(forest.find(member), []).append(member)
    groups: dict[int, Group] = {}
    for units in roots.values():
        number = min(firsts[value] if kind == "c" else value for kind, value in units)
        group = groups[number] = Group()
        for kind, value in units:
            if kind == "c":
                group.old.add(value)
                if value not in clustered:
                    group.loose += [row[0] for row in conn.execute("SELECT id FROM reuse_nodes WHERE component = ?",
                                                                   (value,))]
                if value != number:
                    conn.execute("UPDATE reuse_nodes SET component = ? WHERE component = ?", (number, value))
                    conn.executemany("UPDATE reuse_nodes SET component = ? WHERE id = ?",  # they keep theirs
                                     [(value, n) for n in detached.get(value, ())])
            else:
                group.split = group.split or value in split_nodes
        conn.executemany("UPDATE reuse_nodes SET component = ? WHERE id = ? AND component != ?",
                         [(number, value, number) for kind, value in units if kind == "n"])
    return ComponentChange(removed=affected, groups=groups, detached=detached)
