"""The shortcuts that make alignment cheap give the numbers of the plain computation they replace.

TF-IDF rows stay scikit-learn's numbers when the per-word n-gram cache is warm (a second, third
alignment in the same process), the feature order of the interned sort keys is Python's string
order, clause views remembered across calls are the ones computed afresh, the dense word product
of the candidate search gives the sparse product's cosines bit for bit, and rapidfuzz without
threads scores as with them.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from rok_compare import extract_document
from rok_compare.align import candidates, similarity, tfidf
from rok_compare.align.normalize import normalize, normalize_many, surface_key, views_of_recurring
from rok_compare.align.similarity import CANDIDATE_FLOOR, ClauseVectorizer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))


def _texts(k: int) -> list[str]:
    return [c.text for c in extract_document(SEEDS[k]).clauses]


def _sklearn_rows(texts, attr: str, analyzer, ngram_range=(1, 1)):
    vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngram_range, sublinear_tf=True, lowercase=False,
                                 dtype=np.float32).fit([getattr(t, attr) or "_tom_" for t in texts])
    return vectorizer.transform([getattr(t, attr) for t in texts]).toarray()


def test_sort_keys_give_pythons_string_order():
    rng = random.Random(3)
    alphabet = "ab _åäöéÅ-19\u00e9\u0301\U0001f600z"
    names = list({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))) for _ in range(3000)})
    interned = np.array([tfidf.word_grams(name, None)[0] for name in names])
    short = [k for k, name in enumerate(names) if len(name) <= 6]
    for chosen in (short, list(range(len(names)))):  # all keys numeric; some names long
        order = tfidf.sorted_order(interned[chosen])
        assert [names[chosen[k]] for k in order] == sorted(names[k] for k in chosen)


@pytest.mark.parametrize("pair", [(0, 1), (2, 3), (0, 1), (4, 2)])
def test_tfidf_rows_stay_scikit_learns_with_a_warm_cache(pair):
    texts = normalize_many(_texts(pair[0]) + _texts(pair[1]))
    mine = ClauseVectorizer().fit_transform(texts)
    assert np.array_equal(mine.chars.toarray(), _sklearn_rows(texts, "masked", "char_wb", (3, 5)))
    assert np.array_equal(mine.words.toarray(), _sklearn_rows(texts, "stems", str.split))


def test_many_tokens_are_counted_like_few(monkeypatch):
    texts = normalize_many(_texts(0) + _texts(1) + _texts(2))
    by_sorting = ClauseVectorizer().fit_transform(texts)
    monkeypatch.setattr(tfidf, "SORTED_COUNTS", 0)  # the sparse product path
    by_product = ClauseVectorizer().fit_transform(texts)
    for mine, other in ((by_sorting.chars, by_product.chars), (by_sorting.words, by_product.words)):
        assert np.array_equal(mine.indptr, other.indptr) and np.array_equal(mine.indices, other.indices)
        assert np.array_equal(mine.data, other.data)


def test_remembered_clause_views_are_the_fresh_ones():
    texts = _texts(3) + _texts(3)[:5] + ["", "Region Jämtland Härjedalen"]
    for _ in range(2):
        norms, keys = views_of_recurring(texts)
        assert norms == [normalize(t) for t in texts]
        assert keys == [surface_key(t) for t in texts]


def test_dense_word_product_gives_the_sparse_cosines(monkeypatch):
    a, b = normalize_many(_texts(0)), normalize_many(_texts(1))
    vectors = ClauseVectorizer().fit_transform(a + b)
    va, vb = vectors.rows(0, len(a)), vectors.rows(len(a), len(a) + len(b))
    dense = candidates.cosine_candidates(va, vb, CANDIDATE_FLOOR, threads=1)
    monkeypatch.setattr(candidates, "DENSE_WORD_CELLS", 0)
    plain = candidates.cosine_candidates(va, vb, CANDIDATE_FLOOR, threads=1)
    assert len(dense) > 0
    for field in ("rows", "cols", "char", "word"):
        assert np.array_equal(getattr(dense, field), getattr(plain, field))
    exact = (va.words @ vb.words.T).toarray()[dense.rows, dense.cols]
    assert np.array_equal(dense.word, exact)


def test_scores_without_threads_are_the_threaded_ones(monkeypatch):
    stems = [n.stems for n in normalize_many(_texts(0) + _texts(1))]
    a, b = stems[:-1], stems[1:]
    alone = similarity.fuzzy_scores(a, b)
    monkeypatch.setattr(similarity, "THREADED_PAIRS", 0)
    threaded = similarity.fuzzy_scores(a, b)
    assert all(np.array_equal(x, y) for x, y in zip(alone, threaded, strict=True))


def _seed_vectors(first: int, second: int):
    a, b = normalize_many(_texts(first) + _texts(2)), normalize_many(_texts(second) + _texts(3))
    vectors = ClauseVectorizer().fit_transform(a + b)
    return vectors.rows(0, len(a)), vectors.rows(len(a), len(a) + len(b))


@pytest.mark.parametrize("frequent", [4, 64])
def test_split_character_product_keeps_the_same_pairs(monkeypatch, frequent):
    va, vb = _seed_vectors(0, 1)
    monkeypatch.setattr(candidates, "FREQUENT", frequent)
    first = candidates.cosine_candidates(va, vb, CANDIDATE_FLOOR, threads=1)
    assert len(first) > 0 and not np.all(first.char == first.char[0])
    for floor in (CANDIDATE_FLOOR, float(np.sort(first.char)[len(first) // 2])):  # one met exactly by a pair
        monkeypatch.setattr(candidates, "SPLIT_PAIRS", 1 << 60)
        plain = candidates.cosine_candidates(va, vb, floor, threads=1)
        monkeypatch.setattr(candidates, "SPLIT_PAIRS", 0)
        split = candidates.cosine_candidates(va, vb, floor, block_pairs=7 * vb.chars.shape[0], threads=2)
        assert np.array_equal(split.rows, plain.rows) and np.array_equal(split.cols, plain.cols)
        assert np.array_equal(split.word, plain.word)
        assert np.allclose(split.char, plain.char, atol=1e-5)


def test_pair_cosines_from_dense_rows_are_scipys(monkeypatch):
    va, vb = _seed_vectors(2, 4)
    rng = np.random.default_rng(5)
    rows = rng.integers(0, va.chars.shape[0], 400)
    cols = rng.integers(0, vb.chars.shape[0], 400)
    dense = similarity.row_cosines(va, vb, rows, cols)
    monkeypatch.setattr(similarity, "DENSE_ROW_CELLS", 0)
    plain = similarity.row_cosines(va, vb, rows, cols)
    assert all(np.array_equal(x, y) for x, y in zip(dense, plain, strict=True))
    assert (dense[0] > 0).any()


def test_interned_names_are_unique():
    ClauseVectorizer().fit_transform(normalize_many(_texts(0)))
    first = tfidf._GRAM_NAME[0]
    tfidf.word_grams(first, (len(first), len(first)))  # its n-grams include the name numbered 0
    assert len(tfidf._GRAM_ID) == len(tfidf._GRAM_NAME)
    assert all(tfidf._GRAM_ID[name] == k for k, name in enumerate(tfidf._GRAM_NAME))


def test_alignments_in_threads_share_the_interned_names():
    from concurrent.futures import ThreadPoolExecutor

    from rok_compare.align import align

    docs = [extract_document(path).clauses for path in SEEDS]
    jobs = [(docs[i], docs[j]) for i in range(len(docs)) for j in range(len(docs)) if i != j]
    alone = [align(a, b).to_dict() for a, b in jobs]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda job: align(*job).to_dict(), jobs))
    assert together == alone
    assert len(tfidf._GRAM_ID) == len(tfidf._GRAM_NAME)
