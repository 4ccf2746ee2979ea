"""Run extraction away from the driver: in a pool of processes, or on a Dask cluster.

Workers only extract; they return an :class:`ExtractResult` and never touch the store. Any
exception inside the extractor comes back as a failed result. A worker process that dies
(segfault in native code, out of memory, ``os._exit``) breaks a ``ProcessPoolExecutor``; the
runner then re-runs the files that were in flight one at a time, so only the file that kills its
process is recorded as failed and the others go through.

The extractor is named by an import reference ``"module:function"`` (picklable, and importable on
remote Dask workers); :data:`EXTRACTOR_ENV` overrides the default, which is how the tests inject
a crashing or slow extractor into a ``rok ingest`` subprocess.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
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
from rok_compare.store.write import FailureKind

EXTRACTOR_ENV = "ROK_EXTRACTOR"
DEFAULT_EXTRACTOR = "rok_compare.extract:extract_document"
WORKER_DIED = ("the extractor's process died while reading this file "
               "(a crash in native code, out of memory, or killed)")

_resolved: dict[str, Callable[[str], Agreement]] = {}


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


def extract_job(path: str, ref: str) -> ExtractResult:
    """Extract one file in a worker; every exception becomes a failed result."""
    started = time.perf_counter()
    try:
        agreement = resolve_extractor(ref)(path)
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


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the driver, which stops the batch cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool(workers: int) -> ProcessPoolExecutor:
    # forkserver: workers are forked from a clean server process, not from the driver (which may
    # run threads: the progress bar), and the extractor's imports are preloaded once.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["rok_compare.extract"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_ignore_sigint)


def _canary() -> bool:
    """A job that cannot crash: if it kills its worker, workers die as they start."""
    return True


def run_processes(paths: Iterable[str], ref: str, workers: int,
                  on_result: Callable[[ExtractResult], None]) -> None:
    """Extract ``paths`` in ``workers`` processes, calling ``on_result`` in the driver as results arrive."""
    pending = deque(paths)
    window = max(2, workers * 2)  # few files in flight: few suspects when a worker dies
    while pending:
        suspects: list[str] = []
        pool = _pool(workers)
        inflight: dict[Future[ExtractResult], str] = {}
        try:
            while (pending or inflight) and not suspects:
                while pending and len(inflight) < window and not suspects:
                    path = pending.popleft()
                    try:
                        inflight[pool.submit(extract_job, path, ref)] = path
                    except BrokenProcessPool:  # a worker died since the last wait
                        suspects.append(path)
                if not inflight:
                    break
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                for future in done:
                    path = inflight.pop(future)
                    if isinstance(future.exception(), BrokenProcessPool):
                        suspects.append(path)
                    else:
                        on_result(future.result())
            suspects += inflight.values()
        except BaseException:  # Ctrl-C or a failing callback: stop now, lose only unstored work
            _stop(pool)
            raise
        pool.shutdown(wait=not suspects, cancel_futures=True)
        if suspects:
            _check_workers_start()
            _isolate(suspects, ref, on_result)


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


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel queued files and end the workers without waiting for the files they are reading."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public API before 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()


def _isolate(paths: list[str], ref: str, on_result: Callable[[ExtractResult], None]) -> None:
    """Run files one at a time in a single-worker pool: a broken pool now names its file."""
    pool: ProcessPoolExecutor | None = None
    try:
        for path in paths:
            pool = pool or _pool(1)
            future = pool.submit(extract_job, path, ref)
            try:
                result = future.result()
            except BrokenProcessPool:
                result = ExtractResult(path, kind=FailureKind.CRASH, error=WORKER_DIED)
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
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
             on_result: Callable[[ExtractResult], None]) -> None:
    """Extract on a Dask cluster: ``scheduler`` is an address, a ``Client``, a cluster, or None.

    None starts a local cluster of ``workers`` processes for the batch. Results come back to the
    driver, which alone writes the store.
    """
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as error:
        raise IngestError("the dask executor needs the optional extra: pip install 'rok-compare[dask]'") \
            from error
    own_client = not hasattr(scheduler, "submit")
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    elif own_client:
        address = getattr(scheduler, "scheduler_address", scheduler)
        try:
            client = Client(address, timeout="10s")
        except OSError as error:
            raise IngestError(f"cannot reach the Dask scheduler at {address} ({error})") from error
    else:
        client = scheduler
    try:
        _dask_loop(client, as_completed, paths, ref, max(2, workers * 4), on_result)
    finally:
        if own_client:
            client.close()
        if cluster is not None:
            cluster.close()


def _dask_loop(client: Any, as_completed: Any, paths: list[str], ref: str, window: int,
               on_result: Callable[[ExtractResult], None]) -> None:
    pending = deque(paths)
    path_of: dict[str, str] = {}

    def submit() -> Any:
        path = pending.popleft()
        future = client.submit(extract_job, path, ref, pure=False, retries=0)
        path_of[future.key] = path
        return future

    queue = as_completed([submit() for _ in range(min(window, len(pending)))])
    for future in queue:
        path = path_of.pop(future.key)
        if future.status == "finished":
            on_result(future.result())
        else:  # the task itself failed: its worker died (KilledWorker) or it was lost
            error = future.exception()
            on_result(ExtractResult(path, kind=FailureKind.CRASH,
                                    error=f"{WORKER_DIED} [{type(error).__name__}: {error}]"))
        future.release()
        if pending:
            queue.add(submit())
