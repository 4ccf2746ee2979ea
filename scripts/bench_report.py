"""Benchmark ``rok report``: build time and peak memory for 1,000 generated documents.

    .venv/bin/python scripts/bench_report.py [--documents 1000] [--baseline 100]

A store of ``--documents`` generated agreements of realistic size (the templates of
:mod:`rok_compare.store.testing` that ``scripts/bench_store.py`` uses: shared, edited and unique
clauses, 6-10 sections, 21 counties) is written straight into SQLite, with its reuse clusters, as
``bench_store.py`` builds its search store. The report is then built from it in a fresh process
(wall time and the process's peak resident memory), and the same for a store of the first
``--baseline`` documents: the baseline measured in the same run, so the ratio says how the build
scales with the corpus whatever the machine's speed. Both builds align their comparisons with
``--workers`` processes (default: the report's, one per core up to 4); memory is given for the
building process and for the largest worker. Writing the 1,000-document store (no
extraction) is reported beside it for scale.

Results go to ``scripts/results/bench_report.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rok_compare.ingest import read_bytes  # noqa: E402
from rok_compare.report.aligning import default_workers  # noqa: E402
from rok_compare.store import Store, write_agreement  # noqa: E402
from rok_compare.store.reuse import recompute_reuse_clusters  # noqa: E402
from rok_compare.store.testing import generate_document, paragraph_agreement  # noqa: E402
from rok_compare.store.write import sync_trigram_index  # noqa: E402

RESULTS = ROOT / "scripts" / "results"
CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from rok_compare.report import build_report
started = time.perf_counter()
summary = build_report({db!r}, {out!r}, workers={workers!r})
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
          for f in ("ru_utime", "ru_stime"))
print(json.dumps({{"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "peak_rss_mb": round(peak, 1),
                  "worker_peak_rss_mb": round(worker_peak, 1), "pages": summary.pages,
                  "documents": summary.documents, "comparisons": summary.comparisons}}))
"""


def build_store(db: Path, documents: int, seed: int = 11) -> dict:
    """Write ``documents`` generated agreements into a new store, then cluster reuse."""
    rng = random.Random(seed)
    started = time.perf_counter()
    clauses = 0
    with Store.open(db) as store:
        for index in range(documents):
            text = generate_document(rng, index)
            agreement = paragraph_agreement(read_bytes(Path(f"/bench/rok_{index:05d}.txt"), text.encode("utf-8")))
            write_agreement(store, agreement, index_compounds=False)
            clauses += len(agreement.clauses)
            if index % 200 == 199:
                sync_trigram_index(store)
        sync_trigram_index(store)
        reuse = recompute_reuse_clusters(store)
    return {"documents": documents, "clauses": clauses, "reuse_clusters": reuse.clusters,
            "seconds": round(time.perf_counter() - started, 2)}


def build_report_in_child(db: Path, out: Path, workers: int | None) -> dict:
    """Build the report in a fresh Python process: its wall time, its peak memory and that of the
    largest of the worker processes that align the comparisons."""
    code = CHILD.format(root=str(ROOT), db=str(db), out=str(out), workers=workers)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"report build failed: {result.stderr.strip().splitlines()[-1:]}")
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    measured["size_mb"] = round(sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6, 1)
    return measured


def write_results(results: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_report.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    big, small, store = results["report"], results["baseline"], results["store"]
    lines = [
        "# Report build benchmark", "",
        f"{results['machine']}. Generated agreements of realistic size (6-10 sections of templated clauses, "
        f"21 counties), written straight into the store; each report built in a fresh process.", "",
        f"Comparisons aligned by {results['workers']} worker process(es) (`rok report --workers`).", "",
        "| corpus | clauses | build (s) | CPU (s) | peak memory (MB): build / largest worker | pages | "
        "side-by-side comparisons | site (MB) |",
        "|---|---|---|---|---|---|---|---|",
        f"| {small['documents']} documents (baseline) | {results['baseline_store']['clauses']:,} | "
        f"{small['seconds']} | {small['cpu_seconds']} | {small['peak_rss_mb']} / {small['worker_peak_rss_mb']} | "
        f"{small['pages']} | "
        f"{small['comparisons']} | {small['size_mb']} |",
        f"| {big['documents']} documents | {store['clauses']:,} | {big['seconds']} | {big['cpu_seconds']} | "
        f"{big['peak_rss_mb']} / "
        f"{big['worker_peak_rss_mb']} | {big['pages']} | {big['comparisons']} | {big['size_mb']} |", "",
        "- Build is wall time; CPU is the building process's and its workers' (the machine is shared, so "
        "wall time includes waiting for a core).",
        f"- {big['documents']} documents take **{results['ratio_time']}×** the time of {small['documents']} "
        f"({results['ratio_time'] / (big['documents'] / small['documents']):.2f}× per document; CPU "
        f"{results['ratio_cpu']}×) and "
        f"**{results['ratio_memory']}×** the peak memory.",
        f"- Writing the {store['documents']}-document store (no extraction) and clustering its reuse took "
        f"{store['seconds']} s; the report build is {results['ratio_to_store']}× that.", "",
    ]
    (RESULTS / "bench_report.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=100)
    parser.add_argument("--workers", type=int, default=None, help="alignment processes (default: the report's)")
    args = parser.parse_args()
    workers = args.workers or default_workers()
    with tempfile.TemporaryDirectory(prefix="bench_report_") as tmp:
        work = Path(tmp)
        baseline_store = build_store(work / "small.db", args.baseline)
        print(f"baseline store: {baseline_store}", flush=True)
        baseline = build_report_in_child(work / "small.db", work / "small-site", workers)
        print(f"baseline report: {baseline}", flush=True)
        store = build_store(work / "big.db", args.documents)
        print(f"store: {store}", flush=True)
        report = build_report_in_child(work / "big.db", work / "big-site", workers)
        print(f"report: {report}", flush=True)
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "workers": workers,
        "store": store, "baseline_store": baseline_store, "report": report, "baseline": baseline,
        "ratio_time": round(report["seconds"] / baseline["seconds"], 2),
        "ratio_cpu": round(report["cpu_seconds"] / baseline["cpu_seconds"], 2),
        "ratio_memory": round(report["peak_rss_mb"] / baseline["peak_rss_mb"], 2),
        "ratio_to_store": round(report["seconds"] / store["seconds"], 2),
    }
    write_results(results)
    print(f"written {RESULTS / 'bench_report.json'} and .md")


if __name__ == "__main__":
    main()
