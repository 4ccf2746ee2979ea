"""Clause alignments of document pairs kept in the store, so that a pair is aligned once.

The report shows thousands of pairs side by side; aligning them was nine tenths of its build time
(``scripts/bench_report.py``). Each alignment is stored under the digests of the two documents'
clauses as the aligner reads them (key and text of every clause, in order) and the version of the
aligner (a digest of the code of :mod:`rok_compare.align.pairwise` and every module it imports,
their data files, and the versions of the libraries that score), so a changed document or a
changed aligner never gets an old alignment: its key is simply not there. Entries of another
aligner version are deleted when this one writes.

The table lives beside the store's own (``CREATE TABLE IF NOT EXISTS``, no schema version: it is
a cache, and a store without it is complete). A store that cannot be written (read-only media, no
permission, busy, disk full) is read from when it has the table and otherwise not used: the caller
aligns as before.

An alignment is stored as zlib-compressed JSON that names clauses by their position; positions
are turned back into the clauses' keys and texts on reading, so an entry holds only what the
clauses do not (scores, relations, shapes, moves, word differences, groups).
"""

from __future__ import annotations

import ast
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import metadata
from pathlib import Path

from rok_compare.align.model import Alignment, ClausePair, ClauseRef, Relation, Shape
from rok_compare.model import Clause
from rok_compare.store.database import Store, StoreError, default_db_path, writable

TABLE = """
CREATE TABLE IF NOT EXISTS alignment_cache (
    a_digest  TEXT NOT NULL,
    b_digest  TEXT NOT NULL,
    aligner   TEXT NOT NULL,
    alignment BLOB NOT NULL,
    PRIMARY KEY (a_digest, b_digest, aligner)
) WITHOUT ROWID
"""
BUSY_MS = 2000
"""How long a cache read or write waits for a busy store before it goes without the cache."""
_PACKAGE = Path(__file__).resolve().parents[1]
ALIGNER = "rok_compare.align.pairwise"
"""The module of :func:`rok_compare.align.align`, whose code (with all it imports) makes an alignment."""
_LIBRARIES = ("numpy", "scipy", "scikit-learn", "rapidfuzz", "PyStemmer")

Key = tuple[str, str]
"""(digest of A's clauses, digest of B's clauses): an alignment of A to B (not of B to A)."""


def document_digest(clauses: Sequence[Clause]) -> str:
    """Digest of what the aligner reads of a document: every clause's key and text, in order."""
    digest = hashlib.sha256()
    for clause in clauses:
        digest.update(clause.id.encode("utf-8") + b"\0" + clause.text.encode("utf-8") + b"\1")
    return digest.hexdigest()[:32]


def _module_file(name: str) -> Path | None:
    path = _PACKAGE.parent.joinpath(*name.split("."))
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def aligner_files(root: str = ALIGNER) -> list[Path]:
    """The code the aligner runs: ``root`` and every module of the package it imports, at any depth
    (read from the source, so the answer is the same in every process), and the data folders of
    their packages (the place and party names that normalisation masks)."""
    seen: dict[str, Path] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        path = _module_file(name)
        if name in seen or path is None:
            continue
        seen[name] = path
        for node in ast.walk(ast.parse(path.read_bytes())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("rok_compare"):
                todo += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                todo += [alias.name for alias in node.names if alias.name.startswith("rok_compare")]
    files = set(seen.values())
    for folder in {path.parent / "data" for path in files}:
        if folder.is_dir():
            files.update(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return sorted(files)


@cache
def aligner_version() -> str:
    """Digest of the aligner's code and data (:func:`aligner_files`) and the scoring libraries' versions."""
    digest = hashlib.sha256()
    for path in aligner_files():
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    return digest.hexdigest()[:16]


def encode(alignment: Alignment, a: Sequence[Clause], b: Sequence[Clause]) -> bytes | None:
    """The alignment of clauses ``a`` and ``b`` as a compact blob; None when it does not refer to
    them by position (then it is not cached)."""
    refs_a = [*(p.a for p in alignment.pairs), *alignment.only_a]
    refs_b = [*(p.b for p in alignment.pairs), *alignment.only_b]
    if not all(_is(ref, a) for ref in refs_a) or not all(_is(ref, b) for ref in refs_b):
        return None
    record = {
        "p": [[p.a.index, p.b.index, float(p.score), str(p.relation), str(p.shape), p.moved, p.group,
               [[sign, text] for sign, text in p.diff]] for p in alignment.pairs],
        "a": [ref.index for ref in alignment.only_a],
        "b": [ref.index for ref in alignment.only_b],
    }
    return zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def decode(blob: bytes, a: Sequence[Clause], b: Sequence[Clause], a_path: str | None = None,
           b_path: str | None = None) -> Alignment:
    """The alignment :func:`encode` stored, with the clauses' keys and texts filled in from ``a`` and ``b``."""
    record = json.loads(zlib.decompress(blob).decode("utf-8"))

    def ref(clauses: Sequence[Clause], index: int) -> ClauseRef:
        return ClauseRef(clauses[index].id, clauses[index].text, index)

    pairs = [ClausePair(ref(a, ia), ref(b, ib), score, Relation(relation), Shape(shape), moved,
                        [(sign, text) for sign, text in diff], group)
             for ia, ib, score, relation, shape, moved, group, diff in record["p"]]
    return Alignment(pairs, [ref(a, k) for k in record["a"]], [ref(b, k) for k in record["b"]], a_path, b_path)


def _is(ref: ClauseRef, clauses: Sequence[Clause]) -> bool:
    return 0 <= ref.index < len(clauses) and clauses[ref.index].id == ref.id and clauses[ref.index].text == ref.text


class AlignmentCache:
    """The store's alignment cache for the running aligner version (see the module's docstring)."""

    def __init__(self, store: Store, can_write: bool) -> None:
        self.store = store
        self.can_write = can_write
        self.version = aligner_version()
        self._pruned = False

    @classmethod
    def open(cls, db_path: str | Path | None) -> AlignmentCache | None:
        """The cache of the store at ``db_path``: writable when the store is, read-only when it is not
        but holds the table, else None (go without)."""
        path = Path(db_path) if db_path is not None else default_db_path()
        if not writable(path):
            return cls.open_readonly(path)
        store = None
        try:
            store = Store.open(path)
            store.conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            store.conn.execute(TABLE)
            return cls(store, True)
        except (StoreError, sqlite3.Error):
            if store is not None:
                store.close()
            return None

    @classmethod
    def open_readonly(cls, db_path: str | Path | None) -> AlignmentCache | None:
        """The cache of the store at ``db_path`` to read from only (``rok serve`` never writes the
        store): None when the store has no cache table or cannot be read."""
        store = None
        try:
            store = Store.open(Path(db_path) if db_path is not None else default_db_path(), readonly=True)
            store.conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            if store.conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alignment_cache'").fetchone():
                return cls(store, False)
        except (StoreError, sqlite3.Error):
            pass
        if store is not None:
            store.close()
        return None

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> AlignmentCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def present(self, keys: Iterable[Key]) -> set[Key]:
        """Which of ``keys`` have an alignment (an unreadable cache has none)."""
        query = "SELECT 1 FROM alignment_cache WHERE a_digest = ? AND b_digest = ? AND aligner = ?"
        try:
            return {key for key in set(keys) if self.store.conn.execute(query, (*key, self.version)).fetchone()}
        except sqlite3.Error:
            return set()

    def get(self, key: Key) -> bytes | None:
        try:
            row = self.store.conn.execute(
                "SELECT alignment FROM alignment_cache WHERE a_digest = ? AND b_digest = ? AND aligner = ?",
                (*key, self.version)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def lookup(self, a: Sequence[Clause], b: Sequence[Clause], a_path: str | None = None,
               b_path: str | None = None) -> Alignment | None:
        """The cached alignment of clauses ``a`` to ``b`` (with those paths), or None."""
        blob = self.get((document_digest(a), document_digest(b)))
        if blob is None:
            return None
        try:
            return decode(blob, a, b, a_path, b_path)
        except (ValueError, KeyError, IndexError, TypeError, zlib.error):
            return None  # not what this version writes: align again

    def drop_unused(self, digests: Iterable[str]) -> int:
        """Delete the alignments of documents whose clauses are none of ``digests`` (every stored
        document's, :func:`document_digest`): documents pruned, or changed since they were aligned.
        How many were deleted (0 when the store cannot be written)."""
        if not self.can_write:
            return 0
        try:
            with self.store.transaction() as conn:
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS current_digests (digest TEXT PRIMARY KEY) WITHOUT ROWID")
                conn.execute("DELETE FROM current_digests")
                conn.executemany("INSERT OR IGNORE INTO current_digests VALUES (?)", [(d,) for d in set(digests)])
                deleted = conn.execute(
                    "DELETE FROM alignment_cache WHERE a_digest NOT IN (SELECT digest FROM current_digests) "
                    "OR b_digest NOT IN (SELECT digest FROM current_digests)").rowcount
                conn.execute("DELETE FROM current_digests")
        except sqlite3.Error:
            self.can_write = False
            return 0
        return deleted

    def put(self, entries: Sequence[tuple[Key, bytes]]) -> bool:
        """Store ``entries`` in one transaction; False (and nothing stored) when the store refuses."""
        if not self.can_write or not entries:
            return False
        try:
            with self.store.transaction() as conn:
                if not self._pruned:
                    conn.execute("DELETE FROM alignment_cache WHERE aligner != ?", (self.version,))
                conn.executemany("INSERT OR REPLACE INTO alignment_cache VALUES (?, ?, ?, ?)",
                                 [(a, b, self.version, blob) for (a, b), blob in entries])
        except sqlite3.Error:
            self.can_write = False  # read-only after all, busy or full: the report goes on without
            return False
        self._pruned = True
        return True
