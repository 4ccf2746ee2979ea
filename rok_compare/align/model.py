"""Result types of clause alignment, with the JSON of ``rok align --format json`` (DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from rok_compare.align.worddiff import DiffOp


class Relation(StrEnum):
    IDENTICAL = "identical"
    """The same words (spacing, case and list bullets aside)."""
    EDITED = "edited"
    """The same clause with words changed, added or cut."""
    RELATED = "related"
    """Clearly akin, but rewritten too much to call it the same clause."""


class Shape(StrEnum):
    ONE_TO_ONE = "1:1"
    SPLIT = "split"
    """One clause of A became two consecutive clauses of B."""
    MERGE = "merge"
    """Two consecutive clauses of A became one clause of B."""


@dataclass(frozen=True, slots=True)
class ClauseRef:
    """A clause as the alignment reports it: id, text and position in its document."""

    id: str
    text: str
    index: int

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "text": self.text}


@dataclass(slots=True)
class ClausePair:
    a: ClauseRef
    b: ClauseRef
    score: float
    relation: Relation
    shape: Shape = Shape.ONE_TO_ONE
    moved: bool = False
    diff: list[DiffOp] = field(default_factory=list)
    group: int = -1
    """Pairs of one split or merge share a group number; 1:1 pairs have their own."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a.to_dict(), "b": self.b.to_dict(), "score": round(self.score, 3),
            "relation": str(self.relation), "moved": self.moved, "shape": str(self.shape),
            "diff": [[sign, text] for sign, text in self.diff],
        }


@dataclass(frozen=True, slots=True)
class AlignmentSummary:
    identical: int
    edited: int
    related: int
    moved: int
    only_a: int
    only_b: int

    def to_dict(self) -> dict[str, int]:
        return {"identical": self.identical, "edited": self.edited, "related": self.related,
                "moved": self.moved, "only_a": self.only_a, "only_b": self.only_b}


@dataclass(slots=True)
class Alignment:
    """Pairs of clauses of A and B in A's order, and the clauses left without a partner."""

    pairs: list[ClausePair]
    only_a: list[ClauseRef]
    only_b: list[ClauseRef]
    a_path: str | None = None
    b_path: str | None = None

    @property
    def summary(self) -> AlignmentSummary:
        count = {r: sum(1 for p in self.pairs if p.relation is r) for r in Relation}
        return AlignmentSummary(
            identical=count[Relation.IDENTICAL], edited=count[Relation.EDITED],
            related=count[Relation.RELATED], moved=sum(1 for p in self.pairs if p.moved),
            only_a=len(self.only_a), only_b=len(self.only_b),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": {"path": self.a_path}, "b": {"path": self.b_path},
            "pairs": [p.to_dict() for p in self.pairs],
            "only_a": [c.to_dict() for c in self.only_a],
            "only_b": [c.to_dict() for c in self.only_b],
            "summary": self.summary.to_dict(),
        }
