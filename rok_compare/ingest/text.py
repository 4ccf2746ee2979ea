"""Read text and HTML files: detect the encoding from the bytes, blank out HTML markup.

Offsets matter more than looks here: tags and entities are replaced by whitespace of the same
length (a newline where the tag breaks a block), so every span the later stages report still
points at the same characters of the decoded file.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from rok_compare.errors import InputError
from rok_compare.model import Page, SourceDocument, SourceFormat

_BLOCK_TAGS = {"p", "br", "li", "ul", "ol", "div", "tr", "table", "h1", "h2", "h3", "h4", "h5",
               "h6", "section", "article", "header", "footer", "nav", "dd", "dt", "blockquote"}
_CELL_TAGS = {"td", "th"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>|<!--.*?-->|<!DOCTYPE[^>]*>", re.S)
_HIDDEN = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.S | re.I)
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_SWEDISH_LETTERS = set("åäöÅÄÖéÉ")


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252/latin-1.

    Returns the text and the encoding's name; raises :class:`InputError` when no encoding gives
    plausible text.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(path, data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(path, data, "utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            return text, encoding
    raise InputError(path, "unreadable text encoding (not UTF-8, UTF-16 or cp1252/latin-1)")


def _strict(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(path, f"invalid {encoding} at byte {error.start}") from error


def _plausible(text: str) -> bool:
    """Text decoded with a single-byte code page is plausible when it is mostly printable."""
    if not text:
        return False
    odd = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or 0x80 <= ord(ch) < 0xA0)
    return odd <= len(text) // 200


def strip_markup(text: str) -> str:
    """Blank HTML tags, comments, scripts and entities, keeping every character's offset.

    A vertical tab (``\\v``) marks a line break inside a table cell."""
    if "<" not in text and "&" not in text:
        return text
    chars = list(text)

    def blank(start: int, end: int, first: str = " ") -> None:
        chars[start] = first
        for i in range(start + 1, end):
            chars[i] = "\n" if chars[i] == "\n" else " "

    for match in _HIDDEN.finditer(text):
        blank(match.start(), match.end(), "\n")
    for match in _TAG.finditer(text):
        if chars[match.start()] != "<":
            continue  # inside a hidden block already blanked
        name = (match.group(2) or "").lower()
        first = " "
        if name in _CELL_TAGS:
            first = "\t"
        elif name in _BLOCK_TAGS:
            # Inside a tab-separated table row a block tag breaks the cell, not the row.
            first = "\v" if _in_table_row(text, match.start()) else "\n"
        blank(match.start(), match.end(), first)
        if name == "li" and not match.group(1) and first == "\n":
            chars[match.start() + 1] = "•"  # a list item stays one, with or without a closing stop
    padded = False
    for match in _ENTITY.finditer(text):
        value = html.unescape(match.group(0))
        if value == match.group(0) or len(value) != 1:
            continue
        chars[match.start()] = " " if value == "\xa0" else value
        for i in range(match.start() + 1, match.end()):
            chars[i] = _PAD
        padded = True
    result = "".join(chars)
    return _PADDED_WORD.sub(_pad_after, result) if padded else result


_PAD = "\x00"
"""Where an entity ("&ouml;") was longer than its character: moved to the end of the word."""
_PADDED_WORD = re.compile(r"[^\s\x00]*\x00[^\s]*")


def _pad_after(match: re.Match[str]) -> str:
    """"Enk&ouml;ping" reads "Enköping" and five spaces, not "Enkö     ping": the offsets of the words
    around stay true, only those inside the word move."""
    word = match.group()
    return word.replace(_PAD, "") + " " * word.count(_PAD)


def _in_table_row(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    return "\t" in text[line_start : line_end if line_end >= 0 else len(text)]


_PIPE_ROW = re.compile(r"^[^\n|]*\|[^\n|]*\|[^\n]*$", re.M)
_RULE_ROW = re.compile(r"^[\s|:+-]+$")


def pipe_tables(text: str) -> str:
    """Plain-text tables written with bars, "Insats | Ansvarig | Tidplan", become tab-separated rows
    (as the PDF and HTML readers write them), one character for another so offsets stay; a rule
    line "---|---" is blanked. Only runs of two or more such lines count: one bar-line is prose."""
    if text.count("|") < 4:
        return text
    rows = list(_PIPE_ROW.finditer(text))
    chars = None
    for index, row in enumerate(rows):
        before = index and rows[index - 1].end() + 1 == row.start()
        after = index + 1 < len(rows) and row.end() + 1 == rows[index + 1].start()
        if not (before or after):
            continue
        chars = chars if chars is not None else list(text)
        rule = bool(_RULE_ROW.match(row.group()))
        for i in range(row.start(), row.end()):
            if rule:
                chars[i] = " "
            elif text[i] == "|":
                chars[i] = "\t"
    return "".join(chars) if chars is not None else text


def read_text(path: Path, data: bytes, sha256: str, fmt: SourceFormat) -> SourceDocument:
    text, encoding = decode(path, data)
    text = strip_markup(text)
    if fmt is SourceFormat.TEXT:
        text = pipe_tables(text)
    if not text.strip():
        raise InputError(path, "holds no text (only markup or whitespace)")
    warnings = []
    if encoding in ("cp1252", "latin-1") and not (_SWEDISH_LETTERS & set(text)):
        warnings.append(f"decoded as {encoding}; no Swedish letters found, check the encoding")
    return SourceDocument(
        path=path,
        sha256=sha256,
        format=fmt,
        text=text,
        pages=_pages(text),
        encoding=encoding,
        warnings=warnings,
    )


def _pages(text: str) -> list[Page]:
    """A form feed starts a new page; a text without one is a single page."""
    pages, start = [], 0
    for number, chunk in enumerate(text.split("\f"), start=1):
        pages.append(Page(number, start, start + len(chunk)))
        start += len(chunk) + 1
    return pages
