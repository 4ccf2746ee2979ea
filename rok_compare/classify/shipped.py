"""The models shipped in ``models/``: loaded once, with a fallback to the keyword rules."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from rok_compare.classify.classifier import (
    ClauseClassifier,
    _linear,
)
from rok_compare.classify.features import (
    KIND_FILE,
    MODELS_DIR,
    THEMES_FILE,
    Columns,
)

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
