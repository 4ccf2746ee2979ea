"""Open a Word or OpenDocument zip package safely, or say in one line why it cannot be read.

Both formats are zip archives of XML parts, which makes them a way in for two attacks on whoever
reads them: a zip bomb (a few kB that inflate to gigabytes) and XML entity expansion ("billion
laughs", or an external entity reading local files). Python's ``zipfile`` never inflates an entry
beyond the size its directory declares (a mismatch fails the CRC check), so checking the declared
sizes before reading anything bounds memory; and no Office application writes a DTD into these
parts, so a part that has one is refused outright, whatever the XML parser would make of it.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from rok_compare.errors import InputError

MAX_ENTRIES = 5000
MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""Declared uncompressed size of the whole package (images included: python-docx loads every part)."""
MAX_PART_BYTES = 64 * 1024 * 1024
"""Declared uncompressed size of one part; the text of a 500-page agreement is a few MB of XML."""
MAX_RATIO = 200
"""Compression ratio above which an XML part larger than 1 MB is taken for a bomb (XML reaches
20-50; images are left to the size limits, a flat bitmap compresses far better)."""
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
_XML_PART = (".xml", ".rels")


def open_package(path: Path, data: bytes, what: str) -> zipfile.ZipFile:
    """The checked package; ``what`` names the format in messages ("Word document")."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        entries = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError) as error:
        raise InputError(path, f"damaged {what} (not a readable zip package: {error})") from error
    if not entries:
        raise InputError(path, f"damaged {what} (empty zip package)")
    if len(entries) > MAX_ENTRIES:
        raise InputError(path, f"refused {what}: {len(entries)} parts in the package (limit {MAX_ENTRIES})")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise InputError(path, f"is password-protected ({what} with encrypted parts); save it without a password")
    total = 0
    for entry in entries:
        total += entry.file_size
        xml = entry.filename.lower().endswith(_XML_PART)
        if entry.file_size > MAX_PART_BYTES or total > MAX_TOTAL_BYTES or (xml and (
                entry.file_size > 1024 * 1024 and entry.file_size > MAX_RATIO * max(1, entry.compress_size))):
            raise InputError(path, f"refused {what}: part {entry.filename} would inflate to {entry.file_size:,} "
                                   "bytes (zip bomb?)")
    return package


def read_part(path: Path, package: zipfile.ZipFile, name: str, what: str) -> bytes | None:
    """A part's bytes (None when the package has no such part), refused when it declares a DTD."""
    try:
        data = package.read(name)
    except KeyError:
        return None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as error:
        raise InputError(path, f"damaged {what} (part {name}: {error})") from error
    if _DTD.search(data):
        raise InputError(path, f"refused {what}: part {name} declares a DTD or entities (not written by Office "
                               "software; possible XML entity attack)")
    return data


def check_xml_parts(path: Path, package: zipfile.ZipFile, what: str) -> None:
    """Read every XML part once, so that a damaged entry or a DTD anywhere is found before a
    library parses the package."""
    for entry in package.infolist():
        if entry.filename.lower().endswith(_XML_PART):
            read_part(path, package, entry.filename, what)
