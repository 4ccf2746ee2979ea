"""How alike documents are, or groups of them (county, year, type), by a measure of the user's choice.

Three measures (quanteda's ``textstat_simil`` offers the same choice):

* ``overlap`` (clause overlap, from reuse clusters): the similarity of A to B is the share of A's
  clauses that have a match in B (a member of the same reuse cluster in another document); the
  matrix is the mean of A-to-B and B-to-A, so it is symmetric. Per group, a clause of group A has
  a match in group B when its cluster has a member in a document of B other than its own
  document. A document is 1.0 similar to itself; a group to itself by its internal reuse.
* ``cosine``: cosine of the documents' TF-IDF vectors over Swedish stems of the name-masked text
  (sublinear term frequency), so shared vocabulary counts even where no clause is copied.
* ``jaccard``: Jaccard of the documents' sets of word shingles (``SHINGLE`` consecutive stems
  within a clause), the measure passim and text-reuse studies use for shared phrasing.

For ``cosine`` and ``jaccard``, two groups are as alike as their documents on average (the mean over
pairs of different documents, one from each group; for a group with itself, over its pairs of
different documents; 0 when there is no such pair). Documents without a known county, year or
type are grouped under "unknown" (year: "undated").

Everything is computed from sparse matrices (documents × clusters, × stems, × shingles): only the
result is dense. A group mean never builds the documents × documents matrix (at 10,000 documents
800 MB): cosine sums are the product of the groups' summed vectors, Jaccard sums are added up a
block of ``ROWS`` documents at a time from the sparse pairwise values.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from rok_compare.align.corpus import CorpusDocument

UNKNOWN = "unknown"
UNDATED = "undated"
SHINGLE = 3
"""Words per shingle for ``jaccard``: three stems make a phrase ("ta emot nyanlända"); with five, a
copy with one word in four changed would share no shingle at all."""
MEASURES = ("overlap", "cosine", "jaccard")
GROUPINGS = ("document", "county", "year", "type")


@dataclass(slots=True)
class SimilarityMatrix:
    labels: list[str]
    values: np.ndarray
    by: str
    measure: str = "overlap"

    def to_dict(self) -> dict:
        return {"by": self.by, "measure": self.measure, "labels": self.labels,
                "matrix": [[round(float(v), 4) for v in row] for row in self.values]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([self.by, *self.labels])
        for label, row in zip(self.labels, self.values, strict=True):
            writer.writerow([label, *(f"{v:.4f}" for v in row)])
        return out.getvalue()


def group_keys(documents: Sequence[CorpusDocument], by: str, types: Sequence[str | None] | None = None) -> list[str]:
    """Each document's group: its path, county, year (first year of its period) or type."""
    if by == "document":
        return [str(d.path) for d in documents]
    if by == "county":
        return [d.county or UNKNOWN for d in documents]
    if by == "year":
        return [str(d.year) if d.year is not None else UNDATED for d in documents]
    if by == "type":
        if types is None or len(types) != len(documents):
            raise ValueError("by='type' needs each document's type (types=...)")
        return [str(t) if t else UNKNOWN for t in types]
    raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}")


def _ordered(keys: list[str], by: str) -> list[str]:
    """Group names in reading order: documents as given, years ascending, names alphabetically;
    unknown and undated last."""
    if by == "document":
        return list(dict.fromkeys(keys))
    missing = {UNKNOWN, UNDATED}
    return sorted(set(keys), key=lambda k: (k in missing, k))


def similarity_matrix(documents: Sequence[CorpusDocument], labels: np.ndarray | None = None,
                      by: str = "document", measure: str = "overlap",
                      types: Sequence[str | None] | None = None) -> SimilarityMatrix:
    """Symmetric similarity of the documents, or of their groups (``by`` county, year or type).

    ``labels`` are the reuse-cluster labels of every clause in document order (as
    :func:`rok_compare.align.reuse.find_reuse` returns them), needed by ``overlap`` only; ``types``
    the documents' types, needed by ``by="type"`` only.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    keys = group_keys(documents, by, types)
    names = _ordered(keys, by)
    position = {name: k for k, name in enumerate(names)}
    group_of_doc = np.array([position[k] for k in keys], dtype=np.int64)
    if measure == "overlap":
        if labels is None:
            raise ValueError("measure 'overlap' needs the clauses' reuse-cluster labels")
        values = _overlap(documents, np.asarray(labels), group_of_doc, len(names))
        if by == "document":
            np.fill_diagonal(values, 1.0)
    elif measure == "cosine":
        vectors = _tfidf(documents)
        if by == "document":
            values = np.clip((vectors @ vectors.T).toarray(), 0.0, 1.0)
            np.fill_diagonal(values, 1.0)
        else:
            values = _cosine_group_means(vectors, group_of_doc, len(names))
    else:
        shingles = _shingle_incidence(documents)
        if by == "document":
            values = _jaccard_rows(shingles, np.arange(len(documents))).toarray()
            np.fill_diagonal(values, 1.0)
        else:
            values = _jaccard_group_means(shingles, group_of_doc, len(names))
    return SimilarityMatrix(names, values, by, measure)


def _incidence(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    return sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=shape)


def _overlap(documents: Sequence[CorpusDocument], labels: np.ndarray, group_of_doc: np.ndarray,
             n_groups: int) -> np.ndarray:
    """Shares of clauses with a match in the other group, symmetrised."""
    doc_of = np.repeat(np.arange(len(documents)), [len(d.clauses) for d in documents])
    group = group_of_doc[doc_of] if len(doc_of) else np.zeros(0, np.int64)
    n_clusters = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    clustered = np.flatnonzero(labels >= 0)
    # Distinct documents of each cluster, counted per group.
    cluster_doc = np.unique(np.stack([labels[clustered], doc_of[clustered]], axis=1), axis=0)
    presence = sparse.csr_matrix(
        (np.ones(len(cluster_doc), np.float32), (cluster_doc[:, 0], group_of_doc[cluster_doc[:, 1]])),
        shape=(n_clusters, n_groups))
    member = _incidence(clustered, labels[clustered], (len(labels), n_clusters))
    matches = member @ presence  # clause x group: documents of the group with a match
    own = _incidence(clustered, group[clustered], matches.shape)  # its own document does not count
    others = (matches - own).tocsr()
    others.eliminate_zeros()
    has_match = (others > 0).astype(np.float32)
    counts = (_incidence(np.arange(len(labels)), group, (len(labels), n_groups)).T @ has_match).toarray()
    sizes = np.bincount(group, minlength=n_groups).astype(np.float64)
    share = np.divide(counts, sizes[:, None], out=np.zeros((n_groups, n_groups)), where=sizes[:, None] > 0)
    return (share + share.T) / 2


def _stems(documents: Sequence[CorpusDocument]) -> list[list[str]]:
    """Each document's clauses as normalised stems (names masked), one string per clause; every
    wording is normalised once for the whole corpus (boilerplate recurs)."""
    from rok_compare.align.normalize import normalize_many

    norms = iter(normalize_many([c.text for d in documents for c in d.clauses], False))
    return [[next(norms).stems for _ in d.clauses] for d in documents]


def _tfidf(documents: Sequence[CorpusDocument]) -> sparse.csr_matrix:
    """Each document's TF-IDF vector over its stems (sublinear term frequency, L2-normalised); an
    all-zero matrix when no document has a word."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [" ".join(clauses) for clauses in _stems(documents)]
    if not any(t.strip() for t in texts):
        return sparse.csr_matrix((len(documents), 0))
    return TfidfVectorizer(analyzer=str.split, sublinear_tf=True).fit_transform(texts).tocsr()


def _shingles(clauses: list[str]) -> set[str]:
    out: set[str] = set()
    for clause in clauses:
        words = clause.split()
        if 0 < len(words) < SHINGLE:
            out.add(" ".join(words))
        out.update(" ".join(words[k:k + SHINGLE]) for k in range(len(words) - SHINGLE + 1))
    return out


def _shingle_incidence(documents: Sequence[CorpusDocument]) -> sparse.csr_matrix:
    """Documents × shingles, 1 where the document has the shingle."""
    sets = [_shingles(clauses) for clauses in _stems(documents)]
    vocabulary: dict[str, int] = {}
    cols = [vocabulary.setdefault(shingle, len(vocabulary)) for shingles in sets for shingle in shingles]
    rows = np.repeat(np.arange(len(sets)), [len(s) for s in sets])
    return _incidence(rows, np.asarray(cols, np.int64), (len(sets), len(vocabulary)))


def _jaccard_rows(shingles: sparse.csr_matrix, rows: np.ndarray) -> sparse.csr_matrix:
    """Jaccard of documents ``rows`` with every document, sparse: only pairs sharing a shingle are
    not zero (the diagonal included)."""
    common = (shingles[rows] @ shingles.T).tocoo()
    sizes = np.asarray(shingles.sum(axis=1), dtype=np.float64).ravel()
    union = sizes[rows][common.row] + sizes[common.col] - common.data
    values = np.divide(common.data, union, out=np.zeros(len(union)), where=union > 0)
    return sparse.csr_matrix((values, (common.row, common.col)), shape=common.shape)


ROWS = 512
"""Documents per block when the pairwise Jaccard of a group mean is summed (at most ROWS × documents
values at a time, never the documents × documents matrix)."""


def _pairs_per_group(group_of_doc: np.ndarray, n_groups: int) -> np.ndarray:
    """Pairs of different documents, one from each group (for a group with itself, its pairs)."""
    sizes = np.bincount(group_of_doc, minlength=n_groups).astype(np.float64)
    return np.outer(sizes, sizes) - np.diag(sizes)


def _cosine_group_means(vectors: sparse.csr_matrix, group_of_doc: np.ndarray, n_groups: int) -> np.ndarray:
    """Mean cosine over pairs of different documents, one from each group: with W the groups' summed
    vectors, the sums are W Wᵀ less each document with itself (its squared norm) on the diagonal."""
    member = _incidence(np.arange(len(group_of_doc)), group_of_doc, (len(group_of_doc), n_groups)).astype(np.float64)
    summed = member.T @ vectors
    sums = np.asarray((summed @ summed.T).todense(), dtype=np.float64)
    self_sims = np.asarray(vectors.multiply(vectors).sum(axis=1), dtype=np.float64).ravel()
    sums -= np.diag(np.bincount(group_of_doc, weights=self_sims, minlength=n_groups))
    pairs = _pairs_per_group(group_of_doc, n_groups)
    return np.divide(sums, pairs, out=np.zeros_like(sums), where=pairs > 0)


def _jaccard_group_means(shingles: sparse.csr_matrix, group_of_doc: np.ndarray, n_groups: int) -> np.ndarray:
    """Mean Jaccard over pairs of different documents, one from each group, summed a block of rows
    at a time from the sparse pairwise values."""
    n = shingles.shape[0]
    member = _incidence(np.arange(n), group_of_doc, (n, n_groups)).astype(np.float64)
    sums = np.zeros((n_groups, n_groups))
    for start in range(0, n, ROWS):
        rows = np.arange(start, min(start + ROWS, n))
        block = _jaccard_rows(shingles, rows).tocoo()
        other = block.col != rows[block.row]  # a document with itself does not count
        block = sparse.csr_matrix((block.data[other], (block.row[other], block.col[other])), shape=block.shape)
        sums += (member[rows].T @ block @ member).toarray()
    pairs = _pairs_per_group(group_of_doc, n_groups)
    return np.divide(sums, pairs, out=np.zeros_like(sums), where=pairs > 0)
