"""Word-level differences between two clause texts, as ``[["=", text], ["-", text], ["+", text]]``.

Words and punctuation marks are compared case-insensitively with :mod:`difflib`; each token keeps
the spacing before it, so joining the texts of the ``=`` and ``+`` operations gives the new text
back (and ``=`` and ``-`` the old). A clause split in two (or two merged into one) is diffed
against the two parts joined, and the operations are then cut at the boundary between the
parts, so that each pair of a split shows the differences of its own part.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

DiffOp = tuple[str, str]
"""``("=" | "-" | "+", text)``."""

_TOKEN = re.compile(r" ?(?:\w+|[^\w\s])", re.UNICODE)
"""A token with the space before it: spacing is collapsed to single spaces first."""


def tokens(text: str) -> list[str]:
    """Word and punctuation tokens, each with the whitespace before it (spacing collapsed)."""
    return _TOKEN.findall(" ".join(text.split()))


@dataclass(frozen=True, slots=True)
class _Op:
    tag: str
    i1: int
    i2: int
    j1: int
    j2: int


def _opcodes(a: list[str], b: list[str]) -> list[_Op]:
    keys_a = [t.strip().casefold() for t in a]
    keys_b = [t.strip().casefold() for t in b]
    if keys_a == keys_b:  # most aligned pairs: what SequenceMatcher would say, without its work
        return [_Op("equal", 0, len(a), 0, len(b))] if a else []
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    return [_Op(*op) for op in matcher.get_opcodes()]


def _render(ops: list[_Op], a: list[str], b: list[str]) -> list[DiffOp]:
    """Operations to ``(sign, text)`` runs; neighbouring runs of one sign are joined."""
    out: list[list[str]] = []

    def emit(sign: str, toks: list[str]) -> None:
        if not toks:
            return
        text = "".join(toks)
        if out and out[-1][0] == sign:
            out[-1][1] += text
        else:
            out.append([sign, text])

    for op in ops:
        if op.tag == "equal":
            emit("=", b[op.j1:op.j2])
        else:
            emit("-", a[op.i1:op.i2])
            emit("+", b[op.j1:op.j2])
    if out:
        out[0][1] = out[0][1].lstrip()
    return [(sign, text) for sign, text in out]


def word_diff(a: str, b: str) -> list[DiffOp]:
    """The word-level difference of ``a`` to ``b``."""
    ta, tb = tokens(a), tokens(b)
    return _render(_opcodes(ta, tb), ta, tb)


def _cut(op: _Op, side: str, at: int) -> tuple[_Op, _Op]:
    """Cut ``op`` where its ``side`` ("a" or "b") range crosses ``at``."""
    lo, hi = (op.i1, op.i2) if side == "a" else (op.j1, op.j2)
    olo, ohi = (op.j1, op.j2) if side == "a" else (op.i1, op.i2)
    share = (at - lo) / (hi - lo)
    omid = olo + round(share * (ohi - olo))
    first, second = (lo, at, olo, omid), (at, hi, omid, ohi)
    if side == "a":
        return _Op(op.tag, *first), _Op(op.tag, *second)
    return (_Op(op.tag, first[2], first[3], first[0], first[1]),
            _Op(op.tag, second[2], second[3], second[0], second[1]))


def _partition(ops: list[_Op], side: str, bounds: list[int]) -> list[list[_Op]]:
    """Distribute operations over the parts of one side delimited by ``bounds`` (cumulative ends)."""
    parts: list[list[_Op]] = [[] for _ in bounds]
    for op in ops:
        rest: _Op | None = op
        while rest is not None:
            lo, hi = (rest.i1, rest.i2) if side == "a" else (rest.j1, rest.j2)
            part = next((k for k, end in enumerate(bounds) if lo < end), len(bounds) - 1)
            end = bounds[part]
            if hi > end and part < len(bounds) - 1:
                head, rest = _cut(rest, side, end)
                parts[part].append(head)
            else:
                parts[part].append(rest)
                rest = None
    return parts


def split_diff(whole: str, parts: list[str], whole_is_a: bool = True) -> list[list[DiffOp]]:
    """One diff per part: ``whole`` (one clause) against ``parts`` (consecutive clauses).

    ``whole_is_a`` True is a split (the old clause became several); False is a merge (several
    old clauses became ``whole``), where each diff runs from its part to its share of ``whole``.
    """
    tw = tokens(whole)
    tparts = [tokens(p) for p in parts]
    tjoined = [t for p in tparts for t in p]
    bounds = [sum(len(p) for p in tparts[:k + 1]) for k in range(len(tparts))]
    if whole_is_a:
        ops = _opcodes(tw, tjoined)
        return [_render(group, tw, tjoined) for group in _partition(ops, "b", bounds)]
    ops = _opcodes(tjoined, tw)
    return [_render(group, tjoined, tw) for group in _partition(ops, "a", bounds)]
