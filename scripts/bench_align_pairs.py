#!/usr/bin/env python3
"""Benchmark aligning many small document pairs (what ``rok report`` does), against a baseline tree.

``rok report`` aligns tens of thousands of pairs of documents of ~15 clauses each, so what an
alignment costs besides its arithmetic (fitting vectorisers, building scipy objects, starting
threads, diff rendering) is what counts. The pairs: ``--pairs`` windows of 10 to 20 consecutive
clauses of the real documents (corpus/seeds, ../shared/corpus/dev and train, read in place and
segmented as ``bench_align.document_clauses`` does), each against a revision of itself made by
``bench_align``'s generator (deletions, word edits, splits, merges, moves, insertions).

The baseline is the ``rok_compare`` package of a git revision (``--baseline``, default: the commit
before the speed work), extracted with ``git archive`` into a temporary folder. Each measurement is
a fresh process (baseline and current alternate, ``--runs`` each) that aligns every pair: CPU and
wall time per pair (medians over the runs), the first alignment of the process with its imports,
and peak RSS. Both trees must give the same alignments (pairs, relations, shapes, moves, scores,
diffs, unpaired clauses): the run fails otherwise.

    .venv/bin/python scripts/bench_align_pairs.py [--pairs 1000] [--runs 3] [--baseline REV]

Results go to scripts/results/bench_align_pairs.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "scripts" / "results"
CORPUS_DIRS = [ROOT / "corpus" / "seeds", ROOT.parent / "shared" / "corpus" / "dev",
               ROOT.parent / "shared" / "corpus" / "train"]
BASELINE = "5ff0648^"
"""The last commit before the small-pair speed work (TF-IDF without scikit-learn, ...)."""


def make_pairs(count: int, seed: int) -> list[dict]:
    """``count`` pairs (A, B) of clause lists: a window of a real document and a revision of it."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench_align as ba

    docs = ba.document_clauses([d for d in CORPUS_DIRS if d.is_dir()])
    rng = random.Random(seed)
    names = sorted(docs)
    pool = [c.text for clauses in docs.values() for c in clauses]
    pairs = []
    for _ in range(count):
        clauses = docs[rng.choice(names)]
        size = rng.randint(10, 20)
        start = rng.randrange(0, max(1, len(clauses) - size))
        revision = ba.make_revision(clauses[start:start + size], pool, rng)
        pairs.append({"a": [[c.id, c.text] for c in revision.old], "b": [[c.id, c.text] for c in revision.new]})
    return pairs


def worker(pairs_file: str, signature_file: str) -> dict:
    """Align every pair with the ``rok_compare`` on ``sys.path``; time, CPU and peak RSS."""
    import resource

    started_wall, started_cpu = time.perf_counter(), time.process_time()
    from rok_compare.align import align
    from rok_compare.model import Clause, ClauseKind, Span

    def clauses(rows: list[list[str]]) -> list:
        return [Clause(cid, None, ClauseKind.OTHER, [], text, Span(1, 0, 0)) for cid, text in rows]

    pairs = [(clauses(p["a"]), clauses(p["b"])) for p in json.loads(Path(pairs_file).read_text())]
    align(*pairs[0])
    first_wall, first_cpu = time.perf_counter() - started_wall, time.process_time() - started_cpu
    signatures = []
    wall, cpu = time.perf_counter(), time.process_time()
    for a, b in pairs:
        result = align(a, b)
        signatures.append([[(p.a.id, p.b.id, str(p.relation), str(p.shape), p.moved, p.score, p.diff)
                            for p in result.pairs], [r.id for r in result.only_a], [r.id for r in result.only_b]])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    Path(signature_file).write_text(json.dumps(signatures, ensure_ascii=False))
    return {"pairs": len(pairs), "ms_per_pair_cpu": round(cpu / len(pairs) * 1000, 3),
            "ms_per_pair_wall": round(wall / len(pairs) * 1000, 3), "first_cpu_s": round(first_cpu, 3),
            "first_wall_s": round(first_wall, 3),
            "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def run_worker(tree: Path, pairs_file: Path, signature_file: Path) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(pairs_file), str(signature_file)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env, cwd=tree)
    if done.returncode != 0:
        raise SystemExit(f"bench_align_pairs: worker on {tree} failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def extract_baseline(revision: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "rok_compare"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def median_row(rows: list[dict]) -> dict:
    keys = [k for k in rows[0] if k != "pairs"]
    return {"pairs": rows[0]["pairs"], "runs": len(rows),
            **{k: round(statistics.median(r[k] for r in rows), 3) for k in keys}}


def markdown(result: dict) -> str:
    base, cur = result["baseline"], result["current"]
    lines = [
        "# Aligning many small document pairs (`rok report`'s comparisons)", "",
        f"Machine: {result['machine']}. {base['pairs']} pairs: a window of 10-20 consecutive clauses of a real "
        "document (seeds, dev, train) against a revision of itself (bench_align's generator), "
        f"{result['clauses_per_side']:.1f} clauses a side on average. Each run is a fresh process that aligns "
        "every pair; baseline and current alternate; medians of "
        f"{base['runs']} runs. Baseline: `rok_compare` at `{result['baseline_revision']}` "
        f"({result['baseline_commit']}). The machine is shared: CPU time is the measure, wall time is inflated "
        "by other sessions' load.", "",
        "| tree | ms per pair (CPU) | ms per pair (wall) | first alignment incl. imports, CPU s | "
        "first alignment, wall s | peak RSS MiB |",
        "|---|---|---|---|---|---|",
    ]
    for name, row in (("baseline", base), ("current", cur)):
        lines.append(f"| {name} | {row['ms_per_pair_cpu']} | {row['ms_per_pair_wall']} | {row['first_cpu_s']} | "
                     f"{row['first_wall_s']} | {row['peak_rss_mib']} |")
    lines += ["",
              f"- Speed-up per pair: CPU {base['ms_per_pair_cpu'] / cur['ms_per_pair_cpu']:.2f}x, "
              f"wall {base['ms_per_pair_wall'] / cur['ms_per_pair_wall']:.2f}x; first alignment of a process "
              f"(imports included): CPU {base['first_cpu_s'] / cur['first_cpu_s']:.2f}x.",
              f"- Same alignments as the baseline (pairs, relations, shapes, moves, scores, diffs, unpaired "
              f"clauses) on all {base['pairs']} pairs: {'yes' if result['identical'] else 'NO'}.",
              f"- Runs (ms per pair, CPU): baseline {result['runs_baseline']}, current {result['runs_current']}.",
              f"- The benchmark took {result['seconds']} s."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--worker", nargs=2, metavar=("PAIRS_JSON", "SIGNATURE_JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return 0
    if args.pairs < 1 or args.runs < 1:
        print("bench_align_pairs: --pairs and --runs must be at least 1", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        pairs = make_pairs(args.pairs, args.seed)
        pairs_file = tmp / "pairs.json"
        pairs_file.write_text(json.dumps(pairs, ensure_ascii=False))
        (tmp / "baseline").mkdir()
        trees = {"baseline": extract_baseline(args.baseline, tmp / "baseline"), "current": ROOT}
        rows: dict[str, list[dict]] = {"baseline": [], "current": []}
        signatures: dict[str, str] = {}
        for run in range(args.runs):
            for name, tree in trees.items():
                sig = tmp / f"{name}.json"
                rows[name].append(run_worker(tree, pairs_file, sig))
                print(f"run {run + 1} {name}: {rows[name][-1]}", file=sys.stderr)
                signatures[name] = sig.read_text()
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.baseline],
                                capture_output=True, text=True, check=True).stdout.strip()
    result = {
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
                   f"Python {platform.python_version()}",
        "baseline_revision": args.baseline, "baseline_commit": commit,
        "clauses_per_side": statistics.mean((len(p["a"]) + len(p["b"])) / 2 for p in pairs),
        "baseline": median_row(rows["baseline"]), "current": median_row(rows["current"]),
        "runs_baseline": [r["ms_per_pair_cpu"] for r in rows["baseline"]],
        "runs_current": [r["ms_per_pair_cpu"] for r in rows["current"]],
        "identical": signatures["baseline"] == signatures["current"],
        "seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_align_pairs.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "bench_align_pairs.md").write_text(markdown(result))
    print(markdown(result))
    return 0 if result["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
