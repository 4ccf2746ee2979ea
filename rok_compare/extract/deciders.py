"""The trained deciders that extraction consults, as one bundle: shipped in ``models/`` or passed in.

Extraction takes a :class:`Deciders` so that cross-validation can hand it models fitted without the
test county; by default it uses the ones in ``models/`` (``$ROK_MODELS_DIR``), rebuilt by
``scripts/train.py``. A missing or damaged file leaves that decision to the rules alone, and so does
``ROK_DECIDERS=off`` (as when the models are being rebuilt).
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rok_compare.extract.decider import LinearDecider

PARTY_MODEL_FILE = "party_decider.json"
SENTENCE_MODEL_FILE = "sentence_decider.json"
DOC_TYPE_MODEL_FILE = "doc_type_decider.json"
PERIOD_MODEL_FILE = "period_decider.json"
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class Deciders:
    party: LinearDecider | None = None
    party_threshold: float = DEFAULT_THRESHOLD
    sentence: LinearDecider | None = None
    sentence_threshold: float = 0.0
    """Least probability for a goal or commitment the rules did not find."""
    goal_threshold: float | None = None
    """Least probability for a goal, when it differs from ``sentence_threshold``."""
    doc_type: LinearDecider | None = None
    doc_type_threshold: float = 0.0
    """Least probability for a type where the rules say only "other"."""
    doc_type_override: float | None = None
    """Least probability for the type model to overrule a type the rules name (never when None)."""
    period: LinearDecider | None = None
    period_threshold: float = DEFAULT_THRESHOLD
    """Least probability for a period candidate where the rules find no period."""
    keep_rules: bool = True
    """What the precise cue rules find stands; the models add what they miss."""
    sentence_everywhere: tuple[str, ...] = ()
    """The kinds ("goal", "commitment") the sentence model adds in every document; the others only
    where the rules found none of that kind."""


NO_DECIDERS = Deciders()
"""The rules alone."""


def models_dir() -> Path:
    """``$ROK_MODELS_DIR`` when set, else the project's ``models/``."""
    from rok_compare.classify.shipped import models_dir as shipped_dir

    return shipped_dir()


def shipped_deciders() -> Deciders:
    if os.environ.get("ROK_DECIDERS", "").lower() in ("0", "off", "no", "false"):
        return NO_DECIDERS
    return _load(str(models_dir()))


@cache
def _load(directory: str) -> Deciders:
    party = _read(Path(directory) / PARTY_MODEL_FILE)
    sentence = _read(Path(directory) / SENTENCE_MODEL_FILE)
    doc_type = _read(Path(directory) / DOC_TYPE_MODEL_FILE)
    period = _read(Path(directory) / PERIOD_MODEL_FILE)
    return Deciders(
        party=party[0] if party else None,
        party_threshold=float(party[1].get("threshold", DEFAULT_THRESHOLD)) if party else DEFAULT_THRESHOLD,
        sentence=sentence[0] if sentence else None,
        sentence_threshold=float(sentence[1].get("threshold", 0.0)) if sentence else 0.0,
        goal_threshold=sentence[1].get("goal_threshold") if sentence else None,
        doc_type=doc_type[0] if doc_type else None,
        doc_type_threshold=float(doc_type[1].get("threshold", 0.0)) if doc_type else 0.0,
        doc_type_override=_optional_float(doc_type[1].get("override")) if doc_type else None,
        period=period[0] if period else None,
        period_threshold=float(period[1].get("threshold", DEFAULT_THRESHOLD)) if period else DEFAULT_THRESHOLD,
        keep_rules=bool(party[1].get("keep_rules", True)) if party else True,
        sentence_everywhere=tuple(sentence[1].get("everywhere", ())) if sentence else (),
    )


def _optional_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _read(path: Path) -> tuple[LinearDecider, dict] | None:
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return LinearDecider.from_dict(data), data
    except (OSError, ValueError, KeyError, TypeError) as exc:  # a damaged model must not stop extraction
        warnings.warn(f"model {path} unusable ({exc}); the rules decide alone", RuntimeWarning, stacklevel=2)
        return None


def save_decider(model: LinearDecider, path: Path, **extra: object) -> None:
    """Write ``model`` with ``extra`` settings (threshold, how it was trained) atomically."""
    data = model.to_dict() | extra
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def clear_cache() -> None:
    _load.cache_clear()
