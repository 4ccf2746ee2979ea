"""Boxes: a ruled "table" of one column (a slide's text frame, a framed note, a report's shaded
bands) is text, read as the body is and kept together where it stands; and a label line of its
own after a sentence ends starts a block. Both found on real pages (a slide's two paragraphs run
into one cell, a report's paragraphs cut into a row a line, a form's "Kompetensprofil konsult:"
run into the sentence above); rebuilt here on generated pages.
"""

from __future__ import annotations

import random
from pathlib import Path

import pdf_factory as factory

from rok_compare.ingest.pdf import read_pdf
from rok_compare.ingest.pdf.blocks import page_blocks
from rok_compare.ingest.pdf.layout import Flow, Line


def _read(path: Path):
    return read_pdf(path, path.read_bytes(), "0" * 64, ocr="never")


def _boxed_slide(path: Path) -> tuple[Path, str, list[str], str]:
    """A heading row and a body row framed as one box of one column (two rectangles), the body
    row holding two paragraphs set apart by a paragraph gap; a line of text under the box."""
    rng = random.Random(31)
    measure = factory._measure(factory.BODY_PT)
    x0, width = factory.MARGIN, factory.PAGE_W - 2 * factory.MARGIN
    heading = "Benämningar i förstudien"
    ops: list[tuple] = [("rect", x0, 30.0, width, 12.0), (x0 + 3, 38.0, heading, factory.HEADING_PT, True)]
    y, paragraphs = 50.0, []
    for _ in range(2):
        lines = factory._wrapped(measure, " ".join(rng.sample(factory.SENTENCES, 3)), width - 6)
        for line in lines:
            ops.append((x0 + 3, y, line, factory.BODY_PT, False))
            y += 5.0
        y += 4.0
        paragraphs.append(factory.logical_text(" ".join(lines)))
    ops.append(("rect", x0, 42.0, width, y - 42.0))
    after = "Texten under rutan är en egen paragraf."
    ops.append((x0, y + 10.0, after, factory.BODY_PT, False))
    factory._drawn(path, [ops])
    return path, heading, paragraphs, after


def test_a_one_column_box_is_read_as_text_where_it_stands(tmp_path):
    path, heading, paragraphs, after = _boxed_slide(tmp_path / "slide.pdf")
    document = _read(path)
    assert document.tables == []  # before: a table of two rows, both paragraphs in one cell
    assert document.text.split("\n\n") == [heading, *paragraphs, after]


def test_a_ruled_table_of_two_columns_is_still_a_table(tmp_path):
    path, rows = factory.framed_cell_pdf(tmp_path / "framed.pdf")
    document = _read(path)
    assert [[cell.text for cell in row] for row in document.tables[0].rows] == [list(row) for row in rows]


def _line(text: str, row: int, x1: float = 500.0) -> Line:
    top = 700 - 12.0 * row
    return Line(text, 70.0, x1, top - 10.0, top, False)


def test_a_label_line_after_a_full_stop_starts_a_block():
    lines = [_line("Då det är av yttersta vikt att säkerställa att tjänsterna uppfyller högsta möjliga", 0),
             _line("säkerhetsstandarder så behöver vi penetrationstesta delar av miljön.", 1, x1=430.0),
             _line("Kompetensprofil konsult:", 2, x1=190.0)]
    blocks = [" ".join(line.text for line in block.lines) for block in page_blocks([Flow(70.0, 500.0, lines)], 10.0)]
    assert blocks == [f"{lines[0].text} {lines[1].text}", lines[2].text]


def test_a_label_that_ends_a_wrapped_sentence_stays_in_it():
    """"... enligt följande" / "villkor:" is the sentence going on, not a label of its own."""
    lines = [_line("Parterna åtar sig att under avtalsperioden genomföra insatserna enligt följande", 0),
             _line("villkor:", 1, x1=120.0)]
    blocks = [" ".join(line.text for line in block.lines) for block in page_blocks([Flow(70.0, 500.0, lines)], 10.0)]
    assert blocks == [f"{lines[0].text} {lines[1].text}"]


def test_text_set_narrower_than_its_column_keeps_its_paragraphs(tmp_path):
    """A paragraph wrapped at half the column's width (beside a picture, or a box's cell beside
    an icon column) above full-width paragraphs: its lines end far short of the column's edge,
    yet the sentence goes on. Before, it was cut at every line."""
    rng = random.Random(32)
    measure = factory._measure(factory.BODY_PT)
    width = factory.PAGE_W - 2 * factory.MARGIN
    ops: list[tuple] = [("rect", factory.MARGIN + 0.6 * width, 32.0, 0.4 * width - 2, 30.0)]  # the picture
    expected, y = [], 36.0
    for share in (0.55, 1.0, 1.0):
        text = " ".join(rng.sample(factory.SENTENCES, 3)).replace(". ", ", och ").lower()
        lines = factory._wrapped(measure, text, share * width)
        for line in lines:
            ops.append((factory.MARGIN, y, line, factory.BODY_PT, False))
            y += 5.0
        y += 5.0
        expected.append(factory.logical_text(" ".join(lines)))
    factory._drawn(tmp_path / "narrow.pdf", [ops])
    assert _read(tmp_path / "narrow.pdf").text.split("\n\n") == expected
