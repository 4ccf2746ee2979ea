"""TF-IDF rows of clauses without a Python loop over every character n-gram.

scikit-learn's ``TfidfVectorizer(analyzer="char_wb")`` cuts every word of every text into its
n-grams and counts them one by one in Python, twice when fitting and transforming separately:
most of an alignment's time at thousands of clauses. Here the n-grams are cut once per distinct
word (``char_wb`` n-grams never cross a word boundary, so a text's n-grams are its words'
n-grams), a text becomes a row of word counts, and the n-gram counts are the product of the
word-count matrix with a word x n-gram count matrix. The features are sorted like
scikit-learn's and weighted by its ``TfidfTransformer``, so the rows are the same numbers that
``TfidfVectorizer`` gives.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

Analyzer = Callable[[str], list[str]]


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


def _word_rows(texts: list[str], words: dict[str, int], grow: bool) -> sparse.csr_matrix:
    """Texts x words count matrix; unknown words are added to ``words`` when ``grow``, else
    dropped."""
    split = [text.split() for text in texts]
    tokens = [w for ws in split for w in ws]
    if grow:
        ids = np.fromiter((words.setdefault(w, len(words)) for w in tokens), dtype=np.int64, count=len(tokens))
        doc = np.repeat(np.arange(len(texts)), [len(ws) for ws in split])
    else:
        found = np.fromiter((words.get(w, -1) for w in tokens), dtype=np.int64, count=len(tokens))
        known = found >= 0
        ids = found[known]
        doc = np.repeat(np.arange(len(texts)), [len(ws) for ws in split])[known]
    matrix = sparse.csr_matrix((np.ones(len(ids), dtype=np.float32), (doc, ids)),
                               shape=(len(texts), max(len(words), 1)))
    matrix.sum_duplicates()
    return matrix


class TfidfSpace:
    """TF-IDF over word features (``ngram_range`` None) or ``char_wb`` n-grams of the words."""

    def __init__(self, ngram_range: tuple[int, int] | None, sublinear_tf: bool = True) -> None:
        self.ngram_range = ngram_range
        self.sublinear_tf = sublinear_tf

    def fit_transform(self, fit_texts: list[str], texts: list[str]) -> sparse.csr_matrix:
        """Fit on ``fit_texts`` and return the rows of ``texts`` (the same list with the empty
        texts that the fit replaced by a filler)."""
        self.words_: dict[str, int] = {}
        fit_words = _word_rows(fit_texts, self.words_, grow=True)
        self._build_features()
        counts = self._counts(fit_words)
        self.transformer_ = TfidfTransformer(sublinear_tf=self.sublinear_tf)
        self.transformer_.fit(counts)
        replaced = np.array([fit != text for fit, text in zip(fit_texts, texts, strict=True)])
        if replaced.any():  # the fillers of empty texts count for the fit only
            counts = sparse.csr_matrix(sparse.diags((~replaced).astype(np.float32)) @ counts)
            counts.eliminate_zeros()
            counts.sort_indices()
        return sparse.csr_matrix(self.transformer_.transform(counts))

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """Rows of ``texts``; features the fit did not see are dropped, as scikit-learn does
        (a new word still counts with those of its n-grams that the fit saw)."""
        known = len(self.words_)
        word_rows = _word_rows(texts, self.words_, grow=True)
        if len(self.words_) > known:
            self._add_words(list(self.words_)[known:])
        return sparse.csr_matrix(self.transformer_.transform(self._counts(word_rows)))

    def _build_features(self) -> None:
        """Sorted feature names and the word x feature count matrix."""
        names = list(self.words_)
        if self.ngram_range is None:
            grams = [[w] for w in names]
        else:
            grams = [char_wb_ngrams(w, self.ngram_range) for w in names]
        vocabulary = sorted({g for gs in grams for g in gs})
        position = {g: k for k, g in enumerate(vocabulary)}
        rows = np.repeat(np.arange(len(grams)), [len(gs) for gs in grams])
        cols = np.fromiter((position[g] for gs in grams for g in gs), dtype=np.int64, count=len(rows))
        self.position_ = position
        self.word_features_ = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(max(len(grams), 1), max(len(vocabulary), 1)))

    def _add_words(self, words: list[str]) -> None:
        """Rows of the word x feature matrix for words first seen after the fit."""
        rows: list[int] = []
        cols: list[int] = []
        for k, word in enumerate(words):
            grams = [word] if self.ngram_range is None else char_wb_ngrams(word, self.ngram_range)
            for gram in grams:
                if gram in self.position_:
                    rows.append(k)
                    cols.append(self.position_[gram])
        extra = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                                  shape=(len(words), self.word_features_.shape[1]))
        self.word_features_ = sparse.vstack([self.word_features_[:len(self.words_) - len(words)], extra],
                                            format="csr")

    def _counts(self, word_rows: sparse.csr_matrix) -> sparse.csr_matrix:
        """Feature counts of texts from their word counts."""
        word_rows = sparse.csr_matrix((word_rows.data, word_rows.indices, word_rows.indptr),
                                      shape=(word_rows.shape[0], self.word_features_.shape[0]))
        counts = sparse.csr_matrix(word_rows @ self.word_features_, dtype=np.float32)
        counts.sort_indices()
        return counts
