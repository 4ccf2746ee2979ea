"""The report's worker processes: every task's result comes back once, under its position, whatever
the order they finish in; a worker that dies leaves the remaining tasks to the building process."""

from __future__ import annotations

import os
import time

import pytest

from rok_compare.report import pool

pytestmark = pytest.mark.skipif(not pool.can_fork(), reason="the workers are forked processes")


def _square_slowly(k: int) -> tuple[int, int]:
    time.sleep(0.05 if k % 3 == 0 else 0.0)  # the first tasks finish last
    return k * k, os.getpid()


def _shared_length(k: int) -> int:
    return len(pool.SHARED["words"]) + k


def _die_in_a_worker(k: int) -> int:
    if os.getpid() != pool.SHARED["parent"] and k == 5:
        os._exit(3)  # a worker killed mid-task (out of memory, say)
    return -k


def test_results_come_back_once_each_under_their_position() -> None:
    results = dict(pool.run(_square_slowly, iter(range(40)), workers=2))
    assert sorted(results) == list(range(40))
    assert all(square == k * k for k, (square, _) in results.items())
    assert os.getpid() not in {pid for _, pid in results.values()}  # done by the workers


def test_one_worker_runs_the_tasks_here_in_order() -> None:
    assert [k for k, _ in pool.run(_square_slowly, range(6), workers=1)] == list(range(6))
    assert {pid for _, (_, pid) in pool.run(_square_slowly, range(6), workers=1)} == {os.getpid()}


def test_workers_read_what_the_building_process_shared() -> None:
    pool.SHARED["words"] = ["a", "b", "c"]
    try:
        assert dict(pool.run(_shared_length, range(10), workers=2)) == {k: 3 + k for k in range(10)}
    finally:
        pool.SHARED.clear()


def test_a_dead_worker_leaves_its_tasks_to_this_process() -> None:
    pool.SHARED["parent"] = os.getpid()
    try:
        results = dict(pool.run(_die_in_a_worker, range(30), workers=2))
    finally:
        pool.SHARED.clear()
    assert results == {k: -k for k in range(30)}


def test_a_background_task_gives_what_it_would_give_here() -> None:
    square, pid = pool.in_background(_square_slowly, 7, workers=2)()
    assert square == 49 and pid != os.getpid()
    assert pool.in_background(_square_slowly, 7, workers=1)() == (49, os.getpid())
