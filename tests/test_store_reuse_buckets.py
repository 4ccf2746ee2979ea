"""Chain neighbours in a large LSH bucket after an update, from a capped count of the members between."""

from __future__ import annotations

import sqlite3

import pytest

from rok_compare.align.lsh import MinHashLSH
from rok_compare.store.reuse_buckets import BucketChanges, Nodes

BUCKET = (0, 7)


@pytest.fixture
def changes() -> BucketChanges:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE reuse_bands (band INTEGER NOT NULL, key INTEGER NOT NULL, tie INTEGER NOT NULL, "
                 "node INTEGER NOT NULL, PRIMARY KEY (band, key, tie, node)) WITHOUT ROWID")
    nodes = Nodes(conn, MinHashLSH())
    for node in range(1, 11):  # a chain 1, 2, ..., 10 in tie order
        conn.execute("INSERT INTO reuse_bands VALUES (?, ?, ?, ?)", (*BUCKET, node * 10, node))
        nodes.ties[node] = node * 10
    nodes.ties[11] = 25  # a node that joins between 2 and 3
    return BucketChanges(conn, nodes, joining={BUCKET: [11]}, leaving={BUCKET: [3, 4, 5]})


@pytest.mark.parametrize(("a", "b", "adjacent"), [
    (2, 6, False),  # 3, 4, 5 leave, but 11 joins between them
    (11, 6, True),  # 3, 4, 5 leave: nothing between
    (1, 2, True),
    (1, 7, False),  # 2 and 6 stay between, however many others leave
    (6, 10, False),
    (6, 7, True),
])
def test_neighbours_after_the_update(changes: BucketChanges, a: int, b: int, adjacent: bool) -> None:
    assert changes._adjacent_after(BUCKET, a, b) is adjacent
    assert changes._adjacent_after(BUCKET, b, a) is adjacent
