"""Sub-quadratic candidate pairs for corpus-wide reuse: MinHash LSH in numpy.

Each clause is the set of its word stems, less the stems so common that they join unrelated
clauses (:func:`common_stems`: those in more than 5 % of the distinct clause texts of the real
corpus, a fixed list in ``data/common_stems.txt``). A term is hashed by its text (64-bit BLAKE2b),
never by its position in a vocabulary, so a clause's signature depends on the clause alone: the
store keeps the band keys of every clause and updates its clusters one document at a time
(:mod:`rok_compare.store.reuse_index`), with the same candidates as a full pass.

MinHash signatures are computed for all clauses at once with vectorised universal hashing
(multiply-shift, the high bits of ``a * x + b`` mod 2^64, per permutation; minimum over a clause's
terms with ``np.minimum.reduceat``), in row chunks to bound memory, and cut into ``bands`` of
``rows`` values; each band's values are mixed into a 48-bit key, and clauses with the same key in a
band fall into one bucket and become candidate pairs. A bucket larger than ``max_bucket`` (a
template that hundreds of documents copy) is linked as a chain, ordered by a hash of each whole
text (:func:`tie_hashes`), rather than all pairs, which keeps the pair count linear and its
members connected.

datasketch's MinHashLSH needs ~17.5 GB for a million clauses (NOTES.md) because it keeps a
Python object per clause; these arrays need ~0.3 GB. With 32 bands of 4 rows a pair of
Jaccard similarity 0.5 becomes a candidate with probability 0.87, 0.6 with 0.99, 0.2 with 0.05.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

_EMPTY = np.uint32(0xFFFFFFFF)
_MIX = np.uint64(0x9E3779B97F4A7C15)
COMMON_STEMS_FILE = Path(__file__).with_name("data") / "common_stems.txt"


@cache
def common_stems() -> frozenset[str]:
    """The stems left out of every MinHash set (``scripts/build_common_stems.py`` writes the list)."""
    lines = COMMON_STEMS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def term_hash(term: str) -> int:
    """A term's 64-bit hash, the same in every process (Python's ``hash`` is salted)."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass(frozen=True, slots=True)
class TermSets:
    """The term set of each text in CSR form (row ``k``: ``indices[indptr[k]:indptr[k + 1]]``), and the
    hash of each term (column). Plain arrays: updating the store's index needs no scipy import."""

    indptr: np.ndarray
    indices: np.ndarray
    hashes: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.indptr) - 1, len(self.hashes))

    @property
    def matrix(self):  # noqa: ANN201 - scipy is imported only when asked for
        """The binary text x term matrix (``scipy.sparse.csr_matrix``)."""
        from scipy import sparse

        ones = np.ones(len(self.indices), np.uint8)
        return sparse.csr_matrix((ones, self.indices, self.indptr), shape=self.shape)

    def filled(self) -> np.ndarray:
        """Whether each set has a term."""
        return np.diff(self.indptr) > 0


def term_sets(texts: Sequence[str], common: frozenset[str] | None = None) -> TermSets:
    """The set of space-separated stems of each text, the ``common`` ones (default
    :func:`common_stems`) left out."""
    drop = common_stems() if common is None else common
    vocabulary: dict[str, int] = {}
    indptr, indices = [0], []
    for text in texts:
        terms = {vocabulary.setdefault(t, len(vocabulary)) for t in text.split() if t not in drop}
        indices.extend(sorted(terms))
        indptr.append(len(indices))
    hashes = np.fromiter((term_hash(t) for t in vocabulary), dtype=np.uint64, count=len(vocabulary))
    return TermSets(np.asarray(indptr, np.int64), np.asarray(indices, np.int64), hashes)


def tie_hashes(texts: Sequence[str]) -> np.ndarray:
    """The 64-bit hash of each whole text: the order of a large bucket's chain, which a text's place
    in the corpus does not change (the store keeps its chains in this order)."""
    return np.fromiter((term_hash(t) for t in texts), dtype=np.uint64, count=len(texts))


class MinHashLSH:
    """Candidate pairs of similar term sets (scikit-learn style: parameters in ``__init__``)."""

    def __init__(self, bands: int = 32, rows: int = 4, max_bucket: int = 50, chunk: int = 20000,
                 seed: int = 1) -> None:
        self.bands = bands
        self.rows = rows
        self.max_bucket = max_bucket
        self.chunk = chunk
        self.seed = seed

    def signatures(self, sets: TermSets) -> np.ndarray:
        """MinHash signatures (clauses x bands*rows, uint32); empty sets get ``_EMPTY``."""
        rng = np.random.default_rng(self.seed)
        k = self.bands * self.rows
        a = rng.integers(0, 1 << 63, size=k, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        b = rng.integers(0, 1 << 63, size=k, dtype=np.uint64)
        n_terms = len(sets.hashes)
        # Hash of every term under every permutation (multiply-shift: high 32 bits of a*x+b).
        table = np.empty((n_terms, k), dtype=np.uint32)
        for start in range(0, n_terms, 65536):
            x = sets.hashes[start:start + 65536, None]
            table[start:start + 65536] = ((a * x + b) >> np.uint64(32)).astype(np.uint32)
        rows = sets.shape[0]
        out = np.full((rows, k), _EMPTY, dtype=np.uint32)
        for start in range(0, rows, self.chunk):
            pointers = sets.indptr[start:start + self.chunk + 1]
            sizes = np.diff(pointers)
            filled = np.flatnonzero(sizes > 0)
            if len(filled) == 0:
                continue
            values = table[sets.indices[pointers[0]:pointers[-1]]]
            out[start + filled] = np.minimum.reduceat(values, (pointers[:-1] - pointers[0])[filled], axis=0)
        return out

    def band_keys(self, signatures: np.ndarray) -> np.ndarray:
        """The 48-bit key of every band of every signature (clauses x bands, int64)."""
        keys = np.empty((signatures.shape[0], self.bands), dtype=np.int64)
        for band in range(self.bands):
            mix = np.zeros(signatures.shape[0], dtype=np.uint64)
            for col in range(band * self.rows, (band + 1) * self.rows):
                mix = (mix * _MIX) ^ signatures[:, col].astype(np.uint64)
            keys[:, band] = (mix >> np.uint64(16)).astype(np.int64)
        return keys

    def candidates(self, sets: TermSets, ties: np.ndarray | None = None) -> np.ndarray:
        """Unique candidate pairs ``(i, j)`` with ``i < j``, as an (n, 2) int64 array. ``ties`` orders
        the members of a large bucket (:func:`tie_hashes` of the texts; default: the first
        signature value)."""
        signatures = self.signatures(sets)
        nonempty = np.flatnonzero(sets.filled())
        if len(nonempty) < 2:
            return np.zeros((0, 2), dtype=np.int64)
        keys = self.band_keys(signatures[nonempty])
        order_key = signatures[nonempty, 0] if ties is None else ties[nonempty]
        pairs = [self._band_pairs(keys[:, band], order_key) for band in range(self.bands)]
        local = np.unique(np.concatenate(pairs), axis=0) if pairs else np.zeros((0, 2), np.int64)
        return nonempty[local]

    def _band_pairs(self, keys: np.ndarray, order_key: np.ndarray) -> np.ndarray:
        """Pairs of rows in one bucket of a band (by key; in order of ``order_key``, then row)."""
        order = np.lexsort((order_key, keys))
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        sizes = np.diff(np.r_[starts, len(order)])
        out = [_chain_pairs(order, starts[sizes > self.max_bucket], sizes[sizes > self.max_bucket])]
        for size in np.unique(sizes[(sizes > 1) & (sizes <= self.max_bucket)]):
            out.append(_all_pairs(order, starts[sizes == size], int(size)))
        return np.concatenate(out)

    def bucket_pairs(self, ordered: Sequence[int]) -> set[tuple[int, int]]:
        """The candidate pairs one bucket makes of its members, given in bucket order (as
        :meth:`candidates` orders them): all pairs, or a chain when over ``max_bucket``."""
        if len(ordered) > self.max_bucket:
            return {(min(a, b), max(a, b)) for a, b in zip(ordered, ordered[1:], strict=False)}
        return {(min(a, b), max(a, b)) for i, a in enumerate(ordered) for b in ordered[i + 1:]}


def _all_pairs(order: np.ndarray, starts: np.ndarray, size: int) -> np.ndarray:
    """All pairs inside buckets of one size (vectorised over buckets)."""
    left, right = np.triu_indices(size, k=1)
    i = order[starts[:, None] + left[None, :]].ravel()
    j = order[starts[:, None] + right[None, :]].ravel()
    return np.stack([np.minimum(i, j), np.maximum(i, j)], axis=1).astype(np.int64)


def _chain_pairs(order: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Consecutive members of large buckets, linked as chains."""
    if len(starts) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    members = np.concatenate([order[s:s + n] for s, n in zip(starts, sizes, strict=True)])
    last = np.cumsum(sizes) - 1
    i, j = members[:-1], members[1:]
    keep = np.ones(len(i), dtype=bool)
    keep[last[:-1]] = False
    i, j = i[keep], j[keep]
    return np.stack([np.minimum(i, j), np.maximum(i, j)], axis=1).astype(np.int64)
