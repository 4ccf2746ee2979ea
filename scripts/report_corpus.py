"""A generated corpus of any size made from the real agreements' texts with edits, for ``bench_report.py``.

The real documents (the seeds and ``../shared/corpus/{dev,train}``) are ingested once with the
real extractor into ``<cache>/real.db``. Each generated document then takes one of them (or an
earlier generated document, as its next version) and edits it as agreements are edited when one
county copies another's or revises its own: the county's name replaced, clauses dropped, words
replaced, cut or added, clauses borrowed from another agreement. Its vocabulary, clause lengths and
reuse are those of the real corpus. Documents go straight into a store (no extraction) in the
paragraph format of :func:`rok_compare.store.testing.paragraph_agreement`, reuse is clustered,
and the store is kept under ``<cache>`` for the next run (keyed by size, seed and this file's
digest, so an edit of the generator makes a new one).
"""

from __future__ import annotations

import hashlib
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
SOURCES = [ROOT / "corpus" / "seeds", SHARED / "dev", SHARED / "train"]

DROP = 0.06
"""Chance that a clause of the model document is left out."""
EDIT = 0.25
"""Chance that a clause has words replaced, cut or added."""
BORROW = 0.04
"""Chance that a clause of another agreement follows a clause."""
REVISION = 0.3
"""Chance that a document is the next version of an earlier generated one (same county, later years)."""


@dataclass(slots=True)
class Model:
    """A real document as the generator copies it."""

    county: str | None
    parties: list[str]
    clauses: list[tuple[str | None, str]]
    """(section heading, text) in reading order."""


@dataclass(slots=True)
class Generated:
    county: tuple[str, str]
    start: int
    end: int
    parties: list[str]
    clauses: list[tuple[str | None, str]]


def real_store(cache: Path) -> Path:
    """The real documents ingested with the real extractor (once; kept in ``cache``)."""
    db = cache / "real.db"
    if db.is_file():
        return db
    cache.mkdir(parents=True, exist_ok=True)
    sources = [str(p) for p in SOURCES if p.is_dir()]
    rok = Path(sys.executable).with_name("rok")
    subprocess.run([str(rok), "ingest", *sources, "--db", str(db)], check=True, capture_output=True)
    return db


def load_models(db: Path) -> list[Model]:
    from rok_compare.store import Store

    Store.open(db).close()  # brings a store kept from an earlier run up to this schema
    with Store.open(db, readonly=True) as store:
        conn = store.conn
        models = {i: Model(county, [], []) for i, county in conn.execute("SELECT id, county_name FROM documents")}
        for doc, canonical in conn.execute("SELECT document_id, canonical FROM parties ORDER BY document_id, ord"):
            if canonical not in models[doc].parties:
                models[doc].parties.append(canonical)
        for doc, heading, text in conn.execute(
                "SELECT c.document_id, s.heading, c.text FROM clauses c LEFT JOIN sections s ON s.id = c.section_id "
                "ORDER BY c.document_id, c.ord"):
            models[doc].clauses.append((heading, " ".join(text.split())))
    return [m for m in models.values() if m.clauses]


def _place(county: str) -> str:
    """"Värmlands län" -> "Värmland" (the name as the text uses it outside "X län")."""
    name = county.removesuffix(" län")
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


class Generator:
    def __init__(self, models: list[Model], seed: int) -> None:
        from rok_compare.store.testing import COUNTIES

        self.models = models
        self.rng = random.Random(seed)
        self.counties = COUNTIES
        self.words = sorted({w for m in models for _, t in m.clauses for w in t.split() if w.isalpha()})
        self.made: list[Generated] = []

    def next(self) -> Generated:
        rng = self.rng
        if self.made and rng.random() < REVISION:
            old = rng.choice(self.made)
            start = old.end + rng.randint(1, 3)
            doc = Generated(old.county, start, start + rng.choice([0, 1, 2, 3]), old.parties,
                            self._edit(old.clauses, rate=0.5))
        else:
            model = rng.choice(self.models)
            county = rng.choice(self.counties)
            start = rng.randint(2006, 2022)
            clauses = [(h, self._move(t, model.county, county[0])) for h, t in model.clauses]
            doc = Generated(county, start, start + rng.choice([0, 1, 2, 3, 6]), list(model.parties),
                            self._edit(clauses, rate=1.0))
        self.made.append(doc)
        return doc

    def _move(self, text: str, old: str | None, new: str) -> str:
        """The county's names replaced by the new county's."""
        if not old:
            return text
        return text.replace(old, new).replace(_place(old), _place(new))

    def _edit(self, clauses: list[tuple[str | None, str]], rate: float) -> list[tuple[str | None, str]]:
        rng, out = self.rng, []
        for heading, text in clauses:
            if rng.random() < DROP * rate:
                continue
            out.append((heading, self._words(text) if rng.random() < EDIT * rate else text))
            if rng.random() < BORROW * rate:
                out.append((heading, rng.choice(rng.choice(self.models).clauses)[1]))
        return out or clauses[:1]

    def _words(self, text: str) -> str:
        rng, words = self.rng, text.split()
        for _ in range(rng.randint(1, 3)):
            k = rng.randrange(len(words)) if words else 0
            action = rng.random()
            if action < 0.5 and words:
                words[k] = rng.choice(self.words)
            elif action < 0.75 and len(words) > 3:
                del words[k]
            else:
                words.insert(k, rng.choice(self.words))
        return " ".join(words)


_FRONT = re.compile(r"^(Län|Period|Part|Typ):|^# ")


def render(doc: Generated) -> str:
    """The paragraph format :func:`paragraph_agreement` reads: front matter, headings, one paragraph a clause."""
    name, code = doc.county
    lines = [f"Län: {name} ({code})", f"Period: {doc.start}-{doc.end}", *[f"Part: {p}" for p in doc.parties], ""]
    heading = None
    for section, text in doc.clauses:
        if section and section != heading:
            lines += [f"# {' '.join(section.split())}", ""]
            heading = section
        if _FRONT.match(text):
            text = "– " + text
        lines += [text, ""]
    return "\n".join(lines)


def generator_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:10]


def generated_store(cache: Path, documents: int, seed: int = 11) -> tuple[Path, dict]:
    """A store of ``documents`` generated agreements with its reuse clusters, made once and kept in ``cache``."""
    import json
    import time

    from rok_compare.ingest import read_bytes
    from rok_compare.store import Store, write_agreement
    from rok_compare.store.reuse import recompute_reuse_clusters
    from rok_compare.store.testing import paragraph_agreement
    from rok_compare.store.write import sync_trigram_index

    db = cache / f"generated_{documents}_{seed}_{generator_digest()}.db"
    facts = db.with_suffix(".json")
    if db.is_file() and facts.is_file():
        return db, json.loads(facts.read_text(encoding="utf-8"))
    partial = db.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    generator = Generator(load_models(real_store(cache)), seed)
    clauses = 0
    with Store.open(partial) as store:
        for index in range(documents):
            text = render(generator.next())
            agreement = paragraph_agreement(read_bytes(Path(f"/bench/gen_{index:05d}.txt"), text.encode("utf-8")))
            write_agreement(store, agreement, index_compounds=False)
            clauses += len(agreement.clauses)
            if index % 500 == 499:
                sync_trigram_index(store)
        sync_trigram_index(store)
        reuse = recompute_reuse_clusters(store)
    partial.rename(db)
    made = {"documents": documents, "clauses": clauses, "reuse_clusters": reuse.clusters,
            "seconds": round(time.perf_counter() - started, 2)}
    facts.write_text(json.dumps(made), encoding="utf-8")
    return db, made
