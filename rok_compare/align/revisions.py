"""Revision diff: what changed between two versions of one county's agreement.

The two versions are aligned like any two documents (:mod:`pairwise`); the result is then read
as a change list in the new version's order, with removed clauses placed after the clause that
preceded them in the old version, and a summary of how much of the text stayed, changed, came
and went (shares of characters of all four kinds together).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from rok_compare.align.model import Alignment, ClausePair, ClauseRef, Relation, Shape
from rok_compare.align.pairwise import Aligner
from rok_compare.align.worddiff import DiffOp
from rok_compare.model import Clause


class Change(StrEnum):
    UNCHANGED = "unchanged"
    EDITED = "edited"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(slots=True)
class RevisionEntry:
    change: Change
    old: ClauseRef | None
    new: ClauseRef | None
    moved: bool = False
    shape: Shape = Shape.ONE_TO_ONE
    score: float | None = None
    diff: list[DiffOp] | None = None
    relation: Relation | None = None

    def to_dict(self) -> dict:
        return {
            "change": str(self.change), "moved": self.moved, "shape": str(self.shape),
            "relation": None if self.relation is None else str(self.relation),
            "old": self.old.to_dict() if self.old else None,
            "new": self.new.to_dict() if self.new else None,
            "score": None if self.score is None else round(self.score, 3),
            "diff": None if self.diff is None else [[s, t] for s, t in self.diff],
        }


@dataclass(frozen=True, slots=True)
class RevisionSummary:
    unchanged: int
    edited: int
    added: int
    removed: int
    moved: int
    share_unchanged: float
    share_edited: float
    share_added: float
    share_removed: float

    def to_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v)
                for k, v in ((f, getattr(self, f)) for f in self.__slots__)}


@dataclass(slots=True)
class RevisionDiff:
    entries: list[RevisionEntry]
    summary: RevisionSummary
    alignment: Alignment

    def to_dict(self) -> dict:
        return {"old": {"path": self.alignment.a_path}, "new": {"path": self.alignment.b_path},
                "changes": [e.to_dict() for e in self.entries], "summary": self.summary.to_dict()}


def _entry(pair: ClausePair) -> RevisionEntry:
    change = Change.UNCHANGED if pair.relation is Relation.IDENTICAL else Change.EDITED
    return RevisionEntry(change, pair.a, pair.b, pair.moved, pair.shape, pair.score, pair.diff, pair.relation)


def document_order(alignment: Alignment) -> list[RevisionEntry]:
    """Pairs and added clauses in B's order; a removed clause after its nearest old predecessor
    that kept its place (moved clauses are no anchor)."""
    keyed: list[tuple[tuple[int, int, int], RevisionEntry]] = []
    for pair in alignment.pairs:
        keyed.append(((pair.b.index, 0, pair.a.index), _entry(pair)))
    for ref in alignment.only_b:
        keyed.append(((ref.index, 0, -1), RevisionEntry(Change.ADDED, None, ref)))
    anchors = sorted((p.a.index, p.b.index) for p in alignment.pairs if not p.moved)
    a_positions = [a for a, _ in anchors]
    for ref in alignment.only_a:
        k = bisect.bisect_left(a_positions, ref.index) - 1
        anchor = anchors[k][1] if k >= 0 else -1
        keyed.append(((anchor, 1, ref.index), RevisionEntry(Change.REMOVED, ref, None)))
    return [entry for _, entry in sorted(keyed, key=lambda item: item[0])]


def summarize(entries: Sequence[RevisionEntry]) -> RevisionSummary:
    chars = {change: 0 for change in Change}
    counts = {change: 0 for change in Change}
    seen_new: set[int] = set()
    for entry in entries:
        counts[entry.change] += 1
        ref = entry.new if entry.new is not None else entry.old
        if entry.new is not None and entry.new.index in seen_new:
            continue
        if entry.new is not None:
            seen_new.add(entry.new.index)
        chars[entry.change] += len(ref.text) if ref else 0
    total = sum(chars.values()) or 1
    return RevisionSummary(
        unchanged=counts[Change.UNCHANGED], edited=counts[Change.EDITED], added=counts[Change.ADDED],
        removed=counts[Change.REMOVED], moved=sum(1 for e in entries if e.moved),
        share_unchanged=chars[Change.UNCHANGED] / total, share_edited=chars[Change.EDITED] / total,
        share_added=chars[Change.ADDED] / total, share_removed=chars[Change.REMOVED] / total,
    )


def diff_revisions(old: Sequence[Clause], new: Sequence[Clause], old_path: str | None = None,
                   new_path: str | None = None, aligner: Aligner | None = None) -> RevisionDiff:
    """Added, removed, edited and moved clauses of ``new`` against ``old``, in document order."""
    alignment = (aligner or Aligner()).align(old, new, old_path, new_path)
    entries = document_order(alignment)
    return RevisionDiff(entries, summarize(entries), alignment)
