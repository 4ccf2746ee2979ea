"""Batch ingestion: files and folders in, whole documents in the store, a report out.

    >>> from rok_compare.store import ingest
    >>> report = ingest(["corpus/seeds"], "rok.db", workers=2)
    >>> report.added, report.skipped, report.failed

The driver hashes every file first and skips those stored with the same content; the rest are
extracted in worker processes (or on Dask) and each result is written, as it arrives, in its own
transaction by the driver alone. Killing the batch at any moment therefore leaves only whole
documents, and running it again continues where it stopped.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from rok_compare.store.database import Store
from rok_compare.store.executors import (
    DEFAULT_TIMEOUT,
    ExtractResult,
    IngestError,
    extractor_ref,
    resolve_extractor,
    run_dask,
    run_processes,
)
from rok_compare.store.prune import file_state, missing_documents
from rok_compare.store.reuse import ReuseSummary, recompute_reuse_clusters
from rok_compare.store.write import (
    FailureKind,
    WriteOutcome,
    document_key,
    move_document,
    record_failure,
    stored_documents,
    sync_trigram_index,
    write_agreement,
)

SUFFIXES = {".pdf", ".txt", ".htm", ".html"}
"""What a folder is searched for (files named explicitly are always tried)."""
TRIGRAM_EVERY = 200
"""Documents between two updates of the trigram (compound-word) index; see ``sync_trigram_index``."""


class Status(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    SKIPPED = "skipped"
    FAILED = "failed"
    MOVED = "moved"
    """Stored content whose old path is gone: the document is re-keyed to the new path, not re-read."""


@dataclass(frozen=True, slots=True)
class FileOutcome:
    path: str
    status: Status
    reason: str | None = None
    """Why a file was skipped or failed."""
    kind: FailureKind | None = None


@dataclass(slots=True)
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    reuse: ReuseSummary | None = None
    missing: list[str] = field(default_factory=list)
    """Stored documents under the folders ingested whose files are gone (``rok prune`` removes them)."""

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
    sha256: str


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and folders searched recursively for PDF, text and HTML files; no duplicates."""
    found: dict[str, Path] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES and not child.name.startswith("."):
                    found.setdefault(document_key(child), child)
        else:
            found.setdefault(document_key(path), path)
    return list(found.values())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ingest(paths: Iterable[str | Path], db: str | Path | Store | None = None, *, workers: int = 1,
           executor: str = "process", scheduler: Any = None, progress: Progress | None = None,
           extractor: str | None = None, reuse: bool = True,
           timeout: float | None = DEFAULT_TIMEOUT) -> IngestReport:
    """Add files and folders to the store at ``db``; see the module docstring.

    ``executor`` is ``"process"`` (a local process pool of ``workers``) or ``"dask"`` (a Dask
    cluster at ``scheduler``, or a local one). ``extractor`` is an import reference
    ``"module:function"`` taking a path and returning an ``Agreement`` (default: the project's
    extractor, or ``$ROK_EXTRACTOR``). A file whose extraction takes more than ``timeout``
    seconds (0 or None: no limit) fails as timed out and its worker is replaced. ``report.missing``
    lists stored documents under the given folders whose files are gone. Raises
    :class:`IngestInterrupted` on Ctrl-C, :class:`IngestError` when the batch cannot start,
    ``StoreError`` when the store is unusable.
    """
    if executor not in ("process", "dask"):
        raise IngestError(f"unknown executor {executor!r} (use 'process' or 'dask')")
    if timeout is not None and timeout < 0:
        raise IngestError(f"timeout must be 0 (no limit) or more seconds, not {timeout:g}")
    ref = extractor_ref(extractor)
    resolve_extractor(ref)  # a wrong reference is one clear error, not a failure per file
    paths = list(paths)
    store = db if isinstance(db, Store) else Store.open(db, check=True)
    try:
        files = expand_paths(paths)
        report = _Batch(store, progress).run(files, ref, max(1, workers), executor, scheduler, reuse,
                                             timeout or None)
        folders = [document_key(p) for p in paths if Path(p).is_dir()]
        if folders:  # cheap: only stored paths that were not just listed on disk are checked
            report.missing = missing_documents(store, folders, {document_key(f) for f in files})
        return report
    finally:
        if not isinstance(db, Store):
            store.close()


class _Batch:
    """The driver's state during one batch: the only code that writes to the store."""

    def __init__(self, store: Store, progress: Progress | None) -> None:
        self.store = store
        self.progress = progress
        self.report = IngestReport()
        self.total = 0
        self.hashes: dict[str, str] = {}

    def run(self, files: list[Path], ref: str, workers: int, executor: str, scheduler: Any,
            reuse: bool, timeout: float | None) -> IngestReport:
        started = time.perf_counter()
        self.total = len(files)
        sync_trigram_index(self.store)  # catch up after a run that was killed
        try:
            jobs = self._plan(files)
            paths = [job.path for job in jobs]
            if paths and executor == "dask":
                run_dask(paths, ref, workers, scheduler, self._store_result, timeout)
            elif paths:
                run_processes(paths, ref, min(workers, len(paths)), self._store_result, timeout)
        except KeyboardInterrupt as interrupt:
            sync_trigram_index(self.store)
            self.report.seconds = time.perf_counter() - started
            raise IngestInterrupted(self.report) from interrupt
        sync_trigram_index(self.store)
        if reuse and (self.report.added or self.report.updated):
            self.report.reuse = recompute_reuse_clusters(self.store)
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _plan(self, files: list[Path]) -> list[_Job]:
        """Hash every file; skip the unchanged ones and copies of stored content, re-key moved ones."""
        stored = stored_documents(self.store)
        by_sha = {doc.sha256: doc.path for doc in stored.values()}
        jobs: list[_Job] = []
        for path in files:
            key = document_key(path)
            try:
                sha = file_sha256(path)
            except FileNotFoundError:
                self._failed(key, None, FailureKind.INPUT, f"{path}: no such file")
                continue
            except OSError as error:
                reason = f"{path}: cannot be read ({error.strerror or error})"
                self._failed(key, None, FailureKind.INPUT, reason)
                continue
            known = stored.get(key)
            if known and known.sha256 == sha:
                self._done(FileOutcome(key, Status.SKIPPED, "unchanged"))
            elif not known and sha in by_sha:
                holder = by_sha[sha]
                if holder in stored and file_state(holder) == "" and move_document(self.store, holder, key):
                    by_sha[sha] = key
                    self._done(FileOutcome(key, Status.MOVED, f"moved from {holder}"))
                else:
                    self._done(FileOutcome(key, Status.SKIPPED, f"same content as {holder}"))
            else:
                by_sha.setdefault(sha, key)
                self.hashes[key] = sha
                jobs.append(_Job(key, sha))
        return jobs

    def _store_result(self, result: ExtractResult) -> None:
        if result.agreement is None:
            self._failed(result.path, self.hashes.get(result.path), result.kind or FailureKind.CRASH,
                         result.error or "unknown error")
            return
        try:
            outcome = write_agreement(self.store, result.agreement, result.path, index_compounds=False)
        except (sqlite3.IntegrityError, sqlite3.InterfaceError, TypeError, ValueError,
                AttributeError) as error:
            # The extractor returned something the store cannot hold: that file fails, not the batch.
            self._failed(result.path, self.hashes.get(result.path), FailureKind.CRASH,
                         f"extractor output could not be stored ({type(error).__name__}: {error})")
            return
        status = Status.ADDED if outcome is WriteOutcome.ADDED else Status.UPDATED
        self._done(FileOutcome(result.path, status))
        if (self.report.added + self.report.updated) % TRIGRAM_EVERY == 0:
            sync_trigram_index(self.store)

    def _failed(self, path: str, sha: str | None, kind: FailureKind, error: str) -> None:
        record_failure(self.store, path, sha, kind, error)
        self._done(FileOutcome(path, Status.FAILED, error, kind))

    def _done(self, outcome: FileOutcome) -> None:
        self.report.outcomes.append(outcome)
        if self.progress:
            self.progress(outcome, len(self.report.outcomes), self.total)
