"""Boxes: ruled "tables" of one column. A slide's text frame, a framed note, a report's shaded
bands (a band a line) or a form's framed answer hold text, not cells: read as rows, a box's
paragraphs run into one cell and its lines become rows of their own. Such a table is read as
body text within its box instead (its lines go through the block rules of ``blocks``), and
kept together in the reading order where the table stood: a UML class's box beside a diagram
stays one unit.
"""

from __future__ import annotations

from rok_compare.ingest.pdf.fragments import Fragment
from rok_compare.ingest.pdf.layout import group_lines, in_table
from rok_compare.ingest.pdf.tables import FoundTable


def one_column(table: FoundTable) -> bool:
    """No row of the table holds more than one cell with text."""
    return all(sum(1 for cell in row if cell.strip()) <= 1 for row in table.rows)


def mark_boxes(tables: list[FoundTable], fragments: list[Fragment], body: list[Fragment]) -> None:
    """Give each one-column table of the page its lines (``FoundTable.lines``): the page's
    fragments inside its box that are not left in the ``body`` (words no cell holds stay there)."""
    boxes = [table for table in tables if one_column(table)]
    if not boxes:
        return
    kept = {id(fragment) for fragment in body}
    for box in boxes:
        inside = [f for f in fragments if id(f) not in kept and in_table(f, [box])]
        box.lines = group_lines(inside)
