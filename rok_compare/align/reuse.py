"""Corpus-wide reuse: clusters of clauses that recur across documents, and distinctive clauses.

1. Every clause is normalised (stems, masked place names, :mod:`normalize`); identical
   normalised texts form one group at once (a hash table), so verbatim boilerplate costs
   nothing. Place names are masked with the word lists only: the party registry's mention
   finder costs ~200 µs a clause, seven times the rest of normalisation, and the lists already
   reduce "Länsstyrelsen i Jämtlands län" and "... Norrbottens län" to the same words.
2. Candidate pairs among the distinct texts come from MinHash LSH over stem sets with very
   common stems pruned (:mod:`lsh`): sub-quadratic, about linear in the corpus size.
3. Each candidate is verified with rapidfuzz's ``ratio`` on the normalised stems:
   ``REUSE_MIN`` = 0.7 (every gold edited pair of the seeds scores >= 0.72; of the cross-document
   pairs of seeds + dev that score 0.60-0.70, nearly all are mere topic neighbours), and
   ``SHORT_MIN`` = 0.85 when the shorter clause has under ``SHORT_WORDS`` = 6 words ("Norrtälje
   kommun" ~ "Järfälla kommun" scores 0.69, "... är ett styrdokument." ~ "... revideras
   årligen." 0.73). See THRESHOLDS.md.
4. Connected components of the verified pairs (``scipy.sparse.csgraph``) are the clusters;
   those spanning at least ``min_docs`` documents are reported with their members, a canonical
   wording (the medoid by ``ratio``, weighted by how often each wording occurs), the first year
   they appear and a boilerplate score (share of the corpus's documents that contain them).

A clause in no reported cluster is *distinctive* for its document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from rok_compare.align.corpus import CorpusDocument
from rok_compare.align.lsh import MinHashLSH, term_sets
from rok_compare.align.model import ClauseRef
from rok_compare.align.normalize import normalize_many

REUSE_MIN = 0.7
MIN_CHARS = 20
"""Shorter clauses (headings, a party's name alone) are not counted as reuse."""
SHORT_WORDS = 6
SHORT_MIN = 0.85
MEDOID_SAMPLE = 40


@dataclass(slots=True)
class ClusterLabels:
    """Cluster number of every clause (-1: in no cluster), from :func:`cluster_texts`."""

    labels: np.ndarray
    n_clusters: int
    candidates: int
    verified: int


def cluster_texts(texts: Sequence[str], doc_ids: np.ndarray, threshold: float = REUSE_MIN,
                  min_docs: int = 2, max_df: float = 0.05, lsh: MinHashLSH | None = None,
                  use_registry: bool = False) -> ClusterLabels:
    """Cluster clause texts (``doc_ids[k]``: the document of ``texts[k]``) by reused wording."""
    stems = [n.stems for n in normalize_many(list(texts), use_registry)]
    index: dict[str, int] = {}
    inverse = np.fromiter((index.setdefault(s, len(index)) for s in stems), dtype=np.int64, count=len(stems))
    unique = list(index)
    sets = term_sets(unique, max_df) if unique else sparse.csr_matrix((0, 0))
    pairs = (lsh or MinHashLSH()).candidates(sets) if len(unique) > 1 else np.zeros((0, 2), np.int64)
    keep = _verify(unique, pairs, threshold)
    edges = pairs[keep]
    graph = sparse.coo_matrix((np.ones(len(edges), np.int8), (edges[:, 0], edges[:, 1])),
                              shape=(len(unique), len(unique)))
    _, component = connected_components(graph, directed=False)
    labels = component[inverse] if len(inverse) else np.zeros(0, np.int64)
    labels[np.array([not s for s in stems], dtype=bool)] = -1
    labels, n_clusters = _keep_shared(labels, np.asarray(doc_ids), min_docs)
    return ClusterLabels(labels, n_clusters, len(pairs), int(keep.sum()))


def cluster_clauses(texts: Sequence[str], doc_ids: Sequence[int] | np.ndarray, min_docs: int = 2,
                    threshold: float = REUSE_MIN) -> ClusterLabels:
    """The reuse clustering of a corpus's clauses: the one that ingest stores and that ``rok reuse``
    and ``rok similarity`` compute, so their clusters agree for the same clauses.

    Clauses under ``MIN_CHARS`` characters get no cluster (-1). The others are clustered in the
    order of their text, so the clusters, and their numbering, do not depend on the order in which
    documents are named or were ingested.
    """
    doc_ids = np.asarray(doc_ids, dtype=np.int64)
    counted = sorted((k for k, text in enumerate(texts) if len(text) >= MIN_CHARS), key=lambda k: texts[k])
    labels = np.full(len(texts), -1, np.int64)
    if not counted:
        return ClusterLabels(labels, 0, 0, 0)
    index = np.asarray(counted, dtype=np.int64)
    result = cluster_texts([texts[k] for k in counted], doc_ids[index], threshold=threshold, min_docs=min_docs)
    labels[index] = result.labels
    return ClusterLabels(labels, result.n_clusters, result.candidates, result.verified)


def _verify(unique: list[str], pairs: np.ndarray, threshold: float, batch: int = 500_000) -> np.ndarray:
    """Which candidate pairs reach ``threshold`` by rapidfuzz ``ratio`` on the stems."""
    keep = np.zeros(len(pairs), dtype=bool)
    for start in range(0, len(pairs), batch):
        chunk = pairs[start:start + batch]
        left = [unique[i] for i in chunk[:, 0]]
        right = [unique[j] for j in chunk[:, 1]]
        scores = process.cpdist(left, right, scorer=fuzz.ratio, workers=-1, dtype=np.float32)
        words = np.array([min(a.count(" "), b.count(" ")) + 1 for a, b in zip(left, right, strict=True)])
        needed = np.where(words < SHORT_WORDS, max(threshold, SHORT_MIN), threshold)
        keep[start:start + batch] = scores >= needed * 100
    return keep


def _keep_shared(labels: np.ndarray, doc_ids: np.ndarray, min_docs: int) -> tuple[np.ndarray, int]:
    """Drop components found in fewer than ``min_docs`` documents; number the rest 0..n-1."""
    valid = labels >= 0
    if not valid.any():
        return np.full(len(labels), -1, np.int64), 0
    pairs = np.unique(np.stack([labels[valid], doc_ids[valid]], axis=1), axis=0)
    docs_per = np.bincount(pairs[:, 0], minlength=labels.max() + 1)
    shared = docs_per >= min_docs
    renumber = np.full(len(docs_per), -1, np.int64)
    renumber[shared] = np.arange(int(shared.sum()))
    out = np.full(len(labels), -1, np.int64)
    out[valid] = renumber[labels[valid]]
    return out, int(shared.sum())


def medoid(texts: list[str], weights: list[int]) -> int:
    """Index of the text with the highest weighted similarity to the others (a sample of them).

    Ties go to the alphabetically first text, so the answer depends only on the texts and their
    weights, never on the order they come in (which follows the order workers finished in).
    """
    # Most frequent first, then alphabetical: a total order on the (distinct) texts.
    order = np.asarray(sorted(range(len(texts)), key=lambda k: (-weights[k], texts[k])), dtype=np.int64)
    if len(texts) <= 2:
        return int(order[0])
    order = order[:MEDOID_SAMPLE]
    sample = [texts[k] for k in order]
    matrix = process.cdist(sample, sample, scorer=fuzz.ratio, dtype=np.float32)
    totals = matrix @ np.asarray([weights[k] for k in order], dtype=np.float32)
    return int(order[int(np.argmax(totals))])


@dataclass(frozen=True, slots=True)
class ClusterMember:
    path: str
    county: str | None
    year: int | None
    clause_id: str
    text: str

    def to_dict(self) -> dict:
        return {"path": self.path, "county": self.county, "year": self.year, "id": self.clause_id,
                "text": self.text}


@dataclass(slots=True)
class ReuseCluster:
    """Clauses of several documents that share a wording."""

    id: int
    canonical: str
    members: list[ClusterMember]
    documents: int
    counties: int
    first_year: int | None
    boilerplate: float
    """Share of the corpus's documents that contain this wording (1.0: all of them)."""

    def to_dict(self) -> dict:
        return {"id": self.id, "canonical": self.canonical, "documents": self.documents,
                "counties": self.counties, "first_year": self.first_year,
                "boilerplate": round(self.boilerplate, 3), "members": [m.to_dict() for m in self.members]}


@dataclass(slots=True)
class DocumentReuse:
    """One document's part in the corpus: how many clauses it shares, which are its own."""

    path: str
    county: str | None
    year: int | None
    clauses: int
    shared: int
    distinctive: list[ClauseRef]

    def to_dict(self) -> dict:
        return {"path": self.path, "county": self.county, "year": self.year, "clauses": self.clauses,
                "shared": self.shared, "distinctive": [c.to_dict() for c in self.distinctive]}


@dataclass(slots=True)
class ReuseReport:
    clusters: list[ReuseCluster]
    documents: list[DocumentReuse]

    def to_dict(self) -> dict:
        return {"clusters": [c.to_dict() for c in self.clusters],
                "documents": [d.to_dict() for d in self.documents]}


def flatten(documents: Sequence[CorpusDocument]) -> tuple[list[str], np.ndarray]:
    """All clause texts of the corpus and the document number of each."""
    texts = [c.text for d in documents for c in d.clauses]
    doc_ids = np.repeat(np.arange(len(documents)), [len(d.clauses) for d in documents])
    return texts, doc_ids


def find_reuse(documents: Sequence[CorpusDocument], min_docs: int = 2,
               threshold: float = REUSE_MIN) -> tuple[ReuseReport, np.ndarray]:
    """Reuse clusters and per-document distinctive clauses; also the clause labels."""
    texts, doc_ids = flatten(documents)
    result = cluster_clauses(texts, doc_ids, min_docs=min_docs, threshold=threshold)
    members: list[list[tuple[int, int]]] = [[] for _ in range(result.n_clusters)]
    position = [(d, k) for d, doc in enumerate(documents) for k in range(len(doc.clauses))]
    for flat, label in enumerate(result.labels):
        if label >= 0:
            members[label].append(position[flat])
    clusters = [_cluster(n, group, documents) for n, group in enumerate(members)]
    clusters.sort(key=lambda c: (-c.documents, -len(c.members), c.canonical))
    for number, cluster in enumerate(clusters):
        cluster.id = number
    return ReuseReport(clusters, _per_document(documents, result.labels)), result.labels


def _cluster(number: int, group: list[tuple[int, int]], documents: Sequence[CorpusDocument]) -> ReuseCluster:
    items = [ClusterMember(str(documents[d].path), documents[d].county, documents[d].year,
                           documents[d].clauses[k].id, documents[d].clauses[k].text) for d, k in group]
    wordings: dict[str, int] = {}
    for item in items:
        wordings[item.text] = wordings.get(item.text, 0) + 1
    texts = sorted(wordings)
    canonical = texts[medoid(texts, [wordings[t] for t in texts])]
    years = [m.year for m in items if m.year is not None]
    docs = {d for d, _ in group}
    return ReuseCluster(
        id=number, canonical=canonical, members=items, documents=len(docs),
        counties=len({documents[d].county for d in docs if documents[d].county}),
        first_year=min(years) if years else None,
        boilerplate=len(docs) / max(1, len(documents)),
    )


def _per_document(documents: Sequence[CorpusDocument], labels: np.ndarray) -> list[DocumentReuse]:
    out, flat = [], 0
    for doc in documents:
        own = labels[flat:flat + len(doc.clauses)]
        distinctive = [ClauseRef(c.id, c.text, k) for k, c in enumerate(doc.clauses) if own[k] < 0]
        out.append(DocumentReuse(str(doc.path), doc.county, doc.year, len(doc.clauses),
                                 int((own >= 0).sum()), distinctive))
        flat += len(doc.clauses)
    return out
