"""Trained clause classifiers for kind and themes, stored as plain JSON under ``models/``.

Features survive Swedish compounds: character n-grams within words (like scikit-learn's
``char_wb``), hashed with numpy so that a whole document is vectorised at once, plus Snowball
stems of the words, stems of the section heading and the rule-based kind (which carries the
goal/commitment decision of extraction). Each block is TF-IDF weighted (sublinear tf, smooth idf)
and L2-normalised; the linear model's coefficients are stored next to the vocabulary, so
prediction is a sparse matrix product with numpy/scipy and needs no scikit-learn at all.
scikit-learn is imported only by :meth:`ClauseClassifier.fit`.
"""

from __future__ import annotations

import base64
import json
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

FORMAT = "rok-clause-model/1"
MODELS_DIR = Path(__file__).resolve().parents[2] / "models"
KIND_FILE = "clause_kind.json"
THEMES_FILE = "clause_themes.json"

_WORD = re.compile(r"[a-zåäöéü]{2,}")
_SPACES = re.compile(r"[^\wåäöéü]+|_")
_DIGIT = re.compile(r"\d")
_P = np.uint64(1_000_003)


@dataclass(frozen=True, slots=True)
class ClauseInput:
    """What a classifier sees of a clause: its text, section heading, the kind extraction gave it
    (goal/commitment decision, else the cue kind) and the keyword rules' cues ("theme:health")."""

    text: str
    section: str | None = None
    rule_kind: str | None = None
    cues: tuple[str, ...] = ()


def as_inputs(items: Iterable[ClauseInput | str | tuple]) -> list[ClauseInput]:
    """Accept plain texts, ``(text, section, rule_kind)`` tuples or :class:`ClauseInput`."""
    out = []
    for item in items:
        if isinstance(item, ClauseInput):
            out.append(item)
        elif isinstance(item, str):
            out.append(ClauseInput(item))
        else:
            out.append(ClauseInput(*item))
    return out


# --- features -------------------------------------------------------------------------------


def char_ngram_hashes(texts: Sequence[str], n_min: int = 3, n_max: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """(row, hash) of every character n-gram inside a space-padded word of each text, all texts at
    once: one numpy pass over the concatenation instead of a Python loop per n-gram."""
    cleaned = [" " + _SPACES.sub(" ", t.lower()).strip() + " " for t in texts]
    joined = "\x00".join(cleaned)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if codes.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    lengths = np.fromiter((len(t) + 1 for t in cleaned), dtype=np.int64, count=len(cleaned))
    row_of = np.repeat(np.arange(len(cleaned)), lengths)[: codes.size]
    space = np.concatenate([[0], np.cumsum((codes == 32) | (codes == 0))])
    sep = np.concatenate([[0], np.cumsum(codes == 0)])
    rows, hashes = [], []
    size = codes.size
    h = np.zeros(size, dtype=np.uint64)
    for n in range(1, n_max + 1):
        count = size - n + 1
        if count <= 0:
            break
        h = h[:count] * _P + codes[n - 1: n - 1 + count]
        if n < n_min:
            continue
        start = np.arange(count)
        interior = space[start + n - 1] - space[start + 1] if n > 2 else np.zeros(count, np.int64)
        crosses = sep[start + n] - sep[start]
        ok = (interior == 0) & (crosses == 0)
        rows.append(row_of[:count][ok])
        hashes.append(h[ok] ^ np.uint64(n * 0x9E3779B97F4A7C15 % 2**64))
    return np.concatenate(rows), np.concatenate(hashes)


@cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("swedish")


def word_tokens(item: ClauseInput) -> list[str]:
    """Stems and stem bigrams of the text, and stems of the section heading."""
    words = _WORD.findall(item.text.lower())
    stems = _stemmer().stemWords(words) if words else []
    tokens = ["w:" + s for s in stems]
    tokens += ["b:" + a + "_" + b for a, b in zip(stems, stems[1:], strict=False)]
    if item.section:
        heading = _WORD.findall(item.section.lower())
        tokens += ["h:" + s for s in (_stemmer().stemWords(heading) if heading else [])]
    return tokens


def cue_tokens(item: ClauseInput) -> list[str]:
    """The rule kind, the rules' cues and a few shape cues (length, digits, no full stop, contact)."""
    text = item.text.strip()
    tokens = ["c:" + cue for cue in item.cues]
    if item.rule_kind:
        tokens.append("r:" + item.rule_kind)
    digits = len(_DIGIT.findall(text))
    tokens.append("m:len" + str(min(text.count(" ") // 5, 8)))
    if digits and digits / max(len(text), 1) > 0.08:
        tokens.append("m:digits")
    if not text.endswith((".", "!", "?", ":")):
        tokens.append("m:nostop")
    if "@" in text or re.search(r"\b0\d{1,3}-\d", text):
        tokens.append("m:contact")
    return tokens or ["m:none"]


_TOKENIZERS = {"words": word_tokens, "cues": cue_tokens}


@dataclass(slots=True)
class _Block:
    """One TF-IDF block: its vocabulary (sorted n-gram hashes, or token strings) and idf weights."""

    name: str
    keys: np.ndarray | list[str]
    idf: np.ndarray
    weight: float = 1.0
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.name != "chars":
            self.index = {k: i for i, k in enumerate(self.keys)}

    def entries(self, items: Sequence[ClauseInput]) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of every known feature occurrence."""
        if self.name == "chars":
            rows, hashes = char_ngram_hashes([i.text for i in items])
            keys = np.asarray(self.keys, dtype=np.uint64)
            if not len(keys):
                return rows[:0], rows[:0]
            pos = np.minimum(np.searchsorted(keys, hashes), len(keys) - 1)
            known = keys[pos] == hashes
            return rows[known], pos[known].astype(np.int64)
        rows, cols = [], []
        tokenize, index = _TOKENIZERS[self.name], self.index
        for r, item in enumerate(items):
            for token in tokenize(item):
                col = index.get(token)
                if col is not None:
                    rows.append(r)
                    cols.append(col)
        return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)

    def matrix(self, items: Sequence[ClauseInput]) -> sp.csr_matrix:
        """Sublinear tf times idf, each row L2-normalised and scaled by the block's weight."""
        rows, cols = self.entries(items)
        counts = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(items), len(self.idf)))
        counts.sum_duplicates()
        counts.data = (1.0 + np.log(counts.data)) * self.idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags(self.weight / norms) @ counts)


def _fit_block(name: str, items: Sequence[ClauseInput], min_df: int, weight: float) -> _Block:
    """The block's vocabulary (features in at least ``min_df`` clauses) and smooth idf."""
    if name == "chars":
        rows, hashes = char_ngram_hashes([i.text for i in items])
        keys, cols = np.unique(hashes, return_inverse=True)
    else:
        pairs = [(r, t) for r, item in enumerate(items) for t in _TOKENIZERS[name](item)]
        keys = sorted({t for _, t in pairs})
        position = {t: i for i, t in enumerate(keys)}
        rows = np.asarray([r for r, _ in pairs], dtype=np.int64)
        cols = np.asarray([position[t] for _, t in pairs], dtype=np.int64)
    pairs_unique = np.unique(np.stack([rows, cols.ravel()]), axis=1) if len(rows) else np.zeros((2, 0), np.int64)
    df = np.bincount(pairs_unique[1], minlength=len(keys))
    keep = df >= min_df
    idf = (np.log((1 + len(items)) / (1 + df[keep])) + 1.0).astype(np.float32).astype(np.float64)
    kept = keys[keep] if name == "chars" else [k for k, ok in zip(keys, keep, strict=True) if ok]
    return _Block(name, kept, idf, weight)


# --- the classifier ---------------------------------------------------------------------------


class ClauseClassifier:
    """A linear classifier over clause features; single-label (kind) or multi-label (themes).

    ``fit(X, y)`` trains with scikit-learn (``y``: labels, or lists of labels when
    ``multilabel``); ``predict(X)`` needs only numpy/scipy. ``X`` holds texts, ``(text, section,
    rule_kind, cues)`` tuples or :class:`ClauseInput`.
    """

    def __init__(self, multilabel: bool = False, C: float = 10.0, min_df: int = 2, char_weight: float = 1.0,
                 word_weight: float = 1.0, cue_weight: float = 1.0, threshold: float = 0.5,
                 random_state: int = 0) -> None:
        self.multilabel = multilabel
        self.C = C
        self.min_df = min_df
        self.char_weight = char_weight
        self.word_weight = word_weight
        self.cue_weight = cue_weight
        self.threshold = threshold
        self.random_state = random_state
        self.labels_: list[str] = []
        self.blocks_: list[_Block] = []
        self.coef_: np.ndarray = np.zeros((0, 0))
        self.intercept_: np.ndarray = np.zeros(0)

    def fit(self, X: Iterable, y: Sequence) -> ClauseClassifier:
        from sklearn.linear_model import LogisticRegression

        items = as_inputs(X)
        self.blocks_ = [_fit_block("chars", items, self.min_df, self.char_weight),
                        _fit_block("words", items, self.min_df, self.word_weight),
                        _fit_block("cues", items, 1, self.cue_weight)]
        matrix = self.transform(items)
        # one binary model per label (one-vs-rest) for both tasks: the same in every scikit-learn version
        if self.multilabel:
            self.labels_ = sorted({label for labels in y for label in labels})
            targets = [[label in labels for labels in y] for label in self.labels_]
        else:
            self.labels_ = sorted(set(y))
            targets = [[label == given for given in y] for label in self.labels_]
        coefs, intercepts = [], []
        for target in targets:
            clf = LogisticRegression(C=self.C, class_weight="balanced", max_iter=5000, solver="liblinear",
                                     random_state=self.random_state)
            clf.fit(matrix, np.asarray(target, dtype=int))
            coefs.append(clf.coef_[0])
            intercepts.append(clf.intercept_[0])
        # kept as float32, as stored: the loaded model predicts exactly what this one does
        self.coef_ = np.asarray(coefs).astype(np.float32).astype(np.float64)
        self.intercept_ = np.asarray(intercepts).astype(np.float32).astype(np.float64)
        return self

    def transform(self, X: Iterable) -> sp.csr_matrix:
        items = as_inputs(X)
        return sp.hstack([block.matrix(items) for block in self.blocks_]).tocsr()

    def decision_function(self, X: Iterable) -> np.ndarray:
        return self.scores(self.transform(X))

    def scores(self, matrix: sp.csr_matrix) -> np.ndarray:
        """Linear scores of an already transformed matrix."""
        return np.asarray(matrix @ self.coef_.T) + self.intercept_

    def same_features(self, other: ClauseClassifier) -> bool:
        """Whether both vectorise alike, so that one :meth:`transform` serves both."""
        return len(self.blocks_) == len(other.blocks_) and all(
            a.name == b.name and a.weight == b.weight and np.array_equal(a.idf, b.idf)
            and (np.array_equal(a.keys, b.keys) if a.name == "chars" else a.keys == b.keys)
            for a, b in zip(self.blocks_, other.blocks_, strict=True))

    def predict(self, X: Iterable) -> list:
        """A label per clause, or a sorted list of labels per clause when multi-label."""
        return self.predict_matrix(self.transform(X))

    def predict_matrix(self, matrix: sp.csr_matrix) -> list:
        scores = self.scores(matrix)
        if self.multilabel:
            cut = np.log(self.threshold / (1 - self.threshold))
            return [[self.labels_[j] for j in np.flatnonzero(row > cut)] for row in scores]
        return [self.labels_[j] for j in scores.argmax(axis=1)]

    def to_dict(self) -> dict:
        blocks = []
        for block in self.blocks_:
            keys = _b64(np.asarray(block.keys, np.uint64)) if block.name == "chars" else list(block.keys)
            blocks.append({"name": block.name, "weight": block.weight, "keys": keys,
                           "idf": _b64(block.idf.astype(np.float32))})
        return {
            "format": FORMAT,
            "multilabel": self.multilabel,
            "params": {"C": self.C, "min_df": self.min_df, "threshold": self.threshold, "char_ngrams": [3, 5]},
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
        model = cls(bool(data["multilabel"]), C=params["C"], min_df=params["min_df"], threshold=params["threshold"])
        model.labels_ = list(data["labels"])
        for block in data["blocks"]:
            if block["name"] not in ("chars", *_TOKENIZERS):
                raise ValueError(f"unknown feature block {block['name']!r}")
            keys = _unb64(block["keys"], np.uint64) if block["name"] == "chars" else list(block["keys"])
            idf = _unb64(block["idf"], np.float32).astype(np.float64)
            if len(keys) != len(idf):
                raise ValueError(f"block {block['name']}: vocabulary and idf differ in length")
            model.blocks_.append(_Block(block["name"], keys, idf, float(block["weight"])))
        n_features = sum(len(b.idf) for b in model.blocks_)
        model.coef_ = _unb64(data["coef"], np.float32).astype(np.float64).reshape(len(model.labels_), n_features)
        model.intercept_ = _unb64(data["intercept"], np.float32).astype(np.float64)
        if len(model.intercept_) != len(model.labels_):
            raise ValueError("intercepts do not match labels")
        return model

    @classmethod
    def load(cls, path: Path) -> ClauseClassifier:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


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
    """Both models vectorise alike (trained on the same clauses): transform once."""

    def predict(self, items: Sequence[ClauseInput]) -> tuple[list[str] | None, list[list[str]] | None]:
        """Kinds and themes of all clauses of a document, vectorised once per model (or once)."""
        if self.shared and self.kind is not None and self.themes is not None:
            matrix = self.kind.transform(items)
            return self.kind.predict_matrix(matrix), self.themes.predict_matrix(matrix)
        return (self.kind.predict(items) if self.kind else None,
                self.themes.predict(items) if self.themes else None)


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
    return ClauseModels(kind, themes, bool(kind and themes and kind.same_features(themes)))


def default_models() -> ClauseModels:
    """The models in :func:`models_dir`, loaded once; a missing or corrupt file yields None."""
    if os.environ.get("ROK_CLAUSE_MODELS", "").lower() in ("0", "off", "no", "false"):
        return ClauseModels(None, None)
    return _load(str(models_dir()))


def clear_cache() -> None:
    _load.cache_clear()
