"""Results of parallel workers handed on in the order the files were given.

Workers finish in any order; storing in that order would give the same files other document ids on
every run (and so other report pages and clause anchors). Results wait here until those of the files
before them have been handed on. A slow file must not hold the whole batch in memory, so once
``max_waiting`` results wait, the earliest of them go on regardless: ids are then in finishing order
for those files only. Interrupted, the results still waiting are dropped, as if never finished: a
re-run extracts them again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Result = TypeVar("Result")

MAX_WAITING = 64


class InOrder(Generic[Result]):
    """Call ``deliver`` with each result in the order of ``keys`` (each key's result once)."""

    def __init__(self, keys: Sequence[str], deliver: Callable[[Result], None], max_waiting: int = MAX_WAITING) -> None:
        self._position = {key: index for index, key in enumerate(keys)}
        self._deliver = deliver
        self._max_waiting = max_waiting
        self._next = 0
        self._waiting: dict[int, Result] = {}

    def __call__(self, key: str, result: Result) -> None:
        position = self._position.get(key)
        if position is None or position < self._next:  # not given, or its place was handed on by a flush
            self._deliver(result)
            return
        self._waiting[position] = result
        while self._next in self._waiting:
            self._deliver(self._waiting.pop(self._next))
            self._next += 1
        if len(self._waiting) > self._max_waiting:
            self.flush()

    def flush(self) -> None:
        """Hand on everything waiting, earliest first (at the end of a batch, or when interrupted)."""
        for position in sorted(self._waiting):
            self._deliver(self._waiting.pop(position))
            self._next = max(self._next, position + 1)
