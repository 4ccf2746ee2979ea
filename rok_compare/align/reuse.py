"""Corpus-wide reuse: clusters of clauses that recur across documents, and distinctive clauses.

1. Every clause is normalised (stems, masked place names, :mod:`normalize`); identical
   normalised texts form one group at once (a hash table), so verbatim boilerplate costs
   nothing. Place names are masked with the word lists only: the party registry's mention
   finder costs ~200 µs a clause, seven times the rest of normalisation, and the lists already
   reduce "Länsstyrelsen i Jämtlands län" and "... Norrbottens län" to the same words.
2. Candidate pairs among the distinct texts come from MinHash LSH over stem sets with very
   common stems pruned (:mod:`lsh`): sub-quadratic, about linear in the corpus size. A text's
   signature depends on that text alone, so the store updates its clusters one document at a
   time with the same result (:mod:`rok_compare.store.reuse_index`).
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

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from rok_compare.align.corpus import CorpusDocument
from rok_compare.align.lsh import MinHashLSH, term_sets, tie_hashes
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
                  min_docs: int = 2, common: frozenset[str] | None = None, lsh: MinHashLSH | None = None,
                  use_registry: bool = False) -> ClusterLabels:
    """Cluster clause texts (``doc_ids[k]``: the document of ``texts[k]``) by reused wording."""
    stems = [n.stems for n in normalize_many(list(texts), use_registry)]
    unique = sorted(set(stems))
    index = {s: k for k, s in enumerate(unique)}
    inverse = np.fromiter((index[s] for s in stems), dtype=np.int64, count=len(stems))
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    graph = reuse_graph(unique, threshold, common, lsh)
    edges = graph.edges
    adjacency = sparse.coo_matrix((np.ones(len(edges), np.int8), (edges[:, 0], edges[:, 1])),
                                  shape=(len(unique), len(unique)))
    _, component = connected_components(adjacency, directed=False)
    labels = component[inverse] if len(inverse) else np.zeros(0, np.int64)
    labels[np.array([not s for s in stems], dtype=bool)] = -1
    labels, n_clusters = _keep_shared(labels, np.asarray(doc_ids), min_docs)
    return ClusterLabels(labels, n_clusters, graph.candidates, len(edges))


@dataclass(frozen=True, slots=True)
class ReuseGraph:
    """Verified pairs (indexes into the distinct stem texts, ``i < j``) and the candidates tried."""

    edges: np.ndarray
    candidates: int


def reuse_graph(unique: Sequence[str], threshold: float = REUSE_MIN, common: frozenset[str] | None = None,
                lsh: MinHashLSH | None = None) -> ReuseGraph:
    """The reuse edges among distinct stem texts (``unique``, each once): MinHash LSH candidates that
    pass :func:`verify_pairs`."""
    if len(unique) < 2:
        return ReuseGraph(np.zeros((0, 2), np.int64), 0)
    pairs = (lsh or MinHashLSH()).candidates(term_sets(unique, common), tie_hashes(unique))
    keep = verify_pairs([unique[i] for i in pairs[:, 0]], [unique[j] for j in pairs[:, 1]], threshold)
    return ReuseGraph(pairs[keep], len(pairs))


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


def verify_pairs(left: Sequence[str], right: Sequence[str], threshold: float = REUSE_MIN,
                 batch: int = 500_000) -> np.ndarray:
    """Which pairs of stem texts ``(left[k], right[k])`` are one wording: rapidfuzz ``ratio`` at least
    ``threshold`` (``SHORT_MIN`` when the shorter has under ``SHORT_WORDS`` words)."""
    keep = np.zeros(len(left), dtype=bool)
    for start in range(0, len(left), batch):
        a, b = left[start:start + batch], right[start:start + batch]
        scores = process.cpdist(a, b, scorer=fuzz.ratio, workers=-1, dtype=np.float32)
        words = np.array([min(x.count(" "), y.count(" ")) + 1 for x, y in zip(a, b, strict=True)])
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
    start: int | None = None
    """Character offsets of the clause into its document's text (as ``rok extract`` gives them)."""
    end: int | None = None
    page: int | None = None

    def to_dict(self) -> dict:
        return {"path": self.path, "county": self.county, "year": self.year, "id": self.clause_id,
                "text": self.text, "page": self.page, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """Two members of a cluster, in different documents, and how alike they are (``ratio`` on the
    normalised stems, the measure clustering verifies with): each member with its closest match."""

    a: int
    b: int
    """Indexes into the cluster's ``members``."""
    score: float


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
    pairs: list[AlignedPair] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.id, "canonical": self.canonical, "documents": self.documents,
                "counties": self.counties, "first_year": self.first_year,
                "boilerplate": round(self.boilerplate, 3), "members": [m.to_dict() for m in self.members],
                "pairs": [self._pair(p) for p in self.pairs]}

    def _pair(self, pair: AlignedPair) -> dict:
        a, b = self.members[pair.a], self.members[pair.b]
        return {"a": {"path": a.path, "id": a.clause_id, "start": a.start, "end": a.end},
                "b": {"path": b.path, "id": b.clause_id, "start": b.start, "end": b.end},
                "score": round(pair.score, 4)}


@dataclass(slots=True)
class DocumentReuse:
    """One document's part in the corpus: how many clauses it shares, which are its own."""

    path: str
    county: str | None
    year: int | None
    clauses: int
    shared: int
    distinctive: list[DistinctiveClause]

    def to_dict(self) -> dict:
        return {"path": self.path, "county": self.county, "year": self.year, "clauses": self.clauses,
                "shared": self.shared, "distinctive": [c.to_dict() for c in self.distinctive]}


@dataclass(frozen=True, slots=True)
class DistinctiveClause:
    """A clause found in no other document (no other county or lineage, with ``groups``), with its
    character offsets into its document's text."""

    id: str
    text: str
    index: int
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict:
        return {"id": self.id, "text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class ReuseReport:
    clusters: list[ReuseCluster]
    documents: list[DocumentReuse]
    excluded_within: str | None = None
    """What reuse was left out: "county" or "lineage" (reuse within one of them), or None."""

    def to_dict(self) -> dict:
        return {"excluded_within": self.excluded_within, "clusters": [c.to_dict() for c in self.clusters],
                "documents": [d.to_dict() for d in self.documents]}


def county_groups(documents: Sequence[CorpusDocument]) -> list[Hashable]:
    """Each document's county, for :func:`find_reuse`'s ``groups``; a document of no known county is
    a group of its own (two of them are not one county)."""
    return [d.county if d.county else ("no county", k) for k, d in enumerate(documents)]


def flatten(documents: Sequence[CorpusDocument]) -> tuple[list[str], np.ndarray]:
    """All clause texts of the corpus and the document number of each."""
    texts = [c.text for d in documents for c in d.clauses]
    doc_ids = np.repeat(np.arange(len(documents)), [len(d.clauses) for d in documents])
    return texts, doc_ids


def find_reuse(documents: Sequence[CorpusDocument], min_docs: int = 2, threshold: float = REUSE_MIN,
               groups: Sequence[Hashable] | None = None,
               excluded_within: str | None = None) -> tuple[ReuseReport, np.ndarray]:
    """Reuse clusters and per-document distinctive clauses; also the clause labels.

    ``groups`` gives each document a group (its county, its lineage: passim's *series*): reuse
    within one group is left out, so a cluster is reported only when its documents belong to at
    least ``min_docs`` groups; ``excluded_within`` names the grouping in the report.
    """
    texts, doc_ids = flatten(documents)
    if groups is not None:
        if len(groups) != len(documents):
            raise ValueError(f"groups has {len(groups)} entries for {len(documents)} documents")
        numbers: dict[Hashable, int] = {}
        group_of = np.asarray([numbers.setdefault(g, len(numbers)) for g in groups], dtype=np.int64)
        doc_ids = group_of[doc_ids] if len(doc_ids) else doc_ids
    result = cluster_clauses(texts, doc_ids, min_docs=min_docs, threshold=threshold)
    members: list[list[tuple[int, int]]] = [[] for _ in range(result.n_clusters)]
    position = [(d, k) for d, doc in enumerate(documents) for k in range(len(doc.clauses))]
    for flat, label in enumerate(result.labels):
        if label >= 0:
            members[label].append(position[flat])
    clusters = [_cluster(n, group, documents) for n, group in enumerate(members)]
    order = sorted(range(len(clusters)), key=lambda n: (-clusters[n].documents, -len(clusters[n].members),
                                                         clusters[n].canonical))
    renumber = np.full(len(clusters) + 1, -1, np.int64)  # the last entry maps -1 to -1
    for number, n in enumerate(order):
        clusters[n].id = number
        renumber[n] = number
    labels = renumber[result.labels]
    report = ReuseReport([clusters[n] for n in order], _per_document(documents, labels), excluded_within)
    return report, labels


def _cluster(number: int, group: list[tuple[int, int]], documents: Sequence[CorpusDocument]) -> ReuseCluster:
    clauses = [documents[d].clauses[k] for d, k in group]
    items = [ClusterMember(str(documents[d].path), documents[d].county, documents[d].year, c.id, c.text,
                           c.span.start, c.span.end, c.span.page) for (d, _), c in zip(group, clauses, strict=True)]
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
        pairs=closest_pairs([item.text for item in items], [d for d, _ in group]),
    )


def closest_pairs(texts: list[str], doc_of: list[int]) -> list[AlignedPair]:
    """Each member paired with its most alike member in another document (``ratio`` on the stems),
    each unordered pair once; computed over the distinct wordings, so a wording copied into a
    thousand documents costs one comparison per other wording."""
    stems = [n.stems for n in normalize_many(texts, False)]
    distinct = sorted(set(stems))
    where = {s: k for k, s in enumerate(distinct)}
    holders: list[dict[int, int]] = [{} for _ in distinct]  # wording -> document -> first member
    for k, (stem, doc) in enumerate(zip(stems, doc_of, strict=True)):
        holders[where[stem]].setdefault(doc, k)
    scores = process.cdist(distinct, distinct, scorer=fuzz.ratio, dtype=np.float32, workers=-1) / 100.0
    seen: set[tuple[int, int]] = set()
    out = []
    for k, (stem, doc) in enumerate(zip(stems, doc_of, strict=True)):
        row = where[stem]
        best, partner = -1.0, -1
        for other in np.argsort(-scores[row], kind="stable"):
            found = next((m for d, m in holders[other].items() if d != doc), None)
            if found is not None:
                best, partner = float(scores[row, other]), found
                break
        key = (min(k, partner), max(k, partner))
        if partner >= 0 and key not in seen:
            seen.add(key)
            out.append(AlignedPair(key[0], key[1], best))
    return out


def _per_document(documents: Sequence[CorpusDocument], labels: np.ndarray) -> list[DocumentReuse]:
    out, flat = [], 0
    for doc in documents:
        own = labels[flat:flat + len(doc.clauses)]
        distinctive = [DistinctiveClause(c.id, c.text, k, c.span.start, c.span.end)
                       for k, c in enumerate(doc.clauses) if own[k] < 0]
        out.append(DocumentReuse(str(doc.path), doc.county, doc.year, len(doc.clauses),
                                 int((own >= 0).sum()), distinctive))
        flat += len(doc.clauses)
    return out
