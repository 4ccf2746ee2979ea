"""Word TF-IDF rows of whole documents, the numbers scikit-learn gives, without importing it.

The report's document and county similarities are cosines of ``TfidfVectorizer(analyzer=str.split,
sublinear_tf=True)`` rows. Importing scikit-learn costs the building process seconds before any
work (it pulls in scipy.stats and pandas), and its counting is a Python loop per token; here the
tokens are counted with numpy. The arithmetic is scikit-learn's (``TfidfTransformer``, float64):
features sorted by name, smoothed ``idf = log((n + 1) / (df + 1)) + 1``, ``1 + log(tf)``, each row
divided by the square root of its squares summed in its features' order (the order the corpus
first used them, which scikit-learn keeps in each row); so every value, and its place in the
arrays, is the same, bit for bit (``tests/test_report_word_tfidf.py`` checks it against scikit-learn).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse


def word_tfidf(texts: Sequence[str]) -> sparse.csr_matrix:
    """``TfidfVectorizer(analyzer=str.split, sublinear_tf=True).fit_transform(texts)``, as a CSR matrix
    (no columns when no text has a word)."""
    n = len(texts)
    vocabulary: dict[str, int] = {}
    lengths = np.zeros(n, np.int64)
    numbered: list[np.ndarray] = [np.zeros(0, np.int64)]
    for k, text in enumerate(texts):  # a text's words at a time: 10,000 documents' words as strings are 150 MB
        words = text.split()
        lengths[k] = len(words)
        numbered.append(np.fromiter((vocabulary.setdefault(word, len(vocabulary)) for word in words), np.int64,
                                    len(words)))
    ids = np.concatenate(numbered)
    del numbered
    if not vocabulary:
        return sparse.csr_matrix((n, 0))
    terms = sorted(vocabulary)
    column = np.empty(len(terms), np.int64)
    column[np.fromiter((vocabulary[term] for term in terms), np.int64, len(terms))] = np.arange(len(terms))
    width = len(terms)
    rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
    # Within a row, scikit-learn keeps the features in the order the corpus first used them (sorted
    # by that number, then renumbered by name without sorting again): its sums run in that order.
    keys, counts = np.unique(rows * width + ids, return_counts=True)
    row_of = keys // width
    cols = column[keys - row_of * width]
    indptr = np.r_[0, np.cumsum(np.bincount(row_of, minlength=n))]
    df = np.bincount(cols, minlength=width).astype(np.float64)
    df += 1.0
    idf = np.full_like(df, fill_value=n + 1)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    data = counts.astype(np.float64)
    np.log(data, out=data)
    data += 1.0
    data *= idf[cols]
    norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=n))
    norms[norms == 0.0] = 1.0  # an empty row stays as it is
    data /= norms[row_of]
    return sparse.csr_matrix((data, cols, indptr), shape=(n, width))
