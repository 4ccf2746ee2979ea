"""Column gutters measured robustly (issue 11, item 2).

- Two dense justified columns whose gutter is half a line height wide (a scanned yearbook's
  register: narrower than many of its stretched word gaps) are read column by column; before,
  a gutter had to be half a line height at least and the page was read row by row across both.
- A slide whose two columns hold four and six lines (too few to show columns by their shape)
  is read column by column because the PDF writes it so; before, it was read row by row.
- One-column pages keep their reading: a form's labels and values, and text whose lines do not
  run column by column in the PDF's order, are no columns.
"""

from __future__ import annotations

from pathlib import Path

import pdf_factory as factory
import pytest

from rok_compare.ingest.pdf import read_pdf
from rok_compare.ingest.pdf.fragments import Fragment
from rok_compare.ingest.pdf.layout import find_gutters

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "pdf" / "real"


def _text(path: Path) -> str:
    return read_pdf(path, path.read_bytes(), "0" * 64, ocr="never").text


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("order", ["rows", "columns"])
def test_dense_justified_columns_with_a_narrow_gutter_are_read_column_by_column(tmp_path, order):
    path, entries = factory.dense_columns_pdf(tmp_path / f"register_{order}.pdf", order=order)
    text = _flat(_text(path))
    place = 0
    for entry in entries:  # each entry found after the one before it
        place = text.find(_flat(entry), place)
        assert place >= 0, f"not in reading order: {entry[:50]}"


def test_a_wider_gutter_is_still_needed_when_the_columns_are_not_justified():
    """Ragged lines with a strip between them half a line height wide: no gutter."""
    left = [Fragment("kort rad " * 2, 50, 150 - 15 * (k % 5), 700 - 14 * k, 711 - 14 * k) for k in range(20)]
    right = [Fragment("annan rad", 155, 260, 700 - 14 * k, 711 - 14 * k) for k in range(20)]
    assert find_gutters(left + right) == []


def _slide(order_by_columns: bool) -> list[Fragment]:
    left = [Fragment("A. Översikt", 54, 161, 281, 305), Fragment("- Första version på plats", 66, 269, 258, 277),
            Fragment("B. Nulägesanalys", 54, 224, 210, 235), Fragment("- Datainsamling pågår", 66, 260, 187, 207)]
    right = [Fragment("C. Behovskartläggning", 372, 601, 281, 305),
             Fragment("- Dialoger genomförda", 384, 581, 258, 277),
             Fragment("- Dialoger sammanfattade", 384, 610, 239, 258),
             Fragment("D. Kravställning och testfall", 372, 643, 171, 196)]
    title = Fragment("Status kring förstudie och leverabler", 54, 616, 330, 367)
    if order_by_columns:
        return [title, *left, *right]
    rows = sorted(left + right, key=lambda f: (-f.top, f.x0))
    return [title, *rows]


def test_a_slides_columns_are_taken_from_the_pdfs_order():
    assert len(find_gutters(_slide(order_by_columns=True))) == 1
    assert find_gutters(_slide(order_by_columns=False)) == []  # written row by row: no evidence


def test_a_generated_slide_with_two_short_columns_reads_column_by_column(tmp_path):
    path, columns = factory.slide_columns_pdf(tmp_path / "slide.pdf")
    text = _text(path)
    assert [line for line in text.replace("\n\n", "\n").split("\n")][1:] == [*columns[0], *columns[1]]


@pytest.mark.skipif(not (REAL / "digg_2022_workshop-informationsmodeller-bilder.pdf").exists(),
                    reason="real PDFs not available")
def test_the_real_slide_reads_column_by_column():
    text = _text(REAL / "digg_2022_workshop-informationsmodeller-bilder.pdf").split("\f")[2]
    order = ["A. Översikt", "Första version", "B. Nulägesanalys", "Datainsamling", "C. Behovskartläggning",
             "Dialoger genomförda", "Scenarior", "D. Kravställning", "Ej påbörjat"]
    assert [text.find(part) for part in order] == sorted(text.find(part) for part in order)
