"""Compare stage: align clauses between documents, diff revisions, find reuse across a corpus.

    >>> from rok_compare.align import align
    >>> alignment = align(old.clauses, new.clauses)
    >>> alignment.summary.edited

Everything compares normalised text (Swedish stems, masked place and party names); see
``normalize``, ``similarity`` and THRESHOLDS.md for how the thresholds were chosen.
"""

from rok_compare.align.model import Alignment, AlignmentSummary, ClausePair, ClauseRef, Relation, Shape
from rok_compare.align.pairwise import Aligner, align

__all__ = [
    "Aligner", "Alignment", "AlignmentSummary", "ClausePair", "ClauseRef", "Relation", "Shape", "align",
]
