"""Small text helpers shared by the segmenter's modules."""

from __future__ import annotations


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
