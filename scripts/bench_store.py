"""Benchmark the corpus store: ingest throughput with 1 and 2 workers, search latency at 100k clauses.

    .venv/bin/python scripts/bench_store.py [--documents 1000] [--clauses 100000] [--queries 300]

1. Ingest: a generated corpus of ``--documents`` agreement text files (templates with shared,
   edited and unique clauses; :mod:`rok_compare.store.testing`) is ingested into a fresh store
   with the project's extractor, once with 1 worker process and once with 2. Documents per second
   count extraction and storing; the reuse clustering that follows a batch is timed apart.
2. Search: a store of ``--clauses`` clauses (generated documents written straight into the
   store) answers a mix of queries (rare and common words, compounds, phrases, filters,
   ``similar_to``) through :func:`rok_compare.search.search` on an open connection; p50 and p95
   of the wall time per query, re-ranking and reuse grouping included.

Results go to ``scripts/results/bench_store.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rok_compare.ingest import read_bytes  # noqa: E402
from rok_compare.search import search  # noqa: E402
from rok_compare.store import Store, ingest, write_agreement  # noqa: E402
from rok_compare.store.reuse import recompute_reuse_clusters  # noqa: E402
from rok_compare.store.testing import generate_corpus, generate_document, paragraph_agreement  # noqa: E402
from rok_compare.store.write import sync_trigram_index  # noqa: E402

RESULTS = ROOT / "scripts" / "results"
QUERIES: list[tuple[str, dict]] = [
    ("hälsoundersökning", {}), ("tolk", {}), ("samhällsorientering", {}), ("ska", {}),
    ("nyanlända", {}), ("etablering", {}), ("undersökning", {}), ("praktikplatser", {}),
    ("validering utbildning", {}), ('"psykosocialt stöd"', {}), ("ensamkommande OR bostad", {}),
    ("NEAR(tolk kontakter, 5)", {}), ("föräldraförsäkring", {}), ("sfi", {}), ("mentorskap", {}),
    ("språkträning", {"county": "Jämtland"}), ("hälsoundersökning", {"year": 2016}),
    ("tolk", {"kind": "commitment"}), ("bostad", {"party": "Migrationsverket"}),
    ("snabbspår akademiker", {"county": "14"}),
    ("", {"similar_to": "Alla nyanlända ska erbjudas en hälsoundersökning inom fyra veckor efter "
                        "ankomsten."}),
    ("hälsoundersökning", {"similar_to": "Landstinget erbjuder hälsosamtal till alla nyanlända inom "
                                         "sex veckor."}),
]


@dataclass
class IngestRun:
    workers: int
    documents: int
    seconds: float
    documents_per_second: float
    reuse_seconds: float
    reuse_method: str
    reuse_clusters: int


def bench_ingest(folder: Path, workers: int, work: Path, extractor: str | None, round_: int) -> IngestRun:
    db = work / f"ingest_{workers}_{round_}.db"
    report = ingest([folder], db, workers=workers, extractor=extractor, reuse=False)
    if report.failed:
        sys.exit(f"{report.failed} file(s) failed to ingest, e.g. {report.failures[0].reason}")
    with Store.open(db) as store:
        started = time.perf_counter()
        reuse = recompute_reuse_clusters(store)
        reuse_seconds = time.perf_counter() - started
    n = report.added
    return IngestRun(workers, n, round(report.seconds, 2), round(n / report.seconds, 1),
                     round(reuse_seconds, 2), reuse.method, reuse.clusters)


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def cpu_ceiling() -> float:
    """Speed-up of pure CPU work with 2 processes over 1 on this machine right now.

    On a shared machine the second core may be busy with something else; this control says how
    much of a 2× the ingest speed-up could have been.
    """
    from concurrent.futures import ProcessPoolExecutor

    timings = []
    for workers in (1, 2):
        with ProcessPoolExecutor(workers) as pool:
            started = time.perf_counter()
            list(pool.map(_burn, [2_000_000] * 8))
            timings.append(time.perf_counter() - started)
    return round(timings[0] / timings[1], 2)


def build_search_store(db: Path, clauses: int, seed: int = 11) -> dict:
    """Write generated documents straight into the store until it holds ``clauses`` clauses."""
    rng = random.Random(seed)
    started = time.perf_counter()
    total, index = 0, 0
    with Store.open(db) as store:
        while total < clauses:
            text = generate_document(rng, index)
            source = read_bytes(Path(f"/bench/rok_{index:06d}.txt"), text.encode("utf-8"))
            agreement = paragraph_agreement(source)
            write_agreement(store, agreement, index_compounds=False)  # as ingest does
            total += len(agreement.clauses)
            index += 1
            if index % 200 == 0:
                sync_trigram_index(store)
        sync_trigram_index(store)
        write_seconds = time.perf_counter() - started
        started = time.perf_counter()
        reuse = recompute_reuse_clusters(store)
        reuse_seconds = time.perf_counter() - started
    return {"documents": index, "clauses": total, "write_seconds": round(write_seconds, 1),
            "documents_per_second_write_only": round(index / write_seconds, 1),
            "reuse_method": reuse.method, "reuse_clusters": reuse.clusters,
            "reuse_seconds": round(reuse_seconds, 1),
            "size_mb": round(db.stat().st_size / 1e6, 1)}


def bench_search(db: Path, rounds: int) -> dict:
    timings: dict[str, list[float]] = {}
    with Store.open(db, readonly=True) as store:
        for query, options in QUERIES:  # warm the page cache once, as a running service would be
            search(store, query, **options)
        for i in range(rounds):
            query, options = QUERIES[i % len(QUERIES)]
            started = time.perf_counter()
            hits = search(store, query, **options)
            elapsed = (time.perf_counter() - started) * 1000
            assert hits or options, query
            timings.setdefault(f"{query} {options}".strip(), []).append(elapsed)
    every = sorted(t for ts in timings.values() for t in ts)

    def pct(values: list[float], p: float) -> float:
        return round(values[min(len(values) - 1, int(p * len(values)))], 1)

    slowest = sorted(((statistics.median(ts), q) for q, ts in timings.items()), reverse=True)[:5]
    return {"queries": len(every), "p50_ms": pct(every, 0.5), "p95_ms": pct(every, 0.95),
            "max_ms": round(every[-1], 1), "slowest_median_ms": {q: round(t, 1) for t, q in slowest}}


def write_results(results: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_store.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                                              encoding="utf-8")
    ing = results["ingest"]
    s = results["search"]
    lines = [
        "# Corpus store benchmark", "",
        f"{results['machine']}; SQLite {results['sqlite']}; extractor `{results['extractor']}`.", "",
        f"## Ingest: {ing[0]['documents']} generated documents (best of {len(results['ingest_rounds']) // 2} "
        "alternating runs)", "",
        "| workers | seconds | documents/s | reuse clustering (s) |", "|---|---|---|---|",
        *[f"| {r['workers']} | {r['seconds']} | {r['documents_per_second']} | {r['reuse_seconds']} "
          f"({r['reuse_method']}, {r['reuse_clusters']} clusters) |" for r in ing],
        "", f"Speed-up with 2 workers: **{results['speedup']}×**. Control: pure CPU work in 2 processes "
        f"ran at best {results['cpu_ceiling']}× faster than in 1 on this machine during the runs (the "
        "ceiling for the speed-up when other work shares the cores).", "",
        "All runs (documents/s): " + ", ".join(f"{r['workers']}w {r['documents_per_second']}"
                                               for r in results["ingest_rounds"]), "",
        f"## Search: {s['store']['clauses']:,} clauses in {s['store']['documents']:,} documents "
        f"({s['store']['size_mb']} MB)", "",
        f"{s['latency']['queries']} queries (mix of {len(QUERIES)}: rare/common words, compounds, phrases, "
        "filters, similar-to), re-ranking and reuse grouping included:", "",
        f"- p50 **{s['latency']['p50_ms']} ms**, p95 **{s['latency']['p95_ms']} ms** (target < 100 ms), "
        f"max {s['latency']['max_ms']} ms",
        "- slowest queries (median ms): "
        + ", ".join(f"`{q}` {t}" for q, t in s["latency"]["slowest_median_ms"].items()),
        f"- building the store: {s['store']['documents_per_second_write_only']} documents/s written "
        f"(no extraction), reuse clustering {s['store']['reuse_seconds']} s "
        f"({s['store']['reuse_method']})", "",
    ]
    (RESULTS / "bench_store.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--clauses", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=330)
    parser.add_argument("--rounds", type=int, default=3, help="ingest runs per worker count (best counts)")
    parser.add_argument("--extractor", default=None,
                        help="module:function (default: the project's extractor)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_store_") as tmp:
        work = Path(tmp)
        generate_corpus(work / "corpus", args.documents)
        # Rounds alternate 1 and 2 workers; the best of each counts (the machine may be shared).
        ceilings, measured = [], []
        for round_ in range(args.rounds):
            ceilings.append(cpu_ceiling())
            measured += [bench_ingest(work / "corpus", w, work, args.extractor, round_) for w in (1, 2)]
        runs = [max((r for r in measured if r.workers == w), key=lambda r: r.documents_per_second)
                for w in (1, 2)]
        ceiling = max(ceilings)
        for run in runs:
            print(f"ingest, {run.workers} worker(s): {run.documents_per_second} documents/s", flush=True)
        store = build_search_store(work / "search.db", args.clauses)
        print(f"search store: {store}", flush=True)
        latency = bench_search(work / "search.db", args.queries)
        print(f"search latency: {latency}", flush=True)
    results = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "sqlite": sqlite3.sqlite_version,
        "extractor": args.extractor or "rok_compare.extract:extract_document",
        "ingest": [asdict(r) for r in runs],
        "speedup": round(runs[1].documents_per_second / runs[0].documents_per_second, 2),
        "cpu_ceiling": ceiling,
        "ingest_rounds": [asdict(r) for r in measured],
        "search": {"store": store, "latency": latency},
    }
    write_results(results)
    print(f"written {RESULTS / 'bench_store.json'} and .md")


if __name__ == "__main__":
    main()
