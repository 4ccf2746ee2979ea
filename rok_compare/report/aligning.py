"""Align the pairs the report shows side by side and write their pages, in worker processes.

Alignment (:func:`rok_compare.align.align`) was nine tenths of a report's build time for a large
corpus (``scripts/bench_report.py``). A pair whose two documents and aligner are unchanged since an
earlier build is read back from the store's alignment cache
(:mod:`rok_compare.store.alignment_cache`); the others are aligned. Each task (a few pairs) runs
in a forked worker (:mod:`.pool`): it aligns or decodes each pair, renders and writes its page,
and hands back the page's stamp, the pair's summary and the new cache entry, which this process
writes to the cache as they come back (a cache that cannot be written is simply not written).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rok_compare.align.model import Alignment
from rok_compare.model import Clause
from rok_compare.report import pool
from rok_compare.report.analysis import Pair
from rok_compare.report.data import DocumentInfo, ReportData
from rok_compare.report.pool import default_workers
from rok_compare.report.writer import PageWriter, Written
from rok_compare.store.alignment_cache import AlignmentCache, Key, decode, encode

__all__ = ["AlignStats", "compare_pairs", "default_workers"]

MIN_PER_WORKER = 8
"""Fewer pairs than this per worker are aligned in this process (starting a pool costs more)."""
CHUNK = 4
"""Pairs in one task."""
WRITE_EVERY = 200
"""New alignments written to the cache in one transaction."""


@dataclass(slots=True)
class AlignStats:
    """What aligning the report's pairs cost: how many were aligned, how many came from the cache."""

    aligned: int = 0
    cached: int = 0
    cpu_seconds: float = 0.0
    """CPU time of the alignments made (in whichever process made them)."""


@dataclass(frozen=True, slots=True)
class _Task:
    pair: Pair
    blob: bytes | None
    """The pair's alignment from the store's cache, if it has one."""
    encode: bool
    """Whether to hand back a new alignment for the cache."""


@dataclass(frozen=True, slots=True)
class _Done:
    kept: bool
    """False for a pair near by vocabulary only, without a single clause in common: nothing to show."""
    summary: dict[str, int] | None
    written: Written | None
    blob: bytes | None
    """A new alignment for the cache."""
    cpu: float
    """CPU seconds of aligning (0 when the alignment came from the cache)."""
    cached: bool


class _Clauses:
    """Each document's clauses as the aligner takes them, made once per document (per process)."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.clauses: dict[int, list[Clause]] = {}

    def of(self, doc_id: int) -> list[Clause]:
        if doc_id not in self.clauses:
            self.clauses[doc_id] = [c.to_clause() for c in self.data.by_id[doc_id].clauses]
        return self.clauses[doc_id]


def document_digest(doc: DocumentInfo) -> str:
    """What :func:`rok_compare.store.alignment_cache.document_digest` gives for the document's clauses,
    from the report's rows (no clause objects made)."""
    digest = hashlib.sha256()
    for clause in doc.clauses:
        digest.update(clause.key.encode("utf-8") + b"\0" + clause.text.encode("utf-8") + b"\1")
    return digest.hexdigest()[:32]


def compare_pairs(data: ReportData, pairs: Sequence[Pair], writer: PageWriter, workers: int | None = None,
                  stats: AlignStats | None = None, write_cache: bool = True,
                  ) -> tuple[list[Pair], dict[Pair, dict[str, int]]]:
    """Align each pair (or read it from the store's cache), write its page; the pairs kept (in the
    order of ``pairs``) and the summary of each. The cache keeps only alignments of documents
    still in the store, as they are; without ``write_cache`` it is only read."""
    stats = stats if stats is not None else AlignStats()
    digests = {doc.id: document_digest(doc) for doc in data.documents}
    keys: list[Key] = [(digests[p.a], digests[p.b]) for p in pairs]
    workers = default_workers() if workers is None else max(1, workers)
    if len(pairs) < MIN_PER_WORKER * 2:
        workers = 1
    cache = AlignmentCache.open(data.db_path) if write_cache else AlignmentCache.open_readonly(data.db_path)
    kept: list[Pair] = []
    summaries: dict[Pair, dict[str, int]] = {}
    try:
        cached = cache.present(keys) if cache is not None else set()
        if len(cached) < len(keys):
            from rok_compare.align import align  # noqa: F401  (imported once, before the workers fork)
        pool.SHARED.update(data=data, writer=writer, clauses=_Clauses(data))
        pending: list[tuple[Key, bytes]] = []
        done: list[_Done | None] = [None] * len(pairs)
        for chunk, results in pool.run(_compare, _tasks(pairs, keys, cached, cache), workers):
            for k, result in enumerate(results, start=chunk * CHUNK):
                done[k] = result
                stats.cached += result.cached
                stats.aligned += not result.cached
                stats.cpu_seconds += result.cpu
                if result.written is not None:
                    writer.record([result.written])
                if result.blob is not None and cache is not None:
                    pending.append((keys[k], result.blob))
                    if len(pending) >= WRITE_EVERY:
                        cache.put(pending)
                        pending = []
        if cache is not None:
            cache.put(pending)
            cache.drop_unused(digests.values())  # alignments of documents pruned or changed since
    finally:
        pool.SHARED.clear()
        if cache is not None:
            cache.close()
    for pair, result in zip(pairs, done, strict=True):
        if result is not None and result.kept and result.summary is not None:
            kept.append(pair)
            summaries[pair] = result.summary
    return kept, summaries


def _tasks(pairs: Sequence[Pair], keys: Sequence[Key], cached: set[Key],
           cache: AlignmentCache | None) -> Iterator[list[_Task]]:
    """The pairs in tasks of :data:`CHUNK`, each with its cached alignment read just before it is queued."""
    for start in range(0, len(pairs), CHUNK):
        yield [_Task(pair, cache.get(key) if cache is not None and key in cached else None,
                     cache is not None and cache.can_write)
               for pair, key in zip(pairs[start:start + CHUNK], keys[start:start + CHUNK], strict=True)]


def _compare(tasks: list[_Task]) -> list[_Done]:
    """Align (or decode) each pair of ``tasks`` and write its page (runs in a worker)."""
    from rok_compare.report.pages.documents import compare_page

    data: ReportData = pool.SHARED["data"]
    writer: PageWriter = pool.SHARED["writer"]
    clauses: _Clauses = pool.SHARED["clauses"]
    out = []
    for task in tasks:
        pair = task.pair
        a, b = clauses.of(pair.a), clauses.of(pair.b)
        a_path, b_path = data.by_id[pair.a].path, data.by_id[pair.b].path
        alignment, cpu, blob = None, 0.0, None
        if task.blob is not None:
            alignment = decode(task.blob, a, b, a_path, b_path)
        else:
            alignment, cpu = _align(a, b, a_path, b_path)
            blob = encode(alignment, a, b) if task.encode else None
        if pair.reason != "revision" and not alignment.pairs:
            out.append(_Done(False, None, None, blob, cpu, task.blob is not None))
            continue
        written = (pair.page, writer.write(pair.page, compare_page(data, pair, alignment)))
        out.append(_Done(True, alignment.summary.to_dict(), written, blob, cpu, task.blob is not None))
    return out


def _align(a: list[Clause], b: list[Clause], a_path: str, b_path: str) -> tuple[Alignment, float]:
    from rok_compare.align import align

    started = time.process_time()
    alignment = align(a, b, a_path, b_path)
    return alignment, time.process_time() - started
