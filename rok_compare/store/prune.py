"""Remove stored documents whose source files are gone from disk (deleted, or moved elsewhere).

    >>> from rok_compare.store import prune
    >>> report = prune("rok.db", ["corpus/old"], dry_run=True)
    >>> [doc.path for doc in report.removed]

Each document goes in its own transaction, with everything extracted from it: its clauses are
deleted explicitly so that the full-text triggers remove their index rows, the rest follows by
``ON DELETE CASCADE`` (see :func:`rok_compare.store.write.delete_document_rows`). Killed at any
moment, a prune leaves whole documents only, and running it again finishes it. Reuse clusters are
updated at the end, as after an ingest (incrementally: the clusters of the removed clauses lose
them, and split where nothing else joins their rest); a run (prune or ingest) stopped before that
left the store's "clustering due" mark, and the next prune finishes the update.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rok_compare.model import period_label
from rok_compare.store.database import Store, inspect_file
from rok_compare.store.paths import document_key, fs_path
from rok_compare.store.reuse import ReuseSummary, recompute_reuse_clusters, reuse_due
from rok_compare.store.write import delete_document_rows


@dataclass(frozen=True, slots=True)
class PrunedDocument:
    """A stored document whose file is missing: removed, or (dry run) to be removed."""

    path: str
    county: str | None
    county_code: str | None
    period_start: int | None
    period_end: int | None
    doc_type: str
    n_clauses: int

    @property
    def period(self) -> str:
        return period_label(self.period_start, self.period_end) or "?"


@dataclass(slots=True)
class PruneReport:
    checked: int = 0
    """Stored documents looked at (those under the given folders, or all)."""
    removed: list[PrunedDocument] = field(default_factory=list)
    """Documents whose file is missing; removed unless ``dry_run``."""
    failures: list[str] = field(default_factory=list)
    """Failure records (``rok status``) of missing files; forgotten unless ``dry_run``."""
    unchecked: list[str] = field(default_factory=list)
    """``path: reason`` of stored files whose existence could not be checked (kept)."""
    dry_run: bool = False
    reuse: ReuseSummary | None = None
    seconds: float = 0.0


def file_state(path: str) -> str | None:
    """None if the file is there, "" if it is gone, else why that cannot be told (permission, I/O).

    Only a definite "no such file" counts as gone: an unreadable folder or a flaky mount must not
    empty the store.
    """
    try:
        os.stat(fs_path(path))
    except (FileNotFoundError, NotADirectoryError):
        return ""
    except OSError as error:
        return error.strerror or str(error)
    return None


def under(path: str, roots: Collection[str]) -> bool:
    """Whether the stored ``path`` is one of ``roots`` or lies below one (all resolved keys)."""
    return not roots or any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def missing_documents(store: Store, roots: Collection[str] = (), present: Collection[str] = ()) -> list[str]:
    """Stored paths under ``roots`` (all when empty) whose file is definitely gone.

    ``present`` are paths known to exist (an ingest has just listed them): they are not checked again.
    """
    rows = store.conn.execute("SELECT path FROM documents ORDER BY path")
    return [path for (path,) in rows
            if path not in present and under(path, roots) and file_state(path) == ""]


def prune(db: str | Path | Store | None = None, paths: Iterable[str | Path] | None = None, *,
          dry_run: bool = False, reuse: bool = True,
          progress: Callable[[PrunedDocument], None] | None = None) -> PruneReport:
    """Remove the stored documents (and failure records) whose files no longer exist.

    ``paths`` limits it to documents stored under these folders or files; they need not exist any
    more (a deleted folder is the common case). ``dry_run`` only reports. ``progress`` is called
    after each document removed (or found, in a dry run). Raises ``StoreError`` for a missing or
    unusable store; it never creates one.
    """
    started = time.perf_counter()
    roots = [document_key(p) for p in paths or ()]
    store = db if isinstance(db, Store) else _open(db, dry_run)
    report = PruneReport(dry_run=dry_run)
    try:
        for doc_id, path, *info in _documents_under(store, roots):
            if not under(path, roots):
                continue
            report.checked += 1
            state = file_state(path)
            if state:
                report.unchecked.append(f"{path}: {state}")
            elif state == "" and (dry_run or _remove(store, doc_id, path)):
                doc = PrunedDocument(path, *info)
                report.removed.append(doc)
                if progress:
                    progress(doc)
        report.failures = _prune_failures(store, roots, dry_run)
        if reuse and not dry_run and (report.removed or reuse_due(store) or clusters_stale(store)):
            report.reuse = recompute_reuse_clusters(store)
    finally:
        if not isinstance(db, Store):
            store.close()
    report.seconds = time.perf_counter() - started
    return report


_DOCUMENT_ROW = ("SELECT id, path, county_name, county_code, period_start, period_end, doc_type, n_clauses "
                 "FROM documents")


def _documents_under(store: Store, roots: Collection[str]) -> list[tuple]:
    """The rows of the stored documents under ``roots`` (all when empty), by path. Each root is a
    range of the path index (the root itself, then the paths that start with it and a separator),
    so that pruning one file does not read every document of the store."""
    if not roots:
        return store.conn.execute(f"{_DOCUMENT_ROW} ORDER BY path").fetchall()  # noqa: S608
    rows: dict[int, tuple] = {}
    for root in roots:
        folder = root.rstrip(os.sep) + os.sep
        after = folder[:-1] + chr(ord(os.sep) + 1)  # the first string past every path in the folder
        for row in store.conn.execute(f"{_DOCUMENT_ROW} WHERE path = ? OR (path >= ? AND path < ?)",  # noqa: S608
                                      (root, folder, after)):
            rows[row[0]] = row
    return sorted(rows.values(), key=lambda row: row[1])


def _open(db: str | Path | None, dry_run: bool) -> Store:
    if db is not None:
        inspect_file(Path(db), readonly=True)  # a missing or empty file is an error, not a new store
    return Store.open(db, readonly=dry_run)


def _remove(store: Store, doc_id: int, path: str) -> bool:
    """Delete one document in one transaction, unless its file came back or it was re-ingested meanwhile."""
    with store.transaction() as conn:
        if file_state(path) != "" or not conn.execute(
                "SELECT 1 FROM documents WHERE id = ? AND path = ?", (doc_id, path)).fetchone():
            return False
        delete_document_rows(conn, doc_id)
    return True


def _prune_failures(store: Store, roots: Collection[str], dry_run: bool) -> list[str]:
    """Failure records of files that are gone: a file that no longer exists cannot be retried."""
    paths = [path for (path,) in store.conn.execute("SELECT path FROM failures ORDER BY path")
             if under(path, roots) and file_state(path) == ""]
    if paths and not dry_run:
        with store.transaction() as conn:
            conn.executemany("DELETE FROM failures WHERE path = ?", [(p,) for p in paths])
    return paths


def clusters_stale(store: Store) -> bool:
    """Whether clauses of some reuse cluster were deleted since the clusters were computed."""
    return bool(store.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM reuse_clusters r WHERE r.n_members != "
        "(SELECT COUNT(*) FROM cluster_members m WHERE m.cluster_id = r.id))").fetchone()[0])
