"""Telling a PDF from a text or HTML file that merely mentions "%PDF-1.7" in its first KB."""

from __future__ import annotations

from pathlib import Path

import pdf_factory as factory
import pytest

from rok_compare.errors import InputError
from rok_compare.ingest import read_document
from rok_compare.ingest.sniff import has_pdf_header
from rok_compare.model import SourceFormat

LETTER = ("Regional överenskommelse om nyanländas etablering\n\n"
          "Bilagan skickades som %PDF-1.7 men kunde inte öppnas. Länsstyrelsen ska samordna arbetet.\n")


@pytest.fixture(scope="module")
def agreement_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("sniff") / "agreement.pdf"
    factory.encrypted_pdf(path, user_password=None)  # a small one-page agreement
    return path.read_bytes()


def test_text_file_mentioning_the_pdf_header_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "agreement.txt"
    path.write_text(LETTER, encoding="utf-8")
    doc = read_document(path)
    assert doc.format is SourceFormat.TEXT and doc.text == LETTER


def test_html_named_pdf_mentioning_the_header_is_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "download.pdf"
    path.write_text("<html><body><p>Filen %PDF-1.7 kunde inte laddas ned.</p></body></html>", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert caught.value.problem == "is not a PDF (an HTML page)"


def test_html_file_mentioning_the_header_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>Ladda ned %PDF-1.7 här.</p><p>Länsstyrelsen</p></body></html>",
                    encoding="utf-8")
    assert read_document(path).format is SourceFormat.HTML


@pytest.mark.parametrize("prefix", [
    b"",
    b"\xef\xbb\xbf",  # a byte-order mark
    b"\r\n  \n",  # whitespace
    bytes(range(1, 9)) * 16,  # binary junk (a MacBinary-like header): PDFium skips it
    b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n",  # a saved HTTP response
])
def test_pdf_header_after_what_pdf_readers_skip(tmp_path: Path, agreement_bytes: bytes, prefix: bytes) -> None:
    path = tmp_path / "agreement.bin"
    path.write_bytes(prefix + agreement_bytes)
    doc = read_document(path)
    assert doc.format is SourceFormat.PDF and "Samverkan ska bidra" in doc.text


@pytest.mark.parametrize(("data", "expected"), [
    (b"%PDF-1.4\n1 0 obj", True),
    (b"Se bilagan %PDF-1.7 nedan", False),
    (b"Rad ett\n%PDF-1.7 nedan utan objekt", False),  # at a line start, but no PDF structure
    (b"Rad ett\n%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF", True),
    (b"\x00\x01\x02%PDF-1.7", True),
    (b"x" * 1100 + b"%PDF-1.7", False),  # beyond the first KB: PDFium does not find it either
])
def test_has_pdf_header(data: bytes, expected: bool) -> None:
    assert has_pdf_header(data) is expected
