"""What every extraction worker process does at start: cap its memory, and end when the driver does."""

from __future__ import annotations

import os
import select
import threading
import time

memory_mb: int | None = None
"""In a worker: its memory limit, for the message when a file needs more."""


def limit_memory(limit_mb: int | None) -> None:
    """Cap this process's address space (``RLIMIT_AS``): a hostile file gets a MemoryError, not the machine."""
    global memory_mb
    memory_mb = limit_mb
    if not limit_mb:
        return
    try:
        import resource
    except ImportError:  # not on Windows
        return
    wanted = limit_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def exit_with_parent(pid: int | None = None, poll: float = 0.5) -> None:
    """End this helper process as soon as the process ``pid`` (default: its parent) is gone.

    A driver killed with SIGKILL cleans up nothing, and a pool worker's parent is the fork server,
    which itself lives as long as any worker does: so workers watch the driver. A daemon thread
    waits on a pidfd (no pid reuse), or polls where there is none.
    """
    pid = pid or os.getppid()
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = None

    def watch() -> None:
        if fd is not None:
            select.select([fd], [], [])
        else:
            while _alive(pid):
                time.sleep(poll)
        os._exit(1)

    threading.Thread(target=watch, name="rok-exit-with-driver", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
