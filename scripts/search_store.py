"""Stores of real-looking clauses for the search benchmark, grown from the real corpus texts.

The 83 real documents (``corpus/seeds`` and ``../shared/corpus/{dev,train}``) are split into
sentences; each generated document takes a run of sentences from one real document plus some from
others, and edits them as later versions of real agreements are edited:

- a share of the sentences is copied verbatim (reuse across documents, as in the real corpus);
- the others get word substitutions (a word of the corpus drawn by its frequency), new compounds
  (two corpus words joined, as Swedish writes them), new names (places, projects, people), typos,
  fresh numbers (years, amounts, reference numbers), and clauses moved within the sentence;
- sentences are reordered within the document.

So the vocabulary keeps growing with the corpus as real text does (Heaps' law; the benchmark
reports the exponent next to the real corpus's own), instead of stopping at a few hundred template
words. Documents get a county, a period, parties, a document type, clause kinds and themes (the
project's keyword themes), so every search filter selects something.

Stores are cached under ``/tmp/rok_search_bench`` (never in the repository), one per size, built
once by writing the generated documents through :func:`rok_compare.store.write_agreement` and
clustering reuse with :func:`rok_compare.store.reuse.recompute_reuse_clusters`, as ingest does.
"""

from __future__ import annotations

import random
import re
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from rok_compare.extract.clauses import themes_of
from rok_compare.ingest import read_bytes
from rok_compare.model import ClauseKind, DocType
from rok_compare.search.swedish import Vocabulary
from rok_compare.store import Store, write_agreement
from rok_compare.store.reuse import recompute_reuse_clusters
from rok_compare.store.testing import COUNTIES, PARTIES, paragraph_agreement

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "corpus" / "seeds", ROOT.parent / "shared" / "corpus" / "dev",
           ROOT.parent / "shared" / "corpus" / "train"]
CACHE = Path("/tmp/rok_search_bench")
VERSION = 2
"""Bumped when the generator changes, so that a cached store is rebuilt."""
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+(?=[A-ZÅÄÖ0-9\"“(])|\n+")
_TOKEN = re.compile(r"[^\W_]+|[^\w\s]+|\s+")
_LETTERS = re.compile(r"[^\W\d_]{4,}")
_SYLLABLES = ["ka", "ro", "li", "ne", "sta", "berg", "vik", "sund", "ho", "mar", "ås", "by", "ån", "fors",
              "dal", "ter", "vi", "sa", "lund", "ö", "hem", "ri", "no", "ella", "jon", "sson", "ham", "tor"]
VERBATIM = 0.35
"""Share of sentences copied unchanged."""
SUBSTITUTE, COMPOUND, NAME, TYPO = 0.06, 0.012, 0.004, 0.004
"""Per word of an edited sentence: replaced by a corpus word, by a new compound, by a new name, misspelt."""
KIND_RULES = [(re.compile(r"\b(ska|skall|ansvarar|åtar)\b", re.I), ClauseKind.COMMITMENT.value),
              (re.compile(r"\b(mål|målet|syftet|syfte)\b", re.I), ClauseKind.GOAL.value),
              (re.compile(r"\d{3,}|procent|%"), ClauseKind.STATISTICS.value),
              (re.compile(r"\b(styrgrupp|samverkansgrupp|uppföljning|följs upp)\b", re.I),
               ClauseKind.GOVERNANCE.value)]
DOC_TYPES = [t.value for t in DocType]
PARTY_NAMES = [*PARTIES[:4], "Region {county}", "Länsstyrelsen i {county}", "{town} kommun", "{town} kommun",
               "Skolverket", "Folkbildningsrådet", "Svenska kyrkan", "Röda korset", "Samordningsförbundet {town}"]


@dataclass(frozen=True, slots=True)
class RealCorpus:
    """The real sentences, grouped by document, and the corpus's words with their frequencies."""

    documents: list[list[str]]
    words: list[str]
    weights: list[int]
    towns: list[str]
    modifiers: list[str]
    """First parts of the corpus's compounds as written (``bostads``, ``hälso``), one per compound."""
    heads: list[str]
    """Last parts of the corpus's compounds (``försörjning``), one per compound."""

    @property
    def sentences(self) -> int:
        return sum(map(len, self.documents))


def real_corpus() -> RealCorpus:
    """The real documents' sentences (one clause each, as the extractor cuts them)."""
    documents = []
    counts: Counter[str] = Counter()
    for folder in SOURCES:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            sentences = [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) >= 20]
            if sentences:
                documents.append(sentences)
                for sentence in sentences:
                    counts.update(w.lower() for w in _LETTERS.findall(sentence))
    if not documents:
        raise SystemExit(f"no real corpus texts found in {', '.join(map(str, SOURCES))}")
    towns = sorted({w for s in (s for d in documents for s in d) for w in re.findall(r"\b([A-ZÅÄÖ][a-zåäö]{3,})s? "
                                                                                       r"kommun", s)})
    words, weights = zip(*counts.most_common(), strict=True)
    modifiers, heads = _compound_parts(counts)
    return RealCorpus(documents, list(words), list(weights), towns or ["Umeå"], modifiers, heads)


def _compound_parts(counts: Counter[str]) -> tuple[list[str], list[str]]:
    """The parts of the corpus's own compounds, split as search splits them, each as often as it occurs."""
    vocabulary = Vocabulary.of(counts.items())
    modifiers, heads = [], []
    for word, n in counts.items():
        found = vocabulary.split(word) if len(word) >= 8 else None
        if found and len(found[1]) >= 2 and found[1][-1][0] != found[1][-1][1]:  # not "län|sstyrelsen"
            modifiers += ["".join(found[1][:-1])] * n
            heads += [found[1][-1]] * n
    return modifiers, heads


class Editor:
    """Edits real sentences the way revisions and other authors do (see the module docstring)."""

    def __init__(self, corpus: RealCorpus, rng: random.Random) -> None:
        self.corpus, self.rng = corpus, rng
        self._cumulative = list(_accumulate(corpus.weights))

    def word(self) -> str:
        return self.rng.choices(self.corpus.words, cum_weights=self._cumulative)[0]

    def compound(self) -> str:
        """A compound of a first part and a last part of two real compounds (``bostads`` + ``planering``)."""
        return self.rng.choice(self.corpus.modifiers) + self.rng.choice(self.corpus.heads)

    def name(self) -> str:
        return "".join(self.rng.choice(_SYLLABLES) for _ in range(self.rng.randint(2, 3))).capitalize()

    def number(self, token: str) -> str:
        rng = self.rng
        if len(token) == 4 and token.startswith(("19", "20")):
            return str(rng.randint(1995, 2030))
        return str(rng.randint(1, 10 ** max(1, len(token)) + rng.randint(0, 999)))

    def typo(self, token: str) -> str:
        i = self.rng.randrange(len(token) - 1)
        return token[:i] + token[i + 1] + token[i] + token[i + 2:]

    def edit(self, sentence: str) -> str:
        rng = self.rng
        out = []
        for token in _TOKEN.findall(sentence):
            if token.isdigit():
                out.append(self.number(token))
            elif token[0].isalpha() and len(token) >= 3:
                roll = rng.random()
                if roll < SUBSTITUTE:
                    new = self.word()
                elif roll < SUBSTITUTE + COMPOUND:
                    new = self.compound()
                elif roll < SUBSTITUTE + COMPOUND + NAME:
                    new = self.name()
                elif roll < SUBSTITUTE + COMPOUND + NAME + TYPO and len(token) > 4:
                    new = self.typo(token)
                else:
                    new = token
                out.append(new.capitalize() if token[0].isupper() and new[0].islower() else new)
            else:
                out.append(token)
        text = "".join(out)
        if rng.random() < 0.15 and ", " in text:  # move a clause of the sentence
            parts = text.rstrip(".").split(", ")
            rng.shuffle(parts)
            text = ", ".join(parts) + "."
        if text == sentence:  # an edited sentence differs in at least one word
            words = sentence.split(" ")
            i = rng.randrange(len(words))
            words[i] = self.word()
            text = " ".join(words)
        return text[:1].upper() + text[1:]


def _accumulate(values: list[int]) -> list[int]:
    total, out = 0, []
    for value in values:
        total += value
        out.append(total)
    return out


def generate_document(corpus: RealCorpus, editor: Editor, rng: random.Random, index: int) -> tuple[str, str]:
    """One document as text (front matter as :func:`paragraph_agreement` reads it) and its type."""
    county, code = COUNTIES[rng.randrange(len(COUNTIES))]
    town = rng.choice(corpus.towns)
    start = rng.randint(2005, 2024)
    end = start + rng.choice([0, 1, 2, 3, 5])
    parties = sorted({p.format(county=county.removesuffix(" län").removesuffix("s"), town=town)
                      for p in rng.sample(PARTY_NAMES, rng.randint(2, 6))})
    template = corpus.documents[rng.randrange(len(corpus.documents))]
    wanted = rng.randint(100, 300)
    first = rng.randrange(len(template))
    sentences = []
    while len(sentences) < wanted:
        if rng.random() < 0.7:
            sentences.append(template[(first + len(sentences)) % len(template)])
        else:
            other = corpus.documents[rng.randrange(len(corpus.documents))]
            sentences.append(other[rng.randrange(len(other))])
    for i in range(len(sentences) - 1):  # reorder: neighbours swap places now and then
        if rng.random() < 0.1:
            sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    body = [s if rng.random() < VERBATIM else editor.edit(s) for s in sentences]
    lines = [f"Län: {county} ({code})", f"Period: {start}-{end}", *[f"Part: {p}" for p in parties], ""]
    for i, sentence in enumerate(body):
        if i % 25 == 0:
            lines += [f"# Avsnitt {i // 25 + 1}", ""]
        lines += [sentence.replace("\n", " "), ""]
    return "\n".join(lines), rng.choice(DOC_TYPES)


def _agreement(text: str, doc_type: str, index: int):
    source = read_bytes(Path(f"/bench/search/doc_{index:06d}.txt"), text.encode("utf-8"))
    agreement = paragraph_agreement(source)
    texts = [c.text for c in agreement.clauses]
    clauses = [replace(c, kind=ClauseKind(_kind(c.text)), themes=themes)
               for c, themes in zip(agreement.clauses, themes_of(texts), strict=True)]
    agreement.clauses = clauses
    agreement.doc_type = DocType(doc_type)
    return agreement


def _kind(text: str) -> str:
    for pattern, kind in KIND_RULES:
        if pattern.search(text):
            return kind
    return ClauseKind.OTHER.value


def store_path(clauses: int) -> Path:
    return CACHE / f"search_v{VERSION}_{clauses}.db"


def build_stores(sizes: list[int], seed: int = 15, log=print) -> dict[int, dict]:
    """The stores of ``sizes`` clauses (cached); one generated corpus grows through all sizes, so a
    smaller store is the start of a larger one. Returns facts about each store."""
    CACHE.mkdir(parents=True, exist_ok=True)
    sizes = sorted(sizes)
    missing = [n for n in sizes if not _ready(store_path(n))]
    if missing:
        _build(missing, seed, log)
    for n in sizes:  # a store built before the schema changed: migrate it (opening a store writable does)
        with Store.open(store_path(n)):
            pass
    return {n: store_facts(store_path(n)) for n in sizes}


def _ready(path: Path) -> bool:
    if not path.exists():
        return False
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT value FROM meta WHERE key = 'bench_ready'").fetchone() is not None
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def _build(sizes: list[int], seed: int, log) -> None:
    corpus = real_corpus()
    rng = random.Random(seed)
    editor = Editor(corpus, rng)
    work = CACHE / f"growing_v{VERSION}.db"
    work.unlink(missing_ok=True)
    started = time.perf_counter()
    total, index = 0, 0
    with Store.open(work) as store:
        for size in sizes:
            while total < size:
                text, doc_type = generate_document(corpus, editor, rng, index)
                agreement = _agreement(text, doc_type, index)
                write_agreement(store, agreement, index_compounds=False)
                total += len(agreement.clauses)
                index += 1
                if index % 500 == 0:
                    log(f"  {total:,} clauses in {index:,} documents, {time.perf_counter() - started:.0f} s")
            target = store_path(size)
            target.unlink(missing_ok=True)
            with sqlite3.connect(target) as copy:
                store.conn.backup(copy)
            _finish(target, time.perf_counter() - started, log)
    work.unlink(missing_ok=True)


def _finish(path: Path, write_seconds: float, log) -> None:
    started = time.perf_counter()
    with Store.open(path) as store:
        reuse = recompute_reuse_clusters(store)
        with store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('bench_write_seconds', ?)",
                         (f"{write_seconds:.1f}",))
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('bench_reuse', ?)",
                         (f"{reuse.method} {reuse.clusters} {time.perf_counter() - started:.1f}",))
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('bench_ready', '1')")
    log(f"  {path.name}: reuse {reuse.method}, {reuse.clusters} clusters, {time.perf_counter() - started:.0f} s")


def store_facts(path: Path) -> dict:
    """Size, documents, clauses, distinct words and reuse clusters of a built store."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        clauses, documents, clusters = conn.execute(
            "SELECT (SELECT COUNT(*) FROM clauses), (SELECT COUNT(*) FROM documents), "
            "(SELECT COUNT(*) FROM reuse_clusters)").fetchone()
        words = conn.execute("SELECT COUNT(*) FROM clauses_vocab").fetchone()[0]
        tokens = conn.execute("SELECT SUM(cnt) FROM clauses_vocab").fetchone()[0]
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'bench_%'").fetchall())
    finally:
        conn.close()
    return {"clauses": clauses, "documents": documents, "distinct_words": words, "tokens": tokens,
            "reuse_clusters": clusters, "size_mb": round(path.stat().st_size / 1e6, 1),
            "write_seconds": float(meta.get("bench_write_seconds", 0)), "reuse": meta.get("bench_reuse", "")}


def real_heaps() -> dict:
    """Distinct words against words seen over the real corpus: the Heaps exponent to compare with."""
    corpus = real_corpus()
    seen: set[str] = set()
    points = []
    tokens = 0
    for document in corpus.documents:
        for sentence in document:
            words = [w.lower() for w in re.findall(r"[^\W_]+", sentence)]
            tokens += len(words)
            seen.update(words)
        points.append((tokens, len(seen)))
    return {"documents": len(corpus.documents), "sentences": corpus.sentences, "tokens": tokens,
            "distinct_words": len(seen), "points": points}


if __name__ == "__main__":
    import sys

    build_stores([int(n) for n in sys.argv[1:]] or [30_000, 100_000, 300_000, 1_000_000])
