"""Benchmark the Swedish-aware search against exact-word search, in the same run on the same store.

    .venv/bin/python scripts/bench_search.py [--clauses 100000] [--rounds 5]

A store of ``--clauses`` clauses (generated documents written straight into the store, as in
``bench_store.py``) answers each query of :data:`QUERIES` twice through
:func:`rok_compare.search.search` on one open connection: as typed (word forms and compounds
found through the store's vocabulary) and with every word quoted (``"bostad"``: that word only,
the baseline). The ratio of the medians is what Swedish matching costs; the hits show what it
finds in addition. The first query of a process also reads the store's vocabulary once
(timed apart as ``vocabulary_ms``; later queries reuse it until the clauses change).

Results go to ``scripts/results/bench_search.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_store import build_search_store  # noqa: E402

from rok_compare.search import count_matches, search  # noqa: E402
from rok_compare.search.compile import store_words  # noqa: E402
from rok_compare.store import Store  # noqa: E402

RESULTS = ROOT / "scripts" / "results"
QUERIES = ["bostad", "bostäder", "hälsoundersökning", "undersökning", "etablering", "arbetsmarknad", "nyanlända",
           "kommun", "tolk", "samhällsorientering", "skola", "bostad tolk", "bostad OR skola", "nyanlända -tolk",
           "ska", "länsstyrelsen"]


def exact(query: str) -> str:
    """The baseline: every word quoted, so it finds that word only."""
    return re.sub(r"(?<![\w\"])([^\W\d_]+)", r'"\1"', query.replace(" OR ", " __OR__ ")).replace("__OR__", "OR")


def timed(store: Store, query: str, rounds: int) -> tuple[float, int]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        search(store, query, limit=20)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), count_matches(store, query)


def bench(db: Path, rounds: int) -> dict:
    with Store.open(db, readonly=True) as store:
        started = time.perf_counter()
        words = store_words(store.conn, str(store.path))
        vocabulary_ms = (time.perf_counter() - started) * 1000
        for query in QUERIES:  # warm the page cache, as a running server would be
            search(store, query)
            search(store, exact(query))
        rows = []
        for query in QUERIES:
            swedish_ms, swedish_hits = timed(store, query, rounds)
            exact_ms, exact_hits = timed(store, exact(query), rounds)
            rows.append({"query": query, "exact_query": exact(query), "swedish_ms": round(swedish_ms, 1),
                         "exact_ms": round(exact_ms, 1), "ratio": round(swedish_ms / exact_ms, 2),
                         "swedish_hits": swedish_hits, "exact_hits": exact_hits})
    return {"vocabulary_words": len(words.counts), "vocabulary_ms": round(vocabulary_ms, 1), "queries": rows,
            **summary(rows)}


def summary(rows: list[dict]) -> dict:
    """Ratios over the queries that both searches answer with hits (a query whose exact form finds
    nothing costs nothing, and its ratio says nothing)."""
    both = [r for r in rows if r["exact_hits"]]
    ratios = [r["ratio"] for r in both]
    return {"compared_queries": len(both), "median_ratio": round(statistics.median(ratios), 2),
            "max_ratio": max(ratios), "swedish_p50_ms": round(statistics.median(r["swedish_ms"] for r in rows), 1),
            "swedish_max_ms": max(r["swedish_ms"] for r in rows),
            "more_hits": sum(r["swedish_hits"] > r["exact_hits"] for r in rows)}


def write(results: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_search.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                                               encoding="utf-8")
    s, b = results["store"], results["bench"]
    lines = ["# Search benchmark: Swedish forms and compounds against exact words", "",
             f"{results['machine']}; store of {s['clauses']:,} clauses in {s['documents']:,} generated documents "
             f"({s['size_mb']} MB); median of {results['rounds']} runs per query, limit 20, on one open connection; "
             f"load average {results['load_average']} during the run (absolute times scale with it, the ratios "
             "much less: both searches run side by side).",
             "",
             f"- Swedish search costs **{b['median_ratio']}×** the exact-word search (median over the "
             f"{b['compared_queries']} queries that both answer with hits; at most {b['max_ratio']}×); over all "
             f"{len(b['queries'])} queries p50 {b['swedish_p50_ms']} ms, slowest {b['swedish_max_ms']} ms.",
             f"- It finds more than the exact words for {b['more_hits']} of the {len(b['queries'])} queries "
             "(hits are reuse families, as `rok search` counts them).",
             f"- Reading the store's vocabulary ({b['vocabulary_words']:,} words) once per process: "
             f"{b['vocabulary_ms']} ms.", "",
             "| query | Swedish ms | exact ms | ratio | hits (Swedish / exact) |", "|---|---|---|---|---|"]
    lines += [f"| `{r['query']}` | {r['swedish_ms']} | {r['exact_ms']} | {r['ratio']} | "
              f"{r['swedish_hits']} / {r['exact_hits']} |" for r in b["queries"]]
    (RESULTS / "bench_search.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        db = Path(work) / "search.db"
        store = build_search_store(db, args.clauses)
        print(f"store: {store}", flush=True)
        results = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
                              f"SQLite {sqlite3.sqlite_version}", "rounds": args.rounds, "store": store,
                   "bench": bench(db, args.rounds), "load_average": round(os.getloadavg()[0], 1)}
    write(results)
    print(json.dumps({k: v for k, v in results["bench"].items() if k != "queries"}, indent=2))


if __name__ == "__main__":
    main()
