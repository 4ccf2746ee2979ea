"""Align the pairs the report shows side by side, in worker processes when there are many.

Alignment (:func:`rok_compare.align.align`) is nine tenths of a report's build time for a large
corpus (``scripts/bench_report.py``), and each pair is independent: with ``workers`` > 1 the pairs
go to a pool of processes (fork, so nothing is imported again) and come back in order. A pool
that cannot start or breaks falls back to aligning in this process; pages are always written by
the caller, in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from rok_compare.align.model import Alignment
from rok_compare.model import Clause
from rok_compare.report.analysis import Pair
from rok_compare.report.data import ReportData

MIN_PER_WORKER = 8
"""Fewer pairs than this per worker are aligned in this process (starting a pool costs more)."""
CHUNK = 4


def default_workers() -> int:
    """One worker per core the process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


Job = tuple[list[Clause], list[Clause], str, str]


def _align(job: Job) -> Alignment:
    from rok_compare.align import align

    return align(*job)


def align_pairs(data: ReportData, pairs: Sequence[Pair], workers: int | None = None) -> Iterator[Alignment]:
    """The alignment of each pair, in the order of ``pairs``."""
    jobs = [_job(data, pair) for pair in pairs]
    workers = default_workers() if workers is None else max(1, workers)
    if workers == 1 or len(jobs) < MIN_PER_WORKER * 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(_align, jobs)
        return
    done = 0
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for alignment in pool.map(_align, jobs, chunksize=CHUNK):
                done += 1
                yield alignment
    except (BrokenProcessPool, OSError):
        yield from map(_align, jobs[done:])


def _job(data: ReportData, pair: Pair) -> Job:
    a, b = data.by_id[pair.a], data.by_id[pair.b]
    return [c.to_clause() for c in a.clauses], [c.to_clause() for c in b.clauses], a.path, b.path
