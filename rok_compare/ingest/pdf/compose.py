"""Write a page's blocks as text, and record where each table cell lands in it.

Conventions shared with the text reader: a paragraph (or heading) is one line and blocks are
separated by a blank line (consecutive list items by a single newline); a table is a run of
lines of tab-separated cells; inside a cell, a wrapped line goes on after a space and a line
break the author meant (items, one party a line) is a vertical tab (``\\v``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rok_compare.ingest.pdf.blocks import ITEM, TABLE, Block
from rok_compare.ingest.pdf.hyphenation import Vocabulary, ends_with_break_hyphen, join_lines, repair

_CELL_CLEAN = str.maketrans({"\t": " ", "\f": " ", "\r": None})


@dataclass(slots=True)
class PageText:
    """A page's text; ``tables`` hold each table's rows of (cell text, start, end), offsets into
    ``text``."""

    text: str
    tables: list[list[list[tuple[str, int, int]]]] = field(default_factory=list)

    def shift(self, removed: int) -> None:
        """Offsets after ``removed`` leading characters were cut from the text."""
        self.tables = [[[(t, s - removed, e - removed) for t, s, e in row] for row in table]
                       for table in self.tables]


def compose_page(blocks: list[Block], vocabulary: Vocabulary) -> PageText:
    parts: list[str] = []
    length = 0
    tables: list[list[list[tuple[str, int, int]]]] = []
    previous_kind: str | None = None
    for block in blocks:
        if previous_kind is not None:
            separator = "\n" if previous_kind == ITEM and block.kind == ITEM else "\n\n"
            parts.append(separator)
            length += len(separator)
        if block.kind == TABLE and block.table is not None:
            table, text = _table_text(block.table.rows, vocabulary, length)
            tables.append(table)
        else:
            text = join_lines([line.text for line in block.lines], vocabulary)
        parts.append(text)
        length += len(text)
        previous_kind = block.kind
    return PageText("".join(parts), tables)


def _table_text(rows: list[list[str]], vocabulary: Vocabulary,
                start: int) -> tuple[list[list[tuple[str, int, int]]], str]:
    lines: list[str] = []
    table: list[list[tuple[str, int, int]]] = []
    offset = start
    for row in rows:
        cells: list[tuple[str, int, int]] = []
        texts = []
        for index, raw in enumerate(row):
            if index:
                offset += 1  # the tab before this cell
            cell = _cell_text(raw, vocabulary)
            cells.append((cell, offset, offset + len(cell)))
            texts.append(cell)
            offset += len(cell)
        table.append(cells)
        lines.append("\t".join(texts))
        offset += 1  # the newline after the row
    return table, "\n".join(lines)


def _cell_text(raw: str, vocabulary: Vocabulary) -> str:
    """Wrapped lines (``\\n``) joined by a space, hyphenation repaired; meant breaks stay ``\\v``."""
    items = (join_lines(item.split("\n"), vocabulary) for item in raw.translate(_CELL_CLEAN).split("\v"))
    return "\v".join(item.strip() for item in items if item.strip())


def carry_broken_word(previous: str, page: PageText, vocabulary: Vocabulary) -> tuple[str, int]:
    """A word cut at the end of one page ("möjlig-") and finished on the next ("heter ...").

    Returns the previous page's text with the word made whole and how many characters were
    taken from the start of ``page`` (whose text and offsets are updated).
    """
    text = page.text
    if not ends_with_break_hyphen(previous) or not text[:1].islower():
        return previous, 0
    end = 0
    while end < len(text) and not text[end].isspace():
        end += 1
    word = text[:end]
    if "\t" in word:
        return previous, 0
    previous = previous[:-1] + repair(previous, word, vocabulary) + word
    removed = end + 1 if end < len(text) and text[end] == " " else end
    page.text = text[removed:]
    page.shift(removed)
    return previous, removed
