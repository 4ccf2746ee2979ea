"""Batch ingestion: incremental, crash-isolated, interruptible, with readers working meanwhile.

Stand-in extractors from :mod:`rok_compare.store.testing` are plugged in by import reference
(``extractor=`` or ``$ROK_EXTRACTOR``): they always yield clauses, crash on chosen files, or are
slow enough to be interrupted, whatever state the real extractor is in.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rok_compare.search import search
from rok_compare.store import IngestInterrupted, Status, Store, ingest, status
from rok_compare.store.read import incomplete_documents
from rok_compare.store.testing import generate_corpus

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
ROK = Path(sys.executable).parent / "rok"
PARAGRAPHS = "rok_compare.store.testing:paragraph_extractor"
CRASHING = "rok_compare.store.testing:crashing_extractor"
SLOW = "rok_compare.store.testing:slow_extractor"


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def test_seeds_with_the_real_extractor_then_incremental_skip(seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "rok.db"
    first = ingest([seeds], db, workers=2)
    assert (first.added, first.failed) == (5, 0), first.failures  # MANIFEST.csv is not a document
    again = ingest([seeds], db, workers=2)
    assert (again.added, again.updated, again.skipped) == (0, 0, 5)
    assert {o.reason for o in again.outcomes} == {"unchanged"}
    with Store.open(db, readonly=True) as store:
        assert status(store).documents == 5


def test_changed_file_replaces_its_old_version(seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "rok.db"
    ingest([seeds], db, workers=1, extractor=PARAGRAPHS)
    target = seeds / "002_c6b08bdffcd18306.txt"
    added = "\n\nEtt helt nytt stycke om kvällskurser i sfi.\n"
    target.write_text(target.read_text(encoding="utf-8") + added, encoding="utf-8")
    report = ingest([seeds], db, workers=1, extractor=PARAGRAPHS)
    assert (report.updated, report.skipped, report.added) == (1, 4, 0)
    with Store.open(db, readonly=True) as store:
        assert status(store).documents == 5
        assert incomplete_documents(store) == []
    assert [h.occurrence.path for h in search(db, "kvällskurser")] == [str(target.resolve())]


def test_copy_of_stored_content_is_skipped(seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "rok.db"
    ingest([seeds], db, workers=1, extractor=PARAGRAPHS)
    copy = tmp_path / "copy.txt"
    shutil.copy(seeds / "000_7d7dd3b94a00e6f5.txt", copy)
    report = ingest([copy], db, extractor=PARAGRAPHS)
    assert report.skipped == 1 and report.outcomes[0].reason.startswith("same content as")


def test_file_that_crashes_the_extractor_fails_alone(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    paths = generate_corpus(folder, 12)
    paths[3].rename(folder / "rok_crash.txt")
    paths[7].rename(folder / "rok_die.txt")  # kills its worker process outright
    (folder / "empty.txt").write_text("")
    db = tmp_path / "rok.db"
    report = ingest([folder], db, workers=2, extractor=CRASHING)
    failed = {Path(o.path).name: o for o in report.failures}
    assert set(failed) == {"rok_crash.txt", "rok_die.txt", "empty.txt"}
    assert "simulated extractor bug" in failed["rok_crash.txt"].reason
    assert "process died" in failed["rok_die.txt"].reason
    assert "is empty" in failed["empty.txt"].reason
    assert report.added == 10
    with Store.open(db, readonly=True) as store:
        info = status(store)
        assert info.documents == 10 and incomplete_documents(store) == []
        assert {Path(f.path).name: f.kind for f in info.failures} == \
            {"rok_crash.txt": "crash", "rok_die.txt": "crash", "empty.txt": "input"}
    # Failures are retried on the next run; once a file reads, its failure record goes.
    (folder / "rok_crash.txt").rename(folder / "rok_fixed.txt")
    again = ingest([folder], db, workers=2, extractor=CRASHING)
    assert again.skipped == 10 and again.added == 1 and again.failed == 2


def test_cli_summary_and_exit_code(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    generate_corpus(folder, 4)
    (folder / "bad.pdf").write_bytes(b"not a pdf at all")
    env = {**os.environ, "ROK_EXTRACTOR": PARAGRAPHS}
    args = ["ingest", str(folder), "--db", str(tmp_path / "r.db"), "--workers", "2"]
    result = subprocess.run([str(ROK), *args], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert "4 added, 0 updated, 0 skipped, 1 failed" in result.stdout
    assert "bad.pdf: is not a PDF" in result.stderr and "Traceback" not in result.stderr
    status_out = subprocess.run([str(ROK), "status", "--db", str(tmp_path / "r.db")], capture_output=True,
                                text=True, timeout=60)
    assert "4 documents" in status_out.stdout and "bad.pdf" in status_out.stdout


def test_ctrl_c_leaves_whole_documents_and_rerun_completes(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    generate_corpus(folder, 30)
    db = tmp_path / "rok.db"

    def interrupt_after_five(outcome: object, done: int, total: int) -> None:
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(IngestInterrupted) as stopped:
        ingest([folder], db, workers=2, extractor=PARAGRAPHS, progress=interrupt_after_five)
    assert stopped.value.report.added == 5
    rerun = ingest([folder], db, workers=2, extractor=PARAGRAPHS)
    assert (rerun.skipped, rerun.added) == (5, 25)


def _start_ingest(folder: Path, db: Path, delay: str) -> subprocess.Popen:
    env = {**os.environ, "ROK_EXTRACTOR": SLOW, "ROK_TEST_DELAY": delay}
    return subprocess.Popen([str(ROK), "ingest", str(folder), "--db", str(db), "--workers", "2"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # its own process group: workers die with it


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with Store.open(db, readonly=True) as store:
            return status(store).documents
    except Exception:  # the writer may still be creating the schema
        return 0


def test_sigkill_mid_ingest_leaves_whole_documents_and_rerun_completes(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    generate_corpus(folder, 300)
    db = tmp_path / "rok.db"
    process = _start_ingest(folder, db, "0.01")
    deadline = time.monotonic() + 60
    while _stored(db) < 20 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    with Store.open(db, readonly=True) as store:
        info = status(store)
        assert 20 <= info.documents < 300, info.documents
        assert incomplete_documents(store) == []
        empty = store.conn.execute("SELECT COUNT(*) FROM documents d WHERE NOT EXISTS "
                                   "(SELECT 1 FROM clauses c WHERE c.document_id = d.id)").fetchone()[0]
        assert empty == 0  # every generated document has clauses: none was stored without them
        kept = info.documents
    rerun = ingest([folder], db, workers=2, extractor=PARAGRAPHS)
    assert (rerun.skipped, rerun.added, rerun.failed) == (kept, 300 - kept, 0)
    with Store.open(db) as store:
        assert status(store).documents == 300 and incomplete_documents(store) == []
        for index in ("clauses_fts", "clauses_tri"):  # raises if an index disagrees with the clauses
            store.conn.execute(f"INSERT INTO {index}({index}) VALUES ('integrity-check')")


def test_readers_work_while_a_writer_ingests(tmp_path: Path) -> None:
    import importlib.util

    from rok_compare.export import Corpus

    with_pandas = importlib.util.find_spec("pandas") is not None
    folder = tmp_path / "batch"
    generate_corpus(folder, 150)
    db = tmp_path / "rok.db"
    # 0.05 s a file: the ingest lasts a few seconds, longer than a reader's first search on a loaded machine
    process = _start_ingest(folder, db, "0.05")
    seen: list[int] = []
    try:
        while process.poll() is None:
            count = _stored(db)
            if count:
                hits = search(db, "hälsoundersökning", limit=3)
                assert hits
                if with_pandas:  # the notebook API reads concurrently too
                    assert len(Corpus(db).documents()) >= count
                seen.append(count)
            time.sleep(0.02)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0
    assert len({n for n in seen if 0 < n < 150}) >= 3, seen  # read repeatedly mid-ingest
    assert seen == sorted(seen)
    assert _stored(db) == 150


def test_dask_executor_on_a_local_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    folder = tmp_path / "batch"
    generate_corpus(folder, 8)
    (folder / "rok_crash.txt").write_text("Län: Skåne län (12)\n\nEn klausul.\n", encoding="utf-8")
    db = tmp_path / "rok.db"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        report = ingest([folder], db, executor="dask", scheduler=cluster.scheduler_address,
                        extractor=CRASHING)
    assert report.added == 8 and report.failed == 1
    assert report.failures[0].status is Status.FAILED and "simulated" in (report.failures[0].reason or "")
    with Store.open(db, readonly=True) as store:
        assert status(store).documents == 8 and incomplete_documents(store) == []
