"""Table cells whose lines wrap at the cell's edge are one phrase; lines the author broke (list
items, one party a line) stay apart as ``\\v``: in the reader and in the action-table commitments."""

from __future__ import annotations

from pathlib import Path

import pdf_factory as factory
import pytest

from rok_compare.extract import extract_document
from rok_compare.ingest import read_document
from rok_compare.ingest.pdf.cells import cell_text, text_breaks
from rok_compare.ingest.pdf.fragments import Fragment


@pytest.fixture(scope="module")
def action_pdf(tmp_path_factory: pytest.TempPathFactory) -> factory.GeneratedPdf:
    return factory.action_table_agreement(tmp_path_factory.mktemp("tables") / "handlingsplan.pdf")


def test_wrapped_cell_lines_join_and_meant_breaks_stay(action_pdf):
    doc = read_document(action_pdf.path)
    assert len(doc.tables) == 1
    rows = [tuple(cell.text for cell in row) for row in doc.tables[0].rows]
    expected = [tuple(text.replace("\n", "\v") for text in row) for row in action_pdf.table_rows]
    assert rows == expected
    assert "Jönköpings kommun\t2021–2023" in doc.text  # a narrow cell's wrapped name is whole
    for row in doc.tables[0].rows:
        for cell in row:
            assert doc.text[cell.span.start : cell.span.end] == cell.text


def test_action_table_gives_one_commitment_per_action_and_owner(action_pdf):
    agreement = extract_document(action_pdf.path)
    found = {(c.party, c.text) for c in agreement.commitments if c.party != "*"}
    assert found == {
        ("Jönköpings kommun", "Samhällsorientering på modersmål för alla nyanlända vuxna i länets kommuner"),
        ("Region Jönköpings län", "Hälsoundersökning inom tre månader efter ankomsten till länet"),
        ("Länsstyrelsen", "Validering av utländska yrkeskunskaper"),
        ("Region Jönköpings län", "Regional samordning av praktikplatser"),
        ("Arbetsförmedlingen", "Kurser i svenska för akademiker"),
        ("Jönköpings kommun", "Kurser i svenska för akademiker"),
    }


def test_factory_table_cells_come_back_whole(tmp_path: Path):
    spec = factory.table_agreement(tmp_path / "plan.pdf")
    doc = read_document(spec.path)
    rows = [tuple(cell.text for cell in row) for row in doc.tables[0].rows]
    assert rows == spec.table_rows  # "Hälsoundersökning för nyanlända och asylsökande" wraps in its cell
    assert "\v" not in doc.text


def _words(*lines: tuple[float, str]) -> list[Fragment]:
    """Words of a cell's lines (left edge, text), 10 pt, 5 pt a character, 12 pt apart."""
    words = []
    for number, (x, text) in enumerate(lines):
        bottom = 700.0 - 12 * number
        for word in text.split():
            words.append(Fragment(word, x, x + 5 * len(word), bottom, bottom + 10))
            x += 5 * len(word) + 3
    return words


@pytest.mark.parametrize(("lines", "joined"), [
    ([(102, "Jönköpings"), (102, "kommun")], "Jönköpings\nkommun"),  # a phrase going on
    ([(102, "Länsstyrelsen"), (102, "Region")], "Länsstyrelsen\vRegion"),  # "Region" would have fitted
    ([(102, "Arbetsförmedlingen"), (102, "Region")], "Arbetsförmedlingen\nRegion"),  # it would not
    ([(102, "Hälsoundersökning för"), (102, "Alla")], "Hälsoundersökning för\nAlla"),
    ([(102, "• Validering"), (102, "• Kartläggning")], "• Validering\v• Kartläggning"),
    ([(102, "Arbetsmarknads-"), (102, "Utbildning")], "Arbetsmarknads-\nUtbildning"),
])
def test_cell_text_marks_meant_breaks(lines, joined):
    # the cell is 110 pt wide with 2 pt padding: text ends by x = 208
    assert cell_text(_words(*lines), (100.0, 600.0, 210.0, 720.0)) == joined


def test_text_breaks_without_boxes():
    assert text_breaks(["Samhällsorientering för", "alla nyanlända"]) == "Samhällsorientering för\nalla nyanlända"
    assert text_breaks(["• Validering", "• Kartläggning"]) == "• Validering\v• Kartläggning"


def test_action_table_in_a_text_file_joins_a_phrase_broken_inside_a_cell(tmp_path: Path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "Handlingsplan för Jönköpings län 2021\n\n"
        "Åtgärd\tAnsvarig\n"
        "Samhällsorientering på modersmål för\valla nyanlända vuxna\tRegion Jönköpings\vlän\n"
        "Validering av yrkeskunskaper\vKurser i svenska för akademiker\tArbetsförmedlingen\vJönköpings kommun\n",
        encoding="utf-8")
    agreement = extract_document(path)
    found = {(c.party, c.text) for c in agreement.commitments}
    assert found == {
        ("Region Jönköpings län", "Samhällsorientering på modersmål för alla nyanlända vuxna"),
        ("Arbetsförmedlingen", "Validering av yrkeskunskaper"),
        ("Jönköpings kommun", "Kurser i svenska för akademiker"),
    }
