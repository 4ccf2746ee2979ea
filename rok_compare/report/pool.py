"""Run the report's work in forked worker processes, results in order, with what the workers share.

Aligning the comparisons and rendering some 28,000 pages (10,000 documents) is most of a build,
and every piece is independent of the others once the store is read and the pairs are chosen.
The building process puts what the pieces read into :data:`SHARED` (the report's data, the page
writer, ...) and forks the workers, which inherit it without pickling; each task carries only
its own small arguments, and each result only what the building process must record (stamps of
the files written, summaries, new cache entries).

A pool that cannot start or breaks falls back to running the remaining tasks in this process;
with one worker, or too few tasks to pay for a pool, everything runs here.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

SHARED: dict[str, Any] = {}
"""What the tasks read, set by the building process before the workers fork."""
IN_FLIGHT = 4
"""Tasks queued per worker (keeps every worker busy without holding all tasks' arguments at once)."""


def default_workers() -> int:
    """One worker per core the process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def run(task: Callable[[T], R], items: Iterable[T], workers: int) -> Iterator[tuple[int, R]]:
    """``(k, task(item))`` for the ``k``-th of ``items``, as they finish: in ``workers`` forked
    processes when ``workers`` > 1 (``task`` must be a module-level function), else in this process
    and in order.

    ``items`` is consumed as the workers take tasks, so it may be a generator that reads what each
    task needs just before it is queued; at most :data:`IN_FLIGHT` tasks per worker wait at a time."""
    numbered = enumerate(items)
    if workers <= 1 or not can_fork():
        for k, item in numbered:
            yield k, task(item)
        return
    pending: dict[Future[R], tuple[int, T]] = {}
    gc.collect()
    gc.freeze()  # the objects already made stay out of the collector: the workers' copies of them stay shared
    pool = None
    try:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        for k, item in numbered:
            pending[pool.submit(task, item)] = (k, item)
            while len(pending) >= workers * IN_FLIGHT:
                yield from _finished(pending, FIRST_COMPLETED)
        while pending:
            yield from _finished(pending, FIRST_COMPLETED)
    except BrokenProcessPool:
        for k, item in sorted(pending.values(), key=lambda entry: entry[0]):
            yield k, task(item)
        for k, item in numbered:
            yield k, task(item)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _finished(pending: dict[Future[R], tuple[int, T]], until: str) -> Iterator[tuple[int, R]]:
    """The results of the tasks done (waiting for at least one), each taken out of ``pending``."""
    done, _ = wait(pending, return_when=until)
    for future in done:
        k, _item = pending[future]
        result = future.result()
        del pending[future]
        yield k, result


def in_background(task: Callable[..., R], *args: Any, workers: int) -> Callable[[], R]:
    """Start ``task(*args)`` in a forked process (when ``workers`` > 1) while this one goes on; the
    function returned waits for its result. Without a process (or if it fails to run one) the task
    runs in this process when its result is asked for."""
    if workers > 1 and can_fork():
        try:
            pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
            future = pool.submit(task, *args)
        except OSError:
            pass
        else:
            def result() -> R:
                try:
                    return future.result()
                except BrokenProcessPool:
                    return task(*args)
                finally:
                    pool.shutdown(wait=True, cancel_futures=True)
            return result
    return lambda: task(*args)
