"""A linear decider over named features: trained with scikit-learn, applied with plain Python.

Extraction finds candidates with rules (a mention in a list, a sentence with "ska") and leaves the
decision (is this a party? a goal, a commitment, neither?) to a model trained on the annotated
documents. The rules' verdicts are features of the model, never gates, so a construction the rules
miss costs an annotation, not another regex.

The fitted model is a table of weights per feature name, stored as JSON under ``models/``: small,
readable, loadable with any scikit-learn version (or none), and fast for the few hundred candidates
of a document.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from itertools import repeat
from pathlib import Path

import numpy as np

Features = Mapping[str, float]
FORMAT = "rok-linear-decider/1"


class LinearDecider:
    """Logistic regression over sparse named features (``fit``/``predict``/``predict_proba``).

    ``classes_`` holds the labels in a fixed order; with two classes the model has one weight
    vector (for ``classes_[1]``), with more one per class (one-vs-rest, normalised).
    """

    def __init__(self, C: float = 1.0, class_weight: str | None = "balanced", min_count: int = 2,
                 max_iter: int = 2000) -> None:
        self.C = C
        self.class_weight = class_weight
        self.min_count = min_count
        self.max_iter = max_iter
        self.classes_: list[str] = []
        self.weights_: dict[str, list[float]] = {}
        self.intercept_: list[float] = []
        self._dense: tuple[dict[str, int], np.ndarray] | None = None

    def fit(self, X: Sequence[Features], y: Sequence[str]) -> LinearDecider:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        counts: dict[str, int] = {}
        for row in X:
            for name in row:
                counts[name] = counts.get(name, 0) + 1
        kept = [{k: v for k, v in row.items() if counts[k] >= self.min_count} for row in X]
        vectorizer = DictVectorizer()
        matrix = vectorizer.fit_transform(kept).tocsr()
        matrix.indices = matrix.indices.astype("int32")  # liblinear takes 32-bit indices only
        matrix.indptr = matrix.indptr.astype("int32")
        model = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter,
                                   solver="liblinear" if len(set(y)) == 2 else "lbfgs")
        model.fit(matrix, list(y))
        self.classes_ = [str(c) for c in model.classes_]
        coef = model.coef_
        self.weights_ = {name: [float(coef[row, col]) for row in range(coef.shape[0])]
                         for name, col in vectorizer.vocabulary_.items() if any(coef[:, col])}
        self.intercept_ = [float(v) for v in model.intercept_]
        self._dense = None
        return self

    def decision_function(self, X: Sequence[Features]) -> list[list[float]]:
        """Raw linear scores per row (one per weight vector)."""
        return self._scores(X).tolist()

    def _scores(self, X: Sequence[Features]) -> np.ndarray:
        """Rows x weight vectors: each known feature's weights times its value, summed per row with
        numpy alone (no scipy to import on the extraction path, no sparse matrix to build per call)."""
        index, weights = self._matrix()
        # every row's names and values flattened, looked up in one pass (-1: a feature the model lacks)
        cols = np.fromiter(map(index.get, (name for row in X for name in row), repeat(-1)), dtype=np.intp)
        values = np.fromiter((value for row in X for value in row.values()), dtype=float, count=len(cols))
        rows = np.repeat(np.arange(len(X), dtype=np.intp), [len(row) for row in X])
        known = cols >= 0
        terms = weights[cols[known]] * values[known][:, None]
        scores = np.zeros((len(X), weights.shape[1]))
        np.add.at(scores, rows[known], terms)
        return scores + np.asarray(self.intercept_)

    def _probabilities(self, X: Sequence[Features]) -> np.ndarray:
        """Rows x classes probabilities, in the order of ``classes_``."""
        scores = self._scores(X).reshape(len(X), -1)
        if len(self.classes_) == 2:
            positive = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1.0 - positive, positive])
        exp = np.exp(scores - scores.max(axis=1, keepdims=True))  # multinomial softmax, as lbfgs fits it
        return exp / exp.sum(axis=1, keepdims=True)

    def _matrix(self) -> tuple[dict[str, int], np.ndarray]:
        """The weights as a (features x vectors) array, built once."""
        if self._dense is None:
            names = list(self.weights_)
            self._dense = ({name: i for i, name in enumerate(names)},
                           np.asarray([self.weights_[n] for n in names], dtype=float).reshape(len(names), -1))
        return self._dense

    def predict_proba(self, X: Sequence[Features]) -> list[dict[str, float]]:
        """Probability of each class per row."""
        if not X:
            return []
        classes = self.classes_
        return [dict(zip(classes, row, strict=True)) for row in self._probabilities(X).tolist()]

    def predict(self, X: Sequence[Features]) -> list[str]:
        return [max(p, key=p.__getitem__) for p in self.predict_proba(X)]

    def top_features(self, label: str, n: int = 20) -> list[tuple[str, float]]:
        """The features that speak most for ``label`` (for the model card)."""
        index = 0 if len(self.classes_) == 2 else self.classes_.index(label)
        sign = -1 if len(self.classes_) == 2 and label == self.classes_[0] else 1
        ranked = sorted(self.weights_.items(), key=lambda kv: -sign * kv[1][index])
        return [(name, round(weights[index], 3)) for name, weights in ranked[:n]]

    # --- JSON form -----------------------------------------------------------------------------

    def to_dict(self) -> dict:
        params = {"C": self.C, "class_weight": self.class_weight, "min_count": self.min_count}
        return {"format": FORMAT, "params": params, "classes": self.classes_, "intercept": self.intercept_,
                "weights": {k: [round(w, 6) for w in v] for k, v in sorted(self.weights_.items())}}

    def save(self, path: str | Path) -> None:
        path = Path(path)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def from_dict(cls, data: dict) -> LinearDecider:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model")
        model = cls(**data.get("params", {}))
        model.classes_ = list(data["classes"])
        model.intercept_ = list(data["intercept"])
        model.weights_ = {k: list(v) for k, v in data["weights"].items()}
        return model

    @classmethod
    def load(cls, path: str | Path) -> LinearDecider:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

