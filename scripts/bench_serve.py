"""Benchmark ``rok serve`` against the library calls it wraps, in the same run on the same store.

    .venv/bin/python scripts/bench_serve.py [--db STORE] [--pairs 30] [--rounds 3]

Without ``--db`` the store is built from the seeds and, when present, ``../shared/corpus/dev`` and
``train``. Measured through Starlette's TestClient (the whole app, no network):

* start-up: ``create_app`` with an empty cache (it builds the report) against ``build_report``
  alone, and a restart over the unchanged store (the cached report is reused) against that build;
* ``/compare?a=&b=`` for ``--pairs`` random pairs against :func:`rok_compare.align.align` on the same
  clauses already in memory (the page reads both documents from the store, aligns, renders);
* ``/api/search`` and ``/search`` for each query of :data:`QUERIES` against
  :func:`rok_compare.search.search` called directly.

Results go to ``scripts/results/bench_serve.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from starlette.testclient import TestClient  # noqa: E402

from rok_compare.align import align  # noqa: E402
from rok_compare.report import build_report  # noqa: E402
from rok_compare.search import search  # noqa: E402
from rok_compare.serve import create_app  # noqa: E402
from rok_compare.serve.catalog import clauses_of  # noqa: E402
from rok_compare.store import ingest  # noqa: E402

RESULTS = ROOT / "scripts" / "results"
SHARED = ROOT.parent / "shared" / "corpus"
QUERIES = ["bostad", "bostäder", "hälsoundersökning", "etablering", "arbetsmarknad", "tolk", "samhällsorientering",
           '"svenska för invandrare"', "nyanlända", "skola"]


def ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def median_ms(call, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(ms(started))
    return statistics.median(times)


def build_store(folder: Path) -> Path:
    db = folder / "rok.db"
    ingest([ROOT / "corpus" / "seeds", *(SHARED / s for s in ("dev", "train") if (SHARED / s).is_dir())], db)
    return db


def bench(db: Path, pairs: int, rounds: int, folder: Path) -> dict:
    started = time.perf_counter()
    build_report(db, folder / "baseline-site")
    report_ms = ms(started)
    started = time.perf_counter()
    app = create_app(db, folder / "cache")
    cold_ms = ms(started)
    started = time.perf_counter()
    create_app(db, folder / "cache")
    warm_ms = ms(started)
    client = TestClient(app, base_url="http://127.0.0.1")

    with sqlite3.connect(db) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY id")]
    rng = random.Random(7)
    chosen = [tuple(rng.sample(ids, 2)) for _ in range(pairs)]
    compare = []
    for a, b in chosen:
        first, second = clauses_of(db, [a, b])
        page = median_ms(lambda a=a, b=b: client.get(f"/compare?a={a}&b={b}").raise_for_status(), rounds)
        library = median_ms(lambda f=first, s=second: align(f.clauses, s.clauses), rounds)
        compare.append({"a": a, "b": b, "clauses": len(first.clauses) + len(second.clauses), "page_ms": page,
                        "align_ms": library})
    searches = []
    for query in QUERIES:
        api = median_ms(lambda q=query: client.get("/api/search", params={"q": q}).raise_for_status(), rounds)
        page = median_ms(lambda q=query: client.get("/search", params={"q": q}).raise_for_status(), rounds)
        library = median_ms(lambda q=query: search(db, q), rounds)
        searches.append({"query": query, "api_ms": api, "page_ms": page, "search_ms": library})
    return {
        "documents": len(ids), "rounds": rounds,
        "startup": {"build_report_ms": report_ms, "create_app_cold_ms": cold_ms, "create_app_warm_ms": warm_ms,
                    "cold_ratio": cold_ms / report_ms, "warm_ratio": warm_ms / report_ms},
        "compare": compare, "search": searches,
        "compare_ratio": statistics.median(c["page_ms"] / c["align_ms"] for c in compare),
        "compare_p50_ms": statistics.median(c["page_ms"] for c in compare),
        "compare_max_ms": max(c["page_ms"] for c in compare),
        "api_ratio": statistics.median(s["api_ms"] / s["search_ms"] for s in searches),
        "page_ratio": statistics.median(s["page_ms"] / s["search_ms"] for s in searches),
    }


def markdown(result: dict) -> str:
    s = result["startup"]
    lines = [
        "# rok serve benchmark: the served pages against the library calls they wrap", "",
        f"{platform.machine()}, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; store of "
        f"{result['documents']} documents; median of {result['rounds']} runs per request, through Starlette's "
        "TestClient.", "",
        f"- Start-up with an empty cache: {s['create_app_cold_ms']:.0f} ms, **{s['cold_ratio']:.2f}×** "
        f"`build_report` alone ({s['build_report_ms']:.0f} ms); a restart over the unchanged store reuses the "
        f"cached report: {s['create_app_warm_ms']:.0f} ms (**{s['warm_ratio']:.3f}×** the build).",
        f"- `/compare` of {len(result['compare'])} random pairs: **{result['compare_ratio']:.2f}×** `align()` on "
        f"clauses in memory (median ratio); p50 {result['compare_p50_ms']:.0f} ms, slowest "
        f"{result['compare_max_ms']:.0f} ms.",
        f"- `/api/search`: **{result['api_ratio']:.2f}×** `search()` called directly; `/search` (HTML): "
        f"**{result['page_ratio']:.2f}×** (median over {len(result['search'])} queries).", "",
        "| query | search() ms | /api/search ms | /search ms |", "|---|---|---|---|",
    ]
    lines += [f"| `{r['query']}` | {r['search_ms']:.1f} | {r['api_ms']:.1f} | {r['page_ms']:.1f} |"
              for r in result["search"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="An existing store (default: seeds + shared dev and train).")
    parser.add_argument("--pairs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rok-bench-serve-") as tmp:
        folder = Path(tmp)
        db = args.db or build_store(folder)
        result = bench(db, args.pairs, args.rounds, folder)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_serve.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    text = markdown(result)
    (RESULTS / "bench_serve.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
