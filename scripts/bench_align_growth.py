#!/usr/bin/env python3
"""Benchmark ``rok align`` as documents grow: 1k, 2k, 4k, 8k clauses a side, sparse vs dense.

Document A of N clauses is the real corpus's clauses (corpus/seeds, ../shared/corpus/dev and
train, read in place, as ``bench_align.document_clauses`` segments them) in document order,
documents shuffled, again and again until N: every pass after the first edits one to three
words of each clause of six words or more, so A holds N / 1,200 variants of each real clause
(the reuse of a corpus of agreements). B is a revision of A with the truth generator of
``bench_align`` (deletions, word edits, splits, merges, moves, insertions).

Each size runs in a fresh process per measurement (peak RSS is its own): the sparse aligner
(``rok_compare.align.Aligner``), the same aligner of a baseline git revision (``--baseline``, its
``rok_compare`` extracted with ``git archive``; ``--baseline ''`` skips it) and, where it fits
(``--dense-max``), the dense path as it was (``scripts/align_dense.py``); both check that they give
the same alignment as the current aligner. The documents are generated once per size (by the
current tree) and read by every worker. Reported:
medians of ``--runs`` runs of wall and CPU time, peak RSS, candidates and related pairs, the
growth exponent k of time ~ N^k between consecutive sizes and over the whole range.

    .venv/bin/python scripts/bench_align_growth.py [--sizes 1000,2000,4000,8000] [--runs 3]

Results go to scripts/results/bench_align_growth.json and .md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREE = os.environ.get("BENCH_ALIGN_TREE", str(ROOT))
"""The tree whose ``rok_compare`` a worker imports (a baseline's, or this one)."""
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, TREE)
BASELINE = "8a3b0b5"
"""The last commit before this round's alignment speed work (issue 15, item 5: 8,000 x 8,000 clauses
in 5 s); ``--baseline 5ff0648^`` measures against the aligner before the sparse rewrite's second round."""

CORPUS_DIRS = [ROOT / "corpus" / "seeds", ROOT.parent / "shared" / "corpus" / "dev",
               ROOT.parent / "shared" / "corpus" / "train"]
RESULTS = ROOT / "scripts" / "results"


def build_documents(size: int, seed: int, square: bool = False):
    """(A, B) clause lists of about ``size`` clauses each, from real clauses with edits; with
    ``square``, exactly ``size`` each: B is the revision of A and of the clauses that would
    follow A (inserted at the end of B), cut at ``size`` clauses."""
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
        if len(texts) >= (2 * size if square else size):
            break
    pool = [c.text for clauses in docs.values() for c in clauses]
    if square:
        longer = [ba._clause(f"a{k}", text) for k, text in enumerate(texts[:2 * size])]
        revision = ba.make_revision(longer, pool, rng)
        return revision.old[:size], revision.new[:size]
    old = [ba._clause(f"a{k}", text) for k, text in enumerate(texts[:size])]
    revision = ba.make_revision(old, pool, rng)
    return revision.old, revision.new


def signature(alignment) -> list:
    """What an alignment says: pairs with relation, shape, moved flag, score and diff; the unpaired."""
    return [[(p.a.id, p.b.id, str(p.relation), str(p.shape), p.moved, round(p.score, 6), p.diff)
             for p in alignment.pairs],
            [r.id for r in alignment.only_a], [r.id for r in alignment.only_b]]


def documents_file(size: int, seed: int, folder: Path, square: bool = False) -> Path:
    """The generated documents of one size as JSON ([id, text] per clause), made once per run."""
    out = folder / f"documents_{size}_{seed}{'_square' if square else ''}.json"
    if not out.is_file():
        a, b = build_documents(size, seed, square)
        out.write_text(json.dumps({"a": [[c.id, c.text] for c in a], "b": [[c.id, c.text] for c in b]},
                                  ensure_ascii=False))
    return out


def read_documents(path: Path):
    from rok_compare.model import Clause, ClauseKind, Span

    data = json.loads(path.read_text())
    return [[Clause(cid, None, ClauseKind.OTHER, [], text, Span(1, 0, 0)) for cid, text in data[side]]
            for side in ("a", "b")]


def worker(size: int, documents: Path, path: str, square: bool = False) -> dict:
    """Align one generated pair of documents with one path; time, CPU, peak RSS."""
    import gc
    import resource

    a, b = read_documents(documents)
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
           "pairs": len(alignment.pairs), "square": square}
    if path == "sparse":  # how many pairs the documents relate (untimed): the work grows with them
        row.update(related_counts(a, b))
    out = RESULTS / f".align_growth_{path}_{size}{'_square' if square else ''}.json"
    out.write_text(json.dumps(signature(alignment), ensure_ascii=False))
    row["signature_file"] = str(out)
    return row


def related_counts(a: list, b: list) -> dict:
    """Candidate pairs (cosine >= floor) and related pairs (score >= related) of the documents."""
    from rok_compare.align.candidates import cosine_candidates
    from rok_compare.align.pair_scores import score_candidates
    from rok_compare.align.pairwise import RELATED, _Side
    from rok_compare.align.similarity import CANDIDATE_FLOOR, ClauseVectorizer

    side_a, side_b = _Side.of(a), _Side.of(b)
    vectors = ClauseVectorizer().fit_transform(side_a.norm + side_b.norm)
    va, vb = vectors.rows(0, len(a)), vectors.rows(len(a), len(a) + len(b))
    candidates = cosine_candidates(va, vb, CANDIDATE_FLOOR)
    scores = score_candidates(side_a.norm, side_b.norm, va, vb, candidates, RELATED)
    return {"candidates": len(candidates), "related": len(scores.related_rows)}


def run_worker(size: int, documents: Path, path: str, tree: Path | None = None, square: bool = False) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", path, "--sizes", str(size),
           "--documents", str(documents)] + (["--worker-square"] if square else [])
    env = {**os.environ, "BENCH_ALIGN_TREE": str(tree or ROOT)}
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
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


def measure(size: int, documents: Path, runs: int, path: str, tree: Path | None = None,
            square: bool = False) -> dict:
    rows = [run_worker(size, documents, path, tree, square) for _ in range(runs)]
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
    baseline = results.get("baseline")
    lines = ["# `rok align` growth: the aligner against a baseline revision and the dense path", "",
             f"Machine: {results['machine']}", "",
             "Documents: A = the real corpus's clauses (seeds, dev, train) repeated with 1-3 word edits "
             "per pass until N clauses; B = a revision of A (bench_align's generator: deletions, edits, "
             "splits, merges, moves, insertions). Each measurement in a fresh process; medians of "
             f"{results['runs']} runs (wall and CPU seconds); peak RSS of the process (it also holds the "
             "documents and the imports, RSS before the call in the last column). The machine "
             "is shared by several sessions: wall time is inflated by their load, CPU time less so; the "
             "ratios are measured in the same run. Paths: current = `rok_compare.align.Aligner` of this tree"
             + (f"; baseline = the same aligner at `{baseline['revision']}` ({baseline['commit']})" if baseline else "")
             + "; dense = the dense n x m path it replaced (`scripts/align_dense.py`).", "",
             "| N (A x B) | path | wall s | CPU s | peak RSS MiB | k (wall) | k (CPU) | path/current wall | "
             "path/current CPU | same alignment as current | RSS before MiB | candidate pairs | related pairs |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    groups = [(path, False) for path in ("sparse", "baseline", "dense")] + [(p, True) for p in ("sparse", "baseline")]
    for path, square in groups:
        rows = [r for r in results["rows"] if r["path"] == path and "error" not in r
                and bool(r.get("square")) == square]
        ks = exponent(rows, "seconds") if not square else [None] * len(rows)
        ks_cpu = exponent(rows, "cpu_seconds") if not square else [None] * len(rows)
        for row, k, k_cpu in zip(rows, ks, ks_cpu, strict=True):
            current = next((d for d in results["rows"] if d["path"] == "sparse" and d["size"] == row["size"]
                            and bool(d.get("square")) == square and "error" not in d), None)
            other = current is not None and path != "sparse"
            ratio = f"{row['seconds'] / current['seconds']:.2f}x" if other else ""
            ratio_cpu = f"{row['cpu_seconds'] / current['cpu_seconds']:.2f}x" if other else ""
            same = ""
            if "comparison" in row:
                c = row["comparison"]
                same = "identical" if c["identical"] else (
                    f"{c['pairs_only_dense']} of {c['pairs_dense']} pairs differ")
            name = "current" if path == "sparse" else path
            label = "square " if square else ""
            lines.append(f"| {label}{row['size']} ({row['clauses_a']} x {row['clauses_b']}) | {name} | "
                         f"{row['seconds']:.2f} | {row['cpu_seconds']:.2f} | {row['peak_rss_mib']:.0f} | "
                         f"{'' if k is None else k} | {'' if k_cpu is None else k_cpu} | {ratio} | {ratio_cpu} | "
                         f"{same} | "
                         f"{row['rss_before_mib']:.0f} | {row.get('candidates', '')} | {row.get('related', '')} |")
    for row in results["rows"]:
        if "error" in row:
            lines.append(f"| {row['size']} | {row['path']} | error: {row['error']} | | | | | | | | | | |")
    lines += ["", "Same alignment: pairs, relations, shapes, moves, scores and diffs against the current "
              "aligner's on the same documents. Where the dense path differs, A holds word-identical clauses "
              "(short clauses are repeated verbatim at every pass): two assignments then have the same total "
              "gain, and each solver keeps its own (the sparse one solves each component of the candidate "
              "graph alone); the split/merge step can follow the other choice by a pair.",
              "", "The related pairs grow with the square of N in these documents (A holds N / 1,200 variants "
              "of each real clause, and a clause of B is related to every variant of its own), and so do "
              "the candidates, the scoring and the assignment: the CPU time per related pair is what stays "
              "flat or falls. Square rows: B has exactly N clauses (the revision of A and of the clauses that "
              "would follow A, cut at N), the `rok align` 8,000 x 8,000 case of issue 15; they are not in the "
              "exponents.",
              "", "Growth exponent over all sizes (least squares, time ~ N^k): " + ", ".join(
        f"{'current' if path == 'sparse' else path} wall {results['exponents'][path]['seconds']}, "
        f"CPU {results['exponents'][path]['cpu_seconds']}, peak RSS {results['exponents'][path]['peak_rss_mib']}"
        for path in ("sparse", "baseline", "dense") if results["exponents"].get(path))]
    return "\n".join(lines) + "\n"


def extract_tree(revision: str, into: Path) -> dict:
    """``rok_compare`` of a git revision, extracted into ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "rok_compare"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", revision],
                            capture_output=True, text=True, check=True).stdout.strip()
    return {"revision": revision, "commit": commit}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,2000,4000,8000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", default=BASELINE,
                        help="git revision whose aligner is measured too ('' for none)")
    parser.add_argument("--dense-max", type=int, default=1000,
                        help="largest size to run the dense path at (it needs ~4 GB at 8000; 0 for none)")
    parser.add_argument("--square", default="8000",
                        help="sizes also measured with B of exactly N clauses (N x N, B a revision of A with "
                             "the clauses that would follow A inserted at its end; '' for none)")
    parser.add_argument("--dense-runs", type=int, default=3,
                        help="runs of the dense path per size (it takes minutes at 8000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--markdown-only", action="store_true",
                        help="rewrite the .md from the .json of the last run")
    parser.add_argument("--worker", choices=["sparse", "baseline", "dense"], help=argparse.SUPPRESS)
    parser.add_argument("--documents", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--worker-square", action="store_true", help=argparse.SUPPRESS)
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
        print(json.dumps(worker(sizes[0], args.documents, args.worker, args.worker_square)))
        return 0
    import platform

    results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
                     "runs": args.runs, "dense_runs": args.dense_runs, "seed": args.seed, "rows": []}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        tree = None
        if args.baseline:
            (tmp / "baseline").mkdir()
            results["baseline"] = extract_tree(args.baseline, tmp / "baseline")
            tree = tmp / "baseline"
        squares = [int(s) for s in args.square.split(",") if s]
        for size, square in [(size, False) for size in sizes] + [(size, True) for size in squares]:
            documents = documents_file(size, args.seed, tmp, square)
            row = measure(size, documents, args.runs, "sparse", square=square)
            others = []
            if tree is not None:
                others.append(measure(size, documents, args.runs, "baseline", tree, square))
            if size <= args.dense_max and not square:
                others.append(measure(size, documents, args.dense_runs, "dense"))
            for other in others:
                if "error" not in other and "error" not in row:
                    other["comparison"] = compare(row["signature_file"], other["signature_file"])
                print(json.dumps(other), flush=True)
                results["rows"].append(other)
            print(json.dumps(row), flush=True)
            results["rows"].append(row)
    results["rows"].sort(key=lambda r: (r["path"], r.get("square", False), r["size"]))
    results["exponents"] = {}
    for path in ("sparse", "baseline", "dense"):
        rows = [r for r in results["rows"] if r["path"] == path and "error" not in r and not r.get("square")]
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
