"""Run extraction away from the driver: in a pool of processes, or on a Dask cluster.

Workers only extract; they return an :class:`ExtractResult` and never touch the store. Any
exception inside the extractor comes back as a failed result. A worker process that dies
(segfault in native code, out of memory, ``os._exit``) breaks a ``ProcessPoolExecutor``; the
runner then re-runs the files that were in flight one at a time, so only the file that kills its
process is recorded as failed and the others go through.

A per-file ``timeout`` stops a hanging extraction: pool workers tell the driver when they start
a file; when one runs late the driver kills the pool's workers (a broken pool is lost anyway),
records that file as failed (kind ``timeout``) and re-runs the files the other workers were
reading in a fresh pool. On Dask the late file's thread is abandoned instead (threads cannot be
killed).

Each worker process runs under a memory limit (``RLIMIT_AS``, ``--memory-limit``): a file that
needs more fails as kind ``memory`` instead of taking the machine down. Workers end when the
driver does, even when it is killed with SIGKILL (they watch it through a pidfd), so a killed
batch leaves no helper processes behind.

The extractor is named by an import reference ``"module:function"`` (picklable, and importable on
remote Dask workers); :data:`EXTRACTOR_ENV` overrides the default, which is how the tests inject
a crashing or slow extractor into a ``rok ingest`` subprocess.
"""

from __future__ import annotations

import importlib
import importlib.util
import multiprocessing
import os
import resource
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from rok_compare.errors import InputError
from rok_compare.model import Agreement
from rok_compare.store import worker_guard as guard
from rok_compare.store.worker_guard import exit_with_parent, limit_memory
from rok_compare.store.write import FailureKind

__all__ = ["DEFAULT_MEMORY_LIMIT_MB", "DEFAULT_TIMEOUT", "ExtractResult", "IngestError", "Limits", "check_extractor",
           "exit_with_parent", "extract_job", "extract_with_timeout", "limit_memory", "resolve_extractor", "run_dask",
           "run_processes", "start_workers_early"]

EXTRACTOR_ENV = "ROK_EXTRACTOR"
DEFAULT_EXTRACTOR = "rok_compare.extract:extract_document"
WORKER_DIED = ("the extractor's process died while reading this file "
               "(a crash in native code, out of memory, or killed)")

DEFAULT_TIMEOUT = 300.0
"""Seconds one file may take to extract before it fails as timed out (0 or None: no limit)."""
DEFAULT_MEMORY_LIMIT_MB = 4096
"""Address space a worker process may use (``RLIMIT_AS``); the extractor's own needs are ~1.5 GB."""
_POLL = 0.5
"""With a timeout, the driver looks for overdue files at least this often (seconds)."""

_resolved: dict[str, Callable[[str], Agreement]] = {}
_events: Any = None
"""In a pool worker: where it reports the files it starts, when the driver enforces a timeout."""
_cpu_reported = 0.0
"""In a pool worker: its CPU seconds already reported with a result."""


@dataclass(frozen=True, slots=True)
class Limits:
    """What one file may cost: seconds of extraction, MB of address space per worker (None: no limit)."""

    timeout: float | None = DEFAULT_TIMEOUT
    memory_mb: int | None = DEFAULT_MEMORY_LIMIT_MB


class IngestError(Exception):
    """The batch cannot run at all (unknown extractor or executor, unreachable scheduler)."""


@dataclass(slots=True)
class ExtractResult:
    """One file's extraction: an agreement, or why there is none."""

    path: str
    agreement: Agreement | None = None
    kind: FailureKind | None = None
    error: str | None = None
    seconds: float = 0.0
    cpu: float = 0.0
    """CPU seconds of the pool worker process since its previous file (the first file of a worker
    also carries its start); 0 where not measured (Dask)."""


def extractor_ref(ref: str | None = None) -> str:
    """The extractor to use: ``ref``, else ``$ROK_EXTRACTOR``, else the project's extractor."""
    return ref or os.environ.get(EXTRACTOR_ENV) or DEFAULT_EXTRACTOR


def resolve_extractor(ref: str) -> Callable[[str], Agreement]:
    """Import ``"module:function"``; raises :class:`IngestError` if it does not exist."""
    if ref not in _resolved:
        module_name, _, name = ref.partition(":")
        try:
            function = getattr(importlib.import_module(module_name), name)
        except (ImportError, AttributeError, ValueError) as error:
            raise IngestError(f"extractor {ref!r} cannot be imported ({error})") from error
        _resolved[ref] = function
    return _resolved[ref]


def check_extractor(ref: str) -> None:
    """Raise :class:`IngestError` if ``ref`` cannot be imported. The project's own extractor is
    only looked up, not imported: the driver never runs it, and its imports (a fifth of a second)
    are the workers' to make."""
    if ref == DEFAULT_EXTRACTOR:
        module = ref.partition(":")[0]
        if importlib.util.find_spec(module) is None:
            raise IngestError(f"extractor {ref!r} cannot be imported (no module {module})")
        return
    resolve_extractor(ref)


def start_workers_early() -> None:
    """Start the fork server as soon as a batch knows it has files to extract, so that it imports
    (and warms) the extractor on another core while the driver imports what the reuse update needs,
    not after: a one-file batch waits for it otherwise. A batch that extracts nothing starts none."""
    from multiprocessing import forkserver

    _context()
    # Spawned with SIGINT ignored (inherited through exec; Python then installs no KeyboardInterrupt
    # handler): a Ctrl-C to the process group while the server still imports the extractor would
    # print its traceback under the driver's one-line message. The driver ignores it for the spawn only.
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        forkserver.ensure_running()
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def extract_job(path: str, ref: str) -> ExtractResult:
    """Extract one file in a worker; every exception becomes a failed result."""
    started = time.perf_counter()
    try:
        agreement = resolve_extractor(ref)(path)
    except MemoryError:
        limit = f"the worker's limit of {guard.memory_mb} MB" if guard.memory_mb else "the memory available"
        return ExtractResult(path, kind=FailureKind.MEMORY,
                             error=f"{path}: needs more memory than {limit} (raise it with --memory-limit)",
                             seconds=time.perf_counter() - started)
    except InputError as error:
        return ExtractResult(path, kind=FailureKind.INPUT, error=str(error),
                             seconds=time.perf_counter() - started)
    except Exception as error:
        where = traceback.extract_tb(error.__traceback__)[-1]
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return ExtractResult(path, kind=FailureKind.CRASH,
                             error=f"extractor crashed ({detail}, at {os.path.basename(where.filename)}:"
                                   f"{where.lineno})", seconds=time.perf_counter() - started)
    return ExtractResult(path, agreement=agreement, seconds=time.perf_counter() - started)


def extract_with_timeout(path: str, ref: str, timeout: float) -> ExtractResult:
    """:func:`extract_job` for a Dask task, giving up after ``timeout`` seconds.

    A Dask worker runs tasks in threads, which cannot be killed: the extraction runs in a daemon
    thread that is abandoned (it runs on until it returns) when it is late, so the batch goes on.
    """
    box: list[ExtractResult] = []
    thread = threading.Thread(target=lambda: box.append(extract_job(path, ref)), daemon=True,
                              name=f"rok-extract {os.path.basename(path)}")
    thread.start()
    thread.join(timeout)
    return box[0] if box else timed_out(path, timeout, "extraction abandoned on its Dask worker")


def _init_worker(events: Any = None, memory_mb: int | None = None, driver: int | None = None) -> None:
    """Workers leave Ctrl-C to the driver, which stops the batch cleanly; they report starts to ``events``,
    run under ``memory_mb`` and end when their parent does."""
    global _events
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _events = events
    limit_memory(memory_mb)
    exit_with_parent(driver)


def _job(path: str, ref: str) -> ExtractResult:
    """:func:`extract_job` in a pool worker, after telling the driver (if it watches) when it started."""
    global _cpu_reported
    if _events is not None:
        _events.put((path, time.monotonic()))  # CLOCK_MONOTONIC: the same clock in every process
    result = extract_job(path, ref)
    usage = resource.getrusage(resource.RUSAGE_SELF)  # counted from the fork of this worker
    spent = usage.ru_utime + usage.ru_stime
    result.cpu, _cpu_reported = spent - _cpu_reported, spent
    return result


def _context() -> Any:
    # forkserver: workers are forked from a clean server process, not from the driver (which may
    # run threads: the progress bar), and the extractor's imports and first-use work are done once.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["rok_compare.extract", "rok_compare.store.warm_worker"])
    return context


def _pool(workers: int, events: Any = None, memory_mb: int | None = None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_init_worker,
                               initargs=(events, memory_mb, os.getpid()))


def _canary() -> bool:
    """A job that cannot crash: if it kills its worker, workers die as they start."""
    return True


def timed_out(path: str, timeout: float, what: str = "extraction stopped, worker process replaced") -> ExtractResult:
    """The failed result of a file whose extraction took longer than ``timeout`` seconds."""
    return ExtractResult(path, kind=FailureKind.TIMEOUT, error=f"{path}: timed out after {timeout:g} s ({what})",
                         seconds=timeout)


class _Clock:
    """When each file started in a worker (the workers report it), so that overdue ones can be stopped.

    A queue per pool: a worker killed while writing to it may leave its lock taken.
    """

    def __init__(self, limits: Limits) -> None:
        self.timeout = limits.timeout or None
        self.memory_mb = limits.memory_mb or None
        self.events: Any = None
        self.started: dict[str, float] = {}

    def pool(self, workers: int) -> ProcessPoolExecutor:
        self.started = {}
        self.events = _context().SimpleQueue() if self.timeout else None
        return _pool(workers, self.events, self.memory_mb)

    def _drain(self, paths: Iterable[str]) -> set[str]:
        """Read the workers' start reports; keep those of ``paths`` (the files in flight) only."""
        while self.events is not None and not self.events.empty():
            path, started = self.events.get()
            self.started[path] = started
        keep = set(paths)
        self.started = {path: t for path, t in self.started.items() if path in keep}
        return keep

    def wait_seconds(self, paths: Iterable[str]) -> float | None:
        """How long the driver may block before it must look for overdue files among ``paths`` again."""
        if self.timeout is None:
            return None
        self._drain(paths)
        now = time.monotonic()
        nearest = min((t + self.timeout - now for t in self.started.values()), default=_POLL)
        return min(max(nearest, 0.01), _POLL)

    def overdue(self, paths: Iterable[str]) -> set[str]:
        """Those of ``paths`` that have run longer than the timeout."""
        if self.timeout is None:
            return set()
        self._drain(paths)
        now = time.monotonic()
        return {path for path, t in self.started.items() if now - t >= self.timeout}


def _kill(pool: ProcessPoolExecutor) -> None:
    """End a pool at once when a file is overdue: SIGKILL every worker, since a hang in native code
    (or a SIGTERM handler) survives SIGTERM and would keep the process, and the driver's exit, waiting."""
    _stop(pool, kill=True)


def run_processes(paths: Iterable[str], ref: str, workers: int, on_result: Callable[[ExtractResult], None],
                  limits: Limits | None = None) -> None:
    """Extract ``paths`` in ``workers`` processes, calling ``on_result`` in the driver as results arrive.

    A file still extracting after ``timeout`` seconds fails as timed out: the pool's workers are
    killed, and the files the other workers were reading are read again in a new pool.
    """
    pending = deque(paths)
    window = max(2, workers * 2)  # few files in flight: few suspects when a worker dies
    clock = _Clock(limits or Limits(None, None))
    while pending:
        suspects: list[str] = []
        overdue: set[str] = set()
        pool = clock.pool(workers)
        inflight: dict[Future[ExtractResult], str] = {}
        try:
            while (pending or inflight) and not suspects and not overdue:
                while pending and len(inflight) < window and not suspects:
                    path = pending.popleft()
                    try:
                        inflight[pool.submit(_job, path, ref)] = path
                    except BrokenProcessPool:  # a worker died since the last wait
                        suspects.append(path)
                if not inflight:
                    break
                done, _ = wait(inflight, timeout=clock.wait_seconds(inflight.values()),
                               return_when=FIRST_COMPLETED)
                for future in done:
                    path = inflight.pop(future)
                    if isinstance(future.exception(), BrokenProcessPool):
                        suspects.append(path)
                    else:
                        on_result(future.result())
                overdue = clock.overdue([*inflight.values(), *suspects])
            if overdue:
                _kill(pool)
                # The other files in flight were not at fault: they go back to the front of the queue.
                pending.extendleft(reversed([path for path in suspects if path not in overdue]))
                for path in _requeue(inflight, overdue, pending, on_result):
                    on_result(timed_out(path, clock.timeout or 0))
                continue
            suspects += inflight.values()
        except BaseException:  # Ctrl-C or a failing callback: stop now, lose only unstored work
            _stop(pool)
            raise
        pool.shutdown(wait=not suspects, cancel_futures=True)
        if suspects:
            _check_workers_start()
            _isolate(suspects, ref, on_result, clock)


def _requeue(inflight: dict[Future[ExtractResult], str], overdue: set[str], pending: deque[str],
             on_result: Callable[[ExtractResult], None]) -> list[str]:
    """After killing a pool: pass on the results that came in, put the files it was still reading back
    in ``pending``; return the overdue files that did not finish after all."""
    again, late = [], []
    for future, path in inflight.items():
        if future.done() and not future.cancelled() and future.exception() is None:
            on_result(future.result())  # finished just before it was killed
        elif path in overdue:
            late.append(path)
        else:
            again.append(path)
    pending.extendleft(reversed(again))
    return late + [path for path in overdue if path not in inflight.values()]


def _check_workers_start() -> None:
    """Raise :class:`IngestError` when workers die whatever they run (not a file's fault)."""
    pool = _pool(1)
    try:
        pool.submit(_canary).result()
    except BrokenProcessPool as error:
        raise IngestError(
            "extraction worker processes die as they start; a script that calls ingest() must "
            "guard its entry point with `if __name__ == \"__main__\":`") from error
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _stop(pool: ProcessPoolExecutor, kill: bool = False) -> None:
    """Cancel queued files and end the workers without waiting for the files they are reading."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public API before 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive() and kill:
            process.kill()
        elif process.is_alive():
            process.terminate()


def _isolate(paths: list[str], ref: str, on_result: Callable[[ExtractResult], None], clock: _Clock) -> None:
    """Run files one at a time in a single-worker pool: a broken pool now names its file."""
    pool: ProcessPoolExecutor | None = None
    try:
        for path in paths:
            pool = pool or clock.pool(1)
            future = pool.submit(_job, path, ref)
            while not wait([future], timeout=clock.wait_seconds([path])).done and not clock.overdue([path]):
                pass
            if not future.done():
                _kill(pool)
                pool, result = None, timed_out(path, clock.timeout or 0)
            elif isinstance(future.exception(), BrokenProcessPool):
                result = ExtractResult(path, kind=FailureKind.CRASH, error=WORKER_DIED)
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
            else:
                result = future.result()
            on_result(result)
    except BaseException:
        if pool is not None:
            _stop(pool)
            pool = None
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True)


def run_dask(paths: list[str], ref: str, workers: int, scheduler: Any,
             on_result: Callable[[ExtractResult], None], limits: Limits | None = None) -> None:
    """Extract on a Dask cluster; see :mod:`rok_compare.store.dask_run`."""
    from rok_compare.store.dask_run import run_dask as run

    run(paths, ref, workers, scheduler, on_result, limits or Limits(None, None))
