"""Align the pairs the report shows side by side: from the store's cache, or in worker processes.

Alignment (:func:`rok_compare.align.align`) was nine tenths of a report's build time for a large
corpus (``scripts/bench_report.py``). A pair whose two documents and aligner are unchanged since an
earlier build is read back from the store's alignment cache
(:mod:`rok_compare.store.alignment_cache`); the others are aligned, with ``workers`` > 1 in a pool
of processes (fork, so nothing is imported again), and written to the cache as they come back. A
pool that cannot start or breaks falls back to aligning in this process; a cache that cannot be
written is simply not written. Pages are always written by the caller, in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from rok_compare.align.model import Alignment
from rok_compare.model import Clause
from rok_compare.report.analysis import Pair
from rok_compare.report.data import ReportData
from rok_compare.store.alignment_cache import AlignmentCache, Key, decode, document_digest, encode

MIN_PER_WORKER = 8
"""Fewer pairs than this per worker are aligned in this process (starting a pool costs more)."""
CHUNK = 4
WRITE_EVERY = 200
"""New alignments written to the cache in one transaction."""


@dataclass(slots=True)
class AlignStats:
    """What aligning the report's pairs cost: how many were aligned, how many came from the cache."""

    aligned: int = 0
    cached: int = 0
    cpu_seconds: float = 0.0
    """CPU time of the alignments made (in whichever process made them)."""


def default_workers() -> int:
    """One worker per core the process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


Job = tuple[list[Clause], list[Clause], str, str]


def _align(job: Job) -> tuple[Alignment, float]:
    from rok_compare.align import align

    started = time.process_time()
    alignment = align(*job)
    return alignment, time.process_time() - started


class _Clauses:
    """Each document's clauses as the aligner takes them, and their digest, made once per document."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.clauses: dict[int, list[Clause]] = {}
        self.digests: dict[int, str] = {}

    def of(self, doc_id: int) -> list[Clause]:
        if doc_id not in self.clauses:
            self.clauses[doc_id] = [c.to_clause() for c in self.data.by_id[doc_id].clauses]
        return self.clauses[doc_id]

    def digest(self, doc_id: int) -> str:
        if doc_id not in self.digests:
            self.digests[doc_id] = document_digest(self.of(doc_id))
        return self.digests[doc_id]

    def job(self, pair: Pair) -> Job:
        return self.of(pair.a), self.of(pair.b), self.data.by_id[pair.a].path, self.data.by_id[pair.b].path


def align_pairs(data: ReportData, pairs: Sequence[Pair], workers: int | None = None,
                cache: AlignmentCache | None = None, stats: AlignStats | None = None) -> Iterator[Alignment]:
    """The alignment of each pair, in the order of ``pairs``; new ones are added to ``cache``."""
    stats = stats if stats is not None else AlignStats()
    docs = _Clauses(data)
    keys: list[Key] = [(docs.digest(p.a), docs.digest(p.b)) for p in pairs]
    cached = cache.present(keys) if cache is not None else set()
    made = _aligned([docs.job(p) for p, key in zip(pairs, keys, strict=True) if key not in cached], workers)
    pending: list[tuple[Key, bytes]] = []
    for pair, key in zip(pairs, keys, strict=True):
        job = docs.job(pair)
        alignment = None
        if key in cached:
            blob = cache.get(key) if cache is not None else None
            if blob is not None:
                alignment = decode(blob, job[0], job[1], job[2], job[3])
                stats.cached += 1
        if alignment is None:
            alignment, cpu = next(made) if key not in cached else _align(job)
            stats.aligned += 1
            stats.cpu_seconds += cpu
            blob = encode(alignment, job[0], job[1]) if cache is not None else None
            if blob is not None:
                pending.append((key, blob))
            if cache is not None and len(pending) >= WRITE_EVERY:
                cache.put(pending)
                pending = []
        yield alignment
    if cache is not None:
        cache.put(pending)


def _aligned(jobs: list[Job], workers: int | None) -> Iterator[tuple[Alignment, float]]:
    """The alignments of ``jobs`` in order, made by a pool of ``workers`` processes when it pays."""
    workers = default_workers() if workers is None else max(1, workers)
    if workers == 1 or len(jobs) < MIN_PER_WORKER * 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_align, jobs)
        return
    done = 0
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for result in pool.map(_align, jobs, chunksize=CHUNK):
                done += 1
                yield result
    except (BrokenProcessPool, OSError):
        yield from map(_align, jobs[done:])
