#!/usr/bin/env python3
"""Benchmark ``rok align`` as documents grow: 1k, 2k, 4k, 8k clauses a side, sparse vs dense.

Document A of N clauses is the real corpus's clauses (corpus/seeds, ../shared/corpus/dev and
train, read in place, as ``bench_align.document_clauses`` segments them) in document order,
documents shuffled, again and again until N: every pass after the first edits one to three
words of each clause of six words or more, so A holds N / 1,200 variants of each real clause
(the reuse of a corpus of agreements). B is a revision of A with the truth generator of
``bench_align`` (deletions, word edits, splits, merges, moves, insertions).

Each size runs in a fresh process per measurement (peak RSS is its own): the sparse aligner
(``rok_compare.align.Aligner``) and, where it fits (``--dense-max``), the dense path as it was
(``scripts/align_dense.py``), which also checks that both give the same alignment. Reported:
medians of ``--runs`` runs of wall and CPU time, peak RSS, candidates and related pairs, the
growth exponent k of time ~ N^k between consecutive sizes and over the whole range.

    .venv/bin/python scripts/bench_align_growth.py [--sizes 1000,2000,4000,8000] [--runs 3]

Results go to scripts/results/bench_align_growth.json and .md.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

CORPUS_DIRS = [ROOT / "corpus" / "seeds", ROOT.parent / "shared" / "corpus" / "dev",
               ROOT.parent / "shared" / "corpus" / "train"]
RESULTS = ROOT / "scripts" / "results"


def build_documents(size: int, seed: int):
    """(A, B) clause lists of about ``size`` clauses each, from real clauses with edits."""
    import random

    import bench_align as ba

    docs = ba.document_clauses([d for d in CORPUS_DIRS if d.is_dir()])
    rng = random.Random(seed)
    names = sorted(docs)
    vocabulary = sorted({w.strip(".,;:()") for clauses in docs.values() for c in clauses
                         for w in c.text.split() if w.isalpha()})
    texts: list[str] = []
    for round_ in range(size):
        rng.shuffle(names)
        for name in names:
            for clause in docs[name]:
                edit = round_ > 0 and ba.editable(clause.text)
                texts.append(ba._edit_words(clause.text, vocabulary, rng) if edit else clause.text)
        if len(texts) >= size:
            break
    old = [ba._clause(f"a{k}", text) for k, text in enumerate(texts[:size])]
    pool = [c.text for clauses in docs.values() for c in clauses]
    revision = ba.make_revision(old, pool, rng)
    return revision.old, revision.new


def signature(alignment) -> list:
    """What an alignment says: pairs with relation, shape, moved flag, score and diff; the unpaired."""
    return [[(p.a.id, p.b.id, str(p.relation), str(p.shape), p.moved, round(p.score, 6), p.diff)
             for p in alignment.pairs],
            [r.id for r in alignment.only_a], [r.id for r in alignment.only_b]]


def worker(size: int, seed: int, path: str) -> dict:
    """Align one generated pair of documents with one path; time, CPU, peak RSS."""
    import gc
    import resource

    a, b = build_documents(size, seed)
    if path == "dense":
        from align_dense import DenseAligner as AlignerClass
    else:
        from rok_compare.align import Aligner as AlignerClass
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall, cpu = time.perf_counter(), time.process_time()
    aligner = AlignerClass()
    alignment = aligner.align(a, b)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row = {"size": size, "clauses_a": len(a), "clauses_b": len(b), "path": path, "seconds": round(wall, 3),
           "cpu_seconds": round(cpu, 3), "peak_rss_mib": round(peak, 1), "rss_before_mib": round(rss_before, 1),
           "pairs": len(alignment.pairs)}
    out = RESULTS / f".align_growth_{path}_{size}.json"
    out.write_text(json.dumps(signature(alignment), ensure_ascii=False))
    row["signature_file"] = str(out)
    return row


def run_worker(size: int, seed: int, path: str) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", path, "--sizes", str(size),
           "--seed", str(seed)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"size": size, "path": path, "error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def compare(sparse_file: str, dense_file: str) -> dict:
    """How far the sparse alignment differs from the dense one (pairs as (a, b, relation, shape))."""
    sparse_sig = json.loads(Path(sparse_file).read_text())
    dense_sig = json.loads(Path(dense_file).read_text())
    key = lambda p: tuple(p[:4])  # noqa: E731
    s_pairs, d_pairs = {key(p) for p in sparse_sig[0]}, {key(p) for p in dense_sig[0]}
    return {"identical": sparse_sig == dense_sig, "pairs_dense": len(d_pairs),
            "pairs_only_dense": len(d_pairs - s_pairs), "pairs_only_sparse": len(s_pairs - d_pairs)}


def measure(size: int, seed: int, runs: int, path: str) -> dict:
    rows = [run_worker(size, seed, path) for _ in range(runs)]
    good = [r for r in rows if "error" not in r]
    if not good:
        return rows[0]
    out = dict(good[0])
    for field in ("seconds", "cpu_seconds", "peak_rss_mib"):
        out[field] = round(statistics.median(r[field] for r in good), 3)
        out[field + "_runs"] = [r[field] for r in good]
    return out


def exponent(rows: list[dict], field: str) -> list[float | None]:
    """k of field ~ N^k between each size and the previous one."""
    out: list[float | None] = [None]
    for prev, row in zip(rows, rows[1:], strict=False):
        if prev.get(field) and row.get(field):
            out.append(round(math.log(row[field] / prev[field]) / math.log(row["size"] / prev["size"]), 2))
        else:
            out.append(None)
    return out


def overall_exponent(rows: list[dict], field: str) -> float | None:
    """Least-squares slope of log(field) on log(N)."""
    points = [(math.log(r["size"]), math.log(r[field])) for r in rows if r.get(field)]
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    return round(sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points), 2)


def markdown(results: dict) -> str:
    lines = ["# `rok align` growth: sparse vs the dense path", "", f"Machine: {results['machine']}", "",
             "Documents: A = the real corpus's clauses (seeds, dev, train) repeated with 1-3 word edits "
             "per pass until N clauses; B = a revision of A (bench_align's generator: deletions, edits, "
             "splits, merges, moves, insertions). Each measurement in a fresh process; medians of "
             f"{results['runs']} runs (wall and CPU seconds); peak RSS of the process (it also holds the "
             "generated documents and the imports, RSS before the call in the last column). The machine "
             "is shared by several sessions: wall time is inflated by their load, CPU time less so, and "
             "the dense/sparse ratio is measured in the same run.", "",
             "| N (A x B) | path | wall s | CPU s | peak RSS MiB | k (wall) | k (CPU) | dense/sparse wall | "
             "dense/sparse CPU | same alignment | RSS before MiB |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for path in ("sparse", "dense"):
        rows = [r for r in results["rows"] if r["path"] == path and "error" not in r]
        ks = exponent(rows, "seconds")
        ks_cpu = exponent(rows, "cpu_seconds")
        for row, k, k_cpu in zip(rows, ks, ks_cpu, strict=True):
            dense = next((d for d in results["rows"] if d["path"] == "dense" and d["size"] == row["size"]
                          and "error" not in d), None)
            ratio = f"{dense['seconds'] / row['seconds']:.1f}x" if dense and path == "sparse" else ""
            ratio_cpu = f"{dense['cpu_seconds'] / row['cpu_seconds']:.1f}x" if dense and path == "sparse" else ""
            same = ""
            if path == "sparse" and "comparison" in row:
                c = row["comparison"]
                same = "identical" if c["identical"] else (
                    f"{c['pairs_only_dense']} of {c['pairs_dense']} pairs differ")
            lines.append(f"| {row['size']} ({row['clauses_a']} x {row['clauses_b']}) | {path} | "
                         f"{row['seconds']:.2f} | {row['cpu_seconds']:.2f} | {row['peak_rss_mib']:.0f} | "
                         f"{'' if k is None else k} | {'' if k_cpu is None else k_cpu} | {ratio} | {ratio_cpu} | "
                         f"{same} | "
                         f"{row['rss_before_mib']:.0f} |")
    for row in results["rows"]:
        if "error" in row:
            lines.append(f"| {row['size']} | {row['path']} | error: {row['error']} | | | | | | | | |")
    lines += ["", "Same alignment: the sparse path's pairs, relations, shapes, moves, scores and diffs against "
              "the dense path's on the same documents. Where they differ, A holds word-identical clauses "
              "(short clauses are repeated verbatim at every pass): two assignments then have the same total "
              "gain, and each solver keeps its own (the sparse one solves each component of the candidate "
              "graph alone); the split/merge step can follow the other choice by a pair.",
              "", "Growth exponent over all sizes (least squares, time ~ N^k): " + ", ".join(
        f"{path} wall {results['exponents'][path]['seconds']}, CPU {results['exponents'][path]['cpu_seconds']}, "
        f"peak RSS {results['exponents'][path]['peak_rss_mib']}"
        for path in ("sparse", "dense") if results["exponents"].get(path))]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,2000,4000,8000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dense-max", type=int, default=8000,
                        help="largest size to run the dense baseline at (it needs ~4 GB at 8000)")
    parser.add_argument("--dense-runs", type=int, default=3,
                        help="runs of the dense baseline per size (it takes minutes at 8000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--markdown-only", action="store_true",
                        help="rewrite the .md from the .json of the last run")
    parser.add_argument("--worker", choices=["sparse", "dense"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.runs < 1 or not sizes or min(sizes) < 10:
        parser.error("--runs must be >= 1 and --sizes a comma-separated list of sizes >= 10")
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.markdown_only:
        results = json.loads((RESULTS / "bench_align_growth.json").read_text())
        (RESULTS / "bench_align_growth.md").write_text(markdown(results))
        return 0
    if args.worker:
        print(json.dumps(worker(sizes[0], args.seed, args.worker)))
        return 0
    import os
    import platform

    results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                     "runs": args.runs, "dense_runs": args.dense_runs, "seed": args.seed, "rows": []}
    for size in sizes:
        row = measure(size, args.seed, args.runs, "sparse")
        if size <= args.dense_max:
            dense = measure(size, args.seed, args.dense_runs, "dense")
            if "error" not in dense and "error" not in row:
                row["comparison"] = compare(row["signature_file"], dense["signature_file"])
            print(json.dumps(dense), flush=True)
            results["rows"].append(dense)
        print(json.dumps(row), flush=True)
        results["rows"].append(row)
    results["rows"].sort(key=lambda r: (r["path"], r["size"]))
    results["exponents"] = {}
    for path in ("sparse", "dense"):
        rows = [r for r in results["rows"] if r["path"] == path and "error" not in r]
        if len(rows) >= 2:
            results["exponents"][path] = {f: overall_exponent(rows, f)
                                          for f in ("seconds", "cpu_seconds", "peak_rss_mib")}
    for leftover in RESULTS.glob(".align_growth_*.json"):
        leftover.unlink()
    (RESULTS / "bench_align_growth.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "bench_align_growth.md").write_text(markdown(results))
    print(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
