"""Unruled tables (issue 11, item 6): cells aligned in columns with no rules, read as rows and
cells like a ruled table. Before, such a table was read as loose lines: its first column found
as a column of text of its own (a false gutter) and read before the others, every row broken
apart."""

from __future__ import annotations

from pathlib import Path

import pdf_factory as factory
import pytest

from rok_compare.ingest.pdf import read_pdf
from rok_compare.ingest.pdf.fragments import Fragment
from rok_compare.ingest.pdf.unruled import find_unruled_tables, has_candidates

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "pdf" / "real"


def test_an_unruled_action_table_is_read_as_rows_and_cells(tmp_path):
    spec = factory.unruled_table_agreement(tmp_path / "handlingsplan.pdf")
    document = read_pdf(spec.path, spec.path.read_bytes(), "0" * 64, ocr="never")
    assert len(document.tables) == 1
    cells = [tuple(cell.text.replace("\v", "\n") for cell in row) for row in document.tables[0].rows]
    assert cells == spec.table_rows
    blocks = document.text.split("\n\n")
    assert blocks[1] == spec.paragraphs[0] and blocks[-1] == spec.paragraphs[1]


def _cell(text: str, x0: float, row: int) -> Fragment:
    top = 700 - 14 * row
    return Fragment(text, x0, x0 + 6 * len(text), top - 11, top)


def _words(line: list[Fragment]) -> list[Fragment]:
    return []  # the fragments are the cells already


def test_rows_whose_cells_all_hold_one_line_each_are_rows_of_their_own():
    """Three rows set close, every cell one line: three rows, not one row of three-line cells."""
    rows = [("Insats", "Ansvarig", "Tid"), ("SFI", "Kommunen", "2024"), ("Praktik", "Arbetsförmedlingen", "2025")]
    fragments = [_cell(text, 50 + 150 * column, row) for row, cells in enumerate(rows)
                 for column, text in enumerate(cells)]
    assert has_candidates(fragments)
    tables, rest = find_unruled_tables(fragments, _words)
    assert rest == [] and len(tables) == 1
    assert [tuple(row) for row in tables[0].rows] == rows


def test_two_aligned_columns_are_no_table():
    """A form's labels and values (or a term and its definition) are read line by line."""
    fragments = [_cell(text, 50 + 150 * column, row) for row in range(5)
                 for column, text in enumerate(("Namn:", "Adda Inköpscentral AB"))]
    assert find_unruled_tables(fragments, _words) == ([], fragments)


def test_a_paragraph_across_the_columns_ends_the_table():
    rows = [("Insats", "Ansvarig", "Tid"), ("SFI", "Kommunen", "2024"), ("Praktik", "Länsstyrelsen", "2025")]
    fragments = [_cell(text, 50 + 150 * column, row) for row, cells in enumerate(rows)
                 for column, text in enumerate(cells)]
    paragraph = Fragment("Parterna följer upp handlingsplanen vid varje möte i styrgruppen.", 50, 450, 640, 651)
    tables, rest = find_unruled_tables([*fragments, paragraph], _words)
    assert rest == [paragraph] and len(tables[0].rows) == 3


@pytest.mark.skipif(not (REAL / "botkyrka_2023_avropsforfragan-it-konsult-informationssakerhet.pdf").exists(),
                    reason="real PDFs not available")
def test_a_real_table_whose_rules_are_not_found_is_read_in_rows():
    """Its rules are not found as a grid; read by its aligned columns, each criterion is one row."""
    path = REAL / "botkyrka_2023_avropsforfragan-it-konsult-informationssakerhet.pdf"
    document = read_pdf(path, path.read_bytes(), "0" * 64, ocr="never")
    rows = [row for table in document.tables if table.page == 7 for row in table.rows]
    firsts = [row[0].text for row in rows]
    assert firsts[0] == "Mervärde"
    assert [text.split()[:4] for text in firsts[1:4]] == [["Erfarenhet", "av", "att", "arbeta"]] * 2 + [
        ["Erfarenhet", "av", "att", "tidigare"]]
    assert all(row[1].text == "SEK 50" for row in rows[1:4])


def test_a_ruled_row_of_stacked_records_is_split_into_rows(tmp_path):
    """Every cell of the row holds two lines, one record a line: two rows. Before, one row of
    two-line cells."""
    spec = factory.stacked_rows_pdf(tmp_path / "insatser.pdf")
    document = read_pdf(spec.path, spec.path.read_bytes(), "0" * 64, ocr="never")
    rows = [tuple(cell.text for cell in row) for row in document.tables[0].rows]
    assert rows == [("Insats", "Ansvarig", "År"), ("Samhällsorientering", "Kommunen", "2024"),
                    ("Språkpraktik", "Arbetsförmedlingen", "2025"), ("Hälsoundersökning", "Regionen", "2024")]


def test_a_forms_label_over_its_value_stays_one_cell():
    from rok_compare.ingest.pdf.tables import split_stacked

    row = ["Telefonnummer:\v08-123 45 67", "E-post:\vinfo@kommun.se"]
    assert split_stacked([row]) == [row]
    assert split_stacked([["SFI\vPraktik", "Kommunen\vAF"]]) == [["SFI", "Kommunen"], ["Praktik", "AF"]]
