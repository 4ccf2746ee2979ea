"""Benchmark adding one document to (and pruning it from) a store of 30k-300k clauses, against the full
reuse recluster measured in the same run.

    .venv/bin/python scripts/bench_ingest.py [--sizes 30000 100000 300000] [--runs 3] [--base-runs 3]

For each size a store is filled with generated agreements (:mod:`rok_compare.store.testing`,
templates with shared, edited and unique clauses: nearly every clause is reused, the hard case for
incremental clustering) written straight into it, and its reuse index is built. Then, ``--runs``
times, a new ~20 KB agreement file is

* ingested with the project's extractor without clustering (``ingest(..., reuse=False)``), then
  its reuse clusters are updated (:func:`recompute_reuse_clusters`, incremental): together what
  ``rok ingest`` of the file does, called as a library in a process that has done it before (its
  imports made, its fork server running). CPU is this process's and the extraction worker's
  (``IngestReport.worker_cpu``);
* deleted and pruned (``prune``: the document removed and its clusters updated);
* and another such file is added with the command, ``rok ingest FILE --db STORE``, in a new
  process, as a user runs it: wall time to its exit, and CPU of the whole process tree (the
  command, its fork server, resource tracker and extraction worker: the measuring process is made
  their subreaper, so every one of them is waited for and counted). Then it is pruned again.

The baseline is the full pass, ``recompute_reuse_clusters(rebuild=True)`` (``rok reuse --rebuild``:
every clause normalised, LSH, verification, components, cluster rows), timed ``--base-runs`` times
on the same store. Medians of wall and CPU time; the load average of the machine is recorded
beside each size (wall times on a shared machine are mostly waiting for a core); the growth exponent
is the slope of log(time) on log(clauses). Each size also times the check an ingest runs on opening
the store, SQLite's whole ``quick_check`` (what every ingest ran before) against the bounded check
of :mod:`rok_compare.store.integrity`. Results go to ``scripts/results/bench_ingest.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rok_compare.ingest import read_bytes  # noqa: E402
from rok_compare.store import Store, ingest, prune, write_agreement  # noqa: E402
from rok_compare.store.reuse import recompute_reuse_clusters  # noqa: E402
from rok_compare.store.testing import generate_document, paragraph_agreement  # noqa: E402
from rok_compare.store.write import sync_trigram_index  # noqa: E402

try:
    from rok_compare.store.integrity import store_problem
except ImportError:  # a tree from before the bounded check (the benchmark runs on it for a before/after)
    store_problem = None

RESULTS = ROOT / "scripts" / "results"


def build_store(db: Path, clauses: int, seed: int = 11) -> dict:
    """Write generated documents straight into a new store until it holds ``clauses`` clauses."""
    rng = random.Random(seed)
    total, index = 0, 0
    with Store.open(db) as store:
        while total < clauses:
            text = generate_document(rng, index)
            agreement = paragraph_agreement(read_bytes(Path(f"/bench/rok_{index:06d}.txt"), text.encode("utf-8")))
            write_agreement(store, agreement, index_compounds=False)
            total += len(agreement.clauses)
            index += 1
            if index % 500 == 0:
                sync_trigram_index(store)
        sync_trigram_index(store)
    return {"documents": index, "clauses": total}


def large_document(rng: random.Random, index: int, size: int = 20_000) -> str:
    """One agreement of about ``size`` characters: a generated one with sections of others appended."""
    text = generate_document(rng, index)
    extra = 0
    while len(text) < size:
        extra += 1
        body = generate_document(rng, index * 100 + extra).split("\n# ", 1)[1]
        text += "\n\n# " + body
    return text


def _timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _timed_cpu(action) -> tuple[float, float, object]:
    """Wall and CPU seconds of ``action`` in this process."""
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - started, time.process_time() - cpu, result


PR_SET_CHILD_SUBREAPER = 36


def tree_run(command: list[str]) -> None:
    """Run ``command``, wait for every process it started (this process is made their subreaper), and
    print the wall time to its exit and the CPU time of all of them as JSON (``--tree``)."""
    import ctypes

    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise SystemExit("prctl(PR_SET_CHILD_SUBREAPER) failed: the process-tree CPU needs Linux")
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    while True:  # the fork server and resource tracker outlive the command by a moment
        try:
            os.wait()
        except ChildProcessError:
            break
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"returncode": done.returncode, "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
                      "stderr": done.stderr[-2000:]}))


def cli_ingest(path: Path, db: Path) -> tuple[float, float]:
    """Wall and process-tree CPU seconds of ``rok ingest PATH --db DB`` in a new process."""
    rok = Path(sys.executable).with_name("rok")
    measured = subprocess.run([sys.executable, __file__, "--tree", str(rok), "ingest", str(path), "--db", str(db)],
                              check=True, capture_output=True, text=True)
    result = json.loads(measured.stdout)
    if result["returncode"] != 0:
        raise RuntimeError(f"rok ingest {path} failed: {result['stderr']}")
    return result["wall_s"], result["cpu_s"]


def check_times(db: Path, runs: int) -> dict:
    """The check an ingest runs on opening the store: SQLite's whole ``quick_check`` (what every
    ingest ran before) against the bounded check (what a store over ``FULL_CHECK_BYTES`` gets now)."""
    if store_problem is None:
        return {}
    conn = sqlite3.connect(db)
    try:
        whole = [_timed_cpu(lambda: store_problem(conn, full_limit=1 << 60))[1] for _ in range(runs)]
        bounded = [_timed_cpu(lambda: store_problem(conn, full_limit=0))[1] for _ in range(runs)]
    finally:
        conn.close()
    return {"quick_check_cpu_s": _stats(whole), "bounded_check_cpu_s": _stats(bounded)}


def bench_size(template: Path, work: Path, runs: int, base_runs: int, seed: int) -> dict:
    db = work / "bench.db"
    shutil.copyfile(template, db)
    for suffix in ("-wal", "-shm"):
        (work / f"bench.db{suffix}").unlink(missing_ok=True)
    base, base_cpu = [], []
    load = [round(os.getloadavg()[0], 1)]
    with Store.open(db) as store:
        clauses = store.conn.execute("SELECT COUNT(*) FROM clauses").fetchone()[0]
        for _ in range(base_runs):
            seconds, cpu, summary = _timed_cpu(lambda: recompute_reuse_clusters(store, rebuild=True))
            base.append(seconds)
            base_cpu.append(cpu)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # as a store is found after the command that built it
    rng = random.Random(seed)
    adds, reuse_adds, prunes, added_clauses, updated = [], [], [], [], []
    cpu_adds, cpu_reuse, cpu_prunes, worker, cli, cli_cpu = [], [], [], [], [], []
    for run in range(runs):
        path = work / f"new_{run}.txt"
        path.write_text(large_document(rng, 900_000 + run), encoding="utf-8")
        seconds_ingest, cpu_ingest, report = _timed_cpu(lambda: ingest([path], db, reuse=False))  # noqa: B023
        assert report.added == 1, report
        with Store.open(db) as store:
            seconds_reuse, cpu_update, update = _timed_cpu(lambda: recompute_reuse_clusters(store))  # noqa: B023
            assert not update.full, update
            added_clauses.append(store.conn.execute(
                "SELECT n_clauses FROM documents WHERE path LIKE ?", (f"%new_{run}.txt",)).fetchone()[0])
        path.unlink()
        seconds_prune, cpu_prune, pruned = _timed_cpu(lambda: prune(db, [path]))  # noqa: B023
        assert len(pruned.removed) == 1 and pruned.reuse is not None and not pruned.reuse.full, pruned
        adds.append(seconds_ingest + seconds_reuse)
        reuse_adds.append(seconds_reuse)
        worker.append(report.worker_cpu)
        cpu_adds.append(cpu_ingest + report.worker_cpu + cpu_update)
        cpu_reuse.append(cpu_update)
        prunes.append(seconds_prune)
        cpu_prunes.append(cpu_prune)
        updated.append(update.updated)
        other = work / f"cli_{run}.txt"
        other.write_text(large_document(rng, 950_000 + run), encoding="utf-8")
        seconds_cli, cpu_cli = cli_ingest(other, db)
        cli.append(seconds_cli)
        cli_cpu.append(cpu_cli)
        other.unlink()
        assert len(prune(db, [other]).removed) == 1
    load.append(round(os.getloadavg()[0], 1))
    return {"clauses": clauses, "clusters": summary.clusters, "clustered_clauses": summary.clauses,
            "size_mb": round(db.stat().st_size / 1e6, 1), "load_average": load,
            "full_recluster_s": _stats(base), "full_recluster_cpu_s": _stats(base_cpu),
            "ingest_one_s": _stats(adds), "ingest_one_cpu_s": _stats(cpu_adds), "worker_cpu_s": _stats(worker),
            "reuse_update_s": _stats(reuse_adds), "reuse_update_cpu_s": _stats(cpu_reuse),
            "cli_ingest_one_s": _stats(cli), "cli_ingest_one_cpu_s": _stats(cli_cpu),
            "prune_one_s": _stats(prunes), "prune_one_cpu_s": _stats(cpu_prunes),
            "document_clauses": added_clauses, "clusters_updated": updated,
            **check_times(db, runs),
            "ingest_share_of_full": round(statistics.median(adds) / statistics.median(base), 4),
            "speedup_reuse": round(statistics.median(base) / statistics.median(reuse_adds), 1),
            "speedup_reuse_cpu": round(statistics.median(base_cpu) / statistics.median(cpu_reuse), 1)}


def _median(row: dict, key: str, digits: int = 3) -> str:
    return f"{row[key]['median']:.{digits}f}" if key in row else "-"


def _stats(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 3), "runs": [round(v, 3) for v in values]}


def exponent(sizes: list[int], times: list[float]) -> float:
    """Least-squares slope of log(time) on log(size)."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in times]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def write(results: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_ingest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    rows = results["sizes"]
    lines = [
        "# Incremental ingest and prune vs. a full reuse recluster", "",
        f"{results['machine']}; generated agreements written straight into the store; medians of "
        f"{results['runs']} one-document runs (a new ~20 KB agreement each) and {results['base_runs']} full passes, "
        "all in the same run. Wall (s) and CPU (s); the load average (1 min) at the start and end of each size "
        "is given: on this shared 2-core machine wall time is mostly waiting for a core. *Library*: `ingest()` "
        "then the reuse update in a process that has ingested before, CPU of the process and of the extraction "
        "worker. *Command*: `rok ingest FILE --db STORE` in a new process, CPU of its whole process tree (the "
        "command, fork server, resource tracker, worker).", "",
        "| clauses | load | full recluster | CPU | library: ingest one document | CPU | of which reuse update | CPU "
        "| command: `rok ingest` one document | CPU | prune one document | CPU | full / update (CPU) |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        passes = len(row["full_recluster_s"]["runs"])
        note = "" if passes == results["base_runs"] else f" ({passes} pass{'es' if passes > 1 else ''})"
        load = "–".join(f"{value:.1f}" for value in row.get("load_average", [])) or "-"
        lines.append(f"| {row['clauses']:,} | {load} | {row['full_recluster_s']['median']:.1f}{note} "
                     f"| {_median(row, 'full_recluster_cpu_s', 1)} "
                     f"| {row['ingest_one_s']['median']:.2f} | {_median(row, 'ingest_one_cpu_s')} "
                     f"| {row['reuse_update_s']['median']:.3f} | {_median(row, 'reuse_update_cpu_s')} "
                     f"| {_median(row, 'cli_ingest_one_s', 2)} | {_median(row, 'cli_ingest_one_cpu_s')} "
                     f"| {row['prune_one_s']['median']:.2f} | {_median(row, 'prune_one_cpu_s')} "
                     f"| {row.get('speedup_reuse_cpu', row['speedup_reuse']):.0f}x |")
    if all("worker_cpu_s" in row for row in rows):
        lines += ["", "Of the library CPU, the extraction worker's (its start, the extraction, the result sent "
                  "back): " + ", ".join(f"{row['worker_cpu_s']['median']:.3f} s at {row['clauses']:,}" for row in rows)
                  + "."]
    if all("quick_check_cpu_s" in row for row in rows):
        lines += ["", "The check on opening the store for an ingest (CPU s, medians): SQLite's whole `quick_check`, "
                  "which every ingest ran before, against the bounded check a store over 16 MB gets now.", "",
                  "| clauses | quick_check (s) | bounded check (s) |", "|---:|---:|---:|"]
        lines += [f"| {row['clauses']:,} | {row['quick_check_cpu_s']['median']:.3f} "
                  f"| {row['bounded_check_cpu_s']['median']:.4f} |" for row in rows]
    growth = results["growth_exponent"]
    if any(value is not None for value in growth.values()):
        lines += ["", "Growth exponents (slope of log time on log clauses; the target is 1.15 or less for ingest "
                  "and reuse): " + ", ".join(f"{name} {value:.2f}" for name, value in growth.items()
                                             if value is not None) + ".", ""]
    (RESULTS / "bench_ingest.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    if sys.argv[1:2] == ["--tree"]:  # the measuring process of one command (see cli_ingest)
        tree_run(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000, 100_000, 300_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--base-runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "rok_bench_ingest",
                        help="Where the filled stores are kept between runs of the benchmark.")
    parser.add_argument("--no-write", action="store_true", help="Print the results only.")
    parser.add_argument("--add-to", type=Path, help="A results JSON of earlier sizes to add this run's sizes to "
                        "(a size measured again replaces its row).")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    earlier = json.loads(args.add_to.read_text(encoding="utf-8")) if args.add_to else None
    sizes = []
    for size in args.sizes:
        template = args.cache / f"store_{size}.db"
        if not template.exists():
            partial = template.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            info = build_store(partial, size)
            partial.rename(template)
            print(f"built {template}: {info}", file=sys.stderr)
        with tempfile.TemporaryDirectory() as work:
            row = bench_size(template, Path(work), args.runs, args.base_runs, seed=size)
        print(json.dumps(row), file=sys.stderr)
        sizes.append(row)
        results = summarise(_merged(earlier, sizes), args.runs, args.base_runs)
        if not args.no_write:  # after every size: a long run stopped early still leaves its results
            write(results)
    print(json.dumps(results, indent=2))


def _merged(earlier: dict | None, sizes: list[dict]) -> list[dict]:
    """The rows of an earlier results file with this run's rows, by store size."""
    if not earlier:
        return sizes
    mine = {round(row["clauses"], -4) for row in sizes}
    kept = [row for row in earlier["sizes"] if round(row["clauses"], -4) not in mine]
    return sorted(kept + sizes, key=lambda row: row["clauses"])


def summarise(sizes: list[dict], runs: int, base_runs: int) -> dict:
    """The results of the sizes measured, with growth exponents once there are two sizes."""
    clauses = [row["clauses"] for row in sizes]
    names = [("full recluster", "full_recluster_s"), ("full recluster, CPU", "full_recluster_cpu_s"),
             ("ingest one document", "ingest_one_s"), ("ingest one document, CPU", "ingest_one_cpu_s"),
             ("reuse update", "reuse_update_s"), ("reuse update, CPU", "reuse_update_cpu_s"),
             ("rok ingest one document", "cli_ingest_one_s"), ("rok ingest one document, CPU", "cli_ingest_one_cpu_s"),
             ("prune one document", "prune_one_s"), ("prune one document, CPU", "prune_one_cpu_s")]
    growth = {name: round(exponent(clauses, [row[key]["median"] for row in sizes]), 2)
              if len(sizes) > 1 and all(key in row for row in sizes) else None for name, key in names}
    return {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                       f"Python {platform.python_version()}",
            "runs": runs, "base_runs": base_runs, "sizes": sizes, "growth_exponent": growth}


if __name__ == "__main__":
    main()
