"""Text layers laid over scans by OCR programs: words placed one by one without space
characters, and running headers and page numbers in which OCR took digits for letters.

Both failed on the reader before: the words of each line came out run together into one long
"word", and the first page's number "- l -" stayed in the text (it is no number to a pattern of
digits, and it repeats on no other page).
"""

from __future__ import annotations

import pdf_factory as factory
import pytest

from rok_compare.ingest.pdf import read_pdf
from rok_compare.ingest.pdf.furniture import digits_read_as_letters, furniture_key, is_page_number


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[str]]:
    path, bodies = factory.ocr_layer_pdf(tmp_path_factory.mktemp("ocr_layer") / "lager.pdf")
    text = read_pdf(path, path.read_bytes(), "0" * 64, ocr="never").text
    return text.split("\f"), bodies


def test_words_placed_without_spaces_are_read_apart(pages):
    read, bodies = pages
    for page, body in zip(read, bodies, strict=True):
        assert " ".join(page.split()) == body


def test_running_header_and_page_numbers_with_look_alikes_are_dropped(pages):
    read, _ = pages
    for page in read:
        assert "överenskommelse" not in page and "Regiona" not in page
        assert not page.rstrip().endswith(("- l -", "- 2 -", "- 3 -"))


@pytest.mark.parametrize(("text", "number"), [("Sida l av 4", True), ("- l -", True), ("l2 (2O)", True),
                                               ("I enlighet med", False), ("Iso 9001", False), ("hello", False)])
def test_look_alike_page_numbers(text, number):
    assert is_page_number(text) is number


def test_look_alikes_count_as_digits_only_in_numbers():
    assert digits_read_as_letters("Sida l2 av 2O, Ingrid Olsson") == "Sida 12 av 20, Ingrid Olsson"
    assert furniture_key("Sida l av 5") == furniture_key("Sida 3 av 5")


def test_footnotes_of_a_scanned_page_are_dropped_with_their_marks_read_as_look_alikes(tmp_path):
    """OCR reads the raised marks "2010¹" and "sätt.²" as "2010!" and "sätt.?"; the small
    numbered lines at the page foot are footnotes all the same. Before, they stayed in the
    body (a scanned page has no raised characters nor rules to find them by)."""
    from rok_compare.ingest.pdf.ocr import tesseract_ready

    if not tesseract_ready():
        pytest.skip("needs Tesseract (tesseract-ocr, tesseract-ocr-swe)")
    source = tmp_path / "fotnoter.pdf"
    factory.footnote_agreement(source)
    scan = factory.scanned_copy(source, tmp_path / "fotnoter_skannad.pdf")
    text = read_pdf(scan, scan.read_bytes(), "0" * 64, ocr="auto").text
    assert "Lagen (2010:197)" not in text and "Se Länsstyrelsens rapport" not in text
    assert "bosättningslagen (2016:38)" in text and "Samhällsorientering" in text
