"""NFC-normalise a read document's text and move every offset that points into it.

The same agreement saved with decomposed letters ("a" + combining ring, as macOS exports and some
PDFs write it) must read exactly like the composed one, or no party, county or period pattern
matches. Normalising changes lengths ("å" is one character, "a\\u030a" two), so the pages,
paragraphs and table cells that the reader recorded are remapped to the normalised text.

Normalisation never joins across whitespace, so words are normalised one by one, and inside a
word one base character with its combining marks at a time; offsets inside an unchanged piece
move by the length change before them, offsets inside a changed piece snap to its edges.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import replace

from rok_compare.model import Page, Paragraph, SourceDocument, Span, Table, TableCell

_WORD = re.compile(r"\S+")


class OffsetMap:
    """Old offset -> new offset, from the pieces whose length changed (old start, old end, new start, new end)."""

    def __init__(self, changes: list[tuple[int, int, int, int]]) -> None:
        self._changes = changes
        self._starts = [change[0] for change in changes]

    def __call__(self, offset: int, *, end: bool = False) -> int:
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return offset
        old_start, old_end, new_start, new_end = self._changes[index]
        if offset >= old_end:
            return offset + new_end - old_end
        if offset == old_start:
            return new_start
        return new_end if end else new_start  # inside a piece that changed: its edge


def normalize(text: str) -> tuple[str, OffsetMap | None]:
    """The NFC text and the map of offsets into it; None for the map when nothing changed."""
    if unicodedata.is_normalized("NFC", text):
        return text, None
    parts: list[str] = []
    changes: list[tuple[int, int, int, int]] = []
    position = shift = 0
    for word in _WORD.finditer(text):
        if unicodedata.is_normalized("NFC", word.group()):
            continue
        parts.append(text[position : word.start()])
        for start, end in _pieces(word.group()):
            old = word.group()[start:end]
            new = unicodedata.normalize("NFC", old)
            parts.append(new)
            if new != old and len(new) != len(old):
                old_start = word.start() + start
                changes.append((old_start, old_start + len(old), old_start + shift, old_start + shift + len(new)))
                shift += len(new) - len(old)
        position = word.end()
    parts.append(text[position:])
    return "".join(parts), OffsetMap(changes)


def _pieces(word: str) -> list[tuple[int, int]]:
    """A word cut before each character that starts a new combining sequence; the whole word when
    its characters compose across such cuts (Hangul jamo, some Indic vowel signs)."""
    cuts = [i for i, ch in enumerate(word) if i == 0 or unicodedata.combining(ch) == 0]
    pieces = list(zip(cuts, [*cuts[1:], len(word)], strict=True))
    joined = "".join(unicodedata.normalize("NFC", word[s:e]) for s, e in pieces)
    return pieces if joined == unicodedata.normalize("NFC", word) else [(0, len(word))]


def normalize_document(document: SourceDocument) -> SourceDocument:
    """The document with NFC text and its pages, paragraphs and table cells moved to match (in place)."""
    text, moved = normalize(document.text)
    if moved is None:
        return document
    document.text = text
    document._page_starts = document._paragraph_starts = None  # cached offsets of the old text
    document.pages = [Page(p.number, moved(p.start), moved(p.end, end=True)) for p in document.pages]
    document.paragraphs = [Paragraph(p.index, moved(p.start), moved(p.end, end=True)) for p in document.paragraphs]
    document.tables = [Table(table.page, tuple(tuple(_cell(cell, moved) for cell in row) for row in table.rows))
                       for table in document.tables]
    return document


def _cell(cell: TableCell, moved: OffsetMap) -> TableCell:
    span: Span = replace(cell.span, start=moved(cell.span.start), end=moved(cell.span.end, end=True))
    return TableCell(unicodedata.normalize("NFC", cell.text), span)
