"""Where a given passage recurs: a template paragraph or a law text, looked for in every clause.

The passage is split into sentences (:func:`rok_compare.segment.sentences.split_sentences`); each
sentence of at least ``MIN_CHARS`` characters is compared with every clause on normalised stems
(place names masked, as reuse clustering compares them), in two ways:

* a copy, edited or not: rapidfuzz ``ratio`` >= ``REUSE_MIN`` (``SHORT_MIN`` when the shorter text has
  under ``SHORT_WORDS`` words), the test that puts two clauses in one reuse cluster;
* a quotation: the sentence inside a longer clause, or a clause that is a piece of a longer
  sentence: ``partial_ratio`` >= ``QUOTE_MIN`` when the shorter text has at least
  ``QUOTE_MIN_WORDS`` words. Partial matching is lenient, hence 0.9: over the 454,441 pairs of
  clauses of different documents among the seeds and the shared dev and train sets (at least
  eight words on the shorter side), ``partial_ratio`` has a median of 0.42 and a 99.99th
  percentile of 0.77; the two pairs at 0.9 or more that are no copy are real quotations (a goal
  sentence inside a longer one, a law's wording on relatives).

Each matching clause is reported once, with the passage sentence it matches best, its score and
its character offsets into its document's text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from rok_compare.align.corpus import CorpusDocument
from rok_compare.align.normalize import normalize_many
from rok_compare.align.reuse import MIN_CHARS, REUSE_MIN, SHORT_MIN, SHORT_WORDS

QUOTE_MIN = 0.9
QUOTE_MIN_WORDS = 8
"""A quotation needs this many words on its shorter side: "i samverkan med kommunerna" is no quote."""


@dataclass(frozen=True, slots=True)
class PassageMatch:
    """A clause in which a sentence of the passage recurs."""

    path: str
    county: str | None
    year: int | None
    clause_id: str
    text: str
    start: int
    end: int
    """Character offsets of the clause into its document's text."""
    page: int
    sentence: int
    """Index into :attr:`PassageReport.sentences` of the sentence it matches best."""
    score: float
    how: str
    """"copy" (the whole texts alike) or "quote" (one inside the other)."""

    def to_dict(self) -> dict:
        return {"path": self.path, "county": self.county, "year": self.year, "id": self.clause_id,
                "text": self.text, "page": self.page, "start": self.start, "end": self.end,
                "sentence": self.sentence, "score": round(self.score, 4), "how": self.how}


@dataclass(slots=True)
class PassageReport:
    sentences: list[str]
    matches: list[PassageMatch]
    documents: int
    """Documents searched."""

    @property
    def found_in(self) -> int:
        """Documents with at least one match."""
        return len({m.path for m in self.matches})

    def to_dict(self) -> dict:
        return {"sentences": self.sentences, "documents": self.documents, "found_in": self.found_in,
                "matches": [m.to_dict() for m in self.matches]}


def passage_sentences(passage: str) -> list[str]:
    """The sentences of the passage worth looking for (at least ``MIN_CHARS`` characters); the whole
    passage when it has none that long."""
    from rok_compare.segment.sentences import split_sentences

    text = " ".join(passage.split())
    sentences = [text[s:e] for s, e in split_sentences(text)]
    kept = [s for s in sentences if len(s) >= MIN_CHARS]
    return kept or ([text] if text else [])


def find_passage(passage: str, documents: Sequence[CorpusDocument]) -> PassageReport:
    """Every clause of ``documents`` in which a sentence of ``passage`` recurs, best matches first."""
    sentences = passage_sentences(passage)
    if not sentences:
        raise ValueError("the passage to look for is empty")
    clauses = [(doc, clause) for doc in documents for clause in doc.clauses]
    if not clauses:
        return PassageReport(sentences, [], len(documents))
    query = [n.stems for n in normalize_many(sentences, False)]
    stems = [n.stems for n in normalize_many([c.text for _, c in clauses], False)]
    copy = process.cdist(query, stems, scorer=fuzz.ratio, dtype=np.float32, workers=-1) / 100.0
    quote = process.cdist(query, stems, scorer=fuzz.partial_ratio, dtype=np.float32, workers=-1) / 100.0
    words_q = np.array([q.count(" ") + 1 if q else 0 for q in query])[:, None]
    words_c = np.array([s.count(" ") + 1 if s else 0 for s in stems])[None, :]
    shorter = np.minimum(words_q, words_c)
    copy_ok = copy >= np.where(shorter < SHORT_WORDS, max(REUSE_MIN, SHORT_MIN), REUSE_MIN)
    quote_ok = (quote >= QUOTE_MIN) & (shorter >= QUOTE_MIN_WORDS)
    score = np.where(copy_ok, copy, np.where(quote_ok, quote, 0.0))
    score[:, [len(c.text) < MIN_CHARS for _, c in clauses]] = 0.0
    best = score.argmax(axis=0)
    matches = []
    for k in np.flatnonzero(score.max(axis=0) > 0):
        doc, clause = clauses[k]
        row = int(best[k])
        matches.append(PassageMatch(
            str(doc.path), doc.county, doc.year, clause.id, clause.text, clause.span.start, clause.span.end,
            clause.span.page, row, float(score[row, k]), "copy" if copy_ok[row, k] else "quote"))
    matches.sort(key=lambda m: (-m.score, m.path, m.start))
    return PassageReport(sentences, matches, len(documents))
