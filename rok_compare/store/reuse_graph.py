"""Connected components of the reuse index after a change: merged by union-find where nodes and
edges were added, split again from the stored edges where some were removed.

A component is numbered by its smallest node id, so its number depends on its members alone and a
full rebuild numbers it the same way. A component that lost an edge or a node is split only when it
must be: the ends of each lost edge, and the neighbours of each lost node, are first looked for on
each other's side by a bounded two-way search over the stored edges (a template's copies are
linked many times over, so the search ends within a few steps); only a component where that fails
is connected again from all of its edges.
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


@dataclass(slots=True)
class ComponentChange:
    """The components a change touched: the old numbers, and the new components by number."""

    removed: set[int]
    groups: dict[int, Group]
    shrunk: set[int] = field(default_factory=set)
    """Old components that lost clauses (their clusters are counted again in full)."""


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


def still_whole(conn: sqlite3.Connection, lost_edges: list[tuple[int, int]], lost_neighbours: list[list[int]]) -> bool:
    """Whether a component stays connected: the ends of every lost edge, and the neighbours of every
    lost node, are still joined by stored edges."""
    checks = list(lost_edges) + [(ns[0], n) for ns in lost_neighbours for n in ns[1:]]
    return all(connected(conn, a, b) for a, b in checks)


def _first(conn: sqlite3.Connection, component: int) -> int | None:
    return conn.execute("SELECT MIN(id) FROM reuse_nodes WHERE component = ?", (component,)).fetchone()[0]


def connect(conn: sqlite3.Connection, old_component: dict[int, int], lost_edges: list[tuple[int, int]],
            lost_nodes: dict[int, list[int]], added: set[int], new_edges: list[tuple[int, int]]) -> ComponentChange:
    """Renumber the components touched by a change and return them.

    ``old_component``: the component each touched old node had before the change (lost nodes
    included); ``lost_edges``: edges removed between surviving nodes; ``lost_nodes``: nodes deleted
    (already gone from the tables), with their surviving neighbours; ``added``: new nodes;
    ``new_edges``: edges the change added.
    """
    affected = set(old_component.values())
    edges_of: dict[int, list[tuple[int, int]]] = {}
    for a, b in lost_edges:
        edges_of.setdefault(old_component[a], []).append((a, b))
    neighbours_of: dict[int, list[list[int]]] = {}
    for node, neighbours in lost_nodes.items():
        if len(neighbours) > 1:
            neighbours_of.setdefault(old_component[node], []).append(neighbours)
    splitting = {c for c in set(edges_of) | set(neighbours_of)
                 if not still_whole(conn, edges_of.get(c, []), neighbours_of.get(c, []))}
    forest = _UnionFind()
    split_nodes: set[int] = set()
    for component in splitting:
        split_nodes.update(row[0] for row in conn.execute("SELECT id FROM reuse_nodes WHERE component = ?",
                                                          (component,)))
    for node in split_nodes | added:
        forest.find(("n", node))
    firsts: dict[int, int] = {}
    for component in affected - splitting:
        first = _first(conn, component)
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
                if value != number:
                    conn.execute("UPDATE reuse_nodes SET component = ? WHERE component = ?", (number, value))
            else:
                group.split = group.split or value in split_nodes
        conn.executemany("UPDATE reuse_nodes SET component = ? WHERE id = ? AND component != ?",
                         [(number, value, number) for kind, value in units if kind == "n"])
    return ComponentChange(removed=affected, groups=groups)
