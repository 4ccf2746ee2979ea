"""One-to-one pairs of maximum total gain on a sparse candidate graph.

A dense assignment over A x B (``linear_sum_assignment`` with zero gain for the pairs that are
not candidates) pairs each connected component of the candidate graph on its own: a pair across
components has no gain. So the graph is cut into its components and each is solved alone: a
single edge is its own answer, a small component is solved densely by
``linear_sum_assignment`` (as before, on its rows and columns only), and a large one by
``min_weight_full_bipartite_matching`` on a sparse graph where every clause may also stay
unpaired (a dummy partner) so that a full matching always exists.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

DENSE_CELLS = 1 << 20
"""Components with at most this many rows x columns are solved with a dense matrix."""


def max_gain_pairs(rows: np.ndarray, cols: np.ndarray, gain: np.ndarray, n: int, m: int
                   ) -> list[tuple[int, int]]:
    """The pairs (row, col) of a one-to-one matching with maximum total ``gain`` (all > 0)."""
    if len(rows) == 0:
        return []
    graph = sparse.csr_matrix((np.ones(len(rows)), (rows, cols + n)), shape=(n + m, n + m))
    _, labels = connected_components(graph, directed=False)
    edge_label = labels[rows]
    order = np.argsort(edge_label, kind="stable")
    bounds = np.flatnonzero(np.diff(edge_label[order])) + 1
    out: list[tuple[int, int]] = []
    for edges in np.split(order, bounds):
        if len(edges) == 1:
            out.append((int(rows[edges[0]]), int(cols[edges[0]])))
        else:
            out.extend(_component_pairs(rows[edges], cols[edges], gain[edges]))
    return sorted(out)


def _component_pairs(rows: np.ndarray, cols: np.ndarray, gain: np.ndarray) -> list[tuple[int, int]]:
    """The best matching of one connected component."""
    row_ids, r = np.unique(rows, return_inverse=True)
    col_ids, c = np.unique(cols, return_inverse=True)
    if len(row_ids) * len(col_ids) <= DENSE_CELLS:
        dense = np.zeros((len(row_ids), len(col_ids)))
        dense[r, c] = gain
        got_r, got_c = linear_sum_assignment(dense, maximize=True)
        keep = dense[got_r, got_c] > 0
    else:
        got_r, got_c = _sparse_matching(r, c, gain, len(row_ids), len(col_ids))
        keep = np.ones(len(got_r), dtype=bool)
    return list(zip(row_ids[got_r[keep]].tolist(), col_ids[got_c[keep]].tolist(), strict=True))


def _sparse_matching(r: np.ndarray, c: np.ndarray, gain: np.ndarray, n: int, m: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-gain matching as a full matching of an (n + m) square graph: row i may take its
    dummy column m + i, column j its dummy row n + j, and dummy row n + j meets dummy column
    m + i where (i, j) is an edge. Every full matching has n + m edges, so adding 1 to every
    weight (the solver drops zero weights) does not change which one is best."""
    ids_n, ids_m = np.arange(n), np.arange(m)
    all_rows = np.concatenate([r, ids_n, n + ids_m, n + c])
    all_cols = np.concatenate([c, m + ids_n, ids_m, m + r])
    weights = np.concatenate([gain + 1.0, np.ones(n + m + len(r))])
    graph = sparse.csr_matrix((weights, (all_rows, all_cols)), shape=(n + m, n + m))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph, maximize=True)
    real = (row_ind < n) & (col_ind < m)
    return row_ind[real], col_ind[real]
