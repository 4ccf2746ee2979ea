"""Small text helpers shared by the segmenter's modules."""

from __future__ import annotations

import re

_WS = re.compile(r"[\s\u00a0\u200b]+")
_SOFT = re.compile(r"[\u00ad]")


def clean(text: str) -> str:
    """Collapse whitespace (tabs, cell breaks, newlines) to single spaces; drop soft hyphens."""
    return _WS.sub(" ", _SOFT.sub("", text)).strip()


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``start:end`` so that it neither starts nor ends with whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
