"""Per-file extraction timeout: a hanging file fails as timed out, its worker dies, the rest go through.

The stand-in :func:`rok_compare.store.testing.hanging_extractor` reads the seed documents paragraph
by paragraph, never finishes ``*hang*`` files (ignoring SIGTERM, as a hang in native code would)
and takes N seconds on ``*sleepN*`` files. Its behaviour follows the file name, not the
environment, because pool workers are forked from a server process started once per session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rok_compare.store import IngestError, Status, Store, ingest, status
from rok_compare.store.read import incomplete_documents

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
ROK = Path(sys.executable).parent / "rok"
HANGING = "rok_compare.store.testing:hanging_extractor"


def variant(folder: Path, seed_prefix: str, name: str) -> Path:
    """A new document in ``folder``: a seed with one extra paragraph (so it is not a copy)."""
    source = next(SEEDS.glob(f"{seed_prefix}_*.txt"))
    target = folder / name
    target.write_text(source.read_text(encoding="utf-8") + f"\n\nTillägg i {name}.\n", encoding="utf-8")
    return target


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")  # a zombie (killed, not yet reaped) is dead for our purpose
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


def assert_killed(hang: Path) -> None:
    """Every process that started reading ``hang`` (it logs its pid) is gone."""
    pids = [int(line) for line in Path(f"{hang}.pid").read_text().split()]
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in pids if alive(pid)], f"{hang.name}: hanging worker(s) not killed"


def test_hanging_file_times_out_and_the_others_go_through(seeds: Path, tmp_path: Path) -> None:
    hang = variant(seeds, "001", "rok_hang.txt")
    db = tmp_path / "rok.db"
    started = time.monotonic()
    report = ingest([seeds], db, workers=2, extractor=HANGING, timeout=1.5)
    assert time.monotonic() - started < 30
    assert (report.added, report.failed) == (5, 1), report.failures
    failure = report.failures[0]
    assert failure.path == str(hang.resolve()) and failure.kind == "timeout"
    assert failure.reason == f"{hang.resolve()}: timed out after 1.5 s (extraction stopped, worker process replaced)"
    assert_killed(hang)
    with Store.open(db, readonly=True) as store:
        info = status(store)
        assert info.documents == 5 and incomplete_documents(store) == []
        assert [(Path(f.path).name, f.kind) for f in info.failures] == [("rok_hang.txt", "timeout")]


def test_files_in_flight_beside_hung_ones_are_read_again_not_lost(seeds: Path, tmp_path: Path) -> None:
    # Two hanging files and slow ones: killing a pool takes the slow files it was reading with it.
    hangs = [variant(seeds, "000", name) for name in ("a_hang.txt", "b_hang.txt")]
    for i, prefix in enumerate(("002", "003", "004")):
        variant(seeds, prefix, f"c{i}_sleep0.4.txt")
    report = ingest([seeds], tmp_path / "rok.db", workers=2, extractor=HANGING, timeout=1)
    assert sorted(Path(o.path).name for o in report.failures) == ["a_hang.txt", "b_hang.txt"]
    assert all(o.kind == "timeout" for o in report.failures)
    assert report.added == 8 and len(report.outcomes) == 10  # each file reported exactly once
    for hang in hangs:  # also one that was running beside the first to time out, and read again
        assert_killed(hang)


def test_timeout_counts_from_when_a_file_starts_not_when_it_was_queued(seeds: Path, tmp_path: Path) -> None:
    # One worker, four files of 0.7 s each: the last waits ~2 s in the queue, under a 1.5 s limit.
    folder = tmp_path / "queue"
    folder.mkdir()
    for i, prefix in enumerate(("000", "001", "002", "003")):
        variant(folder, prefix, f"d{i}_sleep0.7.txt")
    report = ingest([folder], tmp_path / "rok.db", workers=1, extractor=HANGING, timeout=1.5)
    assert (report.added, report.failed) == (4, 0), report.failures


def test_zero_means_no_limit_and_negative_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "slow"
    folder.mkdir()
    variant(folder, "004", "e_sleep1.2.txt")
    assert ingest([folder], tmp_path / "a.db", extractor=HANGING, timeout=1).failed == 1
    assert ingest([folder], tmp_path / "b.db", extractor=HANGING, timeout=0).added == 1
    with pytest.raises(IngestError, match="timeout must be"):
        ingest([folder], tmp_path / "c.db", extractor=HANGING, timeout=-1)


def test_cli_timeout_option_reports_the_file(seeds: Path, tmp_path: Path) -> None:
    variant(seeds, "002", "rok_hang.txt")
    db = tmp_path / "r.db"
    env = {**os.environ, "ROK_EXTRACTOR": HANGING}
    result = subprocess.run([str(ROK), "ingest", "seeds", "--db", str(db), "--workers", "2", "--timeout", "1"],
                            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "5 added, 0 updated, 0 skipped, 1 failed" in result.stdout
    expected = "error: seeds/rok_hang.txt: timed out after 1 s (extraction stopped, worker process replaced)"
    assert expected in result.stderr.splitlines(), result.stderr
    shown = subprocess.run([str(ROK), "status", "--db", str(db)], capture_output=True, text=True,
                           cwd=tmp_path, timeout=60)
    assert "[timeout] seeds/rok_hang.txt: timed out after 1 s" in shown.stdout
    bad = subprocess.run([str(ROK), "ingest", "seeds", "--db", str(db), "--timeout", "-5"],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_dask_executor_gives_up_on_a_hanging_file(seeds: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    variant(seeds, "003", "rok_hang.txt")
    db = tmp_path / "rok.db"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        report = ingest([seeds], db, executor="dask", scheduler=cluster.scheduler_address,
                        extractor=HANGING, timeout=1)
    assert report.added == 5 and report.failed == 1
    failure = report.failures[0]
    assert failure.status is Status.FAILED and failure.kind == "timeout"
    assert "timed out after 1 s (extraction abandoned on its Dask worker)" in (failure.reason or "")
    with Store.open(db, readonly=True) as store:
        assert status(store).documents == 5 and incomplete_documents(store) == []
