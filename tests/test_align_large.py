"""The shortcuts that make large alignments cheap give what the plain computation gives.

Checked on the seed documents' clauses: the candidate search over distinct rows and distinct
n-gram columns keeps the pairs of the plain search (with the cosines of the repeated rows), the
product kernel adds what scipy's public product gives, the pair scores that reuse the rough pass's
edit ratios are ``similarity.score_pairs``'s, the split windows tried are those of the loop they
replaced, and the word-diff tokens are those of the two-step tokenizer.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from rok_compare import extract_document
from rok_compare.align import candidates, pair_scores
from rok_compare.align.normalize import normalize_many
from rok_compare.align.pairwise import RELATED, Aligner, _Side
from rok_compare.align.similarity import CANDIDATE_FLOOR, ClauseVectorizer, row_cosines, score_pairs
from rok_compare.align.worddiff import tokens

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))


def _texts(k: int) -> list[str]:
    return [c.text for c in extract_document(SEEDS[k]).clauses]


def _vectors(a_texts: list[str], b_texts: list[str]):
    a, b = normalize_many(a_texts), normalize_many(b_texts)
    vectors = ClauseVectorizer().fit_transform(a + b)
    return a, b, vectors.rows(0, len(a)), vectors.rows(len(a), len(a) + len(b))


def _repeated(texts: list[str], seed: int) -> list[str]:
    """The texts with some of them repeated at random places (boilerplate recurring)."""
    rng = random.Random(seed)
    out = list(texts)
    for text in rng.sample(texts, k=len(texts) // 3):
        out.insert(rng.randrange(len(out) + 1), text)
    return out


def test_search_over_distinct_rows_and_columns_keeps_the_plain_pairs(monkeypatch):
    _, _, va, vb = _vectors(_repeated(_texts(0) + _texts(2), 1), _repeated(_texts(1) + _texts(3), 2))
    assert len(candidates._distinct_rows(va)[0]) < va.chars.shape[0]
    monkeypatch.setattr(candidates, "SPLIT_PAIRS", 1 << 60)
    plain = candidates.cosine_candidates(va, vb, CANDIDATE_FLOOR, threads=1)
    monkeypatch.setattr(candidates, "SPLIT_PAIRS", 0)  # distinct rows, split product, merged columns
    for block, threads in ((1, 1), (5, 2)):
        found = candidates.cosine_candidates(va, vb, CANDIDATE_FLOOR, block_pairs=block * vb.chars.shape[0],
                                             threads=threads)
        assert np.array_equal(found.rows, plain.rows) and np.array_equal(found.cols, plain.cols)
        assert np.array_equal(found.word, plain.word)
        assert np.allclose(found.char, plain.char, atol=1e-5)
    assert len(plain) > 0


def test_distinct_rows_are_the_equal_rows():
    _, _, va, _ = _vectors(_repeated(_texts(4), 3), _texts(1))
    first, number = candidates._distinct_rows(va)
    dense = np.hstack([va.chars.toarray(), va.words.toarray()])
    for row in range(len(dense)):
        same = np.flatnonzero((dense == dense[row]).all(axis=1))
        assert first[number[row]] == same[0]  # the first equal row stands for it
    assert len(first) == len({row.tobytes() for row in dense})


def test_distinct_columns_weigh_the_identical_ones():
    _, _, va, vb = _vectors(_texts(0), _texts(1))
    columns = np.arange(va.chars.shape[1])
    kept, weight = candidates._distinct_columns(va.chars, vb.chars, columns)
    both = np.vstack([va.chars.toarray(), vb.chars.toarray()])
    assert weight.sum() == len(columns) and len(kept) < len(columns)
    distinct = {both[:, c].tobytes(): c for c in reversed(columns.tolist())}
    assert sorted(distinct.values()) == kept.tolist()
    merged = (va.chars[:, kept].multiply(weight[None, :]) @ vb.chars[:, kept].T).toarray()
    assert np.allclose(merged, (va.chars @ vb.chars.T).toarray(), atol=1e-5)


def test_product_kernel_adds_the_public_product():
    rng = np.random.default_rng(4)
    a = sparse.random(37, 300, density=0.05, format="csr", dtype=np.float32, random_state=rng)
    b = sparse.random(300, 53, density=0.05, format="csr", dtype=np.float32, random_state=rng)
    start = rng.random((37, 53)).astype(np.float32)
    out = start.copy()
    candidates._add_product(a, b, out)
    assert np.array_equal(out, start + (a @ b).toarray())
    assert candidates._KERNELS is not None, "scipy's kernels moved: the public product is used (slower)"


def test_pair_scores_are_score_pairs():
    a, b, va, vb = _vectors(_texts(0) + _texts(2), _texts(1) + _texts(3))
    found = candidates.cosine_candidates(va, vb, CANDIDATE_FLOOR, threads=1)
    scores = pair_scores.score_candidates(a, b, va, vb, found, RELATED)
    keys = np.fromiter(scores.by_key, np.int64)
    rows, cols = keys // len(b), keys % len(b)
    char, word = row_cosines(va, vb, rows, cols)
    expected = score_pairs(a, b, rows, cols, char, word)
    assert np.array_equal(np.array(list(scores.by_key.values()), np.float32), expected)
    related = expected >= RELATED
    assert sorted(zip(rows[related].tolist(), cols[related].tolist(), strict=True)) == list(
        zip(scores.related_rows.tolist(), scores.related_cols.tolist(), strict=True))
    assert related.sum() > 10


def _windows_as_before(aligner, i, related, scores, one, many, pair_of_one, pair_of_many, split):
    """The loop ``Aligner._windows_to_try`` replaced."""
    own = pair_of_one.get(i)
    if own is not None and one.keys[i] == (many.keys[own.b[0]] if split else many.keys[own.a[0]]):
        return []
    out, tried, size = [], set(), len(many.keys)
    for j in related.tolist():
        for lo in (j - 1, j):
            if lo < 0 or lo + 1 >= size or lo in tried:
                continue
            tried.add(lo)
            joined_key = f"{many.keys[lo]} {many.keys[lo + 1]}"
            if min(scores.at(i, lo), scores.at(i, lo + 1)) <= 0 and joined_key != one.keys[i]:
                continue
            if own is not None and (own.b if split else own.a)[0] not in (lo, lo + 1):
                continue
            if aligner._window_taken(i, (lo, lo + 1), pair_of_many, split):
                continue
            out.append(lo)
    return out


@pytest.mark.parametrize("pair", [(0, 1), (2, 3), (1, 4)])
def test_split_windows_are_the_ones_tried_before(pair):
    a_clauses = extract_document(SEEDS[pair[0]]).clauses
    b_clauses = extract_document(SEEDS[pair[1]]).clauses
    side_a, side_b = _Side.of(a_clauses), _Side.of(b_clauses)
    aligner = Aligner()
    vectors = ClauseVectorizer().fit_transform(side_a.norm + side_b.norm)
    n = len(a_clauses)
    side_a.vectors, side_b.vectors = vectors.rows(0, n), vectors.rows(n, n + len(b_clauses))
    found = candidates.cosine_candidates(side_a.vectors, side_b.vectors, CANDIDATE_FLOOR)
    scores = pair_scores.score_candidates(side_a.norm, side_b.norm, side_a.vectors, side_b.vectors, found, RELATED)
    groups = aligner._assign(scores, side_a, side_b)
    pair_of_a, pair_of_b = {g.a[0]: g for g in groups}, {g.b[0]: g for g in groups}
    tried = 0
    for view, one, many, p_one, p_many, split in ((scores, side_a, side_b, pair_of_a, pair_of_b, True),
                                                   (scores.T, side_b, side_a, pair_of_b, pair_of_a, False)):
        for i, cols in view.related_in_row().items():
            expected = _windows_as_before(aligner, i, cols, view, one, many, p_one, p_many, split)
            assert aligner._windows_to_try(i, cols, view, one, many, p_one, p_many, split) == expected
            tried += len(expected)
    assert groups and tried > 0


_OLD_TOKEN = re.compile(r"\s*(?:\w+|[^\w\s])", re.UNICODE)


def test_word_diff_tokens_are_the_two_step_ones():
    def before(text: str) -> list[str]:
        return [(" " if t[0].isspace() else "") + t.strip() for t in _OLD_TOKEN.findall(" ".join(text.split()))]

    rng = random.Random(5)
    alphabet = " \t\n\xa0\u2003\u200b\x1c\x85.,;:-–()åäöÅ\u0301\u0307İßa1_é€\U0001f600"
    texts = _texts(0) + ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25))) for _ in range(5000)]
    assert all(tokens(text) == before(text) for text in texts)
