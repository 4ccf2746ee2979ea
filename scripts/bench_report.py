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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from report_corpus import generated_store  # noqa: E402
from report_digest import site_digest  # noqa: E402

from rok_compare.report.aligning import default_workers  # noqa: E402

RESULTS = ROOT / "scripts" / "results"
CACHE = Path("/tmp/rok_bench_report")
BASELINE_FILES = ("rok_compare/report", "rok_compare/align/similarity.py", "rok_compare/align/lineage.py",
                  "rok_compare/align/lineage_data.py")
"""The report's own code: the baseline's in place of HEAD's, the rest of the package (the aligner) HEAD's."""
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


SERIAL_PHASES = ("read", "similarity", "lineages")
"""Phases the building process runs before any worker starts (the lineages meanwhile in one more process)."""


def quiet_wall(measured: dict, cores: int = 2) -> float | None:
    """The wall time the build would take on a quiet machine with ``cores`` cores, estimated from its
    CPU: the building process's CPU before the workers start counts in full, the rest (the workers',
    the lineage process's, the building process's meanwhile) spread over the cores. A lower bound
    rather than a prediction: it assumes both cores busy while the workers run (a 10,000-document build
    on a nearly quiet machine, where other sessions still ran, took 1.5 times as long)."""
    phases = measured.get("phases_cpu") or {}
    if not phases:
        return None
    serial = sum(phases.get(name, 0.0) for name in SERIAL_PHASES)
    return round(serial + (measured["cpu_seconds"] - serial) / cores, 1)


def tree_pss(pid: int) -> int:
    """Proportional set size (kB) of process ``pid`` and every process under it: the memory the build
    holds, a page the forked workers share with the building process counted once (their resident
    sets count it in each)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


PSS_EVERY = 1.0
"""Seconds between two samples of the build's memory (taken by this process: the reading of
``smaps_rollup`` costs CPU, which must not count as the build's)."""


def build_in_child(code_root: Path, db: Path, out: Path, workers: int, nice: int = 0) -> dict:
    """Build the report with the package at ``code_root`` in a fresh Python process (at ``nice``),
    sampling the memory of its processes meanwhile."""
    code = CHILD.format(root=str(code_root), db=str(db), out=str(out), workers=workers)
    command = [sys.executable, "-c", code]
    if nice:
        command = ["nice", "-n", str(nice), *command]
    peak_pss = 0
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/") as child:
        while True:
            try:
                stdout, stderr = child.communicate(timeout=PSS_EVERY)
                break
            except subprocess.TimeoutExpired:
                peak_pss = max(peak_pss, tree_pss(child.pid))
    if child.returncode != 0:
        sys.exit(f"report build failed: {stderr.strip().splitlines()[-3:]}")
    measured = json.loads(stdout.strip().splitlines()[-1])
    measured["peak_pss_mb"] = round(peak_pss / 1024, 1)
    measured["align_share"] = round(measured["align_cpu_seconds"] / measured["cpu_seconds"], 3) \
        if measured["cpu_seconds"] else 0.0
    measured["quiet_wall_estimate"] = quiet_wall(measured, min(workers, os.cpu_count() or 1))
    measured["site_digest"], _, size = site_digest(out)
    measured["site_mb"] = round(size / 1e6, 1)
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


def work_folder(size: int) -> Path:
    """The folder each run at ``size`` builds in, emptied first: always the same path, since the
    overview page names the store, so that the sites of all runs (and the baseline's) can be
    compared by their digests."""
    folder = CACHE / f"run_{size}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def same_site(builds: list[dict]) -> bool:
    return len({b["site_digest"] for b in builds}) == 1


def measure(tree: Path, size: int, runs: int, workers: int, nice: int = 0) -> dict:
    db, store = generated_store(CACHE, size)
    cold, warm = [], []
    for run in range(runs):
        tmp = work_folder(size)
        copy = fresh_copy(db, tmp)
        cold.append(build_in_child(tree, copy, tmp / "site", workers, nice))
        warm.append(build_in_child(tree, copy, tmp / "site", workers, nice))
        print(f"{size} documents, run {run + 1}: cold {cold[-1]}\n  warm {warm[-1]}", flush=True)
    return {"documents": size, "store": store, "cold": median_of(cold), "warm": median_of(warm),
            "cold_runs": cold, "warm_runs": warm, "same_site": same_site(cold + warm)}


def measure_baseline(head: str, ref: str, size: int, runs: int, workers: int, nice: int = 0) -> dict:
    """The baseline's builds: the package at ``head`` with the report code of ``ref``."""
    db, _ = generated_store(CACHE, size)
    tree = code_tree(head, ref)
    builds = []
    for run in range(runs):
        tmp = work_folder(size)
        builds.append(build_in_child(tree, fresh_copy(db, tmp), tmp / "site", workers, nice))
        print(f"baseline ({ref}) {size} documents, run {run + 1}: {builds[-1]}", flush=True)
    return {"ref": ref, "documents": size, "build": median_of(builds), "runs": builds, "same_site": same_site(builds)}


def summarise(results: list[dict], baselines: list[dict], run: dict) -> dict:
    """The results of every size with the baselines, their ratios and the growth exponents."""
    results = sorted(results, key=lambda r: r["documents"])
    sizes = [r["documents"] for r in results]
    by_size = {r["documents"]: r for r in results}
    for base in baselines:  # same pages as the baseline's, and the ratios, at each size measured both ways
        new = by_size.get(base["documents"])
        if new is not None:
            base["same_site_as_new"] = base["build"]["site_digest"] == new["cold"]["site_digest"]
            base["speedup_cold_cpu"] = round(base["build"]["cpu_seconds"] / new["cold"]["cpu_seconds"], 2)
            base["speedup_cold_estimate"] = round(base["build"]["quiet_wall_estimate"]
                                                  / new["cold"]["quiet_wall_estimate"], 2)
    summary = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        **run, "sizes": results, "baseline": baselines[0] if baselines else None, "baselines": baselines,
        "exponent_cold_estimate": exponent(sizes, [r["cold"]["quiet_wall_estimate"] for r in results]),
        "exponent_cold_pss": exponent(sizes, [r["cold"]["peak_pss_mb"] for r in results]),
        "exponent_cold_seconds": exponent(sizes, [r["cold"]["seconds"] for r in results]),
        "exponent_cold_cpu": exponent(sizes, [r["cold"]["cpu_seconds"] for r in results]),
        "exponent_warm_seconds": exponent(sizes, [r["warm"]["seconds"] for r in results]),
        "exponent_warm_cpu": exponent(sizes, [r["warm"]["cpu_seconds"] for r in results]),
    }
    small = by_size.get(baselines[0]["documents"]) if baselines else None
    if small is not None:
        base = baselines[0]["build"]
        summary["speedup_cold"] = round(base["seconds"] / small["cold"]["seconds"], 2)
        summary["speedup_cold_cpu"] = round(base["cpu_seconds"] / small["cold"]["cpu_seconds"], 2)
        summary["speedup_warm"] = round(base["seconds"] / small["warm"]["seconds"], 2)
        summary["speedup_warm_cpu"] = round(base["cpu_seconds"] / small["warm"]["cpu_seconds"], 2)
    return summary


def merge(files: list[Path], folder: Path) -> None:
    """One result from runs made side by side (e.g. the small sizes with the baseline, and 10,000 documents)."""
    runs = [json.loads(path.read_text(encoding="utf-8")) for path in files]
    codes = {run["code"] for run in runs}
    if len(codes) > 1:
        sys.exit(f"{', '.join(map(str, files))}: measured different code ({', '.join(sorted(codes))})")
    summary = summarise([size for run in runs for size in run["sizes"]],
                        [base for run in runs for base in run.get("baselines") or []],
                        {"workers": runs[0]["workers"], "nice": runs[0].get("nice", 0), "code": codes.pop(),
                         "bench_seconds": max(run["bench_seconds"] for run in runs), "side_by_side": len(runs)})
    write_results(summary, folder)
    print(f"written {folder / 'bench_report.json'} and .md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,3000,10000", help="corpus sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="runs at the smallest size")
    parser.add_argument("--large-runs", type=int, default=1, help="runs at the larger sizes")
    parser.add_argument("--baseline-ref", default="8a3b0b5", help="git ref of the report to compare with "
                        f"(its {', '.join(BASELINE_FILES)} over this package; 8a3b0b5: before this round)")
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("--baseline-sizes", default=None,
                        help="sizes to measure the baseline at, comma-separated (default: the smallest)")
    parser.add_argument("--workers", type=int, default=None, help="alignment processes (default: the report's)")
    parser.add_argument("--nice", type=int, default=0, help="run the builds at this niceness (a negative one "
                        "gives them the cores first on a machine others use)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for bench_report.json and .md")
    parser.add_argument("--merge", type=Path, nargs="+", default=None, metavar="JSON",
                        help="measure nothing: merge the bench_report.json files of runs made side by side")
    args = parser.parse_args()
    if args.merge:
        merge(args.merge, args.results)
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    baseline_sizes = sorted(int(s) for s in args.baseline_sizes.split(",")) if args.baseline_sizes else sizes[:1]
    workers = args.workers or default_workers()
    started = time.perf_counter()
    head = _commit("HEAD")  # both trees extracted now: others may commit while this runs
    tree = code_tree(head)
    baselines = [measure_baseline(head, args.baseline_ref, n, args.baseline_runs, workers, args.nice)
                 for n in baseline_sizes] if args.baseline_runs else []
    results = [measure(tree, n, args.runs if n == sizes[0] else args.large_runs, workers, args.nice) for n in sizes]
    summary = summarise(results, baselines, {"workers": workers, "nice": args.nice, "code": head,
                                             "bench_seconds": round(time.perf_counter() - started, 1)})
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
        "| documents | clauses | build | runs | wall (s) | CPU (s) | quiet 2-core wall, estimate (s) | "
        "aligning, share of CPU | aligned / from cache | peak memory (MB): build / largest worker / all (PSS) | "
        "pages | site (MB) | site digest |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def row(documents: int, clauses: str, kind: str, m: dict) -> str:
        align = f"{m['align_cpu_seconds']} s, {m['align_share']:.0%}" if m.get("align_cpu_seconds") else ""
        return (f"| {documents:,} | {clauses} | {kind} | {m['runs']} | {m['seconds']} | {m['cpu_seconds']} | "
                f"{m.get('quiet_wall_estimate', '')} | {align} | {m.get('aligned')} / {m.get('cached')} | "
                f"{m['peak_rss_mb']} / {m['worker_peak_rss_mb']} / {m.get('peak_pss_mb', '–')} | {m['pages']} | "
                f"{m['site_mb']} | `{str(m.get('site_digest', ''))[:12]}` |")

    clauses = {size["documents"]: f"{size['store']['clauses']:,}" for size in results["sizes"]}
    for base in results.get("baselines") or ([results["baseline"]] if results.get("baseline") else []):
        lines.append(row(base["documents"], clauses.get(base["documents"], ""), f"baseline ({base['ref']}), cold",
                         base["build"]))
    for size in results["sizes"]:
        for kind in ("cold", "warm"):
            lines.append(row(size["documents"], clauses[size["documents"]], kind, size[kind]))
    lines += ["", "- Wall and CPU are medians over the runs (the machine is shared: wall time includes waiting for a "
              "core, CPU does not). Peak memory: the building process's and the largest worker's resident set "
              "(a worker's counts the pages it shares with the building process, forked from it), and all of the "
              "build's processes together as proportional set size (a shared page counted once), sampled every "
              "second.",
              "- Quiet 2-core wall, estimate: the building process's CPU before the workers start (read, similarity, "
              "lineages) in full, the rest of the CPU divided by the two cores (`quiet_wall` in the script). It is "
              "an estimate from CPU time, not a measured wall time (the machine is shared), and a lower bound: "
              "see the run on an almost idle machine below.",
              "- Site digest: SHA-256 of every file of the site (`scripts/report_digest.py`); the same value means "
              "the same pages, byte for byte. "
              + "; ".join(f"{size['documents']:,} documents: all runs, cold and warm, "
                          + ("the same site" if size.get("same_site") else "DIFFERENT sites")
                          for size in results["sizes"])
              + "".join(f"; baseline at {b['documents']:,}: "
                        + ("the same site as this code's" if b.get("same_site_as_new") else "a DIFFERENT site")
                        for b in results.get("baselines") or [] if "same_site_as_new" in b) + ".",
              "- Growth exponent k (time ∝ documents^k) over "
              f"{', '.join(str(s['documents']) for s in results['sizes'])} documents: "
              f"cold wall {results['exponent_cold_seconds']}, cold CPU {results['exponent_cold_cpu']}, "
              f"cold quiet estimate {results.get('exponent_cold_estimate')}, peak memory (PSS) "
              f"{results.get('exponent_cold_pss')}; warm wall {results['exponent_warm_seconds']}, warm CPU "
              f"{results['exponent_warm_cpu']}."]
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
    for base in results.get("baselines") or []:
        if "speedup_cold_cpu" in base:
            lines.append(f"- Against the baseline at {base['documents']:,} documents (same store, same run), cold "
                         f"build, baseline ÷ this code: CPU {base['speedup_cold_cpu']}, quiet-wall estimate "
                         f"{base['speedup_cold_estimate']} (above 1: this code is faster).")
    first = results.get("baseline")
    if first and "speedup_warm_cpu" in results:
        lines.append(f"- Warm build against the baseline's cold one at {first['documents']:,} documents: "
                     f"{results['speedup_warm_cpu']}× less CPU.")
    side = f" ({results['side_by_side']} runs side by side)" if results.get("side_by_side", 1) > 1 else ""
    lines += [f"- The whole benchmark took {results['bench_seconds']} s{side}.", ""]
    (folder / "bench_report.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
