"""Open a PDF with PDFium and turn every way it can fail into one clear :class:`InputError`.

PDFium reports failures as error codes (wrong password, bad format, ...); pdfminer, which
pdfplumber uses, raises ``PDFPasswordIncorrect`` with an empty message. Neither is something to
show a user, so each case gets its own sentence here.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from rok_compare.errors import InputError

CORRUPT = "corrupt or truncated PDF"
ENCRYPTED = "PDF is encrypted (password required)"
NO_PAGES = "PDF has no pages"
NO_TEXT = "PDF has no text layer (scanned images?); it needs OCR"
BLANK = "PDF has no text (its pages are blank)"
MAX_PAGES = 2000
"""Pages a PDF may declare. A page tree can name one page a million times in a few hundred
bytes; reading it would take hours, so such a file fails at once instead."""
MAX_DECOMPRESSED = 1 << 30
"""Bytes all of a PDF's compressed streams may inflate to together (1 GiB): a "zip bomb" content
stream would otherwise be inflated in memory by PDFium when its page is loaded."""
DEFLATE_RATIO = 1032
"""Deflate inflates at most 1032 times: a file that small cannot go over the limit (not looked at)."""
_STREAM = re.compile(rb"stream\r?\n")
_CHUNK = 1 << 16


def open_pdf(path: Path, data: bytes, max_pages: int = MAX_PAGES,
             max_decompressed: int = MAX_DECOMPRESSED) -> pdfium.PdfDocument:
    """Open ``data`` as a PDF; a PDF protected only by an owner password opens without one.

    A PDF over the limits (pages declared, bytes its streams inflate to) fails in one line
    naming the limit and the keyword that raises it."""
    if len(data) * DEFLATE_RATIO > max_decompressed and inflated_size(data, max_decompressed) > max_decompressed:
        raise InputError(path, f"PDF streams inflate to more than {_mib(max_decompressed)} "
                         f"(limit max_decompressed={max_decompressed}; raise it to read this file)")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise _load_failure(path, data, error) from None
    except Exception as error:  # PDFium bindings can fail in other ways on hostile input
        raise InputError(path, f"{CORRUPT} ({type(error).__name__})") from None
    if len(document) == 0:
        document.close()
        raise InputError(path, NO_PAGES)
    if len(document) > max_pages:
        count = len(document)
        document.close()
        raise InputError(path, f"PDF declares {count:,} pages, more than the limit of {max_pages:,} "
                         f"(limit max_pages; raise it to read this file)")
    return document


def inflated_size(data: bytes, limit: int) -> int:
    """What the file's Flate streams inflate to, counted in chunks and given up just past
    ``limit`` (so a bomb is never inflated whole). A stream that is not Flate data fails at
    its first bytes and counts nothing; the scan is a few milliseconds on ordinary files."""
    total = 0
    for match in _STREAM.finditer(data):
        position = match.end()
        inflater = zlib.decompressobj()
        try:
            while position < len(data):
                chunk = data[position : position + _CHUNK]
                position += len(chunk)
                total += len(inflater.decompress(chunk, limit + 1 - total))
                while inflater.unconsumed_tail and total <= limit:
                    total += len(inflater.decompress(inflater.unconsumed_tail, limit + 1 - total))
                if total > limit:
                    return total
                if inflater.eof:
                    break
        except zlib.error:
            continue
    return total


def _mib(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MiB"


def _load_failure(path: Path, data: bytes, error: pdfium.PdfiumError) -> InputError:
    code = getattr(error, "err_code", None)
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return InputError(path, ENCRYPTED)
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return InputError(path, "PDF uses an unsupported encryption scheme")
    if code == pdfium_c.FPDF_ERR_FILE:
        return InputError(path, "PDF cannot be read (file access error)")
    # PDFium refuses a PDF whose page tree is empty with a format error, like a broken one:
    # ask pdfminer whether the file parses and simply has no pages.
    if _parses_without_pages(data):
        return InputError(path, NO_PAGES)
    return InputError(path, f"{CORRUPT} ({_pdfium_reason(error)})")


def _pdfium_reason(error: pdfium.PdfiumError) -> str:
    text = str(error)
    if "PDFium:" in text:
        return text.split("PDFium:", 1)[1].strip(" ).")
    return text or type(error).__name__


def _parses_without_pages(data: bytes) -> bool:
    """True when pdfminer reads the file and finds no page in it (slow path, errors only)."""
    import io

    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        document = PDFDocument(PDFParser(io.BytesIO(data)))
        if "Pages" not in document.catalog:
            return False
        return next(iter(PDFPage.create_pages(document)), None) is None
    except Exception:
        return False


def truncation_warning(data: bytes) -> str | None:
    """PDFium repairs some cut-off files silently; a missing end marker is worth a warning."""
    if b"%%EOF" not in data[-2048:]:
        return "PDF has no end-of-file marker; it may be truncated and pages may be missing"
    return None
