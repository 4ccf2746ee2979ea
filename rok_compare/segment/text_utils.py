"""Small text helpers shared by the segmenter's modules."""

from __future__ import annotations

import re

_NUMBERING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)[.)]?\s+")


def clean(text: str) -> str:
    """Collapse whitespace (tabs, cell breaks, newlines, no-break spaces) to single spaces; drop
    soft hyphens and zero-width spaces."""
    return " ".join(text.replace("\u00ad", "").replace("\u200b", " ").split())


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``start:end`` so that it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_numbering(heading: str) -> tuple[str | None, str]:
    """("4.2", "Region X") for "4.2 Region X", ("2", "Parter") for "2. Parter"; (None, heading) for
    an unnumbered heading."""
    match = _NUMBERING.match(heading)
    return (match.group(1), heading[match.end() :]) if match else (None, heading)
