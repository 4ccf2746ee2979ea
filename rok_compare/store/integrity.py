"""Check a store before a batch writes into it, at a cost that does not grow with the store.

SQLite's ``quick_check`` reads every page of the file: about 2.5 s of CPU for a store of 300,000
clauses (270 MB), most of a one-document ingest. A store up to :data:`FULL_CHECK_BYTES` still gets
it whole. A larger one gets the bounded check: the small tables whole (``meta``, ``failures``,
``sqlite_sequence``: what a batch reads and rewrites first), and the right edge of every other
b-tree (``MAX(rowid)`` descends from the root to the last leaf, the pages that new rows go to),
while every writable connection runs with ``PRAGMA cell_size_check`` on, so that each page SQLite
reads while it writes is checked before it is used (SQLite's guard against corruption spreading):
a write into a damaged page fails and its transaction rolls back, instead of writing through it.
"""

from __future__ import annotations

import sqlite3

FULL_CHECK_BYTES = 16 << 20
"""Stores up to this size get SQLite's whole ``quick_check`` (about 0.15 s of CPU at this size)."""
SMALL_TABLES = ("meta", "failures", "sqlite_sequence")
"""Checked whole (with their indexes) by the bounded check: small at any store size."""


def enable_page_checks(conn: sqlite3.Connection) -> None:
    """Check every b-tree page as it is read from disk (``PRAGMA cell_size_check``)."""
    conn.execute("PRAGMA cell_size_check = ON")


def store_problem(conn: sqlite3.Connection, full_limit: int | None = None) -> str | None:
    """What is wrong with the store's file (SQLite's message), or None when the check finds it whole.

    The whole ``quick_check`` when the file holds ``full_limit`` (default :data:`FULL_CHECK_BYTES`)
    bytes or fewer, else the bounded check of the module docstring.
    """
    full_limit = FULL_CHECK_BYTES if full_limit is None else full_limit
    try:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        size = pages * conn.execute("PRAGMA page_size").fetchone()[0]
        result = _quick_check(conn, None) if size <= full_limit else _bounded_check(conn)
    except sqlite3.DatabaseError as error:  # a damaged page stops the check itself
        return str(error)
    return None if result == "ok" else result


def _quick_check(conn: sqlite3.Connection, table: str | None) -> str:
    """SQLite's ``quick_check`` of the whole file, or of one table and its indexes; 'ok' if whole."""
    target = "1" if table is None else '"' + table.replace('"', '""') + '"'
    return str(conn.execute(f"PRAGMA quick_check({target})").fetchone()[0])


def _bounded_check(conn: sqlite3.Connection) -> str:
    """The small tables whole and the last leaf of every other rowid table; 'ok' if all read."""
    tables = [name for name, sql in conn.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 ORDER BY rootpage")
        if "WITHOUT ROWID" not in (sql or "").upper()]
    for name in tables:
        if name in SMALL_TABLES:
            result = _quick_check(conn, name)
            if result != "ok":
                return result
        else:
            quoted = '"' + name.replace('"', '""') + '"'
            conn.execute(f"SELECT MAX(rowid) FROM {quoted}").fetchone()  # noqa: S608 - a table of the schema
    return "ok"
