"""Features of the clause classifiers: character n-grams, stems and the rules' cues, computed
for all clauses of a document at once (see the package docstring)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # scipy is imported where a model is fitted, not on the prediction path
    import scipy.sparse as sp

FORMAT = "rok-clause-model/2"
MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
KIND_FILE = "clause_kind.json"
THEMES_FILE = "clause_themes.json"

BLOCKS = ("chars", "words", "bigrams", "first", "heading", "cues")
GROUPED = ("heading", "cues")
NGRAMS = (3, 5)
BITS = 20
"""Character n-grams are hashed into 2**BITS buckets."""

_P = np.uint64(1_000_003)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_STOP_CODES = np.array([ord(c) for c in ".!?:"], dtype=np.uint32)
_LAW = re.compile(r"\(\d{4}:\d+")
"""A reference to the Swedish code of statutes, "(2010:197)" (a cheap search: a wider pattern cost ≈9 ms)."""
_WHITE = np.array([ord(c) for c in " \t\n\r\f\v\xa0\u2009\u202f"], dtype=np.uint32)


@dataclass(frozen=True, slots=True)
class ClauseInput:
    """What a classifier sees of a clause: its text, section heading, the kind extraction gave it
    (goal/commitment decision, else the cue kind) and the keyword rules' cues ("theme:health")."""

    text: str
    section: str | None = None
    rule_kind: str | None = None
    cues: tuple[str, ...] = ()


def as_inputs(items: Iterable[ClauseInput | str | tuple]) -> list[ClauseInput]:
    """Accept plain texts, ``(text, section, rule_kind, cues)`` tuples or :class:`ClauseInput`."""
    out = []
    for item in items:
        if isinstance(item, ClauseInput):
            out.append(item)
        elif isinstance(item, str):
            out.append(ClauseInput(item))
        else:
            out.append(ClauseInput(*item))
    return out


@dataclass(slots=True)
class Columns:
    """The clauses of a document as columns (what :func:`_apply_models` has at hand)."""

    texts: list[str]
    sections: list[str | None]
    rule_kinds: list[str | None]
    cues: list[tuple[str, ...]]

    @classmethod
    def of(cls, items: Iterable) -> Columns:
        if isinstance(items, Columns):
            return items
        inputs = as_inputs(items)
        return cls([i.text for i in inputs], [i.section for i in inputs], [i.rule_kind for i in inputs],
                   [tuple(i.cues) for i in inputs])

    def __len__(self) -> int:
        return len(self.texts)


# --- features -------------------------------------------------------------------------------


@cache
def _char_table() -> np.ndarray:
    """Code point (BMP) -> lower-cased code point for word characters, else space (32)."""
    table = np.full(0x10000, 32, dtype=np.uint32)
    for code in range(0x10000):
        char = chr(code)
        if char.isalnum():
            lower = char.lower()
            table[code] = ord(lower) if len(lower) == 1 else code
    return table


@cache
def _white_table() -> np.ndarray:
    table = np.zeros(0x10000, dtype=np.uint8)
    table[_WHITE] = 1
    return table


@cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("swedish")


_STEMS: dict[str, str] = {}
"""Stems of the words seen so far (a document mostly repeats the words of those before it)."""
_MAX_STEMS = 200_000


def _stems(words: list[str]) -> list[str]:
    """Snowball stems of many words: one call over the distinct words not stemmed before."""
    if len(_STEMS) > _MAX_STEMS:
        _STEMS.clear()
    new = [word for word in dict.fromkeys(words) if word not in _STEMS]
    if new:
        _STEMS.update(zip(new, _stemmer().stemWords(new), strict=True))
    return list(map(_STEMS.__getitem__, words))


@dataclass(slots=True)
class RawFeatures:
    """Feature occurrences of a batch of clauses, per block. Text blocks: ``(rows, keys)``, rows
    ascending, keys bucket numbers (chars, an int array) or token strings (words). Grouped blocks
    (heading, cues: shared by many clauses): ``(group of each clause, tokens of each group)``."""

    n: int
    blocks: dict[str, tuple]

    def occurrences(self, name: str) -> tuple[np.ndarray, np.ndarray | list[str]]:
        """(rows, keys) of a block, grouped blocks expanded (for training)."""
        first, second = self.blocks[name]
        if name not in GROUPED:
            return first, second
        rows, keys = [], []
        for r, group in enumerate(first.tolist()):
            rows.extend(repeat(r, len(second[group])))
            keys.extend(second[group])
        return np.asarray(rows, dtype=np.int64), keys


def raw_features(columns: Columns, ngrams: Sequence[int] = NGRAMS, bits: int = BITS,
                 blocks: Sequence[str] = BLOCKS) -> RawFeatures:
    texts = columns.texts
    n = len(texts)
    joined = "\x00" + "\x00".join(texts) + "\x00" * (max(ngrams) + 1)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    mapped = _char_table()[codes & 0xFFFF]
    mapped[codes > 0xFFFF] = 32
    row_of = np.cumsum(codes == 0) - 1  # a separator belongs to the text after it
    space = mapped == 32
    out: dict[str, tuple[np.ndarray, np.ndarray | list[str]]] = {}
    if "chars" in blocks:
        out["chars"] = _char_ngrams(mapped, space, row_of, ngrams, bits)
    word_starts = np.flatnonzero(~space[1:] & space[:-1]) + 1
    word_rows = row_of[word_starts]
    if {"words", "bigrams", "first"} & set(blocks):
        stems = _stems(mapped.tobytes().decode("utf-32-le").split())
        out["words"] = (word_rows, stems)
        if "bigrams" in blocks:
            same = np.flatnonzero(word_rows[1:] == word_rows[:-1]).tolist()
            out["bigrams"] = (word_rows[same], [stems[i] + " " + stems[i + 1] for i in same])
        if "first" in blocks:
            first = np.flatnonzero(np.diff(word_rows, prepend=-1) != 0)
            out["first"] = (word_rows[first], [stems[i] for i in first.tolist()])
    if "heading" in blocks:
        out["heading"] = _grouped(columns.sections, _heading_tokens)
    if "cues" in blocks:
        out["cues"] = _cue_features(columns, codes, row_of, word_rows)
    return RawFeatures(n, out)


def _char_ngrams(mapped: np.ndarray, space: np.ndarray, row_of: np.ndarray, ngrams: Sequence[int],
                 bits: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, bucket) of every character n-gram inside a space-padded word, position-major so that
    rows ascend: all texts at once, one numpy pass per n."""
    codes = mapped.astype(np.uint64)
    count = codes.size - max(ngrams) + 1
    spaces = np.cumsum(space, dtype=np.int32)
    h = codes[:count].copy()
    hashes, valid = [], []
    for n in range(2, max(ngrams) + 1):
        h *= _P
        h += codes[n - 1: n - 1 + count]
        if n not in ngrams:
            continue
        # no space strictly inside the n-gram: positions start+1 .. start+n-2
        valid.append(spaces[n - 2: n - 2 + count] == spaces[:count])
        hashes.append(((h ^ np.uint64(n * 0x2545F4914F6CDD1D % 2**64)) * _MIX) >> np.uint64(64 - bits))
    ok = np.stack(valid, axis=1).ravel()
    buckets = np.stack(hashes, axis=1).ravel()[ok].astype(np.int64)
    rows = np.repeat(row_of[:count], len(hashes))[ok]
    return rows, buckets


def _grouped(keys: Sequence, tokenize) -> tuple[np.ndarray, list[list[str]]]:
    """Clauses that share a key (section heading, cue set) share their tokens: worked out once."""
    distinct = list(dict.fromkeys(keys))
    index = {key: i for i, key in enumerate(distinct)}
    groups = np.fromiter(map(index.__getitem__, keys), dtype=np.int64, count=len(keys))
    return groups, tokenize(distinct)


def _heading_tokens(headings: list[str | None]) -> list[list[str]]:
    """Stems of each heading: all headings in one pass."""
    codes = np.frombuffer("\x00".join(h or "" for h in headings).encode("utf-32-le", "surrogatepass"), np.uint32)
    mapped = _char_table()[codes & 0xFFFF]
    mapped[codes == 0] = 0
    mapped[codes > 0xFFFF] = 32
    words = [h.split() for h in mapped.tobytes().decode("utf-32-le").split("\x00")]
    stems = iter(_stems([w for ws in words for w in ws]))
    return [[next(stems) for _ in ws] for ws in words]


def _cue_features(columns: Columns, codes: np.ndarray, row_of: np.ndarray,
                  word_rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """The rule kind, the rules' cues and shape cues: length in words, share of digits, no final
    full stop, e-mail or phone number, a statute reference."""
    n = len(columns.texts)
    words = np.bincount(word_rows, minlength=n + 2)[:n]
    digit = (codes >= 48) & (codes <= 57)
    digits = np.bincount(row_of[digit], minlength=n + 2)[:n]
    lengths = np.fromiter(map(len, columns.texts), dtype=np.int64, count=n)
    contact = np.bincount(row_of[codes == 64], minlength=n + 2)[:n] > 0
    contact[row_of[_phone_numbers(codes, digit)]] = True
    shape = np.minimum(words // 5, 8) * 8 + (digits * 12.5 > np.maximum(lengths, 1)) * 4 + contact * 2
    # the last character that is not white space before each separator (a separator if none)
    ends = np.flatnonzero(codes == 0)[1: n + 1]
    solid = np.flatnonzero(_white_table()[codes & 0xFFFF] == 0)
    last = codes[solid[np.searchsorted(solid, ends) - 1]]
    stops = (last == _STOP_CODES[0]) | (last == _STOP_CODES[1]) | (last == _STOP_CODES[2]) | (last == _STOP_CODES[3])
    shape = shape + ~stops
    shape[_matching_rows(_LAW, columns.texts)] |= 128
    keys = list(zip(columns.rule_kinds, columns.cues, shape.tolist(), strict=True))
    return _grouped(keys, lambda distinct: [_cue_tokens(key) for key in distinct])


def _matching_rows(pattern: re.Pattern[str], texts: list[str]) -> np.ndarray:
    """Rows whose text the pattern matches: one search over all texts joined by NUL."""
    joined = "\x00".join(texts)
    starts = [m.start() for m in pattern.finditer(joined)]
    if not starts:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1)
    return np.unique(np.searchsorted(ends, np.asarray(starts), side="right"))


def _phone_numbers(codes: np.ndarray, digit: np.ndarray) -> np.ndarray:
    """Positions of the area codes of phone numbers (as the regular expression ``\\b0\\d{1,3}-\\d``)."""
    dash = np.flatnonzero((codes[:-1] == 45) & digit[1:])
    dash = dash[dash >= 5]
    found = []
    word = _char_table()[codes & 0xFFFF] != 32
    for k in (1, 2, 3):  # k digits between the leading 0 and the dash
        zero = dash - k - 1
        ok = (codes[zero] == 48) & ~word[zero - 1]
        for j in range(1, k + 1):
            ok &= digit[dash - j]
        found.append(zero[ok])
    return np.concatenate(found)


def _cue_tokens(key: tuple) -> list[str]:
    rule_kind, cues, shape = key
    tokens = ["c:" + cue for cue in cues]
    if rule_kind:
        tokens.append("r:" + rule_kind)
    tokens.append(f"m:len{shape // 8 % 16}")
    if shape & 128:
        tokens.append("m:law")
    if shape & 4:
        tokens.append("m:digits")
    if shape & 2:
        tokens.append("m:contact")
    if shape & 1:
        tokens.append("m:nostop")
    return tokens


@dataclass(slots=True)
class _Block:
    """One TF-IDF block: its vocabulary (sorted buckets, or token strings) and idf weights."""

    name: str
    keys: np.ndarray | list[str]
    idf: np.ndarray
    weight: float = 1.0
    _lookup: np.ndarray | dict | None = None
    _transposed: tuple[np.ndarray, np.ndarray] | None = None
    """The coefficients last multiplied and their contiguous transpose."""

    @property
    def size(self) -> int:
        return len(self.idf)

    def columns(self, keys: np.ndarray | list[str]) -> np.ndarray:
        """Column of each key occurrence; ``size`` (a column of zeros) when not in the vocabulary."""
        if self.name == "chars":
            if self._lookup is None:
                table = np.full(2 ** BITS, self.size, dtype=np.int32)
                table[np.asarray(self.keys, dtype=np.int64)] = np.arange(self.size)
                self._lookup = table
            return self._lookup[keys]
        if self._lookup is None:
            self._lookup = {k: i for i, k in enumerate(self.keys)}
        return np.fromiter(map(self._lookup.get, keys, repeat(self.size)), dtype=np.int64, count=len(keys))

    def occurrence_lists(self, raw: RawFeatures) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The occurrences as CSR parts: column of each occurrence (``size`` when unknown), row
        pointers, and for a grouped block (one row per group) the group of each clause."""
        first, second = raw.blocks[self.name]
        if self.name in GROUPED:
            sizes = np.fromiter(map(len, second), dtype=np.int64, count=len(second))
            cols = self.columns([token for tokens in second for token in tokens])
            return cols, np.concatenate([[0], np.cumsum(sizes)]), first
        return self.columns(second), np.searchsorted(first, np.arange(raw.n + 1)), None

    def occurrences(self, raw: RawFeatures) -> tuple[sp.csr_matrix, np.ndarray | None]:
        """0/1 occurrence matrix (duplicates not summed) over the vocabulary plus one unknown column;
        for a grouped block, one row per group and the group of each clause."""
        import scipy.sparse as sp

        cols, indptr, groups = self.occurrence_lists(raw)
        shape = (len(indptr) - 1, self.size + 1)
        return sp.csr_matrix((np.ones(len(cols), np.float32), cols, indptr), shape=shape), groups

    def occurrence_product(self, raw: RawFeatures, coef: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """The 0/1 occurrence rows times ``coef`` (vocabulary plus unknown column x outputs), summed
        row by row in occurrence order as a sparse product sums them; and the groups, as
        :meth:`occurrences`. Numpy alone: the prediction path needs no scipy."""
        cols, indptr, groups = self.occurrence_lists(raw)
        product = np.zeros((len(indptr) - 1, coef.shape[1]), dtype=coef.dtype)
        filled = np.flatnonzero(np.diff(indptr))
        if not len(filled):
            return product, groups
        # outputs x occurrences, summed along the contiguous axis: the same sums as over the rows of
        # ``coef[cols]`` (numpy reduces both in one order), 3-4x faster on a long document
        if self._transposed is None or self._transposed[0] is not coef:
            self._transposed = (coef, np.ascontiguousarray(coef.T))
        gathered = np.take(self._transposed[1], cols, axis=1)
        product[filled] = np.add.reduceat(gathered, indptr[filled], axis=1).T
        return product, groups

    def matrix(self, raw: RawFeatures) -> sp.csr_matrix:
        """The block's TF-IDF rows (for training): counts times idf, scaled by weight / norm."""
        counts, groups = self.occurrences(raw)
        counts = counts.astype(np.float64)
        if groups is not None:
            counts = counts[groups]
        counts.sum_duplicates()
        idf = np.append(self.idf, 0.0)
        norms = np.sqrt(np.asarray(counts @ (idf * idf))).ravel()
        norms[norms == 0] = 1.0
        counts.data = counts.data * idf[counts.indices]
        import scipy.sparse as sp

        return sp.csr_matrix(sp.diags(self.weight / norms) @ counts)[:, : self.size]


def _fit_block(name: str, raw: RawFeatures, min_df: int, weight: float) -> _Block:
    """The block's vocabulary (features in at least ``min_df`` clauses) and smooth idf."""
    rows, keys = raw.occurrences(name)
    if name == "chars":
        vocab, cols = np.unique(keys, return_inverse=True)
    else:
        vocab = sorted(set(keys))
        position = {t: i for i, t in enumerate(vocab)}
        cols = np.fromiter(map(position.__getitem__, keys), dtype=np.int64, count=len(keys))
    pairs = np.unique(np.stack([rows, cols.ravel()]), axis=1) if len(rows) else np.zeros((2, 0), np.int64)
    df = np.bincount(pairs[1], minlength=len(vocab))
    keep = df >= min_df
    idf = (np.log((1 + raw.n) / (1 + df[keep])) + 1.0).astype(np.float32).astype(np.float64)
    kept = vocab[keep] if name == "chars" else [k for k, ok in zip(vocab, keep, strict=True) if ok]
    return _Block(name, kept, idf, weight)
