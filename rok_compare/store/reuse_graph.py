"""Connected components of the reuse index after a change: merged by union-find where nodes and
edges were added, split again from the stored edges where some were removed.

A component is numbered by its smallest node id, so its number depends on its members alone and a
full rebuild numbers it the same way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

_CHUNK = 500
Unit = tuple[str, int]
"""("c", component): a whole old component, still connected; ("n", node): one node."""


@dataclass(slots=True)
class ComponentChange:
    """The components a change touched: the old numbers to drop, and the new components (number ->
    nodes) whose cluster rows are written again."""

    removed: set[int]
    groups: dict[int, list[int]]


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


def _members(conn: sqlite3.Connection, component: int) -> list[int]:
    return [row[0] for row in conn.execute("SELECT id FROM reuse_nodes WHERE component = ?", (component,))]


def connect(conn: sqlite3.Connection, old_component: dict[int, int], splitting: set[int], added: set[int],
            new_edges: list[tuple[int, int]], removed: list[int]) -> ComponentChange:
    """Renumber the components touched by a change and return them.

    ``old_component``: the component each touched old node had before the change; ``splitting``:
    those of them that lost a node or an edge (their surviving nodes are connected again from the
    stored edges); ``added``: new nodes; ``new_edges``: edges the change added; ``removed``: nodes
    deleted (already gone from the tables).
    """
    gone = set(removed)
    affected = set(old_component.values())
    forest = _UnionFind()
    split_nodes: set[int] = set()
    for component in splitting:
        split_nodes.update(_members(conn, component))
    for node in split_nodes | added:
        forest.find(("n", node))
    for component in affected - splitting:
        forest.find(("c", component))
    for a, b in _in_chunks(conn, "SELECT a, b FROM reuse_edges WHERE a IN ({marks})", sorted(split_nodes)):
        if b in split_nodes or b in added:
            forest.union(("n", a), ("n", b))

    def unit(node: int) -> Unit:
        if node in added or node in split_nodes:
            return ("n", node)
        return ("c", old_component[node])

    for a, b in new_edges:
        forest.union(unit(a), unit(b))
    roots: dict[Unit, list[Unit]] = {}
    for member in list(forest.parent):
        roots.setdefault(forest.find(member), []).append(member)
    groups: dict[int, list[int]] = {}
    for units in roots.values():
        nodes = [n for kind, value in units for n in ([value] if kind == "n" else _members(conn, value))
                 if n not in gone]
        if not nodes:
            continue
        number = min(nodes)
        groups[number] = nodes
        for kind, value in units:
            if kind == "c" and value != number:
                conn.execute("UPDATE reuse_nodes SET component = ? WHERE component = ?", (number, value))
        conn.executemany("UPDATE reuse_nodes SET component = ? WHERE id = ? AND component != ?",
                         [(number, value, number) for kind, value in units if kind == "n" and value not in gone])
    return ComponentChange(removed=affected, groups=groups)
