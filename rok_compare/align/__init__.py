"""Compare stage: align clauses between documents, diff revisions, find reuse across a corpus.

    >>> from rok_compare.align import align
    >>> alignment = align(old.clauses, new.clauses)
    >>> alignment.summary.edited

Everything compares normalised text (Swedish stems, masked place and party names); see
``normalize``, ``similarity`` and THRESHOLDS.md for how the thresholds were chosen.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Aligner": "pairwise", "align": "pairwise",
    "Alignment": "model", "AlignmentSummary": "model", "ClausePair": "model", "ClauseRef": "model",
    "Relation": "model", "Shape": "model",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import on first use: ``pairwise`` pulls in scipy and rapidfuzz, which not every caller needs."""
    if name in _EXPORTS:
        return getattr(import_module(f"rok_compare.align.{_EXPORTS[name]}"), name)
    raise AttributeError(name)
