"""Tell PDF, Word, OpenDocument, HTML and plain text apart from the bytes, and refuse what is none of them."""

from __future__ import annotations

import re
from pathlib import Path

from rok_compare.errors import InputError
from rok_compare.model import SourceFormat

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
OFFICE_SUFFIXES = {".docx": SourceFormat.DOCX, ".odt": SourceFormat.ODT}
SUPPORTED_SUFFIXES = frozenset({".pdf", ".txt", *HTML_SUFFIXES, *OFFICE_SUFFIXES})
"""File endings a folder scan takes; anything else in a folder is named as unsupported."""
UNSUPPORTED_SUFFIXES = {
    ".doc": "Word 97-2003 document",
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
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\xd0\xcf\x11\xe0": "old Office document (or a password-protected one)",
    b"{\\rtf": "RTF document",
    b"\x1f\x8b": "gzip archive",
}
ZIP_MAGIC = b"PK\x03\x04"
OFFICE_NAMES = {".docx": "Word document", ".odt": "OpenDocument text"}
_HTML_MARKERS = re.compile(rb"<(!doctype html|html|body|div|p|ul|li|br|span|table)\b", re.I)
HEADER_WINDOW = 1024
"""PDFium (like Acrobat) finds the ``%PDF-`` header anywhere in a file's first 1024 bytes."""
_LEADING_SPACE = b"\xef\xbb\xbf \t\r\n\x0c\x00"
_JUNK_CONTROLS = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_HEADER_AT_LINE_START = re.compile(rb"(?:^|[\r\n])%PDF-\d\.\d")
_PDF_STRUCTURE = re.compile(rb"\d+\s+\d+\s+obj\b|\bstartxref\b|%%EOF")


def sniff_format(path: Path, data: bytes) -> SourceFormat:
    head = data[:HEADER_WINDOW].lstrip()
    if has_pdf_header(data):
        return SourceFormat.PDF
    if path.suffix.lower() == ".pdf":
        what = "an HTML page" if _HTML_MARKERS.search(head) else "no %PDF header"
        raise InputError(path, f"is not a PDF ({what})")
    if head.startswith(ZIP_MAGIC):
        return office_format(path, data)
    if path.suffix.lower() in OFFICE_SUFFIXES:
        raise InputError(path, _not_office(path, data, head))
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


def office_format(path: Path, data: bytes) -> SourceFormat:
    """A zip package is a Word or OpenDocument text by its parts, whatever its name says."""
    from rok_compare.ingest.office.kind import package_kind

    kind, what = package_kind(data)
    if kind is not None:
        return kind
    suffix = path.suffix.lower()
    if suffix in OFFICE_SUFFIXES and what.startswith("damaged"):
        raise InputError(path, f"damaged {OFFICE_NAMES[suffix]} (not a readable zip package)")
    if suffix in OFFICE_SUFFIXES:
        raise InputError(path, f"is not a {OFFICE_NAMES[suffix]} (a zip package holding: {what})")
    raise InputError(path, f"unsupported format: {what}")


def _not_office(path: Path, data: bytes, head: bytes) -> str:
    """Why a file named .docx/.odt is none: encrypted (an OLE container), old Word, or something else."""
    name = OFFICE_NAMES[path.suffix.lower()]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptedPackage".encode("utf-16-le") in data:
            return f"is password-protected (encrypted {name}); save it without a password"
        return f"is not a {name} (an old-format Office file: save it as {path.suffix.lower()})"
    if head.startswith(b"PK\x05\x06"):
        return f"is not a {name} (an empty zip archive)"
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return f"is not a {name} ({what})"
    return f"is not a {name} (not a zip package)"


def has_pdf_header(data: bytes) -> bool:
    """Whether ``data`` is meant as a PDF: ``%PDF-`` at the start (after a BOM or whitespace), or
    later in the first KB behind junk that a PDF reader skips too.

    Real PDF readers tolerate anything before the header, but a text or HTML file that merely
    mentions "%PDF-1.7" is not a PDF. So a header further in counts only after binary junk (a
    MacBinary or mail-gateway prefix: control bytes), or at the start of a line of a file that
    has PDF structure (objects, ``startxref``, ``%%EOF``), as after HTTP headers saved with it.
    """
    if data[:HEADER_WINDOW].lstrip(_LEADING_SPACE).startswith(b"%PDF-"):
        return True
    at = data.find(b"%PDF-", 0, HEADER_WINDOW)
    if at < 0:
        return False
    if _JUNK_CONTROLS.search(data, 0, at):
        return True
    line = _HEADER_AT_LINE_START.search(data, max(0, at - 1), at + 8)
    return line is not None and _PDF_STRUCTURE.search(data, at) is not None


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters mean binary, in any of the encodings we read."""
    sample = data[:8192]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with a byte-order mark: NUL bytes are normal there
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(sample) // 100)
