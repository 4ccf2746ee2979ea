"""Batch ingestion: files and folders in, whole documents in the store, a report out.

    >>> from rok_compare.store import ingest
    >>> report = ingest(["corpus/seeds"], "rok.db", workers=2)
    >>> report.added, report.skipped, report.failed

The driver hashes every file first and skips those stored with the same content; the rest are
extracted in worker processes (or on Dask) and each result is written, as it arrives, in its own
transaction by the driver alone. Killing the batch at any moment therefore leaves only whole
documents, and running it again continues where it stopped. Every document is written together
with a mark that the reuse clusters are due; the clusters are updated at the end and the mark
cleared in the same transaction, so a batch stopped before that leaves the mark, and the next
ingest (even one that skips every file) or ``rok prune`` finishes the clustering. The update is
incremental (:mod:`rok_compare.store.reuse_index`): it costs what the new clauses touch, not the
size of the store, and gives the clusters a full pass would.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from rok_compare.store.database import Store
from rok_compare.store.executors import (
    DEFAULT_MEMORY_LIMIT_MB,
    DEFAULT_TIMEOUT,
    ExtractResult,
    IngestError,
    Limits,
    check_extractor,
    extractor_ref,
    run_dask,
    run_processes,
    start_workers_early,
)
from rok_compare.store.extractor_version import extractor_version
from rok_compare.store.in_order import InOrder
from rok_compare.store.paths import clean_text, document_key
from rok_compare.store.prune import file_state, missing_documents
from rok_compare.store.reuse import ReuseSummary, recompute_reuse_clusters, reuse_due
from rok_compare.store.scan import Scan, scan_paths
from rok_compare.store.write import (
    FailureKind,
    StoredLookup,
    WriteOutcome,
    forget_failures,
    move_document,
    record_failure,
    sync_trigram_index,
    write_agreement,
)

TRIGRAM_EVERY = 200
"""Documents between two updates of the trigram (compound-word) index; see ``sync_trigram_index``."""


class Status(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    SKIPPED = "skipped"
    FAILED = "failed"
    MOVED = "moved"
    """Stored content whose old path is gone: the document is re-keyed to the new path, not re-read."""
    NOT_TAKEN = "not taken"
    """Not a document the batch reads (unsupported format, a link out of the folder, a named pipe,
    ...); ``reason`` says which. Listed in ``IngestReport.not_taken``, not in ``outcomes``."""


@dataclass(frozen=True, slots=True)
class FileOutcome:
    path: str
    status: Status
    reason: str | None = None
    """Why a file was skipped or failed."""
    kind: FailureKind | None = None
    side_file: bool = False
    """A not-taken file that accompanies documents (a manifest): named, but no error."""


@dataclass(slots=True)
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    reuse: ReuseSummary | None = None
    missing: list[str] = field(default_factory=list)
    """Stored documents under the folders ingested whose files are gone (``rok prune`` removes them)."""
    reuse_pending: bool = False
    """The reuse clusters are not up to date (interrupted, or ``reuse=False``); the next run or prune updates them."""
    stored: int = 0
    """Documents in the store when the batch ended."""
    not_taken: list[FileOutcome] = field(default_factory=list)
    """Files in the folders that the batch does not read, each with the reason (status ``NOT_TAKEN``)."""
    worker_cpu: float = 0.0
    """CPU seconds the extraction worker processes spent, each from its start (the fork server's
    imports, made once for all of them, are not counted)."""

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status is status)

    @property
    def added(self) -> int:
        return self.count(Status.ADDED)

    @property
    def updated(self) -> int:
        return self.count(Status.UPDATED)

    @property
    def skipped(self) -> int:
        return self.count(Status.SKIPPED)

    @property
    def moved(self) -> int:
        return self.count(Status.MOVED)

    @property
    def failed(self) -> int:
        return self.count(Status.FAILED)

    @property
    def unsupported(self) -> list[FileOutcome]:
        """Not-taken files that are errors (the batch exits with 1): all but side files like a manifest."""
        return [o for o in self.not_taken if not o.side_file]

    @property
    def failures(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status is Status.FAILED]


class IngestInterrupted(KeyboardInterrupt):
    """Ctrl-C during a batch; ``report`` holds what was stored before it (all of it whole)."""

    def __init__(self, report: IngestReport) -> None:
        super().__init__("ingest interrupted")
        self.report = report


Progress = Callable[[FileOutcome, int, int], None]
"""Called in the driver after each file with (outcome, files done, files in the batch)."""


@dataclass(frozen=True, slots=True)
class _Job:
    path: str
    """The key it is stored under."""
    sha256: str
    real: str
    """The name on disk, handed to the worker."""


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the documents in folders (see :mod:`rok_compare.store.scan`); no duplicates."""
    return scan_paths(paths).files


class NotARegularFile(OSError):
    """A path that turned into a pipe or device between the scan and the read."""


def file_sha256(path: Path) -> str:
    """SHA-256 of a regular file; never blocks on a named pipe (opened non-blocking, then checked)."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotARegularFile(f"{path}: not a regular file; not read")
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ingest(paths: Iterable[str | Path], db: str | Path | Store | None = None, *, workers: int = 1,
           executor: str = "process", scheduler: Any = None, progress: Progress | None = None,
           extractor: str | None = None, reuse: bool = True,
           timeout: float | None = DEFAULT_TIMEOUT, memory_limit: int | None = DEFAULT_MEMORY_LIMIT_MB) -> IngestReport:
    """Add files and folders to the store at ``db``; see the module docstring.

    ``executor`` is ``"process"`` (a local process pool of ``workers``) or ``"dask"`` (a Dask
    cluster at ``scheduler``, or a local one). ``extractor`` is an import reference
    ``"module:function"`` taking a path and returning an ``Agreement`` (default: the project's
    extractor, or ``$ROK_EXTRACTOR``). A file whose extraction takes more than ``timeout``
    seconds (0 or None: no limit) fails as timed out and its worker is replaced. Each worker
    process may use ``memory_limit`` MB of address space (0 or None: no limit). ``report.missing``
    lists stored documents under the given folders whose files are gone. Raises
    :class:`IngestInterrupted` on Ctrl-C, :class:`IngestError` when the batch cannot start,
    ``StoreError`` when the store is unusable.
    """
    if executor not in ("process", "dask"):
        raise IngestError(f"unknown executor {executor!r} (use 'process' or 'dask')")
    if timeout is not None and timeout < 0:
        raise IngestError(f"timeout must be 0 (no limit) or more seconds, not {timeout:g}")
    if memory_limit is not None and memory_limit < 0:
        raise IngestError(f"memory limit must be 0 (no limit) or more MB, not {memory_limit}")
    if executor == "dask" and isinstance(scheduler, str):
        from rok_compare.store.dask_run import check_address

        check_address(scheduler)
    ref = extractor_ref(extractor)
    check_extractor(ref)  # a wrong reference is one clear error, not a failure per file
    paths = list(paths)
    report = IngestReport()
    try:
        store = db if isinstance(db, Store) else Store.open(db, check=True)
    except KeyboardInterrupt as interrupt:
        raise IngestInterrupted(report) from interrupt
    try:
        scan = scan_paths(paths)
        batch = _Batch(store, progress, report, extractor_version(ref))
        limits = Limits(timeout or None, memory_limit or None)
        batch.run(scan, ref, max(1, workers), executor, scheduler, reuse, limits)
        if scan.folders:  # cheap: only stored paths that were not just listed on disk are checked
            report.missing = missing_documents(store, scan.folders, {document_key(f) for f in scan.files})
        return report
    except KeyboardInterrupt as interrupt:
        if isinstance(interrupt, IngestInterrupted):
            raise
        report.reuse_pending = reuse_due(store)
        report.stored = _count(store)
        raise IngestInterrupted(report) from interrupt
    finally:
        if not isinstance(db, Store):
            store.close()


def _count(store: Store) -> int:
    try:
        return int(store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return 0


class _Batch:
    """The driver's state during one batch: the only code that writes to the store."""

    def __init__(self, store: Store, progress: Progress | None, report: IngestReport,
                 extractor: str | None = None) -> None:
        self.store = store
        self.extractor = extractor
        """The version of the extractor the batch runs, stored with each document."""
        self.progress = progress
        self.report = report
        self.total = 0
        self.hashes: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        """Real path handed to a worker -> the key it is stored under."""

    def run(self, scan: Scan, ref: str, workers: int, executor: str, scheduler: Any,
            reuse: bool, limits: Limits) -> IngestReport:
        started = time.perf_counter()
        self.total = len(scan.files) + sum(1 for s in scan.skipped if s.failure)
        try:
            sync_trigram_index(self.store)  # catch up after a run that was killed
            self._skipped(scan)
            jobs = self._plan(scan.files)
            paths = [job.real for job in jobs]
            in_order = InOrder(paths, self._store_result)  # ids in file order, whichever worker ends first

            def store(result: ExtractResult) -> None:
                in_order(result.path, result)

            if paths and executor == "process":  # files to extract: the workers' imports start now
                start_workers_early()
            if paths and reuse:  # imported while the fork server loads the extractor, not after the last file
                import rok_compare.store.reuse_index
                import rok_compare.store.reuse_rows  # noqa: F401
            if paths and executor == "dask":
                run_dask(paths, ref, workers, scheduler, store, limits)
            elif paths:
                run_processes(paths, ref, min(workers, len(paths)), store, limits)
            in_order.flush()
            sync_trigram_index(self.store)
            if reuse and reuse_due(self.store):
                self.report.reuse = recompute_reuse_clusters(self.store)
        except KeyboardInterrupt as interrupt:
            with contextlib.suppress(sqlite3.Error, KeyboardInterrupt):  # else the next run catches up
                sync_trigram_index(self.store)
            self._finish(started)
            raise IngestInterrupted(self.report) from interrupt
        self._finish(started)
        return self.report

    def _finish(self, started: float) -> None:
        self.report.seconds = time.perf_counter() - started
        self.report.reuse_pending = reuse_due(self.store)
        self.report.stored = _count(self.store)

    def _skipped(self, scan: Scan) -> None:
        """Name what the scan did not take; unreadable paths are failures (``rok status`` lists them)."""
        for skipped in scan.skipped:
            if skipped.failure:
                self._failed(skipped.key, None, FailureKind.INPUT, f"{skipped.key}: {skipped.reason}")
            else:
                self.report.not_taken.append(FileOutcome(skipped.key, Status.NOT_TAKEN, skipped.reason,
                                                         side_file=skipped.side_file))
        forget_failures(self.store, scan.folders)

    def _plan(self, files: list[Path]) -> list[_Job]:
        """Hash every file; skip the unchanged ones and copies of stored content, re-key moved ones.

        The store is asked about each file by its path and its hash (both indexed), not read whole:
        planning one file costs the same in a store of any size."""
        stored = StoredLookup(self.store)
        by_sha: dict[str, str] = {}
        """Content of this batch: hash -> the key that holds it (over what the store holds)."""
        jobs: list[_Job] = []
        for path in files:
            key = document_key(path)
            try:
                sha = file_sha256(path)
            except FileNotFoundError:
                self._failed(key, None, FailureKind.INPUT, f"{key}: no such file")
                continue
            except NotARegularFile:
                self.report.not_taken.append(FileOutcome(key, Status.NOT_TAKEN, "not a regular file; not read"))
                continue
            except OSError as error:
                why = "symlink loop" if error.errno == errno.ELOOP else f"cannot be read ({error.strerror or error})"
                self._failed(key, None, FailureKind.INPUT, f"{key}: {why}")
                continue
            known = stored.get(key)
            holder = by_sha.get(sha) or stored.holder(sha)
            if known and known.sha256 == sha:
                self._done(FileOutcome(key, Status.SKIPPED, "unchanged"))
            elif not known and holder is not None:
                if holder in stored and file_state(holder) == "" and move_document(self.store, holder, key):
                    by_sha[sha] = key
                    self._done(FileOutcome(key, Status.MOVED, f"moved from {holder}"))
                else:
                    self._done(FileOutcome(key, Status.SKIPPED, f"same content as {holder}"))
            else:
                if holder is None:  # stored content keeps its stored holder
                    by_sha[sha] = key
                self.hashes[key] = sha
                real = os.path.abspath(path)
                self.keys[real] = key
                jobs.append(_Job(key, sha, real))
        return jobs

    def _store_result(self, result: ExtractResult) -> None:
        key = self.keys.get(result.path) or document_key(result.path)
        self.report.worker_cpu += result.cpu
        if result.agreement is None:
            self._failed(key, self.hashes.get(key), result.kind or FailureKind.CRASH,
                         (result.error or "unknown error").replace(result.path, key))
            return
        try:
            outcome = write_agreement(self.store, result.agreement, key, index_compounds=False,
                                      extractor=self.extractor)
        except (sqlite3.IntegrityError, sqlite3.InterfaceError, TypeError, ValueError,
                AttributeError) as error:
            # The extractor returned something the store cannot hold: that file fails, not the batch.
            self._failed(key, self.hashes.get(key), FailureKind.CRASH,
                         f"extractor output could not be stored ({type(error).__name__}: {error})")
            return
        status = Status.ADDED if outcome is WriteOutcome.ADDED else Status.UPDATED
        self._done(FileOutcome(key, status))
        if (self.report.added + self.report.updated) % TRIGRAM_EVERY == 0:
            sync_trigram_index(self.store)

    def _failed(self, path: str, sha: str | None, kind: FailureKind, error: str) -> None:
        error = clean_text(error)
        record_failure(self.store, path, sha, kind, error)
        self._done(FileOutcome(path, Status.FAILED, error, kind))

    def _done(self, outcome: FileOutcome) -> None:
        self.report.outcomes.append(outcome)
        if self.progress:
            self.progress(outcome, len(self.report.outcomes), self.total)
