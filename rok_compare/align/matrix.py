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
    else:
        pairwise = _cosine(documents) if measure == "cosine" else _jaccard(documents)
        values = pairwise if by == "document" else _group_means(pairwise, group_of_doc, len(names))
        if by == "document":
            np.fill_diagonal(values, 1.0)
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
    """Each document's clauses as normalised stems (names masked), one string per clause."""
    from rok_compare.align.normalize import normalize_many

    return [[n.stems for n in normalize_many([c.text for c in d.clauses], False)] for d in documents]


def _cosine(documents: Sequence[CorpusDocument]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [" ".join(clauses) for clauses in _stems(documents)]
    if not any(t.strip() for t in texts):
        return np.zeros((len(documents), len(documents)))
    vectors = TfidfVectorizer(analyzer=str.split, sublinear_tf=True).fit_transform(texts)
    return np.clip((vectors @ vectors.T).toarray(), 0.0, 1.0)


def _shingles(clauses: list[str]) -> set[str]:
    out: set[str] = set()
    for clause in clauses:
        words = clause.split()
        if 0 < len(words) < SHINGLE:
            out.add(" ".join(words))
        out.update(" ".join(words[k:k + SHINGLE]) for k in range(len(words) - SHINGLE + 1))
    return out


def _jaccard(documents: Sequence[CorpusDocument]) -> np.ndarray:
    sets = [_shingles(clauses) for clauses in _stems(documents)]
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for k, shingles in enumerate(sets):
        for shingle in shingles:
            rows.append(k)
            cols.append(vocabulary.setdefault(shingle, len(vocabulary)))
    matrix = _incidence(np.asarray(rows, np.int64), np.asarray(cols, np.int64), (len(sets), len(vocabulary)))
    common = (matrix @ matrix.T).toarray()
    sizes = np.asarray([len(s) for s in sets], dtype=np.float64)
    union = sizes[:, None] + sizes[None, :] - common
    return np.divide(common, union, out=np.zeros_like(common), where=union > 0)


def _group_means(pairwise: np.ndarray, group_of_doc: np.ndarray, n_groups: int) -> np.ndarray:
    """Mean similarity over pairs of different documents, one from each group."""
    off = pairwise.copy()
    np.fill_diagonal(off, 0.0)
    member = _incidence(np.arange(len(group_of_doc)), group_of_doc, (len(group_of_doc), n_groups)).toarray()
    sums = member.T @ off @ member
    sizes = member.sum(axis=0)
    pairs = np.outer(sizes, sizes) - np.diag(sizes)
    return np.divide(sums, pairs, out=np.zeros_like(sums), where=pairs > 0)
