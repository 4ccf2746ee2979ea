"""What a zip package holds, from its list of parts (cheap: the central directory only)."""

from __future__ import annotations

import io
import zipfile
import zlib

from rok_compare.model import SourceFormat

ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
_ODF_KINDS = {
    "spreadsheet": "OpenDocument spreadsheet", "presentation": "OpenDocument presentation",
    "graphics": "OpenDocument drawing", "text-template": "OpenDocument text template",
    "text-master": "OpenDocument master document",
}
_OOXML_KINDS = {"xl/": "Excel workbook", "ppt/": "PowerPoint presentation", "visio/": "Visio drawing"}


def package_kind(data: bytes) -> tuple[SourceFormat | None, str]:
    """(DOCX or ODT, "") for a word-processor package; (None, what it is) for anything else."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = package.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError) as error:
        return None, f"damaged zip archive ({error})"
    if "word/document.xml" in names or _content_types_say_word(package, names):
        return SourceFormat.DOCX, ""
    if "mimetype" in names:
        mimetype = _small_part(package, "mimetype").strip()
        if mimetype == ODT_MIMETYPE:
            return SourceFormat.ODT, ""
        suffix = mimetype.removeprefix("application/vnd.oasis.opendocument.")
        if suffix != mimetype:
            return None, _ODF_KINDS.get(suffix, f"OpenDocument file ({suffix})")
    if "content.xml" in names and "META-INF/manifest.xml" in names:
        return SourceFormat.ODT, ""  # an OpenDocument text whose mimetype part went missing
    for prefix, what in _OOXML_KINDS.items():
        if any(name.startswith(prefix) for name in names):
            return None, what
    return None, "zip archive"


def _content_types_say_word(package: zipfile.ZipFile, names: list[str]) -> bool:
    """A Word document whose main part has another name than word/document.xml."""
    return "[Content_Types].xml" in names and "wordprocessingml.document.main" in _small_part(
        package, "[Content_Types].xml")


def _small_part(package: zipfile.ZipFile, name: str, limit: int = 1 << 20) -> str:
    """A short part's text; empty when it is too large or unreadable (the reader says why later)."""
    try:
        info = package.getinfo(name)
        if info.file_size > limit or info.flag_bits & 0x1:
            return ""
        return package.read(name).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
        return ""
