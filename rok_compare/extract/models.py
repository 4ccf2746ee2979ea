"""Trained clause classifiers for kind and themes, stored as plain JSON under ``models/``.

Features survive Swedish compounds: character n-grams within words (like scikit-learn's
``char_wb``), hashed with numpy into a fixed number of buckets so that a whole document is
vectorised in a few array passes; Snowball stems of the words (one ``stemWords`` call per
document), optionally stems of the section heading (once per distinct heading; the shipped models
leave them out) and the rule cues: the kind
extraction gave the clause (its goal/commitment decision, else the cue-word kind), the keyword
themes and a few shape cues. Each block is TF-IDF weighted (raw tf, smooth idf) and normalised by
the square root of the summed squared idf of its occurrences (as if every occurrence were its own
feature), so that prediction needs no duplicate summing: per block one sparse product of a 0/1
occurrence matrix with the idf-scaled coefficients. The linear model's coefficients are stored
next to the vocabulary; prediction needs only numpy/scipy. scikit-learn is imported only by
:meth:`ClauseClassifier.fit`.
"""

from __future__ import annotations

import base64
import json
import os
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from pathlib import Path

import numpy as np
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


def _stems(words: list[str]) -> list[str]:
    """Snowball stems of many words: one call over the distinct words."""
    distinct = list(dict.fromkeys(words))
    stemmed = dict(zip(distinct, _stemmer().stemWords(distinct) if distinct else [], strict=True))
    return list(map(stemmed.__getitem__, words))


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
    full stop, e-mail or phone number."""
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
    shape = shape + ~np.isin(last, _STOP_CODES)
    keys = list(zip(columns.rule_kinds, columns.cues, shape.tolist(), strict=True))
    return _grouped(keys, lambda distinct: [_cue_tokens(key) for key in distinct])


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
    tokens.append(f"m:len{shape // 8}")
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

    def occurrences(self, raw: RawFeatures) -> tuple[sp.csr_matrix, np.ndarray | None]:
        """0/1 occurrence matrix (duplicates not summed) over the vocabulary plus one unknown column;
        for a grouped block, one row per group and the group of each clause."""
        first, second = raw.blocks[self.name]
        if self.name in GROUPED:
            sizes = np.fromiter(map(len, second), dtype=np.int64, count=len(second))
            cols = self.columns([token for tokens in second for token in tokens])
            indptr = np.concatenate([[0], np.cumsum(sizes)])
            shape = (len(second), self.size + 1)
            return sp.csr_matrix((np.ones(len(cols), np.float32), cols, indptr), shape=shape), first
        cols = self.columns(second)
        indptr = np.searchsorted(first, np.arange(raw.n + 1))
        return sp.csr_matrix((np.ones(len(cols), np.float32), cols, indptr), shape=(raw.n, self.size + 1)), None

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


# --- the classifier ---------------------------------------------------------------------------


class ClauseClassifier:
    """A linear classifier over clause features; single-label (kind) or multi-label (themes).

    ``fit(X, y)`` trains with scikit-learn (``y``: labels, or lists of labels when
    ``multilabel``); ``predict(X)`` needs only numpy/scipy. ``X`` holds texts, ``(text, section,
    rule_kind, cues)`` tuples, :class:`ClauseInput` or a :class:`Columns`.
    """

    def __init__(self, multilabel: bool = False, C: float = 10.0, min_df: int = 2,
                 weights: dict[str, float] | None = None, ngrams: Sequence[int] = NGRAMS,
                 threshold: float = 0.5, class_weight: str | None = "balanced", random_state: int = 0) -> None:
        self.multilabel = multilabel
        self.C = C
        self.min_df = min_df
        self.weights = {"chars": 1.0, "words": 1.0, "cues": 1.0} | (weights or {})
        self.ngrams = tuple(ngrams)
        self.threshold = threshold
        self.class_weight = class_weight
        self.random_state = random_state
        self.labels_: list[str] = []
        self.blocks_: list[_Block] = []
        self.coef_: np.ndarray = np.zeros((0, 0))
        self.intercept_: np.ndarray = np.zeros(0)
        self._folded: list[np.ndarray] | None = None

    @property
    def block_names(self) -> tuple[str, ...]:
        return tuple(name for name in BLOCKS if self.weights.get(name, 0) > 0)

    def raw(self, X) -> RawFeatures:
        return raw_features(Columns.of(X), self.ngrams, BITS, self.block_names)

    def fit(self, X, y: Sequence) -> ClauseClassifier:
        from sklearn.linear_model import LogisticRegression

        raw = self.raw(X)
        self.blocks_ = [_fit_block(name, raw, self.min_df if name != "cues" else 1, self.weights[name])
                        for name in self.block_names]
        matrix = self.transform(raw)
        # one binary model per label (one-vs-rest) for both tasks: the same in every scikit-learn version
        if self.multilabel:
            self.labels_ = sorted({label for labels in y for label in labels})
            targets = [[label in labels for labels in y] for label in self.labels_]
        else:
            self.labels_ = sorted(set(y))
            targets = [[label == given for given in y] for label in self.labels_]
        coefs, intercepts = [], []
        for target in targets:
            clf = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=5000, solver="liblinear",
                                     random_state=self.random_state)
            clf.fit(matrix, np.asarray(target, dtype=int))
            coefs.append(clf.coef_[0])
            intercepts.append(clf.intercept_[0])
        # kept as float32, as stored: the loaded model predicts what this one does
        self.coef_ = np.asarray(coefs).astype(np.float32).astype(np.float64)
        self.intercept_ = np.asarray(intercepts).astype(np.float32).astype(np.float64)
        self._folded = None
        return self

    def transform(self, X) -> sp.csr_matrix:
        """The full TF-IDF matrix (training and inspection; prediction takes a shorter way)."""
        raw = X if isinstance(X, RawFeatures) else self.raw(X)
        return sp.hstack([block.matrix(raw) for block in self.blocks_]).tocsr()

    def _folded_coef(self) -> list[np.ndarray]:
        """Per block: idf-scaled coefficients (vocabulary + unknown row) and, last column, idf²."""
        if self._folded is None:
            folded, start = [], 0
            for block in self.blocks_:
                coef = self.coef_[:, start: start + block.size].T * block.idf[:, None]
                coef = np.hstack([coef, (block.idf * block.idf)[:, None]])
                folded.append(np.vstack([coef, np.zeros((1, coef.shape[1]))]).astype(np.float32))
                start += block.size
            self._folded = folded
        return self._folded

    def scores(self, X) -> np.ndarray:
        """Linear scores: per block, a 0/1 occurrence matrix times idf-scaled coefficients."""
        raw = X if isinstance(X, RawFeatures) else self.raw(X)
        return _linear(self.blocks_, self._folded_coef(), raw) + self.intercept_

    decision_function = scores

    def same_features(self, other: ClauseClassifier) -> bool:
        """Whether both read the same raw features, so that one :meth:`raw` serves both."""
        return self.ngrams == other.ngrams and [b.name for b in self.blocks_] == [b.name for b in other.blocks_]

    def same_vocabulary(self, other: ClauseClassifier) -> bool:
        """Whether both also share vocabularies, idf and weights: their scores come from one product."""
        return self.same_features(other) and all(
            a.weight == b.weight and np.array_equal(a.idf, b.idf)
            and (np.array_equal(a.keys, b.keys) if a.name == "chars" else a.keys == b.keys)
            for a, b in zip(self.blocks_, other.blocks_, strict=True))

    def predict(self, X) -> list:
        """A label per clause, or a sorted list of labels per clause when multi-label."""
        return self.labels_of(self.scores(X))

    def labels_of(self, scores: np.ndarray) -> list:
        if not self.multilabel:
            return [self.labels_[j] for j in scores.argmax(axis=1)] if len(scores) else []
        cut = np.log(self.threshold / (1 - self.threshold))
        codes = (scores > cut) @ (1 << np.arange(len(self.labels_), dtype=np.int64))
        memo: dict[int, list[str]] = {}
        out = []
        for code in codes.tolist():
            labels = memo.get(code)
            if labels is None:
                labels = memo[code] = [label for j, label in enumerate(self.labels_) if code >> j & 1]
            out.append(list(labels))
        return out

    def to_dict(self) -> dict:
        blocks = []
        for block in self.blocks_:
            keys = _b64(np.asarray(block.keys, np.uint32)) if block.name == "chars" else list(block.keys)
            blocks.append({"name": block.name, "weight": block.weight, "keys": keys,
                           "idf": _b64(block.idf.astype(np.float32))})
        return {
            "format": FORMAT,
            "multilabel": self.multilabel,
            "params": {"C": self.C, "min_df": self.min_df, "threshold": self.threshold,
                       "char_ngrams": list(self.ngrams), "bits": BITS, "class_weight": self.class_weight},
            "labels": self.labels_,
            "blocks": blocks,
            "coef": _b64(self.coef_.astype(np.float32)),
            "intercept": _b64(self.intercept_.astype(np.float32)),
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, data: dict) -> ClauseClassifier:
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown model format {data.get('format')!r}")
        params = data["params"]
        if params.get("bits") != BITS:
            raise ValueError(f"model hashed into 2**{params.get('bits')} buckets, this code uses 2**{BITS}")
        model = cls(bool(data["multilabel"]), C=params["C"], min_df=params["min_df"], threshold=params["threshold"],
                    ngrams=params["char_ngrams"], class_weight=params.get("class_weight"),
                    weights={name: 0.0 for name in BLOCKS})
        model.labels_ = list(data["labels"])
        for block in data["blocks"]:
            if block["name"] not in BLOCKS:
                raise ValueError(f"unknown feature block {block['name']!r}")
            keys = _unb64(block["keys"], np.uint32).astype(np.int64) if block["name"] == "chars" \
                else list(block["keys"])
            idf = _unb64(block["idf"], np.float32).astype(np.float64)
            if len(keys) != len(idf):
                raise ValueError(f"block {block['name']}: vocabulary and idf differ in length")
            model.weights[block["name"]] = float(block["weight"])
            model.blocks_.append(_Block(block["name"], keys, idf, float(block["weight"])))
        n_features = sum(b.size for b in model.blocks_)
        model.coef_ = _unb64(data["coef"], np.float32).astype(np.float64).reshape(len(model.labels_), n_features)
        model.intercept_ = _unb64(data["intercept"], np.float32).astype(np.float64)
        if len(model.intercept_) != len(model.labels_):
            raise ValueError("intercepts do not match labels")
        return model

    @classmethod
    def load(cls, path: Path) -> ClauseClassifier:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


def _linear(blocks: Sequence[_Block], folded: Sequence[np.ndarray], raw: RawFeatures) -> np.ndarray:
    """Sum over blocks of weight * (occurrences @ idf-scaled coefficients) / occurrence norm."""
    total = np.zeros((raw.n, folded[0].shape[1] - 1)) if folded else np.zeros((raw.n, 0))
    for block, coef in zip(blocks, folded, strict=True):
        matrix, groups = block.occurrences(raw)
        product = matrix @ coef
        norms = np.sqrt(product[:, -1], dtype=np.float64)
        norms[norms == 0] = 1.0
        product = product[:, :-1] * (block.weight / norms)[:, None]
        total += product if groups is None else product[groups]
    return total


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()).decode()


def _unb64(text: str, dtype) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=np.dtype(dtype).newbyteorder("<")).astype(dtype)


# --- the shipped models -----------------------------------------------------------------------


@dataclass(slots=True)
class ClauseModels:
    kind: ClauseClassifier | None
    themes: ClauseClassifier | None
    shared: bool = False
    """Both models have the same vocabulary and weights: one product per block gives both scores."""
    _joint: list[np.ndarray] | None = None

    def predict(self, items, dedupe: bool = True) -> tuple[list[str] | None, list[list[str]] | None]:
        """Kinds and themes of all clauses of a document (``items``: :class:`Columns` or inputs).

        With ``dedupe``, clauses that repeat (same text, rule kind and cues: running heads, boilerplate)
        are classified once when that saves at least a tenth of the work."""
        columns = Columns.of(items)
        keys = list(zip(columns.texts, columns.rule_kinds, columns.cues, columns.sections, strict=True)) \
            if dedupe else []
        distinct = dict.fromkeys(keys)
        if dedupe and len(distinct) < 0.9 * len(keys):
            index = {key: i for i, key in enumerate(distinct)}
            inverse = list(map(index.__getitem__, keys))
            kinds, themes = self._predict(Columns([k[0] for k in distinct], [k[3] for k in distinct],
                                                  [k[1] for k in distinct], [k[2] for k in distinct]))
            return ([kinds[i] for i in inverse] if kinds is not None else None,
                    [list(themes[i]) for i in inverse] if themes is not None else None)
        return self._predict(columns)

    def _predict(self, columns: Columns) -> tuple[list[str] | None, list[list[str]] | None]:
        if self.kind is not None and self.themes is not None and self.kind.same_features(self.themes):
            raw = self.kind.raw(columns)
            if not self.shared:
                return self.kind.predict(raw), self.themes.predict(raw)
            if self._joint is None:
                self._joint = [np.hstack([k[:, :-1], t]) for k, t in
                               zip(self.kind._folded_coef(), self.themes._folded_coef(), strict=True)]
            scores = _linear(self.kind.blocks_, self._joint, raw)
            split = len(self.kind.labels_)
            return (self.kind.labels_of(scores[:, :split] + self.kind.intercept_),
                    self.themes.labels_of(scores[:, split:] + self.themes.intercept_))
        return (self.kind.predict(columns) if self.kind else None,
                self.themes.predict(columns) if self.themes else None)


def models_dir() -> Path:
    """``$ROK_MODELS_DIR`` when set, else the project's ``models/``."""
    return Path(os.environ.get("ROK_MODELS_DIR") or MODELS_DIR)


@cache
def _load(directory: str) -> ClauseModels:
    loaded = []
    for name in (KIND_FILE, THEMES_FILE):
        path = Path(directory) / name
        if not path.exists():
            loaded.append(None)
            continue
        try:
            loaded.append(ClauseClassifier.load(path))
        except Exception as exc:  # a damaged file must not stop extraction: rules take over
            warnings.warn(f"clause model {path} unusable ({exc}); using keyword rules", RuntimeWarning,
                          stacklevel=2)
            loaded.append(None)
    kind, themes = loaded
    return ClauseModels(kind, themes, bool(kind and themes and kind.same_vocabulary(themes)))


def default_models() -> ClauseModels:
    """The models in :func:`models_dir`, loaded once; a missing or corrupt file yields None."""
    if os.environ.get("ROK_CLAUSE_MODELS", "").lower() in ("0", "off", "no", "false"):
        return ClauseModels(None, None)
    return _load(str(models_dir()))


def clear_cache() -> None:
    _load.cache_clear()
