"""A Dask worker plugin for the local cluster of a batch: a memory cap, and exit with the driver.

A plugin, not a one-off ``Client.run``: the nanny restarts a worker that went past its memory
limit, and the new worker process gets the same setup.
"""

from __future__ import annotations

from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

from rok_compare.store.worker_guard import exit_with_parent, limit_memory


class WorkerGuard(WorkerPlugin):
    """``RLIMIT_AS`` of ``memory_mb`` in the worker process, which ends when process ``driver`` does."""

    name = "rok-worker-guard"

    def __init__(self, memory_mb: int | None, driver: int) -> None:
        self.memory_mb = memory_mb
        self.driver = driver

    def setup(self, worker: Any) -> None:
        limit_memory(self.memory_mb)
        exit_with_parent(self.driver)
