"""Extraction on a Dask cluster, with the driver watching the cluster's health.

Results come back to the driver, which alone writes the store. The driver waits for results in
short slices and looks at the cluster in between: when the scheduler cannot be reached, or no
worker is left, for longer than the batch's grace period (its per-file timeout, else
:data:`DEFAULT_GRACE`), the batch stops with one :class:`IngestError` line. Files in flight are
then *not* recorded as failed: they did nothing wrong, and the next run reads them. A file is
blamed only when Dask itself gives up on it (``KilledWorker``: it killed several workers in turn)
while the cluster is otherwise well.

A local cluster (no ``scheduler``) gets each worker's memory limit both ways: Dask's own (the
nanny restarts a worker past it) and ``RLIMIT_AS`` in the worker process (a MemoryError names
the file); its worker processes end when the driver does, even when it is killed with SIGKILL.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from rok_compare.store.executors import (
    WORKER_DIED,
    ExtractResult,
    IngestError,
    Limits,
    extract_job,
    extract_with_timeout,
)
from rok_compare.store.write import FailureKind

DEFAULT_GRACE = 60.0
"""Seconds without a reachable scheduler or any worker before a batch without a timeout stops."""
_SLICE = 0.5
_SCHEMES = ("tcp", "tls", "ucx", "ws", "wss", "inproc")


def check_address(address: str) -> str:
    """``address`` if it looks like a scheduler address (``tcp://host:8786``); else a one-line IngestError."""
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "tcp", address
    ok = scheme in _SCHEMES and bool(rest) and not any(c.isspace() or ord(c) < 32 for c in address)
    if ok and scheme != "inproc":
        host, colon, port = rest.rstrip("/").rpartition(":")
        if colon and not host.endswith(":"):  # host:port (an IPv6 host is in brackets)
            ok = bool(host) and port.isdigit() and 0 < int(port) < 65536
        else:
            ok = bool(rest.rstrip("/")) and "/" not in rest.rstrip("/") and (not colon or rest.startswith("["))
    if not ok:
        raise IngestError(f"{address!r} is not a Dask scheduler address (expected tcp://host:port)")
    return address


def run_dask(paths: list[str], ref: str, workers: int, scheduler: Any,
             on_result: Callable[[ExtractResult], None], limits: Limits) -> None:
    """Extract ``paths`` on a Dask cluster: ``scheduler`` is an address, a ``Client``, a cluster, or None
    (a local cluster of ``workers`` processes for the batch)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise IngestError("the dask executor needs the optional extra: pip install 'rok-compare[dask]'") \
            from error
    own_client = not hasattr(scheduler, "submit")
    cluster = None
    address = "a local cluster"
    if scheduler is None:
        memory = f"{limits.memory_mb}MB" if limits.memory_mb else 0
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, memory_limit=memory)
        client = Client(cluster)
        from rok_compare.store.dask_guard import WorkerGuard

        client.register_plugin(WorkerGuard(limits.memory_mb, os.getpid()))
    elif own_client:
        address = getattr(scheduler, "scheduler_address", scheduler)
        if isinstance(address, str):
            check_address(address)
        try:
            client = Client(address, timeout="10s")
        except Exception as error:  # OSError, TimeoutError, ValueError for a bad address: all one line
            raise IngestError(f"cannot reach the Dask scheduler at {address} "
                              f"({type(error).__name__}: {error})") from error
    else:
        client = scheduler
        address = str(getattr(client, "scheduler", None) and client.scheduler.address)
    grace = limits.timeout or DEFAULT_GRACE
    with _quiet_logs():  # a lost scheduler makes Dask log tracebacks; the batch says it in one line
        try:
            _Loop(client, address, ref, max(2, workers * 4), on_result, limits.timeout, grace).run(paths)
        finally:
            if own_client:
                _quietly(client.close, timeout=5)
            if cluster is not None:
                _quietly(cluster.close, timeout=5)


@contextlib.contextmanager
def _quiet_logs() -> Iterator[None]:
    """Dask's own loggers at CRITICAL while the batch runs (their levels are restored after)."""
    names = ["distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))]
    saved = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def _quietly(close: Callable[..., Any], **kwargs: Any) -> None:
    with contextlib.suppress(Exception):  # a dead scheduler cannot be closed politely; the outcome is known
        close(**kwargs)


class _Loop:
    def __init__(self, client: Any, address: str, ref: str, window: int,
                 on_result: Callable[[ExtractResult], None], timeout: float | None, grace: float) -> None:
        self.client = client
        self.address = address
        self.ref = ref
        self.window = window
        self.on_result = on_result
        self.timeout = timeout
        self.grace = grace
        self.unwell_since: float | None = None

    def submit(self, path: str) -> Any:
        if self.timeout:
            return self.client.submit(extract_with_timeout, path, self.ref, self.timeout, pure=False, retries=0)
        return self.client.submit(extract_job, path, self.ref, pure=False, retries=0)

    def run(self, paths: list[str]) -> None:
        from distributed import wait

        pending = deque(paths)
        inflight: dict[Any, str] = {}
        while pending or inflight:
            while pending and len(inflight) < self.window:
                path = pending.popleft()
                inflight[self.submit(path)] = path
            try:
                done, _ = wait(list(inflight), timeout=_SLICE, return_when="FIRST_COMPLETED")
            except Exception:  # TimeoutError of this slice (its class differs between versions)
                done = set()
            for future in done:
                path = inflight.pop(future)
                self.finished(future, path)
            if not done:
                self.check_health(len(inflight))

    def finished(self, future: Any, path: str) -> None:
        if future.status == "finished":
            self.on_result(future.result())
        elif future.status == "error" and self.healthy():
            error = future.exception()  # KilledWorker: the file took several workers down with it
            self.on_result(ExtractResult(path, kind=FailureKind.CRASH,
                                         error=f"{WORKER_DIED} [{type(error).__name__}: {error}]"))
        else:  # lost or cancelled with the cluster: not the file's fault; the next run reads it
            raise IngestError(self.stopped(f"the task for {path} was {future.status}"))
        future.release()

    def healthy(self) -> bool:
        """The scheduler answers and has at least one worker."""
        if getattr(self.client, "status", "running") != "running":
            return False
        try:
            info = self.client.scheduler_info()
        except Exception:
            return False
        return bool(info.get("workers"))

    def check_health(self, inflight: int) -> None:
        """Stop the batch when the cluster has been unwell for longer than the grace period."""
        now = time.monotonic()
        if self.healthy():
            self.unwell_since = None
            return
        self.unwell_since = self.unwell_since or now
        if now - self.unwell_since >= self.grace:
            raise IngestError(self.stopped(f"for {now - self.unwell_since:.0f} s"))

    def stopped(self, detail: str) -> str:
        """The one line that ends a batch whose cluster went away."""
        status = getattr(self.client, "status", "?")
        what = (f"the Dask scheduler at {self.address} stopped answering" if status != "running"
                else f"no Dask worker is left at {self.address}")
        return (f"{what} ({detail}); ingest stopped: the documents stored so far are kept, the files in "
                "flight were not recorded as failed; run the same command again when the cluster is back")
