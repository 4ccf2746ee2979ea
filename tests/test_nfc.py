"""Text is NFC-normalised on the way in, with every offset true against the stored text."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import docx
import pytest
from conftest import DEV, SEEDS

from rok_compare.extract import extract_document
from rok_compare.ingest import read_document
from rok_compare.ingest.nfc import normalize, normalize_document
from rok_compare.model import Page, Paragraph, SourceDocument, SourceFormat, Span, Table, TableCell
from rok_compare.serialize import agreement_to_dict

BLEKINGE = DEV / "blekinge_2019-2021_rok_lansstyrelsen.txt"


def _nfd_copy(source: Path, target: Path) -> Path:
    target.write_text(unicodedata.normalize("NFD", source.read_text(encoding="utf-8")), encoding="utf-8")
    return target


@pytest.mark.parametrize("name", [*(p.name for p in sorted(SEEDS.glob("*.txt"))), BLEKINGE.name])
def test_an_nfd_copy_extracts_like_the_original(tmp_path, name):
    source = BLEKINGE if name == BLEKINGE.name else SEEDS / name
    if not source.exists():
        pytest.skip("../shared not available")
    nfd = _nfd_copy(source, tmp_path / name)
    assert nfd.read_bytes() != source.read_bytes()
    original, copy = extract_document(source), extract_document(nfd)
    assert sorted(p.canonical for p in copy.parties) == sorted(p.canonical for p in original.parties)
    assert copy.period == original.period and copy.doc_type == original.doc_type and copy.county == original.county
    assert copy.parties and copy.doc_type.value != "other"
    first, second = agreement_to_dict(original), agreement_to_dict(copy)
    first.pop("source"), second.pop("source")
    assert first == second  # spans included: the stored text is the same text


def test_the_blekinge_agreement_in_nfd_keeps_its_parties_and_period(tmp_path):
    if not BLEKINGE.exists():
        pytest.skip("../shared not available")
    agreement = extract_document(_nfd_copy(BLEKINGE, tmp_path / "blekinge.txt"))
    assert len(agreement.parties) == 6 and agreement.period is not None
    assert agreement.period.label() == "2019–2021" and agreement.doc_type.value == "regional_agreement"
    for party in agreement.parties:
        assert unicodedata.is_normalized("NFC", party.name)
        assert agreement.source.text[party.span.start : party.span.end] == party.name


@pytest.mark.parametrize("text", [
    "Region Ga\u0308vleborg och Va\u0308stra Go\u0308taland\fSida tva\u030a",
    "\u0308inledande tecken, A\u030angstro\u0308m \u212b och \u0344 och \u1100\u1161 och e\u0301\u0323",
    "redan normaliserad text utan ändringar",
    "",
])
def test_every_offset_maps_onto_the_same_word(text):
    normalized, moved = normalize(text)
    assert normalized == unicodedata.normalize("NFC", text)
    if moved is None:
        assert normalized == text
        return
    for word in text.split():
        start = text.index(word)
        new_start, new_end = moved(start), moved(start + len(word), end=True)
        assert normalized[new_start:new_end] == unicodedata.normalize("NFC", word)
    assert moved(len(text), end=True) == len(normalized)


def test_pages_paragraphs_and_cells_move_with_the_text():
    text = "Ma\u030alo\u0308sa\tLa\u0308nsstyrelsen\nrad\fSida tva\u030a"
    cells = [TableCell("Ma\u030alo\u0308sa", Span(1, 0, 8, 1)), TableCell("La\u0308nsstyrelsen", Span(1, 9, 23, 2))]
    document = SourceDocument(Path("x.txt"), "0" * 64, SourceFormat.TEXT, text,
                              [Page(1, 0, 27), Page(2, 28, len(text))], tables=[Table(1, (tuple(cells),))],
                              paragraphs=[Paragraph(1, 0, 8), Paragraph(2, 9, 23), Paragraph(3, 28, len(text))])
    assert document.page_at(28) == 2
    normalize_document(document)
    assert document.text == unicodedata.normalize("NFC", text)
    assert document.text[document.pages[1].start : document.pages[1].end] == "Sida två"
    assert document.page_at(document.text.index("Sida")) == 2 and document.page_at(document.text.index("rad")) == 1
    assert [document.text[p.start : p.end] for p in document.paragraphs] == ["Målösa", "Länsstyrelsen", "Sida två"]
    for cell in document.tables[0].rows[0]:
        assert document.text[cell.span.start : cell.span.end] == cell.text
    assert document.tables[0].rows[0][1].span.paragraph == 2


def test_a_word_file_written_in_nfd_is_stored_in_nfc(tmp_path):
    document = docx.Document()
    document.add_heading(unicodedata.normalize("NFD", "Överenskommelse för Västra Götalands län"), 1)
    document.add_paragraph(unicodedata.normalize("NFD", "Parterna är Länsstyrelsen och Försäkringskassan."))
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = unicodedata.normalize("NFD", "Hälsa")
    table.rows[0].cells[1].text = unicodedata.normalize("NFD", "Region Västra Götaland")
    path = tmp_path / "nfd.docx"
    document.save(path)
    source = read_document(path)
    assert unicodedata.is_normalized("NFC", source.text) and "Västra Götalands län" in source.text
    for paragraph in source.paragraphs:
        assert source.text[paragraph.start : paragraph.end].strip()
    for cell in source.tables[0].rows[0]:
        assert source.text[cell.span.start : cell.span.end] == cell.text
    assert [cell.text for cell in source.tables[0].rows[0]] == ["Hälsa", "Region Västra Götaland"]
    assert source.text[source.paragraphs[-1].start : source.paragraphs[-1].end] == "Region Västra Götaland"


def test_an_html_page_in_nfd_is_stored_in_nfc(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(unicodedata.normalize("NFD", "<html><body><h1>Överenskommelse</h1><p>Gävle &amp; Älvkarleby</p>"
                                                 "</body></html>"), encoding="utf-8")
    source = read_document(path)
    assert "Överenskommelse" in source.text and "Gävle &" in source.text and "Älvkarleby" in source.text
