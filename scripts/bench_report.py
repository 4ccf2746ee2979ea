"""Benchmark ``rok report`` at 1,000, 3,000 and 10,000 documents: time, peak memory, aligning, cache.

    .venv/bin/python scripts/bench_report.py [--sizes 1000,3000,10000] [--runs 3] [--large-runs 1]
                                             [--baseline-ref REF] [--baseline-runs 3] [--workers N]

Corpora are generated from the real agreements' texts with edits (:mod:`report_corpus`: the seeds
and ``../shared/corpus`` ingested once with the real extractor, then copied county to county,
revised, with clauses dropped, borrowed and words changed), written straight into a store with
their reuse clusters and kept under ``/tmp/rok_bench_report`` for the next run.

Each run copies the kept store (so it holds no cached alignments), builds the report in a fresh
process (cold: every comparison aligned and added to the store's cache), then builds it again
into the same folder (warm: the comparisons come from the cache, unchanged pages are not
rewritten). Measured: wall time, CPU time of the process and its workers, peak resident memory
(the building process; the largest worker), the CPU share of aligning, how many comparisons were
aligned and how many read from the cache. Medians of ``--runs`` runs at the smallest size
(``--large-runs`` at the others: on a shared 2-core machine a 10,000-document build takes many
minutes), and the growth exponent ``k`` of ``time ∝ documents^k`` between the sizes.

The code measured is the package as committed at HEAD (extracted with ``git archive``: other
engineers edit the working tree meanwhile). The baseline, measured in the same run on the same
stores, is the report as it was at ``--baseline-ref`` (its ``rok_compare/report`` and
``rok_compare/align/matrix.py`` over the same package): at the smallest size, the old build
against the new cold and warm builds.

Results go to ``scripts/results/bench_report.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from report_corpus import generated_store  # noqa: E402

from rok_compare.report.aligning import default_workers  # noqa: E402

RESULTS = ROOT / "scripts" / "results"
CACHE = Path("/tmp/rok_bench_report")
BASELINE_FILES = ("rok_compare/report", "rok_compare/align/matrix.py")
CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from rok_compare.report import build_report
from rok_compare.store import Store
Store.open({db!r}).close()  # brought to this package's schema, outside the measured build
started = time.perf_counter()
summary = build_report({db!r}, {out!r}, workers={workers!r})
seconds = time.perf_counter() - started
usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
cpu = sum(u.ru_utime + u.ru_stime for u in usage)
print(json.dumps({{"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                  "peak_rss_mb": round(usage[0].ru_maxrss / 1024, 1),
                  "worker_peak_rss_mb": round(usage[1].ru_maxrss / 1024, 1),
                  "pages": summary.pages, "documents": summary.documents, "comparisons": summary.comparisons,
                  "aligned": getattr(summary, "aligned", None), "cached": getattr(summary, "cached", None),
                  "align_cpu_seconds": round(getattr(summary, "align_cpu_seconds", 0.0), 2),
                  "phases": getattr(summary, "phases", {{}}),
                  "phases_cpu": getattr(summary, "phases_cpu", {{}})}}))
"""


def build_in_child(code_root: Path, db: Path, out: Path, workers: int) -> dict:
    """Build the report with the package at ``code_root`` in a fresh Python process."""
    code = CHILD.format(root=str(code_root), db=str(db), out=str(out), workers=workers)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd="/")
    if result.returncode != 0:
        sys.exit(f"report build failed: {result.stderr.strip().splitlines()[-3:]}")
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    measured["align_share"] = round(measured["align_cpu_seconds"] / measured["cpu_seconds"], 3) \
        if measured["cpu_seconds"] else 0.0
    measured["site_mb"] = round(sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6, 1)
    return measured


def fresh_copy(db: Path, work: Path) -> Path:
    """The kept store copied (no alignment cache in it)."""
    copy = work / "store.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(db, copy)
    return copy


def _commit(ref: str) -> str:
    return subprocess.run(["git", "rev-parse", "--short", ref], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def _extract(commit: str, paths: list[str], into: Path) -> None:
    archive = subprocess.run(["git", "archive", commit, *paths], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)


def code_tree(ref: str = "HEAD", report_ref: str | None = None) -> Path:
    """The package as committed at ``ref`` (the tree is shared with engineers editing it), with the
    report code of ``report_ref`` in place of its own when given."""
    commit = _commit(ref)
    tree = CACHE / (f"code_{commit}" + (f"_report_{_commit(report_ref)}" if report_ref else ""))
    if (tree / ".complete").is_file():  # extracted before (maybe by a run going on beside this one)
        return tree
    shutil.rmtree(tree, ignore_errors=True)
    tree.mkdir(parents=True)
    _extract(commit, ["rok_compare"], tree)
    if report_ref:
        shutil.rmtree(tree / "rok_compare" / "report")
        _extract(_commit(report_ref), list(BASELINE_FILES), tree)
    (tree / ".complete").touch()
    return tree


def median_of(runs: list[dict]) -> dict:
    """Each number's median over the runs (the first run's value for the rest)."""
    out = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, int | float) and not isinstance(value, bool) and all(r.get(key) is not None for r in runs):
            out[key] = round(statistics.median(r[key] for r in runs), 3)
        if isinstance(value, dict) and all(isinstance(r.get(key), dict) for r in runs):
            out[key] = {k: round(statistics.median(r[key].get(k, 0.0) for r in runs), 2) for k in value}
    out["runs"] = len(runs)
    return out


def exponent(sizes: list[int], values: list[float]) -> float | None:
    """Least-squares slope of log(value) on log(size)."""
    if len(sizes) < 2:
        return None
    xs, ys = [math.log(s) for s in sizes], [math.log(v) for v in values]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return round(sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
                 / sum((x - mx) ** 2 for x in xs), 2)


def measure(tree: Path, size: int, runs: int, workers: int) -> dict:
    db, store = generated_store(CACHE, size)
    cold, warm = [], []
    for run in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench_report_") as tmp:
            copy = fresh_copy(db, Path(tmp))
            cold.append(build_in_child(tree, copy, Path(tmp) / "site", workers))
            warm.append(build_in_child(tree, copy, Path(tmp) / "site", workers))
            print(f"{size} documents, run {run + 1}: cold {cold[-1]}\n  warm {warm[-1]}", flush=True)
    return {"documents": size, "store": store, "cold": median_of(cold), "warm": median_of(warm),
            "cold_runs": cold, "warm_runs": warm}


def measure_baseline(ref: str, size: int, runs: int, workers: int) -> dict:
    db, _ = generated_store(CACHE, size)
    tree = code_tree("HEAD", ref)
    builds = []
    for run in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench_report_base_") as tmp:
            builds.append(build_in_child(tree, fresh_copy(db, Path(tmp)), Path(tmp) / "site", workers))
            print(f"baseline ({ref}) {size} documents, run {run + 1}: {builds[-1]}", flush=True)
    return {"ref": ref, "documents": size, "build": median_of(builds), "runs": builds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,3000,10000", help="corpus sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs at the smallest size")
    parser.add_argument("--large-runs", type=int, default=1, help="runs at the larger sizes")
    parser.add_argument("--baseline-ref", default="2343254", help="git ref of the report to compare with "
                        "(its rok_compare/report over this package; 2343254: before the worker processes)")
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="alignment processes (default: the report's)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for bench_report.json and .md")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    workers = args.workers or default_workers()
    started = time.perf_counter()
    baseline = measure_baseline(args.baseline_ref, sizes[0], args.baseline_runs, workers) \
        if args.baseline_runs else None
    tree = code_tree("HEAD")
    results = [measure(tree, n, args.runs if n == sizes[0] else args.large_runs, workers) for n in sizes]
    summary = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "workers": workers, "code": _commit("HEAD"), "sizes": results, "baseline": baseline,
        "exponent_cold_seconds": exponent(sizes, [r["cold"]["seconds"] for r in results]),
        "exponent_cold_cpu": exponent(sizes, [r["cold"]["cpu_seconds"] for r in results]),
        "exponent_warm_seconds": exponent(sizes, [r["warm"]["seconds"] for r in results]),
        "exponent_warm_cpu": exponent(sizes, [r["warm"]["cpu_seconds"] for r in results]),
        "bench_seconds": round(time.perf_counter() - started, 1),
    }
    if baseline:
        small = results[0]
        summary["speedup_cold"] = round(baseline["build"]["seconds"] / small["cold"]["seconds"], 2)
        summary["speedup_cold_cpu"] = round(baseline["build"]["cpu_seconds"] / small["cold"]["cpu_seconds"], 2)
        summary["speedup_warm"] = round(baseline["build"]["seconds"] / small["warm"]["seconds"], 2)
        summary["speedup_warm_cpu"] = round(baseline["build"]["cpu_seconds"] / small["warm"]["cpu_seconds"], 2)
    write_results(summary, args.results)
    print(f"written {args.results / 'bench_report.json'} and .md")


def write_results(results: dict, folder: Path = RESULTS) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bench_report.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# Report build benchmark", "",
        f"{results['machine']}; comparisons aligned by {results['workers']} worker process(es). Corpora generated "
        "from the real agreements' texts with edits (`scripts/report_corpus.py`), written straight into a store "
        "with their reuse clusters; each build in a fresh process. Cold: a copy of the store without cached "
        "alignments; warm: the same report built again (comparisons from the store's alignment cache).", "",
        "| documents | clauses | build | runs | wall (s) | CPU (s) | aligning, share of CPU | aligned / from cache | "
        "peak memory (MB): build / largest worker | pages | site (MB) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    base = results.get("baseline")
    if base:
        b = base["build"]
        lines.append(f"| {base['documents']:,} | | baseline ({base['ref']}) | {b['runs']} | {b['seconds']} | "
                     f"{b['cpu_seconds']} | | {b['comparisons']} / – | "
                     f"{b['peak_rss_mb']} / {b['worker_peak_rss_mb']} | "
                     f"{b['pages']} | {b['site_mb']} |")
    for size in results["sizes"]:
        for kind in ("cold", "warm"):
            m = size[kind]
            lines.append(f"| {size['documents']:,} | {size['store']['clauses']:,} | {kind} | {m['runs']} | "
                         f"{m['seconds']} | {m['cpu_seconds']} | {m['align_cpu_seconds']} s, {m['align_share']:.0%} | "
                         f"{m['aligned']} / {m['cached']} | {m['peak_rss_mb']} / {m['worker_peak_rss_mb']} | "
                         f"{m['pages']} | {m['site_mb']} |")
    lines += ["", "- Wall and CPU are medians over the runs (the machine is shared: wall time includes waiting for a "
              "core, CPU does not). Peak memory is the building process's; the workers are forked from it.",
              "- Growth exponent k (time ∝ documents^k) over "
              f"{', '.join(str(s['documents']) for s in results['sizes'])} documents: "
              f"cold wall {results['exponent_cold_seconds']}, cold CPU {results['exponent_cold_cpu']}; "
              f"warm wall {results['exponent_warm_seconds']}, warm CPU {results['exponent_warm_cpu']}."]
    phases = [name for name in results["sizes"][0]["cold"].get("phases", {})]
    if phases:
        lines += ["", "Where the wall time goes (medians, seconds):", "",
                  "| documents | build | " + " | ".join(phases) + " |", "|---|---|" + "---|" * len(phases)]
        for size in results["sizes"]:
            for kind in ("cold", "warm"):
                lines.append(f"| {size['documents']:,} | {kind} | "
                             + " | ".join(str(size[kind]["phases"].get(p, "")) for p in phases) + " |")
        lines += ["", "Read is loading the store; similarity the documents' word vectors, nearest documents and "
                  "county pairs; lineages is waiting for `align.lineage.find_lineages`, which runs in a forked "
                  "process meanwhile; comparisons is aligning (cold) or decoding the cache (warm) and writing the "
                  "side-by-side pages, in the worker processes; pages is every other page, in the workers.", ""]
        lines += ["Where the building process's CPU goes (medians, seconds; the workers' is the rest of the CPU "
                  "column):", "", "| documents | build | " + " | ".join(phases) + " |",
                  "|---|---|" + "---|" * len(phases)]
        for size in results["sizes"]:
            for kind in ("cold", "warm"):
                lines.append(f"| {size['documents']:,} | {kind} | "
                             + " | ".join(str(size[kind].get("phases_cpu", {}).get(p, "")) for p in phases) + " |")
        lines.append("")
    if base:
        lines.append(f"- Against the baseline at {base['documents']:,} documents (same store, same run): cold build "
                     f"{results['speedup_cold']}× faster (CPU {results['speedup_cold_cpu']}×), warm build "
                     f"{results['speedup_warm']}× (CPU {results['speedup_warm_cpu']}×).")
    lines += [f"- The whole benchmark took {results['bench_seconds']} s.", ""]
    (folder / "bench_report.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
