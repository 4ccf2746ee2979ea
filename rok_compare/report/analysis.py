"""The comparisons the report draws: county similarity, nearest documents, revision pairs.

County similarity is :func:`rok_compare.align.matrix.similarity_matrix` over the store's reuse
clusters (share of clauses with a match in the other county), which costs nothing beyond reading
the clusters. A document's most similar other document is the one sharing the most reuse
clusters with it, ties and documents without shared clauses decided by the cosine of their
stemmed, name-masked word TF-IDF vectors (one sparse product for the whole corpus). Comparison
pages align the two documents' clauses with :func:`rok_compare.align.align`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from rok_compare.report.data import AGREEMENT_TYPES, UNKNOWN_COUNTY, DocumentInfo, ReportData

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
    """"revision" (same county, consecutive years) or "similar" (nearest document)."""
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


def county_vocabulary(data: ReportData) -> CountySimilarity:
    """County × county cosine of word TF-IDF over all of each county's clauses (stemmed, names masked)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from rok_compare.align.normalize import normalize_many

    texts: dict[str, list[str]] = defaultdict(list)
    for doc in data.documents:
        texts[doc.county_label].extend(c.text for c in doc.clauses)
    labels = [c for c in data.counties if texts.get(c)]
    joined = [" ".join(nt.stems for nt in normalize_many(texts[c])) for c in labels]
    values = np.zeros((len(labels), len(labels)))
    if any(t.strip() for t in joined):
        vectors = TfidfVectorizer(analyzer=str.split, sublinear_tf=True).fit_transform(joined)
        values = (vectors @ vectors.T).toarray()
    return CountySimilarity(labels, values, [len(texts[c]) for c in labels])


def document_similarity(data: ReportData) -> np.ndarray:
    """Documents × documents: shared reuse clusters plus word cosine (in ``data.documents`` order)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from rok_compare.align.normalize import normalize_many

    docs = data.documents
    n = len(docs)
    if n == 0:
        return np.zeros((0, 0))
    texts = [" ".join(nt.stems for nt in normalize_many([c.text for c in d.clauses])) for d in docs]
    cosine = np.zeros((n, n))
    if any(t.strip() for t in texts):
        vectors = TfidfVectorizer(analyzer=str.split, sublinear_tf=True).fit_transform(texts)
        cosine = (vectors @ vectors.T).toarray()
    shared = np.zeros((n, n))
    position = {d.id: k for k, d in enumerate(docs)}
    for cluster in data.clusters:
        members = sorted({position[m.document_id] for m in cluster.members if m.document_id in position})
        for i in members:
            for j in members:
                shared[i, j] += 1
    score = shared + np.minimum(cosine, 0.999)
    np.fill_diagonal(score, -1.0)
    return score


def nearest_pairs(data: ReportData, score: np.ndarray) -> dict[int, Pair]:
    """For each document, its most similar other document (when anything is similar enough)."""
    nearest: dict[int, Pair] = {}
    for i, doc in enumerate(data.documents):
        if len(data.documents) < 2 or not doc.clauses:
            continue
        j = int(np.argmax(score[i]))
        if score[i, j] < MIN_COSINE or not data.documents[j].clauses:
            continue
        a, b = sorted((doc.id, data.documents[j].id))
        nearest[doc.id] = Pair(a, b, "similar", float(score[i, j]))
    return nearest


def revision_pairs(data: ReportData) -> list[Pair]:
    """Consecutive dated agreements, plans and strategies of one county."""
    by_county: dict[str, list[DocumentInfo]] = defaultdict(list)
    for doc in data.documents:
        if doc.county_label != UNKNOWN_COUNTY and doc.doc_type in AGREEMENT_TYPES \
                and doc.period_start is not None and doc.clauses:
            by_county[doc.county_label].append(doc)
    pairs = []
    for docs in by_county.values():
        docs.sort(key=lambda d: (d.period_start, d.id))
        for old, new in zip(docs, docs[1:], strict=False):
            if new.period_start != old.period_start:
                pairs.append(Pair(old.id, new.id, "revision"))
    return pairs


def comparison_pairs(data: ReportData, nearest: dict[int, Pair]) -> list[Pair]:
    """Revision pairs first, then nearest-document pairs not already there."""
    pairs = revision_pairs(data)
    seen = {frozenset((p.a, p.b)) for p in pairs}
    for pair in sorted(nearest.values(), key=lambda p: -p.score):
        key = frozenset((pair.a, pair.b))
        if key not in seen:
            seen.add(key)
            pairs.append(pair)
    return pairs
