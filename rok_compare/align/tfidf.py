"""TF-IDF rows of clauses without a Python loop over every character n-gram, and without scikit-learn.

scikit-learn's ``TfidfVectorizer(analyzer="char_wb")`` cuts every word of every text into its
n-grams and counts them one by one in Python, twice when fitting and transforming separately:
most of an alignment's time at thousands of clauses. Here the n-grams are cut once per distinct
word (``char_wb`` n-grams never cross a word boundary, so a text's n-grams are its words'
n-grams; a word's n-grams are kept in a process-wide cache, since the same words recur in every
alignment), and a text's n-gram counts are the sums of its words' counts, gathered with numpy.

The features are sorted like scikit-learn's and weighted with its arithmetic (``TfidfTransformer``:
smoothed idf in float32, ``1 + log(tf)``, rows divided by their L2 norm summed in float64 in row
order), so the rows are the same numbers, bit for bit, that ``TfidfVectorizer`` gives; scikit-learn
itself is not imported (it took seconds to import and, for the two dozen clauses of a typical
pair, most of an alignment's time in input validation).
"""

from __future__ import annotations

import threading

import numpy as np
from scipy import sparse

GRAM_CACHE_WORDS = 300_000
"""Words whose n-grams are remembered between alignments (some tens of MB at most)."""
_GRAM_ID: dict[str, int] = {}
"""Every feature string seen in this process -> a number (an interned name, not a column)."""
_GRAM_NAME: list[str] = []
_SORT_KEY = np.zeros((1024, 2), np.uint64)
"""Per interned name of at most ``_SHORT`` characters: two numbers that sort like the string
(21 bits per character, code point + 1, three characters each; a shorter string is padded with 0,
so it sorts before the strings it begins); longer names get ``_LONG`` and are sorted as strings.
0 until first needed (made for many names at once by :func:`_fill_sort_keys`)."""
_SHORT = 6
_LONG = np.uint64(1 << 63)


_LOCK = threading.Lock()
"""Interning and sort keys change shared state: ``rok serve`` may align in several threads."""


def _intern(name: str) -> int:
    global _SORT_KEY
    with _LOCK:
        number = _GRAM_ID.get(name)
        if number is not None:  # another thread was first
            return number
        number = len(_GRAM_NAME)
        if number == len(_SORT_KEY):
            _SORT_KEY = np.concatenate([_SORT_KEY, np.zeros_like(_SORT_KEY)])
        _GRAM_NAME.append(name)
        _GRAM_ID[name] = number
        return number


def _fill_sort_keys(numbers: np.ndarray) -> None:
    """The sort keys of the interned ``numbers``, from their code points (a fixed-width string
    array read as integers)."""
    names = [_GRAM_NAME[g] for g in numbers.tolist()]
    long = np.fromiter(map(len, names), np.int64, len(names)) > _SHORT
    codes = np.array([name if len(name) <= _SHORT else "" for name in names], dtype=f"<U{_SHORT}")
    codes = codes.view(np.uint32).reshape(len(names), _SHORT).astype(np.uint64)
    codes[codes > 0] += np.uint64(1)
    shift = np.array([42, 21, 0], np.uint64)
    keys = np.stack([(codes[:, :3] << shift).sum(axis=1), (codes[:, 3:] << shift).sum(axis=1)], axis=1)
    keys[long, 0], keys[long, 1] = _LONG, 0
    _SORT_KEY[numbers] = keys


def sorted_order(names: np.ndarray) -> np.ndarray:
    """Positions of the interned ``names`` in the order of their strings."""
    with _LOCK:
        keys = _SORT_KEY[names]
        missing = keys[:, 0] == 0
        if missing.any():
            _fill_sort_keys(names[missing])
            keys = _SORT_KEY[names]
    if not (keys[:, 0] >= _LONG).any():
        return np.lexsort((keys[:, 1], keys[:, 0]))
    text = [_GRAM_NAME[g] for g in names.tolist()]
    return np.array(sorted(range(len(text)), key=text.__getitem__), dtype=np.int64)


SORTED_COUNTS = 200_000
"""Up to this many (token, feature) incidences, counts are made by sorting keys (see ``_counts``)."""
_WORD_GRAMS: dict[tuple[str, tuple[int, int] | None], np.ndarray] = {}


def char_wb_ngrams(word: str, ngram_range: tuple[int, int]) -> list[str]:
    """The ``char_wb`` n-grams of one word (scikit-learn's rule: padded with spaces, a word
    shorter than ``n`` counted once as a whole)."""
    padded = f" {word} "
    out: list[str] = []
    for n in range(ngram_range[0], ngram_range[1] + 1):
        out.extend(padded[k:k + n] for k in range(max(1, len(padded) - n + 1)))
        if len(padded) <= n:
            break
    return out


def word_grams(word: str, ngram_range: tuple[int, int] | None) -> np.ndarray:
    """The interned numbers of a word's features (its n-grams, or the word itself), repeats kept;
    from the cache when the word was seen before."""
    key = (word, ngram_range)
    grams = _WORD_GRAMS.get(key)
    if grams is None:
        names = [word] if ngram_range is None else char_wb_ngrams(word, ngram_range)
        known = _GRAM_ID
        grams = np.fromiter((known[name] if name in known else _intern(name) for name in names), np.int64, len(names))
        if len(_WORD_GRAMS) < GRAM_CACHE_WORDS:
            _WORD_GRAMS[key] = grams
    return grams


def _tokens(texts: list[str], words: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(text, word id) of every token of ``texts``; unknown words are added to ``words``."""
    split = [text.split() for text in texts]
    tokens = [w for ws in split for w in ws]
    for word in dict.fromkeys(tokens):
        if word not in words:
            words[word] = len(words)
    ids = np.fromiter(map(words.__getitem__, tokens), np.int64, len(tokens))
    return np.repeat(np.arange(len(texts)), [len(ws) for ws in split]), ids


class TfidfSpace:
    """TF-IDF over word features (``ngram_range`` None) or ``char_wb`` n-grams of the words."""

    def __init__(self, ngram_range: tuple[int, int] | None, sublinear_tf: bool = True) -> None:
        self.ngram_range = ngram_range
        self.sublinear_tf = sublinear_tf

    def fit_transform(self, fit_texts: list[str], texts: list[str]) -> sparse.csr_matrix:
        """Fit on ``fit_texts`` and return the rows of ``texts`` (the same list with the empty
        texts that the fit replaced by a filler)."""
        self.words_: dict[str, int] = {}
        doc, ids = _tokens(fit_texts, self.words_)
        self._build_features()
        indptr, indices, counts = self._counts(doc, ids, len(fit_texts))
        df = np.bincount(indices, minlength=self.n_features_).astype(np.float32)
        df += 1.0
        self.idf_ = np.full_like(df, fill_value=len(fit_texts) + 1, dtype=np.float32)
        self.idf_ /= df
        np.log(self.idf_, out=self.idf_)
        self.idf_ += 1.0
        replaced = np.fromiter((fit != text for fit, text in zip(fit_texts, texts, strict=True)), bool, len(texts))
        if replaced.any():  # the fillers of empty texts count for the fit only
            sizes = np.diff(indptr)
            keep = np.repeat(~replaced, sizes)
            indices, counts = indices[keep], counts[keep]
            indptr = np.r_[0, np.cumsum(np.where(replaced, 0, sizes))]
        return self._weighted(indptr, indices, counts, len(texts))

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """Rows of ``texts``; features the fit did not see are dropped, as scikit-learn does
        (a new word still counts with those of its n-grams that the fit saw)."""
        known = len(self.words_)
        doc, ids = _tokens(texts, self.words_)
        if len(self.words_) > known:
            self._add_words(list(self.words_)[known:])
        return self._weighted(*self._counts(doc, ids, len(texts)), len(texts))

    def _build_features(self) -> None:
        """The sorted feature names (as their interned numbers ``names_`` and the column of each,
        ``columns_``) and each word's columns (CSR-like: ``grams_ptr_``, ``grams_``)."""
        grams = [word_grams(w, self.ngram_range) for w in self.words_]
        every = np.concatenate(grams) if grams else np.zeros(0, np.int64)
        self.names_ = np.unique(every)
        order = sorted_order(self.names_)
        self.columns_ = np.empty(len(order), np.int64)
        self.columns_[order] = np.arange(len(order))
        self.n_features_ = len(order)
        self.grams_ptr_ = np.r_[0, np.cumsum([len(g) for g in grams], dtype=np.int64)]
        self.grams_ = self.columns_[np.searchsorted(self.names_, every)]

    def _add_words(self, words: list[str]) -> None:
        """Columns of words first seen after the fit: those of their n-grams that the fit saw."""
        grams = [word_grams(w, self.ngram_range) for w in words]
        every = np.concatenate(grams) if grams else np.zeros(0, np.int64)
        at = np.minimum(np.searchsorted(self.names_, every), max(len(self.names_) - 1, 0))
        seen = self.names_[at] == every if len(self.names_) else np.zeros(len(every), bool)
        word_of = np.repeat(np.arange(len(grams)), [len(g) for g in grams])
        sizes = np.bincount(word_of[seen], minlength=len(grams))
        self.grams_ptr_ = np.r_[self.grams_ptr_, self.grams_ptr_[-1] + np.cumsum(sizes)]
        self.grams_ = np.r_[self.grams_, self.columns_[at[seen]]]

    def _counts(self, doc: np.ndarray, ids: np.ndarray, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR arrays (indptr, sorted indices, float32 counts) of the texts' feature counts: every
        token adds its word's features (whole numbers, so exact in any order). Few tokens are
        counted by sorting (text, column) keys; many, as the texts x words count matrix times
        the words x features one (a sparse product is cheaper than sorting millions of keys)."""
        starts, ends = self.grams_ptr_[ids], self.grams_ptr_[ids + 1]
        sizes = ends - starts
        total = int(sizes.sum())
        width = max(self.n_features_, 1)
        if total <= SORTED_COUNTS:
            offsets = np.repeat(starts - np.cumsum(sizes) + sizes, sizes)
            keys, counts = np.unique(np.repeat(doc, sizes) * width + self.grams_[np.arange(total) + offsets],
                                     return_counts=True)
            row_of = keys // width
            indptr = np.r_[0, np.cumsum(np.bincount(row_of, minlength=rows))]
            return indptr, keys - row_of * width, counts.astype(np.float32)
        words = len(self.grams_ptr_) - 1
        keys, per_word = np.unique(doc * words + ids, return_counts=True)
        word_rows = sparse.csr_matrix((per_word.astype(np.float32), (keys // words, keys % words)),
                                      shape=(rows, words))
        features = sparse.csr_matrix((np.ones(len(self.grams_), np.float32), self.grams_, self.grams_ptr_),
                                     shape=(words, width))
        counts = sparse.csr_matrix(word_rows @ features)
        counts.sum_duplicates()
        return counts.indptr, counts.indices, counts.data

    def _weighted(self, indptr: np.ndarray, indices: np.ndarray, counts: np.ndarray, rows: int) -> sparse.csr_matrix:
        """TF-IDF rows, L2-normalised, with ``TfidfTransformer``'s arithmetic."""
        data = counts
        if self.sublinear_tf:
            np.log(data, out=data)
            data += 1.0
        data *= self.idf_[indices]
        row_of = np.repeat(np.arange(rows), np.diff(indptr))
        norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=rows))
        norms[norms == 0.0] = 1.0  # an empty row stays as it is
        data = (data.astype(np.float64) / norms[row_of]).astype(np.float32)
        return sparse.csr_matrix((data, indices.astype(np.int32), indptr.astype(np.int32)),
                                 shape=(rows, max(self.n_features_, 1)))
