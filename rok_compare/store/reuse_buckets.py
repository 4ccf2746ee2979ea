"""The candidate pairs that change when nodes join or leave the LSH buckets of the store's reuse index.

A bucket (a band's key) makes all pairs of its members while it has at most ``max_bucket`` of them,
and a chain of its members in tie order (:func:`rok_compare.align.lsh.tie_hashes`, the order of the
``reuse_bands`` primary key) beyond, as :meth:`MinHashLSH.candidates` does over a whole corpus. A
change to a small bucket reads its members; a change to a large one reads only the neighbours of
each node that joins or leaves, so a template copied into thousands of documents costs a few index
look-ups, not its thousands of members.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from rok_compare.align.lsh import MinHashLSH, term_sets, tie_hashes

_CHUNK = 500
_SHIFT = 1 << 63
Bucket = tuple[int, int]
"""(band, key)."""
Pair = tuple[int, int]


def sql_ties(texts: Sequence[str]) -> list[int]:
    """Tie hashes as SQLite integers (signed 64-bit, in the same order as the unsigned hashes)."""
    return [int(t) - _SHIFT for t in tie_hashes(texts)]


@dataclass(slots=True)
class Nodes:
    """Stems, band keys and ties of the nodes an update looks at (read and hashed once each)."""

    conn: sqlite3.Connection
    lsh: MinHashLSH
    stems: dict[int, str] = field(default_factory=dict)
    keys: dict[int, np.ndarray | None] = field(default_factory=dict)
    ties: dict[int, int] = field(default_factory=dict)

    def load(self, nodes: Iterable[int], sign: bool = True) -> None:
        """Read the stems of ``nodes`` (and hash them, with ``sign``)."""
        wanted = set(nodes)
        missing = [n for n in wanted if n not in self.stems]
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start:start + _CHUNK]
            self.stems.update(self.conn.execute(
                f"SELECT id, stems FROM reuse_nodes WHERE id IN ({','.join('?' * len(chunk))})",  # noqa: S608
                chunk).fetchall())
        if sign:
            self.sign([n for n in wanted if n in self.stems])

    def sign(self, nodes: Sequence[int]) -> None:
        """Band keys (None: an empty MinHash set) and tie of ``nodes``, whose stems are known."""
        todo = [n for n in nodes if n not in self.keys]
        if not todo:
            return
        texts = [self.stems[n] for n in todo]
        sets = term_sets(texts)
        keys = self.lsh.band_keys(self.lsh.signatures(sets))
        filled = sets.filled()
        for k, (node, tie) in enumerate(zip(todo, sql_ties(texts), strict=True)):
            self.keys[node] = keys[k] if filled[k] else None
            self.ties[node] = tie

    def key(self, node: int) -> tuple[int, int]:
        """A node's place in a bucket's chain."""
        return (self.ties[node], node)


def _pairs(chain: Sequence[int]) -> set[Pair]:
    return {(min(a, b), max(a, b)) for a, b in zip(chain, chain[1:], strict=False)}


def _members(conn: sqlite3.Connection, bucket: Bucket, cap: int) -> list[int]:
    """A bucket's members in chain order, the first ``cap`` of them (a large bucket is not read whole)."""
    return [row[0] for row in conn.execute(
        "SELECT node FROM reuse_bands WHERE band = ? AND key = ? ORDER BY tie, node LIMIT ?", (*bucket, cap))]


def _size(conn: sqlite3.Connection, bucket: Bucket, cap: int) -> int:
    """A bucket's member count, or ``cap`` when it has that many or more."""
    return conn.execute("SELECT COUNT(*) FROM (SELECT 1 FROM reuse_bands WHERE band = ? AND key = ? LIMIT ?)",
                        (*bucket, cap)).fetchone()[0]


def _beside(conn: sqlite3.Connection, bucket: Bucket, place: tuple[int, int], skip: set[int],
            before: bool) -> int | None:
    """The nearest member before (or after) ``place`` in chain order that is not in ``skip``."""
    sql = ("SELECT node FROM reuse_bands WHERE band = ? AND key = ? AND (tie, node) {op} (?, ?) "
           "ORDER BY tie {way}, node {way} LIMIT ?").format(op="<" if before else ">", way="DESC" if before else "ASC")
    for (node,) in conn.execute(sql, (*bucket, *place, len(skip) + 1)):
        if node not in skip:
            return node
    return None


def _between(conn: sqlite3.Connection, bucket: Bucket, low: tuple[int, int], high: tuple[int, int], cap: int) -> int:
    """Stored members strictly between two places of a bucket's chain, or ``cap`` when there are that
    many or more (two far-apart places of a large bucket are not counted out to the end)."""
    return conn.execute("SELECT COUNT(*) FROM (SELECT 1 FROM reuse_bands WHERE band = ? AND key = ? "
                        "AND (tie, node) > (?, ?) AND (tie, node) < (?, ?) LIMIT ?)",
                        (*bucket, *low, *high, cap)).fetchone()[0]


@dataclass(slots=True)
class BucketChanges:
    """How an update changes the buckets it touches, and the candidate pairs it makes and unmakes."""

    conn: sqlite3.Connection
    nodes: Nodes
    joining: dict[Bucket, list[int]] = field(default_factory=dict)
    leaving: dict[Bucket, list[int]] = field(default_factory=dict)
    small: set[Bucket] = field(default_factory=set)
    """Touched buckets that make all pairs of their members after the update."""
    chains: dict[Bucket, set[Pair]] = field(default_factory=dict)
    """Touched buckets read whole: the pairs they make after the update."""
    candidates: set[Pair] = field(default_factory=set)
    unmade: set[Pair] = field(default_factory=set)
    sizes: dict[Bucket, int] = field(default_factory=dict)
    """Capped member counts of untouched buckets, read once (many lost pairs share a bucket)."""

    def run(self, added: Sequence[int], removed: Sequence[int]) -> tuple[set[Pair], set[Pair]]:
        """Pairs among surviving nodes that no bucket makes any more, and the new candidate pairs."""
        bands = self.nodes.lsh.bands
        for node, side in [(n, self.joining) for n in added] + [(n, self.leaving) for n in removed]:
            keys = self.nodes.keys.get(node)
            for band in range(bands) if keys is not None else ():
                side.setdefault((band, int(keys[band])), []).append(node)
        gone = set(removed)
        for bucket in set(self.joining) | set(self.leaving):
            self._bucket(bucket, gone)
        # Only an edge matters: a pair that failed verification changes nothing by ceasing to be a candidate.
        lost = [p for p in self.unmade if p[0] not in gone and p[1] not in gone and self.conn.execute(
            "SELECT 1 FROM reuse_edges WHERE a = ? AND b = ?", p).fetchone()]
        self.nodes.load(n for p in lost for n in p)
        return {p for p in lost if not self._still_made(p)}, self.candidates

    def _bucket(self, bucket: Bucket, gone: set[int]) -> None:
        joining, leaving = self.joining.get(bucket, []), set(self.leaving.get(bucket, []))
        limit = self.nodes.lsh.max_bucket
        cap = limit + len(leaving) + 1  # a bucket with that many members is large before and after
        old = _members(self.conn, bucket, cap)
        size = len(old)
        after = size - len(leaving) + len(joining)
        if size <= limit and after <= limit:
            self.small.add(bucket)
            members = [n for n in old if n not in gone] + joining
            self.candidates.update((min(a, b), max(a, b)) for a in joining for b in members if a != b)
        elif size < cap:  # one side small: it was read whole
            self.nodes.load(old)
            new = sorted([n for n in old if n not in gone] + joining, key=self.nodes.key)
            before, made = self.nodes.lsh.bucket_pairs(old), self.nodes.lsh.bucket_pairs(new)
            self.chains[bucket] = made
            self.candidates.update(made - before)
            self.unmade.update(before - made)
        else:
            self._gaps(bucket, joining, leaving)

    def _gaps(self, bucket: Bucket, joining: list[int], leaving: set[int]) -> None:
        """A large bucket stays large: relink the chain around each node that joins or leaves."""
        gaps: dict[tuple[int | None, int | None], tuple[list[int], list[int]]] = {}
        for node in list(leaving) + joining:
            place = self.nodes.key(node)
            around = (_beside(self.conn, bucket, place, leaving, True),
                      _beside(self.conn, bucket, place, leaving, False))
            gaps.setdefault(around, ([], []))[0 if node in leaving else 1].append(node)
        for (first, last), (out, into) in gaps.items():
            ends = ([first] if first is not None else [], [last] if last is not None else [])
            before = _pairs(ends[0] + sorted(out, key=self.nodes.key) + ends[1])
            made = _pairs(ends[0] + sorted(into, key=self.nodes.key) + ends[1])
            self.candidates.update(made - before)
            self.unmade.update(before - made)

    def _adjacent_after(self, bucket: Bucket, a: int, b: int) -> bool:
        """Whether ``a`` and ``b`` are neighbours in a bucket's chain after the update."""
        low, high = sorted((self.nodes.key(a), self.nodes.key(b)))
        leaving = self.leaving.get(bucket, [])
        # More stored members between them than can leave: they stay apart, whatever the exact count.
        inside = _between(self.conn, bucket, low, high, len(leaving) + 1)
        inside -= sum(1 for n in leaving if low < self.nodes.key(n) < high)
        inside += sum(1 for n in self.joining.get(bucket, []) if low < self.nodes.key(n) < high)
        return inside == 0

    def _untouched_size(self, bucket: Bucket) -> int:
        """The member count of a bucket the update does not change, up to ``max_bucket + 1``."""
        if bucket not in self.sizes:
            self.sizes[bucket] = _size(self.conn, bucket, self.nodes.lsh.max_bucket + 1)
        return self.sizes[bucket]

    def _still_made(self, pair: Pair) -> bool:
        """Whether some bucket still makes ``pair`` a candidate after the update."""
        a, b = self.nodes.keys[pair[0]], self.nodes.keys[pair[1]]
        if a is None or b is None:
            return False
        limit = self.nodes.lsh.max_bucket
        for band in np.flatnonzero(a == b):
            bucket = (int(band), int(a[band]))
            if bucket in self.small:
                return True
            if bucket in self.chains:
                if pair in self.chains[bucket]:
                    return True
                continue
            touched = bucket in self.joining or bucket in self.leaving
            if (not touched and self._untouched_size(bucket) <= limit) or self._adjacent_after(bucket, *pair):
                return True
        return False
