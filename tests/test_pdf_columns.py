"""A page with too little text to show its columns by itself (the last page of a two-column
agreement, its right column a few lines) is read in the columns of the document's other pages."""

from __future__ import annotations

from pathlib import Path

import pdf_factory as factory
import pytest

from rok_compare.ingest import read_document
from rok_compare.ingest.pdf.fragments import Fragment
from rok_compare.ingest.pdf.layout import borrowed_gutters, shared_gutters


@pytest.mark.parametrize("order", ["rows", "columns"])
def test_short_right_column_on_the_last_page_is_read_after_the_left(tmp_path: Path, order: str):
    spec = factory.short_last_column_agreement(tmp_path / f"kort_{order}.pdf", order=order)
    doc = read_document(spec.path)
    assert spec.pages == 2 and len(spec.columns[-1][1]) <= 3  # a right column of a few lines
    assert [p for p in spec.paragraphs if p not in doc.text.replace("\f", " ")] == []
    heading, last = factory.SHORT_COLUMN
    assert doc.text.endswith(f"\n\n{heading}\n\n{last}")


def _fragment(x0: float, x1: float, y: float) -> Fragment:
    return Fragment("ord ord", x0, x1, y, y + 10)


def test_gutters_are_shared_only_when_enough_pages_show_them():
    two = [(290.0, 310.0)]
    assert shared_gutters([595.0, 595.0], [two, []]) == {595.0: two}
    assert shared_gutters([595.0] * 5, [two, [], [], [], []]) == {}  # one page in five: not the layout
    assert shared_gutters([595.0, 842.0], [two, []]) == {595.0: two}  # by page width


def test_borrowed_gutter_needs_text_on_both_sides_aligned_with_the_column():
    gutter = [(290.0, 310.0)]
    left = [_fragment(57, 280, 700 - 12 * k) for k in range(8)]
    assert borrowed_gutters([*left, _fragment(310, 400, 700)], gutter) == gutter
    assert borrowed_gutters(left, gutter) == []  # nothing on the right
    assert borrowed_gutters([*left, _fragment(420, 500, 700)], gutter) == []  # not where the column starts
