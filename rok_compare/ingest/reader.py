"""Dispatch a file to the PDF, Word, OpenDocument or text reader after checking that it can be
read at all, and NFC-normalise whatever comes out (see :mod:`.nfc`)."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from rok_compare.errors import InputError
from rok_compare.ingest.nfc import normalize_document
from rok_compare.ingest.sniff import sniff_format
from rok_compare.ingest.text import check_text_size
from rok_compare.model import SourceDocument, SourceFormat

_PACKAGED_SUFFIXES = frozenset({".pdf", ".docx", ".odt"})
"""Formats with limits of their own (pages, unpacked size); the text limit is for the rest."""


def read_document(path: str | Path) -> SourceDocument:
    """Read one file; raise :class:`InputError` for anything that is not a readable document."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such file")
    if path.is_dir():
        raise InputError(path, "is a directory, not a file")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a named pipe or a device would be read forever
            raise InputError(path, "is not a regular file (a pipe, socket or device)")
        if path.suffix.lower() not in _PACKAGED_SUFFIXES:
            check_text_size(path, info.st_size)  # before reading a multi-GB file into memory
        data = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot be read ({error.strerror or error})") from error
    return read_bytes(path, data)


def read_bytes(path: Path, data: bytes) -> SourceDocument:
    """Read a document whose bytes are already in memory (``path`` is for provenance)."""
    if not data.strip():
        raise InputError(path, "is empty")
    sha256 = hashlib.sha256(data).hexdigest()
    return normalize_document(_read(path, data, sha256))


def _read(path: Path, data: bytes, sha256: str) -> SourceDocument:
    fmt = sniff_format(path, data)
    if fmt is SourceFormat.PDF:
        from rok_compare.ingest.pdf import read_pdf  # pdf libraries load only when needed

        return read_pdf(path, data, sha256)
    if fmt is SourceFormat.DOCX:
        from rok_compare.ingest.office.docx import read_docx

        return read_docx(path, data, sha256)
    if fmt is SourceFormat.ODT:
        from rok_compare.ingest.office.odt import read_odt

        return read_odt(path, data, sha256)
    from rok_compare.ingest.text import read_text

    return read_text(path, data, sha256, fmt)
