"""The before/after of ``scripts/bench_search.py --ab TREE``: an earlier version's search and this
one's run in turn, query by query, in one process on the same store (the load of a shared machine
changes between two runs; within one process, one query's runs seconds apart share it).

``TREE`` holds the earlier version (``git archive <commit> | tar -x -C TREE``); its
``rok_compare/search`` package is copied and loaded as ``before_search``.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_search import CLASSES, VOCABULARY_CACHE, percentile, query_classes
from search_store import build_stores, store_path

from rok_compare.search import search
from rok_compare.store import Store


def earlier_search(tree: Path):
    """The ``search`` function of the tree's ``rok_compare/search``, loaded as ``before_search``."""
    folder = Path(tempfile.mkdtemp(prefix="bench_search_ab_"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    shutil.copytree(tree / "rok_compare" / "search", folder / "before_search")
    for source in (folder / "before_search").rglob("*.py"):
        source.write_text(source.read_text(encoding="utf-8").replace("rok_compare.search", "before_search"),
                          encoding="utf-8")
    sys.path.insert(0, str(folder))
    import before_search  # noqa: PLC0415

    return before_search.search


def bench_ab(db: Path, before_search, runs: int, log) -> dict:
    """CPU ms of each query, the earlier version and this one run in turn, median of ``runs`` each."""
    classes = query_classes(db)
    out = {}
    with Store.open(db, readonly=True) as store:
        for name in CLASSES:
            before, after = [], []
            for query, options in classes[name]:
                times: dict[str, list[float]] = {"before": [], "after": []}
                for run in range(runs + 1):  # the first run of each: its words' forms worked out
                    for label, run_search in (("before", before_search), ("after", search)):
                        started = time.thread_time()
                        run_search(store, query, limit=20, **options)
                        if run:
                            times[label].append((time.thread_time() - started) * 1000)
                before.append(statistics.median(times["before"]))
                after.append(statistics.median(times["after"]))
            out[name] = {"before_p50": percentile(before, 0.5), "before_p95": percentile(before, 0.95),
                         "after_p50": percentile(after, 0.5), "after_p95": percentile(after, 0.95),
                         "ratio_p95": round(percentile(before, 0.95) / max(percentile(after, 0.95), 0.1), 2),
                         "ratio_sum": round(sum(before) / max(sum(after), 0.1), 2)}
            log(f"    {name:9} before p50 {out[name]['before_p50']:6.1f} p95 {out[name]['before_p95']:6.1f}  "
                f"after p50 {out[name]['after_p50']:6.1f} p95 {out[name]['after_p95']:6.1f}  "
                f"(x{out[name]['ratio_p95']} p95, x{out[name]['ratio_sum']} in all)")
    return out


def ab_lines(results: dict) -> list[str]:
    """The markdown table of the same-process before/after (none without ``--ab``)."""
    ab = results.get("ab")
    if not ab:
        return []
    lines = ["", f"Same process, query by query, {ab['label']} and this version in turn at {ab['size']:,} clauses "
             f"(CPU ms, median of {results['runs']} runs of each query after a first; p50 / p95 over the "
             f"class's queries; load average {ab['load_average']}–{ab['load_average_end']}):", "",
             "| class | before p50 / p95 | after p50 / p95 | × p95 | × all queries |", "|---|---|---|---:|---:|"]
    for name in CLASSES:
        c = ab["classes"][name]
        lines.append(f"| {name} | {c['before_p50']} / {c['before_p95']} | {c['after_p50']} / **{c['after_p95']}** | "
                     f"{c['ratio_p95']}× | {c['ratio_sum']}× |")
    return lines


def run_ab(args: argparse.Namespace, size: int, load: float, log) -> dict:
    build_stores([size], log=log)
    os.environ["ROK_SEARCH_CACHE"] = str(VOCABULARY_CACHE)
    log(f"{size:,} clauses, {args.ab_label} and this version in turn:")
    classes = bench_ab(store_path(size), earlier_search(args.ab), args.runs, log)
    return {"label": args.ab_label, "size": size, "load_average": load,
            "load_average_end": round(os.getloadavg()[0], 1), "classes": classes}
