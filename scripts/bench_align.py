#!/usr/bin/env python3
"""Benchmark clause alignment and corpus-wide reuse against generated truth.

Part 1, revisions: real documents (../shared/corpus/dev and corpus/seeds, read in place) are
revised at random (clauses deleted, inserted from other documents, words edited, clauses moved,
split in two and merged), with the truth kept; ``align`` must recover the pairs, their
relation (identical/edited), their shape (split/merge) and the moves. Reports precision and
recall of each.

Part 2, reuse at scale: corpora of N clauses generated from the real documents' sentences and
vocabulary, with reuse planted (template clauses copied into several documents with word edits
and county names substituted). Reports time, peak memory (RSS of a fresh process) and recall of
the planted reuse at each size, and the time of an all-pairs rapidfuzz ``cdist`` on the 10k
corpus for comparison.

    .venv/bin/python scripts/bench_align.py [--sizes 10000,100000,1000000] [--part all]

Results go to scripts/results/bench_align.json and .md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DOC_DIRS = [ROOT.parent / "shared" / "corpus" / "dev", ROOT / "corpus" / "seeds"]
RESULTS = ROOT / "scripts" / "results"


# ---------------------------------------------------------------- part 1: revisions with truth

def document_clauses(dirs: list[Path]) -> dict[str, list]:
    """Clauses of every real document (as the product segments them), duplicates dropped."""
    from rok_compare import extract_document
    from rok_compare.align.normalize import surface_key

    docs: dict[str, list] = {}
    for folder in dirs:
        for path in sorted(folder.glob("*.txt")):
            seen: set[str] = set()
            clauses = []
            for clause in extract_document(path).clauses:
                key = surface_key(clause.text)
                if key and key not in seen and len(key.split()) >= 2:
                    seen.add(key)
                    clauses.append(clause)
            if len(clauses) >= 3:
                docs[path.name] = clauses
    return docs


@dataclass
class Revision:
    """An old clause list, a generated new one, and the truth about what became of each clause."""

    old: list
    new: list
    pairs: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    """(old id, new id) -> (relation, shape)."""
    moved: set[str] = field(default_factory=set)
    """Old ids of clauses moved to another place."""


def _clause(clause_id: str, text: str):
    from rok_compare.model import Clause, ClauseKind, Span

    return Clause(clause_id, None, ClauseKind.OTHER, [], text, Span(1, 0, 0))


def _edit_words(text: str, vocabulary: list[str], rng) -> str:
    """One to three word edits (replace, delete, insert) of words, at most a quarter of them."""
    words = text.split()
    alphabetic = [k for k, w in enumerate(words) if w.strip(".,;:()").isalpha()]
    for _ in range(max(1, min(3, len(alphabetic) // 4))):
        k = rng.choice(alphabetic)
        op = rng.choice(("replace", "delete", "insert"))
        if not words[k]:
            continue
        if op == "replace":
            trail = words[k][-1] if not words[k][-1].isalnum() else ""
            words[k] = rng.choice(vocabulary) + trail
        elif op == "delete" and len(words) > 6:
            words[k] = words[k][-1] if not words[k][-1].isalnum() else ""
        else:
            words[k] = rng.choice(vocabulary) + " " + words[k]
    return " ".join(w for w in words if w)


def editable(text: str) -> bool:
    """Word edits are generated for clauses of six words or more: changing one word of a
    two-word heading does not leave "the same clause, edited"."""
    return sum(1 for w in text.split() if w.strip(".,;:()").isalpha()) >= 6


def _split_text(text: str, rng) -> tuple[str, str] | None:
    words = text.split()
    if len(words) < 12:
        return None
    k = rng.randrange(len(words) // 3, 2 * len(words) // 3)
    first = " ".join(words[:k]).rstrip(",;:") + "."
    second = " ".join(words[k:])
    return first, second[0].upper() + second[1:]


def _merge_texts(first: str, second: str) -> str:
    return first.rstrip(" .") + ", " + second[0].lower() + second[1:]


RATES = {"delete": 0.08, "edit": 0.25, "split": 0.05, "merge": 0.05, "move": 0.05, "insert": 0.08}


def make_revision(clauses: list, pool: list[str], rng) -> Revision:
    """A random revision of ``clauses`` with its truth."""
    from rok_compare.align.normalize import surface_key

    old = [_clause(f"a{k}", c.text) for k, c in enumerate(clauses)]
    keys = {surface_key(c.text) for c in old}
    vocabulary = sorted({w.strip(".,;:()") for c in old for w in c.text.split() if w.isalpha()} or {"och"})
    revision = Revision(old, [])
    units: list[tuple[list[str], list[str], str, str]] = []  # (old ids, new texts, relation, shape)
    k = 0
    while k < len(old):
        clause, roll = old[k], rng.random()
        cuts = [sum(list(RATES.values())[:n + 1]) for n in range(len(RATES))]
        split = _split_text(clause.text, rng)
        if roll < cuts[0]:
            units.append(([clause.id], [], "", ""))
        elif roll < cuts[1] and editable(clause.text):
            edited = _edit_words(clause.text, vocabulary, rng)
            same = surface_key(edited) == surface_key(clause.text)
            units.append(([clause.id], [edited], "identical" if same else "edited", "1:1"))
        elif roll < cuts[2] and split:
            units.append(([clause.id], list(split), "identical", "split"))
        elif roll < cuts[3] and k + 1 < len(old):
            units.append(([clause.id, old[k + 1].id], [_merge_texts(clause.text, old[k + 1].text)],
                          "identical", "merge"))
            k += 1
        else:
            units.append(([clause.id], [clause.text], "identical", "1:1"))
        k += 1
    _move_units(units, revision, rng)
    _render_units(units, revision, pool, keys, rng)
    return revision


def _move_units(units: list, revision: Revision, rng) -> None:
    """Move a few 1:1 units at least three places away (at most one move per five units)."""
    movable = [u for u in units if u[3] == "1:1"]
    for unit in rng.sample(movable, k=min(len(movable), int(len(units) * RATES["move"] + rng.random()))):
        start = units.index(unit)
        places = [p for p in range(len(units)) if abs(p - start) >= 3]
        if not places:
            continue
        units.remove(unit)
        units.insert(min(rng.choice(places), len(units)), unit)
        revision.moved.update(unit[0])


def _render_units(units: list, revision: Revision, pool: list[str], keys: set[str], rng) -> None:
    from rapidfuzz import fuzz, process

    from rok_compare.align.normalize import surface_key

    old_texts = [c.text for c in revision.old]
    for old_ids, texts, relation, shape in units:
        if rng.random() < RATES["insert"]:
            text = rng.choice(pool)
            best = process.extractOne(text, old_texts, scorer=fuzz.token_set_ratio)
            if surface_key(text) not in keys and (best is None or best[1] < 60):
                revision.new.append(_clause(f"b{len(revision.new)}", text))
        for text in texts:
            new = _clause(f"b{len(revision.new)}", text)
            revision.new.append(new)
            for old_id in old_ids:
                revision.pairs[(old_id, new.id)] = (relation, shape)


@dataclass
class Count:
    truth: int = 0
    predicted: int = 0
    hits: int = 0

    def as_dict(self) -> dict:
        return {"precision": round(self.hits / self.predicted, 4) if self.predicted else 1.0,
                "recall": round(self.hits / self.truth, 4) if self.truth else 1.0,
                "truth": self.truth, "predicted": self.predicted}


@dataclass
class RevisionStats:
    counts: dict[str, Count] = field(default_factory=lambda: {
        k: Count() for k in ("pairs", "pairs+relation", "identical", "edited", "split/merge", "moved")})

    def add(self, key: str, truth: set, predicted: set) -> None:
        count = self.counts[key]
        count.truth += len(truth)
        count.predicted += len(predicted)
        count.hits += len(truth & predicted)

    def report(self) -> dict:
        return {"metrics": {k: c.as_dict() for k, c in self.counts.items()}}


def evaluate_revision(revision: Revision, alignment, stats: RevisionStats) -> None:
    """Add one revision's hits to ``stats``."""
    truth = revision.pairs
    predicted = {(p.a.id, p.b.id): (str(p.relation), str(p.shape)) for p in alignment.pairs}
    stats.add("pairs", set(truth), set(predicted))
    stats.add("pairs+relation", {(k, v[0]) for k, v in truth.items()},
              {(k, v[0]) for k, v in predicted.items()})
    for relation in ("identical", "edited"):
        stats.add(relation, {k for k, v in truth.items() if v[0] == relation},
                  {k for k, v in predicted.items() if v[0] == relation})
    stats.add("split/merge", {(k, v[1]) for k, v in truth.items() if v[1] != "1:1"},
              {(k, v[1]) for k, v in predicted.items() if v[1] != "1:1"})
    stats.add("moved", set(revision.moved), {p.a.id for p in alignment.pairs if p.moved})


# ---------------------------------------------------------------- part 2: reuse at scale

COUNTIES = ["Jämtlands", "Norrbottens", "Värmlands", "Kronobergs", "Skåne", "Hallands", "Kalmar",
            "Gävleborgs", "Dalarnas", "Västerbottens", "Uppsala", "Stockholms", "Örebro"]


class ClauseGenerator:
    """Swedish clauses with the real documents' vocabulary: a word-bigram chain over their
    sentences that often jumps to any corpus word, with new compounds formed from their words
    (Swedish coins compounds freely, which gives a large corpus its long tail of rare words)."""

    def __init__(self, sentences: list[str], rng) -> None:
        self.rng = rng
        self.follow: dict[str, list[str]] = {}
        self.starts: list[str] = []
        for sentence in sentences:
            words = sentence.split()
            if len(words) < 4:
                continue
            self.starts.append(words[0])
            for w1, w2 in zip(words, words[1:] + ["<end>"], strict=True):
                self.follow.setdefault(w1, []).append(w2)
        self.stems = sorted({w.lower().strip(".,;:()") for s in sentences for w in s.split()
                             if len(w) >= 5 and w.isalpha()})
        self.unigrams = [w for s in sentences for w in s.split()]

    def word(self) -> str:
        return self.rng.choice(self.stems)

    def sentence(self, min_words: int = 6, max_words: int = 30) -> str:
        words = [self.rng.choice(self.starts)]
        while len(words) < max_words:
            # Half of the steps leave the chain for any word of the corpus, so that sentences
            # are new rather than the few real ones recombined.
            if self.rng.random() < 0.5:
                nxt = self.rng.choice(self.unigrams)
            else:
                nxt = self.rng.choice(self.follow.get(words[-1], ["<end>"]))
            if nxt == "<end>":
                if len(words) >= min_words:
                    break
                nxt = self.rng.choice(self.starts).lower()
            words.append(nxt)
        for k in range(1, len(words)):
            if len(words[k]) >= 6 and words[k].isalpha() and self.rng.random() < 0.2:
                words[k] = self.word() + self.rng.choice(["", "s"]) + words[k].lower()
        text = " ".join(words).rstrip(",;:")
        return text if text.endswith(".") else text + "."

    def variant(self, template: str) -> str:
        """A copy of a template: another county's name, most often one to three words edited."""
        text = template.replace("{county}", self.rng.choice(COUNTIES))
        if self.rng.random() < 0.7:
            words = text.split()
            for _ in range(self.rng.choice((1, 1, 2, 3))):
                k = self.rng.randrange(len(words))
                words[k] = self.word() if self.rng.random() < 0.7 else ""
            text = " ".join(w for w in words if w)
        return text


def make_reuse_corpus(size: int, seed: int, sentences: list[str]) -> dict:
    """``size`` clauses in documents of ~100, a fifth of them planted copies of templates."""
    import random

    rng = random.Random(seed)
    gen = ClauseGenerator(sentences, rng)
    n_docs = max(10, size // 100)
    texts: list[str] = []
    docs: list[int] = []
    truth: list[int] = []
    planted_target, template = size // 5, 0
    while len(texts) < planted_target:
        base = gen.sentence(min_words=10)
        words = base.split()
        if rng.random() < 0.5:
            k = rng.randrange(1, len(words))
            words[k:k] = ["i", "{county}", "län"]
        base = " ".join(words)
        copies = min(n_docs, 2 + int(rng.paretovariate(1.2)))
        for doc in rng.sample(range(n_docs), copies):
            texts.append(gen.variant(base))
            docs.append(doc)
            truth.append(template)
        template += 1
    openings: set[tuple[str, ...]] = set()
    while len(texts) < size:
        sentence = gen.sentence(min_words=8)
        opening = tuple(sentence.lower().split()[:5])
        if opening in openings:  # background clauses are meant to be distinct, not reuse
            continue
        openings.add(opening)
        texts.append(sentence)
        docs.append(rng.randrange(n_docs))
        truth.append(-1)
    return {"texts": texts[:size], "docs": docs[:size], "truth": truth[:size], "documents": n_docs,
            "templates": template}


def planted_scores(labels, truth) -> tuple[float, float]:
    """Recall: planted same-template pairs found in one cluster; precision: clustered pairs
    that are planted same-template pairs."""
    import numpy as np

    labels, truth = np.asarray(labels), np.asarray(truth)

    def pairs(counts) -> float:
        return float((counts * (counts - 1) / 2).sum())

    planted = truth >= 0
    joint = np.unique(np.stack([truth[planted], labels[planted]], axis=1), axis=0, return_counts=True)
    found = pairs(joint[1][joint[0][:, 1] >= 0])
    total = pairs(np.unique(truth[planted], return_counts=True)[1])
    clustered = pairs(np.unique(labels[labels >= 0], return_counts=True)[1])
    return (found / total if total else 1.0), (found / clustered if clustered else 1.0)


def reuse_worker(size: int, seed: int, baseline: bool) -> dict:
    """Generate a corpus, then time ``cluster_texts`` on it (and optionally the baseline)."""
    import gc
    import resource

    import numpy as np

    docs = document_clauses(DOC_DIRS)
    sentences = [c.text for clauses in docs.values() for c in clauses]
    corpus = make_reuse_corpus(size, seed, sentences)
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from rok_compare.align.reuse import cluster_texts

    started = time.perf_counter()
    result = cluster_texts(corpus["texts"], np.asarray(corpus["docs"]))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    recall, precision = planted_scores(result.labels, corpus["truth"])
    row = {"size": size, "documents": corpus["documents"], "templates": corpus["templates"],
           "planted": int(sum(1 for t in corpus["truth"] if t >= 0)), "seconds": round(seconds, 2),
           "peak_rss_mib": round(peak, 1), "rss_before_mib": round(rss_before, 1),
           "recall": round(recall, 4), "precision": round(precision, 4),
           "clusters": result.n_clusters, "candidates": result.candidates, "verified": result.verified}
    if baseline:
        row["baseline_seconds"] = round(rapidfuzz_baseline(corpus["texts"]), 2)
    return row


def rapidfuzz_baseline(texts: list[str]) -> float:
    """All-pairs rapidfuzz on the same normalised clauses (the quadratic way)."""
    from rapidfuzz import fuzz, process

    from rok_compare.align.normalize import normalize_many

    stems = [n.stems for n in normalize_many(texts)]
    started = time.perf_counter()
    process.cdist(stems, stems, scorer=fuzz.ratio, score_cutoff=70, workers=-1, dtype="uint8")
    return time.perf_counter() - started


def bench_revisions(revisions_per_doc: int, seed: int) -> dict:
    """Part 1: precision and recall of pairs, labels, shapes and moves on revised documents."""
    import random

    from rok_compare.align import Aligner

    docs = document_clauses(DOC_DIRS)
    pool = [c.text for clauses in docs.values() for c in clauses]
    rng = random.Random(seed)
    stats = RevisionStats()
    aligner = Aligner()
    started = time.perf_counter()
    for name, clauses in sorted(docs.items()):
        for _ in range(revisions_per_doc):
            revision = make_revision(clauses, pool, rng)
            alignment = aligner.align(revision.old, revision.new)
            evaluate_revision(revision, alignment, stats)
        del name
    out = stats.report()
    out["documents"] = len(docs)
    out["revisions"] = len(docs) * revisions_per_doc
    out["seconds"] = round(time.perf_counter() - started, 2)
    return out


def bench_reuse_size(size: int, seed: int, baseline: bool) -> dict:
    """Part 2 for one size, run in a fresh process so that its peak RSS is its own."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker-size", str(size),
           "--seed", str(seed)] + (["--baseline"] if baseline else [])
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"size": size, "error": done.stderr.strip().splitlines()[-1:] or ["failed"]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def write_results(results: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_align.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "bench_align.md").write_text(markdown(results))


def markdown(results: dict) -> str:
    lines = ["# Alignment and reuse benchmark", "", f"Machine: {results['machine']}", ""]
    rev = results.get("revisions")
    if rev:
        lines += [
            f"## Revisions ({rev['revisions']} generated revisions of {rev['documents']} real documents, "
            f"{rev['seconds']} s)", "",
            "Each revision: per clause deleted 8 %, 1-3 words edited 25 % (clauses of 6+ words), "
            "split in two 5 % (clauses of 12+ words), merged with the next 5 %; 5 % of the units moved "
            "3+ places; before 8 % of the units a clause of another document inserted (one unlike every "
            "clause of this one). Truth: the pairs (identical/edited, 1:1/split/merge), the moved clauses.",
            "",
            "| what | precision | recall | truth | predicted |", "|---|---|---|---|---|",
        ]
        for key, row in rev["metrics"].items():
            lines.append(f"| {key} | {row['precision']:.3f} | {row['recall']:.3f} | {row['truth']} | "
                         f"{row['predicted']} |")
        lines.append("")
    reuse = results.get("reuse")
    if reuse:
        lines += ["## Reuse at scale", "",
                  "Time of `cluster_texts` (normalisation, exact duplicates, MinHash LSH, rapidfuzz "
                  "verification, connected components); peak RSS of the process, which also holds the "
                  "generated corpus (RSS before the call in the last column).", "",
                  "| clauses | documents | time (s) | peak RSS (MiB) | planted pairs recall | "
                  "cluster pair precision | clusters | RSS before (MiB) |",
                  "|---|---|---|---|---|---|---|---|"]
        for row in reuse:
            if "error" in row:
                lines.append(f"| {row['size']} | error: {row['error']} | | | | | | |")
                continue
            lines.append(f"| {row['size']} | {row['documents']} | {row['seconds']:.1f} | "
                         f"{row['peak_rss_mib']:.0f} | {row['recall']:.4f} | {row['precision']:.4f} | "
                         f"{row['clusters']} | {row['rss_before_mib']:.0f} |")
        base = next((r for r in reuse if "baseline_seconds" in r), None)
        if base:
            ratio = base["baseline_seconds"] / base["seconds"]
            lines += ["", f"Baseline: all-pairs rapidfuzz `cdist` (`fuzz.ratio` on the same normalised "
                          f"stems, `score_cutoff` 70, 2 workers) on the same {base['size']} clauses: "
                          f"{base['baseline_seconds']:.1f} s, {ratio:.0f}x the time of `cluster_texts`. "
                          "Being quadratic, it would take ~100x that at 100k and ~10,000x at 1M "
                          "(extrapolated, not run)."]
        for row in reuse:
            if "error" not in row and base and row["size"] > base["size"]:
                factor = (row["size"] / base["size"]) ** 2
                lines.append(f"- {row['size']}: baseline ~{base['baseline_seconds'] * factor:,.0f} s "
                             f"(extrapolated) vs {row['seconds']:.1f} s, ~"
                             f"{base['baseline_seconds'] * factor / row['seconds']:,.0f}x")
    return "\n".join(lines) + "\n"


def rewrite_markdown() -> None:
    """Regenerate the .md from the .json (after changing the report format)."""
    results = json.loads((RESULTS / "bench_align.json").read_text())
    (RESULTS / "bench_align.md").write_text(markdown(results))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--part", choices=["revisions", "reuse", "all"], default="all")
    parser.add_argument("--revisions-per-doc", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--worker-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker_size:
        print(json.dumps(reuse_worker(args.worker_size, args.seed, args.baseline)))
        return 0
    import os
    import platform

    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    results: dict = {"machine": machine}
    if args.part in ("revisions", "all"):
        results["revisions"] = bench_revisions(args.revisions_per_doc, args.seed)
        print(json.dumps(results["revisions"], indent=2))
    if args.part in ("reuse", "all"):
        sizes = [int(s) for s in args.sizes.split(",") if s]
        results["reuse"] = []
        for k, size in enumerate(sizes):
            row = bench_reuse_size(size, args.seed, baseline=k == 0)
            print(json.dumps(row))
            results["reuse"].append(row)
    write_results(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
