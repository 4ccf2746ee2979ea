"""Benchmark search by query class at growing store sizes, against the score-everything path.

    .venv/bin/python scripts/bench_search.py [--sizes 30000 100000 300000 1000000] [--runs 3]

Stores of real-looking clauses (``scripts/search_store.py``: the real corpus texts with word
substitutions, new compounds and names, typos, fresh numbers and reordering, so the vocabulary
grows as real text's does) are built once and cached under ``/tmp/rok_search_bench``. On each,
one open connection answers the queries of each class through :func:`rok_compare.search.search`
(limit 20, re-ranking and reuse families included, as ``rok search`` and the server run it):

- **rare**: words found in 2-20 clauses of that store; **common**: the most common content words;
- **phrase**: two-word phrases of the real texts, quoted; **prefix**: ``word*`` of common stems;
- **boolean**: ``a OR b`` and ``a -b``; **filtered**: a word with one filter each (county, party,
  year, document type, clause kind, theme); **listing**: filters alone.

Each query runs once cold (its words' forms not yet remembered) and ``--runs`` times warm; a
query's time is the median of the warm runs, and each class reports p50 and p95 over its queries.
The total count (``count_hits``, one more query for the served page and ``rok search``'s text
output) is timed apart. In the same run and on the same stores, two baselines answer a subset of
each class: the **old path** (every match ranked by FTS5's bm25 and grouped, as search did
before: ``EXACT_BUDGET`` lifted) and **plain FTS5** (``MATCH`` of the words as typed, ``ORDER BY
rank LIMIT 20``, nothing else). Growth exponents are the slopes of log time against log clauses.

``--before FILE`` adds a before/after table at each size both runs measured: ``FILE`` is the
``bench_search.json`` this script wrote for an earlier version of the code (run just before, on the
same machine and stores: ``git archive <commit> | tar -x -C /tmp/before``, then that tree's
``scripts/bench_search.py``, which writes into its own ``scripts/results``).

``--ab TREE`` measures an earlier version in the same process, query by query, interleaved with this
one (``TREE``: ``git archive <commit> | tar -x -C TREE``; its ``rok_compare/search`` is loaded under
another name), at the largest size: the fairest before/after on a machine whose load changes.

Results go to ``scripts/results/bench_search.json`` and ``.md`` (``--out`` another folder).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from search_store import build_stores, real_corpus, real_heaps, store_path  # noqa: E402

from rok_compare.search import candidates, count_hits, search, vocab  # noqa: E402
from rok_compare.search.swedish import word_data  # noqa: E402
from rok_compare.search.vocab import store_words  # noqa: E402
from rok_compare.store import Store  # noqa: E402

RESULTS = ROOT / "scripts" / "results"
VOCABULARY_CACHE = Path("/tmp/rok_search_bench/vocabulary_cache")
CLASSES = ["rare", "common", "phrase", "prefix", "boolean", "filtered", "listing"]
PER_CLASS = 30
BASELINE_PER_CLASS = 4
Query = tuple[str, dict]


def query_classes(db: Path, seed: int = 7) -> dict[str, list[Query]]:
    """The queries of each class for one store (rare words are rare in that store)."""
    rng = random.Random(seed)
    stop = word_data().stopwords
    with Store.open(db, readonly=True) as store:
        counts = store_words(store.conn, str(store.path)).counts
        counties = [r[0] for r in store.conn.execute("SELECT DISTINCT county_name FROM documents ORDER BY 1")]
        parties = [r[0] for r in store.conn.execute(
            "SELECT canonical FROM parties GROUP BY canonical ORDER BY COUNT(*) DESC LIMIT 12")]
    content = [w for w, _ in sorted(counts.items(), key=lambda x: -x[1])
               if w.isalpha() and len(w) >= 5 and w not in stop]
    common = content[:PER_CLASS]
    rare = sorted(w for w in content if 2 <= counts[w] <= 20)
    rare = rng.sample(rare, min(PER_CLASS, len(rare)))
    phrases = _real_phrases(stop)[:PER_CLASS]
    prefixes = list(dict.fromkeys(w[:6] for w in content[:80] if len(w) >= 7))[:PER_CLASS]
    medium = content[30:90]
    boolean = [f"{a} OR {b}" if i % 2 else f"{a} -{b}" for i, (a, b) in
               enumerate(zip(medium[:PER_CLASS], reversed(content[:PER_CLASS]), strict=True))]
    filters = [{"county": rng.choice(counties).split()[0]}, {"party": rng.choice(parties)},
               {"year": rng.randint(2008, 2022)}, {"doc_type": rng.choice(["regional_agreement", "strategy", "news"])},
               {"kind": rng.choice(["commitment", "goal"])},
               {"theme": rng.choice(["health", "labour_market", "housing_settlement"])}]
    filtered = [(w, filters[i % len(filters)]) for i, w in enumerate(content[:PER_CLASS])]
    listing = [("", {"county": c.split()[0], "kind": "commitment"}) for c in counties[:10]] + \
              [("", {"year": y}) for y in range(2010, 2020)]
    return {"rare": [(w, {}) for w in rare], "common": [(w, {}) for w in common],
            "phrase": [(f'"{p}"', {}) for p in phrases], "prefix": [(f"{p}*", {}) for p in prefixes],
            "boolean": [(q, {}) for q in boolean], "filtered": filtered, "listing": listing}


def _real_phrases(stop: frozenset[str]) -> list[str]:
    """Two-word phrases of content words that recur in the real texts, most frequent first."""
    pairs: Counter[str] = Counter()
    for document in real_corpus().documents:
        for sentence in document:
            words = re.findall(r"[^\W\d_]+", sentence.lower())
            pairs.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False)
                         if len(a) >= 4 and len(b) >= 4 and a not in stop and b not in stop)
    return [p for p, n in pairs.most_common() if n >= 3]


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def time_search(store: Store, query: str, options: dict, runs: int) -> dict:
    started = time.perf_counter()
    hits = search(store, query, limit=20, **options)
    cold = _ms(started)
    warm, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.thread_time()
        search(store, query, limit=20, **options)
        warm.append(_ms(started))
        cpu.append((time.thread_time() - cpu_started) * 1000)
    started = time.perf_counter()
    total = count_hits(store, query, **options)
    return {"query": query, "filters": options, "cold_ms": round(cold, 1), "ms": round(statistics.median(warm), 1),
            "cpu_ms": round(statistics.median(cpu), 1), "count_ms": round(_ms(started), 1), "hits": len(hits),
            "total": total.n, "total_counts_families": total.families}


def time_old_path(store: Store, query: str, options: dict, runs: int) -> float:
    """Every match ranked in FTS5 and grouped, as search did before (the budget lifted)."""
    saved = candidates.EXACT_BUDGET
    candidates.EXACT_BUDGET = math.inf
    try:
        warm = []  # the new path's runs of the same query warmed the page cache
        for _ in range(runs):
            started = time.perf_counter()
            search(store, query, limit=20, **options)
            warm.append(_ms(started))
    finally:
        candidates.EXACT_BUDGET = saved
    return round(statistics.median(warm), 1)


def time_plain_fts(conn: sqlite3.Connection, query: str, runs: int) -> float | None:
    """FTS5 alone: the words as typed (quoted), best 20 by bm25; nothing else."""
    words = re.findall(r"[^\W_]+", query.lower())
    if not words:
        return None
    if query.startswith('"'):
        expression = '"' + " ".join(words) + '"'
    elif query.endswith("*"):
        expression = f'"{words[0]}"*'
    elif " OR " in query:
        expression = " OR ".join(f'"{w}"' for w in words)
    elif " -" in query:
        expression = f'"{words[0]}" NOT "{words[1]}"'
    else:
        expression = " ".join(f'"{w}"' for w in words)
    warm = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        conn.execute("SELECT rowid FROM clauses_fts WHERE clauses_fts MATCH ? ORDER BY rank LIMIT 20",
                     (expression,)).fetchall()
        warm.append(_ms(started))
    return round(statistics.median(warm[1:]), 1)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, math.ceil(p * len(ordered)) - 1)], 1) if ordered else 0.0


def bench_store(db: Path, runs: int, log) -> dict:
    classes = query_classes(db)
    out: dict[str, dict] = {}
    with Store.open(db, readonly=True) as store:
        vocabulary_ms, vocabulary_file_ms = time_vocabulary(store)
        for name in CLASSES:
            rows = [time_search(store, q, o, runs) for q, o in classes[name]]
            subset = classes[name][:BASELINE_PER_CLASS]
            old = [time_old_path(store, q, o, runs) for q, o in subset]
            plain = [t for q, o in subset if not o and (t := time_plain_fts(store.conn, q, runs)) is not None]
            new_subset = [r["ms"] for r in rows[:BASELINE_PER_CLASS]]
            out[name] = {
                "queries": len(rows), "p50_ms": percentile([r["ms"] for r in rows], 0.5),
                "p95_ms": percentile([r["ms"] for r in rows], 0.95), "max_ms": max(r["ms"] for r in rows),
                "cpu_p50_ms": percentile([r["cpu_ms"] for r in rows], 0.5),
                "cpu_p95_ms": percentile([r["cpu_ms"] for r in rows], 0.95),
                "cold_p95_ms": percentile([r["cold_ms"] for r in rows], 0.95),
                "count_p95_ms": percentile([r["count_ms"] for r in rows], 0.95),
                "baseline_queries": len(subset), "new_p50_on_subset_ms": percentile(new_subset, 0.5),
                "old_path_p50_ms": percentile(old, 0.5), "old_path_p95_ms": percentile(old, 0.95),
                "plain_fts_p50_ms": percentile(plain, 0.5) if plain else None,
                "speedup_vs_old_p50": round(percentile(old, 0.5) / max(percentile(new_subset, 0.5), 0.1), 1),
                "rows": rows, "old_path_ms": old, "plain_fts_ms": plain}
            log(f"    {name:9} p50 {out[name]['p50_ms']:7.1f}  p95 {out[name]['p95_ms']:7.1f}  "
                f"cpu p95 {out[name]['cpu_p95_ms']:7.1f}  "
                f"(old path p50 {out[name]['old_path_p50_ms']:8.1f})  count p95 {out[name]['count_p95_ms']:7.1f}")
    return {"vocabulary_ms": round(vocabulary_ms, 1), "vocabulary_file_ms": round(vocabulary_file_ms, 1),
            "classes": out}


def time_vocabulary(store: Store) -> tuple[float, float]:
    """Reading the vocabulary from the word index (and writing the cache file), then from the file."""
    os.environ["ROK_SEARCH_CACHE"] = str(VOCABULARY_CACHE)
    shutil.rmtree(VOCABULARY_CACHE, ignore_errors=True)
    times = []
    for _ in range(2):
        vocab._cache.clear()
        started = time.perf_counter()
        store_words(store.conn, str(store.path))
        times.append(_ms(started))
    return times[0], times[1]


def exponent(sizes: list[int], values: list[float]) -> float | None:
    """Slope of log(value) against log(size), least squares."""
    points = [(math.log(s), math.log(v)) for s, v in zip(sizes, values, strict=True) if v and v > 0]
    if len(points) < 2:
        return None
    mx = statistics.mean(x for x, _ in points)
    my = statistics.mean(y for _, y in points)
    den = sum((x - mx) ** 2 for x, _ in points)
    return round(sum((x - mx) * (y - my) for x, y in points) / den, 2) if den else None


def heaps(facts: dict[int, dict]) -> dict:
    sizes = sorted(facts)
    real = real_heaps()
    xs = [math.log(t) for t, _ in real["points"]]
    ys = [math.log(v) for _, v in real["points"]]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    real_beta = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    return {"real_corpus": {k: v for k, v in real.items() if k != "points"}, "real_beta": round(real_beta, 2),
            "generated_beta": exponent([facts[s]["tokens"] for s in sizes],
                                       [facts[s]["distinct_words"] for s in sizes])}


def write(results: dict, out: Path = RESULTS) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_search.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                                               encoding="utf-8")
    sizes = results["sizes"]
    per = results["per_size"]
    lines = ["# Search benchmark: query classes at growing store sizes", "",
             f"{results['machine']}; load average {results['load_average']} at the start and "
             f"{results['load_average_end']} at the end (other sessions share the 2 cores: absolute times are "
             "inflated, the ratios to the old path measured in the same run much less).", "",
             "Stores (built from the real corpus texts with edits, `scripts/search_store.py`):", "",
             "| clauses | documents | distinct words | reuse clusters | size MB |", "|---|---|---|---|---|"]
    lines += [f"| {f['clauses']:,} | {f['documents']:,} | {f['distinct_words']:,} | {f['reuse_clusters']:,} | "
              f"{f['size_mb']} |" for f in (results["stores"][str(s)] for s in sizes)]
    h = results["heaps"]
    lines += ["", f"Vocabulary growth (Heaps exponent, distinct words against words): generated stores "
              f"**{h['generated_beta']}**, the real corpus itself {h['real_beta']} "
              f"({h['real_corpus']['documents']} documents, {h['real_corpus']['distinct_words']:,} distinct "
              "words).", "",
              f"Search, limit 20, median of {results['runs']} warm runs per query, p50/p95 over the queries of "
              "each class (ms of wall time; in brackets the p95 of the CPU time the search took, which other "
              "sessions on the machine inflate much less); *old* = every match ranked by FTS5 and grouped "
              "(the path before), on the first "
              f"{BASELINE_PER_CLASS} queries of the class, in the same run:", "",
              "| class | " + " | ".join(f"{s:,}: p50 / p95 (CPU p95)" for s in sizes) + " | exponent p95 (CPU) "
              f"| old p50 at {sizes[-1]:,} | speed-up |", "|---|" + "---|" * (len(sizes) + 3)]
    for name in CLASSES:
        cells = [f"{c['p50_ms']} / **{c['p95_ms']}** ({c['cpu_p95_ms']})"
                 for c in (per[str(s)]["classes"][name] for s in sizes)]
        last = per[str(sizes[-1])]["classes"][name]
        e = results["exponents"][name]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {e['p95']} ({e['cpu_p95']}) | "
                     f"{last['old_path_p50_ms']} | {last['speedup_vs_old_p50']}× |")
    lines += ["", "Old path and plain FTS5 (p50 ms over the baseline subset) and the count (p95 ms):", "",
              "| class | " + " | ".join(f"{s:,}: old / plain FTS5 / count" for s in sizes) + " | exponent old p50 |",
              "|---|" + "---|" * (len(sizes) + 1)]
    for name in CLASSES:
        cells = [f"{c['old_path_p50_ms']} / {c['plain_fts_p50_ms'] if c['plain_fts_p50_ms'] is not None else '–'} / "
                 f"{c['count_p95_ms']}" for c in (per[str(s)]["classes"][name] for s in sizes)]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {results['exponents'][name]['old_p50']} |")
    lines += ["", "Reading the vocabulary once per process and store state, from the word index / from the cache "
              "file (ms): " + ", ".join(f"{s:,}: {per[str(s)]['vocabulary_ms']} / {per[str(s)]['vocabulary_file_ms']}"
                                       for s in sizes)
              + "; the first run of a query (its words' forms worked out) p95 at the largest store: "
              + ", ".join(f"{n} {per[str(sizes[-1])]['classes'][n]['cold_p95_ms']}" for n in CLASSES) + "."]
    if growth := results.get("vocabulary_growth"):
        added = ", ".join(map(str, growth["clauses_added"]))
        lines += ["", f"The first search after one generated document ({added} clauses) is added to a copy of the "
                  f"{growth['size']:,}-clause store (`scripts/bench_search_growth.py`, "
                  f"median of {growth['runs']}, load average {growth['load_average']}): its vocabulary read from the "
                  f"whole word index {growth['full_cpu_ms']} ms CPU ({growth['full_wall_ms']} wall), brought up to "
                  f"date from the earlier state's cache file {growth['grown_cpu_ms']} ms CPU "
                  f"({growth['grown_wall_ms']} wall); the two vocabularies are equal."]
    lines += before_after(results)
    if results.get("ab"):
        from bench_search_ab import ab_lines  # noqa: PLC0415 (it imports this module)

        lines += ab_lines(results)
    (out / "bench_search.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def before_after(results: dict) -> list[str]:
    """The table of this run against an earlier version's (``--before``), at each size both measured."""
    before = results.get("before")
    if not before:
        return []
    sizes = [s for s in results["sizes"] if str(s) in before["per_size"]]
    lines = ["", f"Before and after this version (p95 ms over each class's queries, wall and in brackets CPU; "
             f"*before*: {before['label']}, run just before on the same stores, load average "
             f"{before['load_average']}–{before['load_average_end']}; this run "
             f"{results['load_average']}–{results['load_average_end']}):", "",
             "| class | " + " | ".join(f"{s:,}: before | {s:,}: after | × CPU" for s in sizes) + " |",
             "|---|" + "---|---|---:|" * len(sizes)]
    for name in CLASSES:
        cells = []
        for size in sizes:
            old, new = (run["per_size"][str(size)]["classes"][name] for run in (before, results))
            ratio = old["cpu_p95_ms"] / new["cpu_p95_ms"] if new["cpu_p95_ms"] else 0.0
            cells += [f"{old['p95_ms']} ({old['cpu_p95_ms']})", f"{new['p95_ms']} (**{new['cpu_p95_ms']}**)",
                      f"{ratio:.2f}×"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000, 100_000, 300_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="bench_search.json of an earlier version, for a before/after "
                                                    "table")
    parser.add_argument("--before-label", default="the previous commit", help="what --before measured")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder of the results")
    parser.add_argument("--ab", type=Path, help="tree of an earlier version, measured in the same process")
    parser.add_argument("--ab-label", default="the earlier version", help="what --ab holds")
    parser.add_argument("--ab-only", action="store_true", help="only the --ab measurement (at the largest size), "
                                                                "added to the results already written")
    args = parser.parse_args()
    if args.runs < 3:
        parser.error("--runs must be 3 or more (medians of at least 3 runs)")

    def log(message: str) -> None:
        print(message, flush=True)

    from bench_search_ab import run_ab  # noqa: PLC0415 (it imports this module)

    load = round(os.getloadavg()[0], 1)
    if args.ab_only:
        if not args.ab:
            parser.error("--ab-only needs --ab TREE")
        results = json.loads((args.out / "bench_search.json").read_text(encoding="utf-8"))
        results["ab"] = run_ab(args, max(args.sizes), load, log)
        write(results, args.out)
        return
    facts = build_stores(args.sizes, log=log)
    per_size = {}
    for size in sorted(args.sizes):
        log(f"{size:,} clauses ({facts[size]['distinct_words']:,} words):")
        per_size[str(size)] = bench_store(store_path(size), args.runs, log)
    sizes = sorted(args.sizes)
    exponents = {name: {key: exponent([facts[s]["clauses"] for s in sizes],
                                      [per_size[str(s)]["classes"][name][field] for s in sizes])
                        for key, field in (("p50", "p50_ms"), ("p95", "p95_ms"), ("cpu_p95", "cpu_p95_ms"),
                                           ("old_p50", "old_path_p50_ms"))}
                 for name in CLASSES}
    results = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
                          f"SQLite {sqlite3.sqlite_version}", "runs": args.runs, "sizes": sizes,
               "load_average": load, "load_average_end": round(os.getloadavg()[0], 1),
               "stores": {str(s): facts[s] for s in sizes}, "heaps": heaps(facts), "exponents": exponents,
               "per_size": per_size}
    if args.before:
        before = json.loads(args.before.read_text(encoding="utf-8"))
        results["before"] = {"label": args.before_label, "load_average": before["load_average"],
                             "load_average_end": before["load_average_end"],
                             "per_size": {size: {"classes": {name: {k: v for k, v in c.items() if k != "rows"}
                                                             for name, c in data["classes"].items()}}
                                          for size, data in before["per_size"].items()}}
    if args.ab:
        results["ab"] = run_ab(args, sizes[-1], round(os.getloadavg()[0], 1), log)
    write(results, args.out)
    log(json.dumps({"exponents": exponents, "p95_at_largest": {n: per_size[str(sizes[-1])]["classes"][n]["p95_ms"]
                                                                for n in CLASSES}}, indent=1))


if __name__ == "__main__":
    main()
