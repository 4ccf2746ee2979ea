"""Minimal PDF reader (pypdfium2 text per page). To be replaced by the layout-aware reader."""

from __future__ import annotations

from pathlib import Path

from rok_compare.errors import InputError
from rok_compare.model import Page, SourceDocument, SourceFormat


def read_pdf(path: Path, data: bytes, sha256: str) -> SourceDocument:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise InputError(path, f"corrupt or truncated PDF ({error})") from error
    parts, pages, offset = [], [], 0
    for index in range(len(pdf)):
        page = pdf[index]
        text = page.get_textpage().get_text_range().replace("\r\n", "\n")
        pages.append(Page(index + 1, offset, offset + len(text)))
        parts.append(text)
        offset += len(text) + 1
    text = "\f".join(parts)
    if not text.strip():
        raise InputError(path, "PDF has no text layer (scanned images?); it needs OCR")
    return SourceDocument(path=path, sha256=sha256, format=SourceFormat.PDF, text=text, pages=pages)
