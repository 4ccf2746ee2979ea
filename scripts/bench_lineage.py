"""Benchmark the corpus comparisons over a store: lineages, reuse, passage query, similarity measures.

    .venv/bin/python scripts/bench_lineage.py [--documents 1000] [--baseline 100]

Stores of ``--documents`` and ``--baseline`` generated agreements (the generator of
``scripts/bench_report.py``: templated, edited and unique clauses, 21 counties, periods and parties)
are written straight into SQLite with their reuse clusters. On each, in this process:
``find_lineages`` (what the report's timelines call), ``find_reuse`` over every stored document
(``rok reuse`` without names), ``find_passage`` (``rok reuse --query``) and ``similarity_matrix`` by
county with each measure. The small store is the baseline measured in the same run: the ratios
say how each step scales with the corpus whatever the machine's speed.

Results go to ``scripts/results/bench_lineage.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rok_compare.align.lineage import find_lineages  # noqa: E402
from rok_compare.align.matrix import MEASURES, similarity_matrix  # noqa: E402
from rok_compare.align.reuse import find_reuse  # noqa: E402
from rok_compare.align.reuse_query import find_passage  # noqa: E402
from rok_compare.export.stored import load  # noqa: E402
from rok_compare.store import Store  # noqa: E402

RESULTS = ROOT / "scripts" / "results"
PASSAGE = ("Tolk ska användas vid alla kontakter där den nyanlände inte behärskar det svenska språket. Målgruppen "
           "är nyanlända som omfattas av lagen (2010:197) om etableringsinsatser.")
"""Two sentences of the generator's templates, edited: a copy of the first, a quotation of the second."""


def _build_store() -> Callable[[Path, int], dict]:
    """``build_store`` of ``bench_report.py``: the same generated corpus as the report benchmark."""
    spec = importlib.util.spec_from_file_location("bench_report", ROOT / "scripts" / "bench_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_store


def timed(step: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = step()
    return round(time.perf_counter() - started, 3), result


def measure(db: Path) -> dict:
    out: dict = {}
    out["lineages_s"], lineages = timed(lambda: find_lineages(db))
    out["lineages"] = len(lineages)
    out["linked_documents"] = sum(len(x.document_ids) for x in lineages if len(x.document_ids) > 1)
    with Store.open(db, readonly=True) as store:
        out["load_s"], stored = timed(lambda: [doc.document for doc in load(store)])
    out["reuse_s"], (report, labels) = timed(lambda: find_reuse(stored))
    out["reuse_clusters"] = len(report.clusters)
    out["query_s"], found = timed(lambda: find_passage(PASSAGE, stored))
    out["query_matches"] = len(found.matches)
    for name in MEASURES:
        out[f"similarity_{name}_s"], _ = timed(lambda name=name: similarity_matrix(stored, labels, "county", name))
    return out


def write_results(results: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_lineage.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    small, big = results["baseline"], results["corpus"]
    n_small, n_big = results["baseline_store"]["documents"], results["store"]["documents"]
    rows = [("lineages (`find_lineages`)", "lineages_s"), ("read the stored documents", "load_s"),
            ("reuse over the store (`find_reuse`)", "reuse_s"), ("passage query (`find_passage`)", "query_s"),
            *[(f"similarity by county, {m}", f"similarity_{m}_s") for m in MEASURES]]
    lines = ["# Corpus comparisons over a store", "",
             f"{results['machine']}. Generated agreements (the report benchmark's generator), 21 counties.", "",
             f"| step | {n_small} documents (s) | {n_big} documents (s) | ratio |", "|---|---|---|---|"]
    for label, key in rows:
        ratio = big[key] / small[key] if small[key] else float("nan")
        lines.append(f"| {label} | {small[key]} | {big[key]} | {ratio:.1f}× |")
    lines += ["", f"- {n_big} documents are {n_big / n_small:.0f}× the baseline's; "
              f"{big['lineages']} lineages ({big['linked_documents']} documents in lineages of two or more), "
              f"{big['reuse_clusters']} reuse clusters, {big['query_matches']} clauses matching the passage.", ""]
    (RESULTS / "bench_lineage.md").write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=100)
    args = parser.parse_args()
    build_store = _build_store()
    with tempfile.TemporaryDirectory(prefix="bench_lineage_") as tmp:
        work = Path(tmp)
        baseline_store = build_store(work / "small.db", args.baseline)
        baseline = measure(work / "small.db")
        print(f"baseline: {baseline}", flush=True)
        store = build_store(work / "big.db", args.documents)
        corpus = measure(work / "big.db")
        print(f"corpus: {corpus}", flush=True)
    results = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
               "baseline_store": baseline_store, "store": store, "baseline": baseline, "corpus": corpus}
    write_results(results)
    print(f"written {RESULTS / 'bench_lineage.json'} and .md")


if __name__ == "__main__":
    main()
