"""Issue 12 hardening of the store: read-only media, one-line errors, Dask and worker processes,
small ones (foreign user_version, --year, --scheduler, a query starting with -), terminal safety."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rok_compare.cli import app
from rok_compare.store import IngestError, Store, StoreError, ingest, status, write_agreement
from rok_compare.store.testing import generate_corpus, make_agreement

ROK = Path(sys.executable).parent / "rok"
PARAGRAPHS = "rok_compare.store.testing:paragraph_extractor"
SLOW = "rok_compare.store.testing:slow_extractor"
runner = CliRunner()


def namespaces() -> None:
    """Skip unless this machine lets us mount in a user namespace (a real read-only file system)."""
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("user and mount namespaces are not available")


def in_namespace(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "ROK_EXTRACTOR": PARAGRAPHS})


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "media"
    folder.mkdir()
    with Store.open(folder / "rok.db") as store:
        clause = "Tolk ska användas vid alla kontakter med nyanlända."
        write_agreement(store, make_agreement(tmp_path / "a.txt", [clause], county=("Jämtlands län", "23"),
                                              period=(2016, 2019)))
    return folder


# --- item 8: read-only media, and what the messages say --------------------------------------------

def test_a_store_on_a_read_only_file_system_can_be_read(store_dir: Path, tmp_path: Path) -> None:
    namespaces()
    db = store_dir / "rok.db"
    out = tmp_path / "out"
    before = db.read_bytes()
    result = in_namespace(f"mount --bind -o ro {store_dir} {store_dir} && "
                          f"{ROK} status --db {db} && {ROK} search tolk --db {db} && "
                          f"{ROK} export --format json --out {out} --db {db}; echo rc=$?; "
                          f"{ROK} ingest {tmp_path / 'a.txt'} --db {db}; echo rc=$?")
    assert "rc=0" in result.stdout, result.stderr
    assert "1 documents" in result.stdout and "Tolk ska användas" in result.stdout
    assert (out / "documents.json").exists()
    assert result.stderr.strip().splitlines() == [
        f"error: {db}: the store is read-only (no write permission, or a read-only file system); commands that "
        "read it (status, search, report, export) work, ingest and prune need it writable"]
    assert "rc=2" in result.stdout and db.read_bytes() == before


def test_a_full_disk_is_named_in_one_line(tmp_path: Path) -> None:
    namespaces()
    docs, mnt = tmp_path / "docs", tmp_path / "mnt"
    generate_corpus(docs, 6)
    mnt.mkdir()
    result = in_namespace(f"mount -t tmpfs -o size=400k tmpfs {mnt} && {ROK} ingest {docs} --db {mnt}/rok.db -w 1; "
                          "echo rc=$?")
    assert "rc=2" in result.stdout
    assert result.stderr.strip().splitlines() == [
        f"error: {mnt}/rok.db: disk full (database or disk is full); what was stored before is kept whole; "
        "free some space and run the same command again"]


def test_missing_store_symlink_loop_and_damaged_store_are_one_line(store_dir: Path, tmp_path: Path) -> None:
    loop = tmp_path / "loop.db"
    loop.symlink_to(loop)
    damaged = store_dir / "rok.db"
    with open(damaged, "r+b") as handle:  # keep the header, wreck the pages after it
        handle.seek(4096)
        handle.write(b"\xff" * 4096 * 6)
    cases = [(tmp_path / "none.db", "no such file"), (loop, "a symlink loop"), (damaged, "damaged")]
    for db, words in cases:
        for args in (["status"], ["search", "tolk"], ["export", "--format", "csv", "--out", str(tmp_path / "x")]):
            result = runner.invoke(app, [*args, "--db", str(db)])
            lines = result.stderr.strip().splitlines()
            assert result.exit_code == 2 and len(lines) == 1 and words in lines[0], (args, db, result.output)
            assert result.exception is None or isinstance(result.exception, SystemExit)


# --- item 13: small ones ---------------------------------------------------------------------------

def test_empty_sqlite_file_of_another_application_is_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    before = other.read_bytes()
    with pytest.raises(StoreError, match="another application"):
        Store.open(other)
    assert other.read_bytes() == before and before[18:20] == b"\x01\x01"  # not switched to WAL


def test_huge_year_malformed_scheduler_and_a_query_starting_with_a_dash(store_dir: Path, tmp_path: Path) -> None:
    db = str(store_dir / "rok.db")
    result = runner.invoke(app, ["search", "tolk", "--year", "9" * 30, "--db", db])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: --year must be a year")
    for address in ("not an address", "tcp://host:99999", "http://x:1"):
        result = runner.invoke(app, ["ingest", str(tmp_path), "--db", db, "--scheduler", address])
        assert result.exit_code == 2 and result.stderr.strip().splitlines() == [
            f"error: {address!r} is not a Dask scheduler address (expected tcp://host:port)"], result.output
    result = runner.invoke(app, ["search", "--db", db, "--", "-tolk"])  # a query starting with -: "not tolk"
    assert result.exit_code == 0 and "Tolk ska användas" not in result.stdout
    result = runner.invoke(app, ["search", "--db", db, "--", "-bostad"])
    assert result.exit_code == 0 and "Tolk ska användas" in result.stdout
    shown = runner.invoke(app, ["search", "--help"]).stdout.replace("│", " ")
    assert "rok search -- -tolk" in " ".join(shown.split())


# --- item 11 (status and search): document text cannot drive the terminal ---------------------------

def test_status_and_search_strip_control_sequences(tmp_path: Path) -> None:
    db = tmp_path / "rok.db"
    with Store.open(db) as store:
        write_agreement(store, make_agreement(tmp_path / "a.txt", ["Tolk ska \x1b]0;owned\x07användas \x1b[2J nu."],
                                              county=("Evil\x1b[31m län", "99")))
    for args in (["status"], ["search", "tolk"]):
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 0 and "\x1b" not in result.stdout and "\x07" not in result.stdout


# --- item 9: worker processes: memory limit, no orphans, Dask that goes away -----------------------

def test_workers_run_under_a_memory_limit(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    generate_corpus(docs, 2)
    (docs / "greedy.txt").write_text("Län: Skåne län (12)\n\nEn klausul.\n", encoding="utf-8")
    report = ingest([docs], tmp_path / "rok.db", extractor="rok_compare.store.testing:greedy_extractor",
                    memory_limit=1024, workers=1)
    assert report.added == 2 and [f.kind for f in report.failures] == ["memory"]
    assert "needs more memory than the worker's limit of 1024 MB (raise it with --memory-limit)" in \
        (report.failures[0].reason or "")


def marked(tag: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if not entry.name.isdigit():
                continue
            environ = (entry / "environ").read_bytes().split(b"\0")
            if f"ROK_TEST_TAG={tag}".encode() in environ and (entry / "stat").read_text().rsplit(")", 1)[1][1] != "Z":
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def test_a_killed_driver_leaves_no_helper_processes(tmp_path: Path, executor: str = "process") -> None:
    # A local Dask cluster's workers already end with the driver (distributed watches its parent);
    # checked by hand with --executor dask, left out here to keep the suite short.
    docs = tmp_path / "docs"
    generate_corpus(docs, 8)
    tag = f"orphans-{os.getpid()}-{executor}"
    env = {**os.environ, "ROK_EXTRACTOR": SLOW, "ROK_TEST_DELAY": "2", "ROK_TEST_TAG": tag}
    driver = subprocess.Popen([str(ROK), "ingest", str(docs), "--db", str(tmp_path / "rok.db"), "-w", "2",
                               "--executor", executor], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while len(marked(tag)) < 4 and time.monotonic() < deadline:  # driver, fork server or tracker, 2 workers
        time.sleep(0.1)
    time.sleep(1)  # the workers are reading files now
    helpers = [pid for pid in marked(tag) if pid != driver.pid]
    assert len(helpers) >= 3, helpers
    driver.kill()
    driver.wait()
    deadline = time.monotonic() + 5
    while marked(tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = marked(tag)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_dask_cluster_that_goes_away_stops_the_batch_without_blaming_files(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    docs = tmp_path / "docs"
    generate_corpus(docs, 10)
    address = f"tcp://127.0.0.1:{free_port()}"
    env = {**os.environ, "ROK_TEST_DELAY": "0.5"}
    python = [sys.executable, "-m"]
    scheduler = subprocess.Popen([*python, "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port",
                                  address.rsplit(":", 1)[1], "--no-dashboard"], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[subprocess.Popen[bytes]] = []

    def worker() -> subprocess.Popen[bytes]:
        process = subprocess.Popen([*python, "distributed.cli.dask_worker", address, "--nthreads", "1", "--no-nanny",
                                    "--no-dashboard"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers.append(process)
        return process

    def kill_later(process: subprocess.Popen[bytes], db: Path) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # after the first document is stored
            if db.exists() and sqlite3.connect(db).execute(
                    "SELECT COUNT(*) FROM sqlite_master WHERE name = 'documents'").fetchone()[0] and \
                    sqlite3.connect(db).execute("SELECT COUNT(*) FROM documents").fetchone()[0]:
                break
            time.sleep(0.1)
        process.kill()

    try:
        db = tmp_path / "worker.db"  # every worker dies: the library call
        threading.Thread(target=kill_later, args=(worker(), db), daemon=True).start()
        started = time.monotonic()
        with pytest.raises(IngestError, match="no Dask worker is left") as stopped:
            ingest([docs], db, executor="dask", scheduler=address, extractor=SLOW, timeout=1.5)
        assert time.monotonic() - started < 60
        assert "\n" not in str(stopped.value) and "not recorded as failed" in str(stopped.value)
        db = tmp_path / "scheduler.db"  # the scheduler dies: the command, one line on stderr
        worker()
        threading.Thread(target=kill_later, args=(scheduler, db), daemon=True).start()
        result = subprocess.run([str(ROK), "ingest", str(docs), "--db", str(db), "--scheduler", address,
                                 "--timeout", "1.5"], capture_output=True, text=True, timeout=90,
                                env={**env, "ROK_EXTRACTOR": SLOW})
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "stopped answering" in lines[0] and "not recorded as failed" in lines[0], lines
        for db in (tmp_path / "worker.db", tmp_path / "scheduler.db"):
            with Store.open(db, readonly=True) as store:
                info = status(store)
                assert info.failures == [] and 0 < info.documents < 10
    finally:
        for process in [*workers, scheduler]:
            process.kill()
            process.wait()
