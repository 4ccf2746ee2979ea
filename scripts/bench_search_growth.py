"""The first search after documents are added to a large store: its vocabulary read from the whole
word index, against brought up to date from the earlier state's cache file
(:mod:`rok_compare.search.vocab_growth`), on a copy of the benchmark's store with one generated
document added; both must give the same vocabulary.

    .venv/bin/python scripts/bench_search_growth.py [--size 1000000] [--runs 3]

Adds ``vocabulary_growth`` to ``scripts/results/bench_search.json`` and rewrites the ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_search import RESULTS, write  # noqa: E402
from search_store import CACHE, Editor, _agreement, build_stores, generate_document, real_corpus, store_path  # noqa: E402

from rok_compare.search import vocab  # noqa: E402
from rok_compare.store import Store, write_agreement  # noqa: E402

FOLDER = CACHE / "growth"


def _read(db: Path, cache: str) -> tuple[float, float, tuple]:
    """(wall ms, CPU ms, vocabulary) of reading the vocabulary in a fresh process state."""
    os.environ["ROK_SEARCH_CACHE"] = cache
    vocab._cache.clear()
    with Store.open(db, readonly=True) as store:
        started, cpu = time.perf_counter(), time.process_time()
        words = vocab.store_words(store.conn, str(store.path))
        wall, used = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    return wall, used, (words.counts, words.clauses, words.tokens)


def measure(size: int, runs: int, log) -> dict:
    build_stores([size], log=log)
    shutil.rmtree(FOLDER, ignore_errors=True)
    FOLDER.mkdir(parents=True)
    rng = random.Random(size)
    corpus, cache = real_corpus(), str(FOLDER / "vocabulary")
    full, grown, added = [], [], []
    for run in range(runs):
        db = FOLDER / f"store_{run}.db"
        shutil.copyfile(store_path(size), db)
        shutil.rmtree(cache, ignore_errors=True)
        _read(db, cache)  # the earlier state, kept in the cache folder
        with Store.open(db) as store:
            text, doc_type = generate_document(corpus, Editor(corpus, rng), rng, 10**6 + run)
            agreement = _agreement(text, doc_type, 10**6 + run)
            write_agreement(store, agreement, index_compounds=False)
        added.append(len(agreement.clauses))
        wall, cpu, updated = _read(db, cache)
        grown.append((wall, cpu))
        wall, cpu, whole = _read(db, "")
        full.append((wall, cpu))
        assert updated == whole, "the vocabulary brought up to date differs from the word index's"
        db.unlink()
        log(f"  run {run + 1}: {added[-1]} clauses added; from the earlier state {grown[-1][1]:.0f} ms CPU "
            f"({grown[-1][0]:.0f} wall), whole index {full[-1][1]:.0f} ms CPU ({full[-1][0]:.0f} wall)")
    shutil.rmtree(FOLDER, ignore_errors=True)

    def median(values: list[tuple[float, float]], i: int) -> float:
        return round(statistics.median(v[i] for v in values), 1)

    return {"size": size, "runs": runs, "clauses_added": added, "grown_cpu_ms": median(grown, 1),
            "grown_wall_ms": median(grown, 0), "full_cpu_ms": median(full, 1), "full_wall_ms": median(full, 0),
            "load_average": round(os.getloadavg()[0], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    results_file = args.out / "bench_search.json"
    results = json.loads(results_file.read_text(encoding="utf-8"))
    results["vocabulary_growth"] = measure(args.size, args.runs, lambda m: print(m, flush=True))
    write(results, args.out)


if __name__ == "__main__":
    main()
