"""OCR of pages without a usable text layer, and the reader's limits and odd pages.

The OCR tests render a generated agreement to images (an image-only PDF, as a scanner makes)
and read it back with Tesseract; they are skipped where Tesseract with Swedish data is missing,
and the message a reader without it gives is tested apart by hiding it.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import pdf_factory as factory
import pytest

from rok_compare.errors import InputError
from rok_compare.ingest import read_document
from rok_compare.ingest.pdf import ocr as ocr_module
from rok_compare.ingest.pdf import read_pdf
from rok_compare.ingest.pdf.fragments import Fragment
from rok_compare.ingest.pdf.textlayer import compose_accents, readable

needs_tesseract = pytest.mark.skipif(not ocr_module.tesseract_ready(),
                                     reason="tesseract-ocr with tesseract-ocr-swe is not installed")


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def _recall(found: str, expected: str) -> float:
    want, have = _words(expected), _words(found)
    return sum(min(count, have[word]) for word, count in want.items()) / sum(want.values())


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf_ocr")


@pytest.fixture(scope="module")
def scanned(pdf_dir: Path) -> tuple[Path, str]:
    """A two-page agreement and its image-only copy; the text PDF's reading is the truth."""
    source = pdf_dir / "text.pdf"
    factory.single_column_agreement(source, sections=5)
    truth = read_document(source)
    assert len(truth.pages) == 2
    return factory.scanned_copy(source, pdf_dir / "scanned.pdf"), truth.text


def _read(path: Path, **options) -> object:
    data = path.read_bytes()
    return read_pdf(path, data, "0" * 64, **options)


@needs_tesseract
def test_an_image_only_pdf_is_read_by_ocr_with_its_words_and_layout(scanned):
    path, truth = scanned
    doc = _read(path)  # OCR seconds a page are measured by scripts/bench_extract.py, not here
    assert len(doc.pages) == 2
    assert _recall(doc.text, truth) >= 0.97, doc.text[:400]
    # layout works on OCR'd words as on a text layer: the running header and the "Sida N av M"
    # footer are dropped, the title comes first, the paragraph wrapped in the scan is one line
    assert factory.HEADER not in doc.text and "Sida 1 av 2" not in doc.text
    assert doc.text.startswith(factory.TITLE[:40])
    assert "\n\n1. Inledning\n\n" in doc.text or "\n\n1 Inledning\n\n" in doc.text


@needs_tesseract
def test_ocr_never_leaves_a_scan_unread_with_the_old_message(scanned):
    path, _ = scanned
    with pytest.raises(InputError) as caught:
        _read(path, ocr="never")
    assert caught.value.problem == "PDF has no text layer (scanned images?); it needs OCR"


@needs_tesseract
def test_ocr_always_reads_a_text_pdf_from_its_pixels(pdf_dir):
    source = factory.title_page_pdf(pdf_dir / "always.pdf")
    doc = _read(source, ocr="always")
    assert "Regional överenskommelse om samverkan" in doc.text
    assert all(not warning.startswith("page") for warning in doc.warnings)


@needs_tesseract
def test_the_environment_variable_is_the_default_mode(scanned, monkeypatch):
    path, _ = scanned
    monkeypatch.setenv("ROK_OCR", "never")
    with pytest.raises(InputError):
        read_document(path)
    monkeypatch.setenv("ROK_OCR", "auto")
    assert read_document(path).text


def test_an_unknown_mode_is_refused_in_one_line(monkeypatch):
    with pytest.raises(ValueError, match="ocr must be one of auto, always, never, not 'sometimes'"):
        ocr_module.ocr_mode("sometimes")
    monkeypatch.setenv("ROK_OCR", "yes")
    with pytest.raises(ValueError, match="ROK_OCR must be one of"):
        ocr_module.ocr_mode(None)


def test_without_tesseract_a_scan_fails_in_one_line_saying_how_to_install_it(scanned_or_plain, monkeypatch):
    monkeypatch.setattr(ocr_module, "tesseract_ready", lambda: False)
    monkeypatch.setattr("rok_compare.ingest.pdf.tesseract_ready", lambda: False)
    with pytest.raises(InputError) as caught:
        _read(scanned_or_plain)
    message = str(caught.value)
    assert message.startswith(f"{scanned_or_plain}: PDF has no text layer")
    assert "apt-get install tesseract-ocr tesseract-ocr-swe" in message and "\n" not in message
    with pytest.raises(InputError, match="OCR was asked for but Tesseract is not available"):
        _read(scanned_or_plain, ocr="always")


@pytest.fixture
def scanned_or_plain(pdf_dir: Path) -> Path:
    """An image-only PDF that needs no Tesseract to make."""
    return factory.image_only_pdf(pdf_dir / "grey.pdf", pages=1)


# --- odd pages and hostile files ---------------------------------------------------------------

def test_a_title_page_without_a_digit_is_read(pdf_dir):
    doc = _read(factory.title_page_pdf(pdf_dir / "title.pdf"), ocr="never")
    assert doc.text.startswith("Regional överenskommelse om samverkan")
    assert doc.text[doc.pages[1].start : doc.pages[1].end].startswith("1. Inledning")


def test_a_million_declared_pages_fail_fast_naming_the_file_and_the_limit(pdf_dir):
    path = factory.page_bomb_pdf(pdf_dir / "pages.pdf")
    assert path.stat().st_size < 3000
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        _read(path)
    assert time.perf_counter() - started < 2
    message = str(caught.value)
    assert message.startswith(f"{path}: PDF declares 1,000,000 pages, more than the limit of 2,000")
    assert "max_pages" in message and "\n" not in message
    doc = _read(factory.page_bomb_pdf(pdf_dir / "few.pdf", levels=1, fan=3), max_pages=3, ocr="never")
    assert doc.text.split("\f") == ["Sida"] * 3


def test_a_stream_inflating_past_the_limit_fails_before_it_is_inflated(pdf_dir):
    path = factory.inflate_bomb_pdf(pdf_dir / "inflate.pdf", megabytes=64)
    with pytest.raises(InputError) as caught:
        _read(path, max_decompressed=16 << 20)
    assert "more than 16 MiB" in str(caught.value) and "max_decompressed" in str(caught.value)
    with pytest.raises(InputError, match="no text"):  # under a raised limit it opens: a blank page
        _read(path, max_decompressed=128 << 20, ocr="never")


def test_a_junk_text_layer_is_no_text_and_spacing_accents_join_their_letters():
    junk = [Fragment(' -    -  !"#   $  % &  \'  !( -  )*', 0, 100, 0, 10)] * 3
    words = [Fragment("Parterna åtar sig att samverka (2019–2025).", 0, 100, 0, 10)]
    assert not readable(junk) and readable(words) and readable([Fragment("–", 0, 5, 0, 10)])
    assert compose_accents("Po¨angavdrag f¨or p˚a ¨ovningarna") == "Poängavdrag för på övningarna"


def test_progress_is_one_rewritten_line_on_a_terminal_and_nothing_elsewhere(monkeypatch, capsys):
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    progress = ocr_module.Progress(Path("skannad.pdf"), 4)
    progress.close()
    assert terminal.getvalue() == ""  # no page OCR'd: nothing shown
    for number in (1, 2):
        progress.page(number)
    progress.close()
    assert terminal.getvalue() == ("\rOCR skannad.pdf [#####...............] page 1/4"
                                   "\rOCR skannad.pdf [##########..........] page 2/4\n")
    monkeypatch.setattr("sys.stderr", io.StringIO())
    quiet = ocr_module.Progress(Path("skannad.pdf"), 4)
    quiet.page(1)
    quiet.close()


def test_every_page_shape_reads(pdf_dir):
    path, texts = factory.odd_pages_pdf(pdf_dir / "shapes.pdf")
    doc = _read(path, ocr="never")
    assert len(doc.pages) == len(texts)
    pages = [doc.text[page.start : page.end] for page in doc.pages]
    for page, text in zip(pages, texts, strict=True):
        assert page == text or text == "17" and page in ("17", "")  # a lone number may be a page number
