"""The party decision: which candidates are the agreement's parties, by the model in ``models/``.

Each candidate gets a probability from :class:`LinearDecider`; an organisation is a party when its
best-scored mention reaches the threshold, and it is named as written at that mention. The model and
its threshold are fitted by ``scripts/train.py`` on the annotated documents.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from rok_compare.extract.decider import LinearDecider
from rok_compare.extract.party_candidates import PartyCandidate
from rok_compare.model import Party, PartyKind, SourceDocument

PARTY_MODEL_FILE = "party_decider.json"
SENTENCE_MODEL_FILE = "sentence_decider.json"
DEFAULT_THRESHOLD = 0.5


def models_dir() -> Path:
    """``$ROK_MODELS_DIR`` when set, else the project's ``models/``."""
    from rok_compare.classify.shipped import models_dir as shipped_dir

    return shipped_dir()


@cache
def _load(path: str) -> tuple[LinearDecider, float] | None:
    file = Path(path)
    if not file.exists():
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        return LinearDecider.from_dict(data), float(data.get("threshold", DEFAULT_THRESHOLD))
    except (OSError, ValueError, KeyError, TypeError) as exc:  # a damaged model must not stop extraction
        warnings.warn(f"model {file} unusable ({exc}); using the rules alone", RuntimeWarning, stacklevel=2)
        return None


def shipped_model(file_name: str) -> tuple[LinearDecider, float] | None:
    """A decider in :func:`models_dir` with its threshold; None when absent, damaged or switched off
    (``ROK_DECIDERS=off``: the rules decide alone, as when the models are being rebuilt)."""
    if os.environ.get("ROK_DECIDERS", "").lower() in ("0", "off", "no", "false"):
        return None
    return _load(str(models_dir() / file_name))


def save_with_threshold(model: LinearDecider, threshold: float, path: Path, **extra: object) -> None:
    data = model.to_dict() | {"threshold": round(threshold, 4)} | extra
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    tmp.replace(path)


def party_scores(candidates: Sequence[PartyCandidate], model: LinearDecider) -> list[float]:
    positive = model.classes_[-1]
    return [p[positive] for p in model.predict_proba([c.features for c in candidates])]


def choose_parties(source: SourceDocument, candidates: Sequence[PartyCandidate], scores: Sequence[float],
                   threshold: float) -> list[Party]:
    """One party per organisation whose best mention scores ``threshold`` or more, in document order
    of that mention, named as written there."""
    best: dict[str, tuple[float, PartyCandidate]] = {}
    for candidate, score in zip(candidates, scores, strict=True):
        key = candidate.mention.canonical.lower()
        held = best.get(key)
        if held is None or score > held[0] + 1e-9:
            best[key] = (score, candidate)
    chosen = sorted((c for s, c in best.values() if s >= threshold), key=lambda c: c.mention.start)
    parties = []
    for candidate in chosen:
        mention = candidate.mention
        kind = mention.kind if isinstance(mention.kind, PartyKind) else PartyKind(mention.kind)
        parties.append(Party(mention.name, mention.canonical, kind, source.span(mention.start, mention.end),
                             current=mention.current))
    return parties
