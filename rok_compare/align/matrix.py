"""Clause-level similarity between documents and between counties, from reuse clusters.

The similarity of A to B is the share of A's clauses that have a match in B (a member of the
same reuse cluster); the matrix reported is the mean of A-to-B and B-to-A, so it is symmetric.
Per county, a clause of county A has a match in county B when its cluster has a member in a
document of B other than its own document; documents without a known county are grouped under
"unknown". A document is 1.0 similar to itself; a county to itself by its internal reuse.
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


@dataclass(slots=True)
class SimilarityMatrix:
    labels: list[str]
    values: np.ndarray
    by: str

    def to_dict(self) -> dict:
        return {"by": self.by, "labels": self.labels,
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


def _incidence(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    return sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=shape)


def similarity_matrix(documents: Sequence[CorpusDocument], labels: np.ndarray,
                      by: str = "document") -> SimilarityMatrix:
    """Symmetric matrix of shares of matched clauses, per document or per county."""
    doc_of = np.repeat(np.arange(len(documents)), [len(d.clauses) for d in documents])
    if by == "county":
        names = sorted({d.county or UNKNOWN for d in documents})
        group_of_doc = np.array([names.index(d.county or UNKNOWN) for d in documents], dtype=np.int64)
    else:
        names = [d.path for d in documents]
        group_of_doc = np.arange(len(documents))
    group = group_of_doc[doc_of] if len(doc_of) else np.zeros(0, np.int64)
    n_clusters = int(labels.max()) + 1 if len(labels) and labels.max() >= 0 else 0
    clustered = np.flatnonzero(labels >= 0)
    # Distinct documents of each cluster, counted per group.
    cluster_doc = np.unique(np.stack([labels[clustered], doc_of[clustered]], axis=1), axis=0)
    presence = sparse.csr_matrix(
        (np.ones(len(cluster_doc), np.float32), (cluster_doc[:, 0], group_of_doc[cluster_doc[:, 1]])),
        shape=(n_clusters, len(names)))
    member = _incidence(clustered, labels[clustered], (len(labels), n_clusters))
    matches = member @ presence  # clause x group: documents of the group with a match
    own = _incidence(clustered, group[clustered], matches.shape)  # its own document does not count
    others = (matches - own).tocsr()
    others.eliminate_zeros()
    has_match = (others > 0).astype(np.float32)
    counts = (_incidence(np.arange(len(labels)), group, (len(labels), len(names))).T @ has_match).toarray()
    sizes = np.bincount(group, minlength=len(names)).astype(np.float64)
    share = np.divide(counts, sizes[:, None], out=np.zeros((len(names), len(names))),
                      where=sizes[:, None] > 0)
    values = (share + share.T) / 2
    if by == "document":
        np.fill_diagonal(values, 1.0)
    return SimilarityMatrix(names, values, by)
