"""Tell PDF, HTML and plain text apart from the bytes, and refuse what is none of them."""

from __future__ import annotations

import re
from pathlib import Path

from rok_compare.errors import InputError
from rok_compare.model import SourceFormat

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
UNSUPPORTED_SUFFIXES = {
    ".doc": "Word document",
    ".docx": "Word document",
    ".odt": "OpenDocument text",
    ".rtf": "RTF document",
    ".xls": "Excel workbook",
    ".xlsx": "Excel workbook",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".tif": "image",
    ".tiff": "image",
    ".zip": "zip archive",
}
_MAGIC = {
    b"PK\x03\x04": "zip archive or Office document",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\xd0\xcf\x11\xe0": "old Office document",
    b"{\\rtf": "RTF document",
    b"\x1f\x8b": "gzip archive",
}
_HTML_MARKERS = re.compile(rb"<(!doctype html|html|body|div|p|ul|li|br|span|table)\b", re.I)


def sniff_format(path: Path, data: bytes) -> SourceFormat:
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-") or data[:1024].find(b"%PDF-") >= 0:
        return SourceFormat.PDF
    if path.suffix.lower() == ".pdf":
        raise InputError(path, "is not a PDF (no %PDF header)")
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise InputError(path, f"unsupported format: {what}")
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED_SUFFIXES:
        raise InputError(path, f"unsupported format: {UNSUPPORTED_SUFFIXES[suffix]} ({suffix})")
    if _looks_binary(data):
        raise InputError(path, "is binary data, not text or PDF")
    if suffix in HTML_SUFFIXES or (head[:15].lower().startswith((b"<!doctype", b"<html"))):
        return SourceFormat.HTML
    return SourceFormat.TEXT


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters mean binary, in any of the encodings we read."""
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with a byte-order mark: NUL bytes are normal there
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 100)
