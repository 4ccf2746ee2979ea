"""Build Word and OpenDocument files for tests: from a seed's segmented blocks, or by hand.

A seed is turned into a real word-processor document by its structure as the segmenter sees it:
each heading a Heading 1 (``text:h``), each list item a bulleted list paragraph, each run of
table rows a table, everything else a paragraph. Extracting the result must give what the text
gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, ListLevelStyleBullet, ListLevelStyleNumber, ListStyle, P

from rok_compare.ingest import read_document
from rok_compare.segment import segment


@dataclass(slots=True)
class Item:
    kind: str
    """heading, paragraph, list_item, table_row."""
    text: str
    cells: list[str]


def seed_items(path: Path) -> list[Item]:
    """The seed's headings, paragraphs, list items and table rows (furniture too) in text order."""
    doc = segment(read_document(path))
    found: list[tuple[int, Item]] = []
    for section in doc.sections:
        if section.heading is not None and section.heading_span is not None:
            found.append((section.heading_span.start, Item("heading", section.heading, [])))
        for block in section.blocks:
            cells = [_cell_lines(doc.source.text[c.span.start : c.span.end]) for c in block.cells]
            found.append((block.span.start, Item(str(block.kind), block.text, cells)))
    found += [(block.span.start, Item("paragraph", block.text, [])) for block in doc.furniture]
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _cell_lines(text: str) -> str:
    """A cell's lines (``\\v`` in the text) kept as lines: one party a line stays so."""
    return "\n".join(" ".join(line.split()) for line in text.split("\v") if line.strip())


def write_docx(items: list[Item], target: Path) -> Path:
    document = docx.Document()
    table = None
    for item in items:
        if item.kind != "table_row":
            table = None
        if item.kind == "heading":
            document.add_heading(item.text, 1)
        elif item.kind == "list_item":
            document.add_paragraph(item.text, style="List Bullet")
        elif item.kind == "table_row":
            if table is None or len(table.columns) != len(item.cells):
                table = document.add_table(rows=0, cols=len(item.cells))
            for cell, text in zip(table.add_row().cells, item.cells, strict=True):
                cell.text = text
        else:
            document.add_paragraph(item.text)
    document.save(target)
    return target


class OdtWriter:
    """odfpy with the two list styles (bullets, numbers) and a page-break paragraph style."""

    def __init__(self) -> None:
        self.document = OpenDocumentText()
        self.bullets = ListStyle(name="Bullets")
        self.bullets.addElement(ListLevelStyleBullet(level=1, bulletchar="•"))
        self.bullets.addElement(ListLevelStyleBullet(level=2, bulletchar="–"))
        self.numbers = ListStyle(name="Numbers")
        self.numbers.addElement(ListLevelStyleNumber(level=1, numformat="1", numsuffix="."))
        self.page_break = Style(name="PageBreak", family="paragraph")
        self.page_break.addElement(ParagraphProperties(breakbefore="page"))
        for style in (self.bullets, self.numbers, self.page_break):
            self.document.automaticstyles.addElement(style)
        self.list: List | None = None
        self.table: Table | None = None

    def heading(self, text: str, level: int = 1) -> None:
        self._close()
        self.document.text.addElement(H(outlinelevel=level, text=text))

    def paragraph(self, text: str, new_page: bool = False) -> None:
        self._close()
        self.document.text.addElement(P(text=text, stylename=self.page_break) if new_page else P(text=text))

    def item(self, text: str, numbered: bool = False) -> None:
        style = self.numbers if numbered else self.bullets
        if self.list is None or self.list.getAttribute("stylename") != style.getAttribute("name"):
            self._close()
            self.list = List(stylename=style)
            self.document.text.addElement(self.list)
        entry = ListItem()
        entry.addElement(P(text=text))
        self.list.addElement(entry)

    def row(self, cells: list[str]) -> None:
        if self.table is None or len(self.table.getElementsByType(TableColumn)) != len(cells):
            self._close()
            self.table = Table(name=f"Tabell{id(self)}")
            for _ in cells:
                self.table.addElement(TableColumn())
            self.document.text.addElement(self.table)
        row = TableRow()
        for text in cells:
            cell = TableCell()
            for line in text.split("\n"):
                cell.addElement(P(text=line))
            row.addElement(cell)
        self.table.addElement(row)

    def _close(self) -> None:
        self.list = self.table = None

    def save(self, target: Path) -> Path:
        self.document.save(str(target))
        return target


def write_odt(items: list[Item], target: Path) -> Path:
    writer = OdtWriter()
    for item in items:
        if item.kind == "heading":
            writer.heading(item.text)
        elif item.kind == "list_item":
            writer.item(item.text)
        elif item.kind == "table_row":
            writer.row(item.cells)
        else:
            writer.paragraph(item.text)
    return writer.save(target)
