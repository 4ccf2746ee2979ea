"""Benchmark adding one document to (and pruning it from) a store of 30k-300k clauses, against the full
reuse recluster measured in the same run.

    .venv/bin/python scripts/bench_ingest.py [--sizes 30000 100000 300000] [--runs 3] [--base-runs 3]

For each size a store is filled with generated agreements (:mod:`rok_compare.store.testing`,
templates with shared, edited and unique clauses: nearly every clause is reused, the hard case for
incremental clustering) written straight into it, and its reuse index is built. Then, ``--runs``
times, a new ~20 KB agreement file is

* ingested with the project's extractor without clustering (``ingest(..., reuse=False)``), then
  its reuse clusters are updated (:func:`recompute_reuse_clusters`, incremental): together what
  ``rok ingest`` of the file does;
* deleted and pruned (``prune``: the document removed and its clusters updated).

The baseline is the full pass, ``recompute_reuse_clusters(rebuild=True)`` (``rok reuse --rebuild``:
every clause normalised, LSH, verification, components, cluster rows), timed ``--base-runs`` times
on the same store. Medians of wall and CPU time (the driver process's: on a shared machine the
wall time of a one-document ingest is mostly waiting for a core); the growth exponent is the slope
of log(time) on log(clauses). Each size also times the check an ingest runs on opening the store,
SQLite's whole ``quick_check`` (what every ingest ran before) against the bounded check of
:mod:`rok_compare.store.integrity`. Results go to ``scripts/results/bench_ingest.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import shutil
import sqlite3
import statistics
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
    """Wall and CPU seconds of ``action`` in this process (an extraction worker's CPU is not counted)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - started, time.process_time() - cpu, result


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
    base = []
    with Store.open(db) as store:
        clauses = store.conn.execute("SELECT COUNT(*) FROM clauses").fetchone()[0]
        for _ in range(base_runs):
            seconds, summary = _timed(lambda: recompute_reuse_clusters(store, rebuild=True))
            base.append(seconds)
    rng = random.Random(seed)
    adds, reuse_adds, prunes, added_clauses, updated = [], [], [], [], []
    cpu_adds, cpu_reuse = [], []
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
        seconds_prune, pruned = _timed(lambda: prune(db, [path]))  # noqa: B023
        assert len(pruned.removed) == 1 and pruned.reuse is not None and not pruned.reuse.full, pruned
        adds.append(seconds_ingest + seconds_reuse)
        reuse_adds.append(seconds_reuse)
        cpu_adds.append(cpu_ingest + cpu_update)
        cpu_reuse.append(cpu_update)
        prunes.append(seconds_prune)
        updated.append(update.updated)
    return {"clauses": clauses, "clusters": summary.clusters, "clustered_clauses": summary.clauses,
            "size_mb": round(db.stat().st_size / 1e6, 1),
            "full_recluster_s": _stats(base), "ingest_one_s": _stats(adds), "reuse_update_s": _stats(reuse_adds),
            "prune_one_s": _stats(prunes), "document_clauses": added_clauses, "clusters_updated": updated,
            "ingest_one_cpu_s": _stats(cpu_adds), "reuse_update_cpu_s": _stats(cpu_reuse),
            **check_times(db, runs),
            "ingest_share_of_full": round(statistics.median(adds) / statistics.median(base), 4),
            "speedup_reuse": round(statistics.median(base) / statistics.median(reuse_adds), 1)}


def _median(row: dict, key: str) -> str:
    return f"{row[key]['median']:.3f}" if key in row else "-"


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
        "all in the same run. Other sessions shared the machine: ratios, CPU times and exponents count, "
        "not absolute wall times. CPU is the driver process's (the extraction worker's is not counted).", "",
        "| clauses | clusters | full recluster (s) | ingest one document (s) | CPU (s) | of which reuse update (s) "
        "| CPU (s) | prune one document (s) | ingest / full | full / update |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        passes = len(row["full_recluster_s"]["runs"])
        note = "" if passes == results["base_runs"] else f" ({passes} pass{'es' if passes > 1 else ''})"
        lines.append(f"| {row['clauses']:,} | {row['clusters']:,} | {row['full_recluster_s']['median']:.2f}{note} "
                     f"| {row['ingest_one_s']['median']:.2f} | {_median(row, 'ingest_one_cpu_s')} "
                     f"| {row['reuse_update_s']['median']:.3f} | {_median(row, 'reuse_update_cpu_s')} "
                     f"| {row['prune_one_s']['median']:.2f} "
                     f"| {row['ingest_one_s']['median'] / row['full_recluster_s']['median']:.2%} "
                     f"| {row['speedup_reuse']:.0f}x |")
    if all("quick_check_cpu_s" in row for row in rows):
        lines += ["", "The check on opening the store for an ingest (CPU s, medians): SQLite's whole `quick_check`, "
                  "which every ingest ran before, against the bounded check a store over 16 MB gets now.", "",
                  "| clauses | quick_check (s) | bounded check (s) |", "|---:|---:|---:|"]
        lines += [f"| {row['clauses']:,} | {row['quick_check_cpu_s']['median']:.3f} "
                  f"| {row['bounded_check_cpu_s']['median']:.4f} |" for row in rows]
    growth = results["growth_exponent"]
    if all(value is not None for value in growth.values()):
        lines += ["", "Growth exponents (slope of log time on log clauses; the target is 1.15 or less for ingest "
                  "and reuse): " + ", ".join(f"{name} {value:.2f}" for name, value in growth.items()) + ".", ""]
    (RESULTS / "bench_ingest.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
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
    names = [("full recluster", "full_recluster_s"), ("ingest one document", "ingest_one_s"),
             ("ingest one document, CPU", "ingest_one_cpu_s"), ("reuse update", "reuse_update_s"),
             ("reuse update, CPU", "reuse_update_cpu_s"), ("prune one document", "prune_one_s")]
    growth = {name: round(exponent(clauses, [row[key]["median"] for row in sizes]), 2) if len(sizes) > 1 else None
              for name, key in names}
    return {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                       f"Python {platform.python_version()}",
            "runs": runs, "base_runs": base_runs, "sizes": sizes, "growth_exponent": growth}


if __name__ == "__main__":
    main()
