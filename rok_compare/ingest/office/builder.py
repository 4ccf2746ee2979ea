"""Write a word-processor document's blocks as text in the conventions of the other readers.

The segmenter finds headings, list items and table rows in text, whatever the source format, so
Word and OpenDocument files are written the way the PDF reader writes a page: a heading or
paragraph is one line and blocks are separated by a blank line (consecutive list items by a single
newline); a list item starts with its marker ("• ", "2. ", "b) "); a table is a run of lines of
tab-separated cells, a cell's paragraphs and line breaks separated by ``\\v``; an explicit page
break is a form feed. Each paragraph's place is recorded as a :class:`Paragraph` for provenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rok_compare.errors import InputError
from rok_compare.model import Page, Paragraph, SourceDocument, SourceFormat, Span, Table, TableCell

HEADING, PARAGRAPH, ITEM, TABLE = "heading", "paragraph", "item", "table"
_SEGMENTER_MARKER = re.compile(r"\d{1,2}[.)]|[a-z]\)")
"""Markers the segmenter reads as a numbered list item; others are written as a bullet."""
_CONTROL = re.compile(r"[\f\v\r\x00\u00ad]")
_SPACES = re.compile(r"[ \t\xa0]{2,}|[\t\xa0]")
"""Runs of white space, and single tabs and no-break spaces: all become one space."""
_INTEGER = re.compile(r"-?[0-9]{1,9}")


@dataclass(slots=True)
class Piece:
    """A paragraph's text (``\\n`` for a line break inside it) and its 1-based index."""

    text: str
    index: int


@dataclass(slots=True)
class TextBuilder:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    paragraphs: list[Paragraph] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=lambda: [0])
    previous: str | None = None
    page_break: bool = False

    def block(self, kind: str, piece: Piece, marker: str = "") -> None:
        """A heading, paragraph or list item; one without text is skipped (its index stays used)."""
        text = clean_line(piece.text, keep_breaks=kind == PARAGRAPH)
        if not text:
            return
        self._separate(kind)
        if marker:
            self._write(marker + " ")
        self.paragraphs.append(Paragraph(piece.index, self.length, self.length + len(text)))
        self._write(text)

    def table(self, rows: list[list[list[Piece]]]) -> None:
        """Rows of cells of paragraphs. A one-column table is a framed box of text: its paragraphs
        are written as paragraphs."""
        rows = [row for row in rows if any(clean_cell(p.text) for cell in row for p in cell)]
        if not rows:
            return
        if max(len(row) for row in rows) < 2:
            for row in rows:
                for piece in row[0] if row else []:
                    self.block(PARAGRAPH, piece)
            return
        self._separate(TABLE)
        table_rows: list[tuple[TableCell, ...]] = []
        for number, row in enumerate(rows):
            if number:
                self._write("\n")
            cells = []
            for column, cell in enumerate(row):
                if column:
                    self._write("\t")
                cells.append(self._cell(cell))
            table_rows.append(tuple(cells))
        self.tables.append(Table(len(self.page_starts), tuple(table_rows)))

    def new_page(self) -> None:
        """An explicit page break: the next block starts a page (none is opened at the very end)."""
        if self.previous is not None:
            self.page_break = True

    def _cell(self, cell: list[Piece]) -> TableCell:
        start, first, written = self.length, None, []
        for piece in cell:
            text = clean_cell(piece.text)
            if not text:
                continue
            if first is not None:
                self._write("\v")
                written.append("\v")
            first = piece.index if first is None else first
            self.paragraphs.append(Paragraph(piece.index, self.length, self.length + len(text)))
            self._write(text)
            written.append(text)
        return TableCell("".join(written), Span(len(self.page_starts), start, self.length, first))

    def _separate(self, kind: str) -> None:
        if self.previous is not None:
            if self.page_break:
                self._write("\f")
                self.page_starts.append(self.length)
            else:
                self._write("\n" if self.previous == ITEM and kind == ITEM else "\n\n")
        self.previous, self.page_break = kind, False

    def _write(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def build(self, path: Path, sha256: str, fmt: SourceFormat, warnings: list[str]) -> SourceDocument:
        text = "".join(self.parts)
        if not text.strip():
            raise InputError(path, "holds no text (an empty document, or only images)")
        ends = [*self.page_starts[1:], len(text) + 1]
        pages = [Page(number, start, end - 1)
                 for number, (start, end) in enumerate(zip(self.page_starts, ends, strict=True), start=1)]
        return SourceDocument(path=path, sha256=sha256, format=fmt, text=text, pages=pages, tables=self.tables,
                              warnings=warnings, paragraphs=self.paragraphs)


def to_int(value: str | None, default: int) -> int:
    """An attribute's integer, or ``default`` when it is missing or not one (a damaged file)."""
    return int(value) if value and _INTEGER.fullmatch(value.strip()) else default


def clean_line(text: str, keep_breaks: bool = False) -> str:
    """A block's text on one line: tabs and runs of spaces to one space; a line break the author
    put in a paragraph stays a newline (one party a line), in a heading or item it is a space."""
    lines = [_SPACES.sub(" ", line).strip() for line in _controls(text).split("\n")]
    return ("\n" if keep_breaks else " ").join(line for line in lines if line)


def clean_cell(text: str) -> str:
    """A cell paragraph: no tabs or newlines (they would break the row); a line break is ``\\v``."""
    lines = [_SPACES.sub(" ", line).strip() for line in _controls(text).split("\n")]
    return "\v".join(line for line in lines if line)


def _controls(text: str) -> str:
    """Form feeds and vertical tabs (reserved for pages and cell breaks) to spaces; carriage
    returns, NULs and soft hyphens out."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda match: " " if match.group() in "\f\v" else "", text)


def item_marker(numbered: bool, number: int, style: str, rendered: str = "") -> str:
    """The marker written before a list item: the document's own when the segmenter reads it as
    a numbered item ("3.", "b)"), else one built from the number ("3.", "b)"), else a bullet."""
    if not numbered:
        return "•"
    if _SEGMENTER_MARKER.fullmatch(rendered):
        return rendered
    if style in ("decimal", "1") and 0 < number < 100:
        return f"{number}."
    if style in ("lowerLetter", "a") and 0 < number <= 26:
        return f"{chr(ord('a') + number - 1)})"
    return "•"
