"""The comparisons the report draws: county similarity, nearest documents, revision lineages.

County similarity is :func:`rok_compare.align.matrix.similarity_matrix` over the store's reuse
clusters (share of clauses with a match in the other county), which costs nothing beyond reading
the clusters. A document's most similar other document is in :mod:`.nearest`. Comparison
pages align the two documents' clauses with :func:`rok_compare.align.align`. Revisions are the
consecutive versions of each lineage of :func:`rok_compare.align.lineage.find_lineages` (versions
of one agreement linked by shared clauses, title, parties, vocabulary and period, not by county).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rok_compare.align.lineage import Lineage, document_year, find_lineages
from rok_compare.report.data import DocumentInfo, ReportData

MIN_COSINE = 0.1
"""Below this word cosine (and without shared clauses) a document has no "most similar" one."""


@dataclass(slots=True)
class CountySimilarity:
    labels: list[str]
    values: np.ndarray
    clauses: list[int]
    """Clauses per county (the denominator of the shares)."""


@dataclass(frozen=True, slots=True)
class Pair:
    """Two documents to show side by side; ``a`` is the older or the one asked about."""

    a: int
    b: int
    reason: str
    """"revision" (consecutive versions of one lineage), "similar" (nearest document) or "county"
    (the closest documents of two counties)."""
    score: float = 0.0

    @property
    def page(self) -> str:
        return f"compare/{self.a}-{self.b}.html"


def county_similarity(data: ReportData) -> CountySimilarity:
    from rok_compare.align.corpus import CorpusDocument
    from rok_compare.align.matrix import similarity_matrix

    docs = [d for d in data.documents if d.clauses]
    corpus = [CorpusDocument(str(d.id), d.county_label, d.period_start, d.clauses) for d in docs]  # type: ignore[arg-type]
    labels = np.array([c.cluster_id if c.cluster_id is not None else -1 for d in docs for c in d.clauses],
                      dtype=np.int64)
    if len(labels):  # similarity_matrix wants dense cluster numbers
        present = np.unique(labels[labels >= 0])
        labels = np.where(labels >= 0, np.searchsorted(present, labels), -1)
    matrix = similarity_matrix(corpus, labels, by="county")
    sizes = defaultdict(int)
    for d in docs:
        sizes[d.county_label] += len(d.clauses)
    order = [c for c in data.counties if c in matrix.labels]
    index = [matrix.labels.index(c) for c in order]
    values = matrix.values[np.ix_(index, index)] if index else np.zeros((0, 0))
    return CountySimilarity(order, values, [sizes[c] for c in order])


def document_stems(data: ReportData) -> list[str]:
    """Each document's clauses as stems with names masked (:func:`rok_compare.align.normalize.normalize`),
    joined: normalised once for the whole corpus (boilerplate recurs, and each wording is normalised once).

    The views are made by :func:`rok_compare.align.normalize.views_of_recurring`, which the aligner
    reads its views from: the worker processes that align the comparisons are forked after this and
    inherit them, instead of each normalising every wording again."""
    from rok_compare.align.normalize import views_of_recurring

    norms = iter(views_of_recurring([c.text for d in data.documents for c in d.clauses])[0])
    return [" ".join(next(norms).stems for _ in d.clauses) for d in data.documents]


def county_vocabulary(data: ReportData, stems: Sequence[str]) -> CountySimilarity:
    """County × county cosine of word TF-IDF over all of each county's clauses (``stems``: each
    document's, from :func:`document_stems`)."""
    from rok_compare.report.word_tfidf import word_tfidf

    texts: dict[str, list[str]] = defaultdict(list)
    clauses: dict[str, int] = defaultdict(int)
    for doc, doc_stems in zip(data.documents, stems, strict=True):
        if doc.clauses:
            texts[doc.county_label].append(doc_stems)
            clauses[doc.county_label] += len(doc.clauses)
    labels = [c for c in data.counties if texts.get(c)]
    joined = [" ".join(texts[c]) for c in labels]
    values = np.zeros((len(labels), len(labels)))
    if any(t.strip() for t in joined):
        vectors = word_tfidf(joined)
        values = (vectors @ vectors.T).toarray()
    return CountySimilarity(labels, values, [clauses[c] for c in labels])


def lineages(data: ReportData, db_path: str | Path | None) -> list[Lineage]:
    """The store's lineages of two versions or more (versions of one agreement linked by what they
    share: :func:`rok_compare.align.lineage.find_lineages`)."""
    return shown_lineages(data, stored_lineages(db_path))


def stored_lineages(db_path: str | Path | None) -> list[Lineage]:
    """Every lineage of the store (:func:`rok_compare.align.lineage.find_lineages`)."""
    from rok_compare.store.database import Store

    with Store.open(db_path, readonly=True) as store:
        return find_lineages(store)


def shown_lineages(data: ReportData, found: Sequence[Lineage]) -> list[Lineage]:
    """The lineages of two versions or more, of documents the report shows."""
    return [lineage for lineage in found
            if len(lineage.document_ids) > 1 and all(d in data.by_id for d in lineage.document_ids)]


def lineage_pairs(found: Sequence[Lineage]) -> list[Pair]:
    """Each two consecutive versions of a lineage, older first: the revisions the report diffs (with
    the score of the link between them when the lineage links them directly)."""
    pairs = []
    for lineage in found:
        scores = {(link.old_id, link.new_id): float(link.score) for link in lineage.links}
        ids = list(lineage.document_ids)
        pairs.extend(Pair(old, new, "revision", scores.get((old, new), 0.0)) for old, new in zip(ids, ids[1:],
                                                                                                strict=False))
    return pairs


def comparison_pairs(revisions: list[Pair], nearest: dict[int, Pair],
                     counties: dict[frozenset[str], Pair]) -> list[Pair]:
    """Revision pairs first, then nearest-document and county pairs not already there."""
    pairs = list(revisions)
    seen = {frozenset((p.a, p.b)) for p in pairs}
    ranked = sorted(nearest.values(), key=lambda p: -p.score) + sorted(counties.values(), key=lambda p: -p.score)
    for pair in ranked:
        key = frozenset((pair.a, pair.b))
        if key not in seen:
            seen.add(key)
            pairs.append(pair)
    return pairs


def version_year(doc: DocumentInfo, year: int | None = None) -> str:
    """The document's period, else the year its lineage dates it from ("c. 2017": ``year``, from
    :attr:`Lineage.years`, or without it the dates and file name), else "undated"."""
    if doc.period:
        return doc.period
    if year is None:
        year = document_year(doc.period_start, doc.revision_date, doc.path)
    return f"c. {year}" if year is not None else "undated"


def lineage_county(data: ReportData, lineage: Lineage) -> str:
    """The county label a lineage is shown under (that of its newest version)."""
    return data.by_id[lineage.document_ids[-1]].county_label
