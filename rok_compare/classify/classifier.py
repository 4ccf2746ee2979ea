"""The clause classifier: scikit-learn-style ``fit``/``predict`` over the feature blocks, and its
JSON form."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rok_compare.classify.features import (
    BITS,
    BLOCKS,
    FORMAT,
    NGRAMS,
    Columns,
    RawFeatures,
    _Block,
    _fit_block,
    raw_features,
)

if TYPE_CHECKING:  # scipy is imported where a model is fitted, not on the prediction path
    import scipy.sparse as sp

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
        import scipy.sparse as sp

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
        product, groups = block.occurrence_product(raw, coef)
        norms = np.sqrt(product[:, -1], dtype=np.float64)
        norms[norms == 0] = 1.0
        product = product[:, :-1] * (block.weight / norms)[:, None]
        total += product if groups is None else product[groups]
    return total


def _b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()).decode()


def _unb64(text: str, dtype) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=np.dtype(dtype).newbyteorder("<")).astype(dtype)
