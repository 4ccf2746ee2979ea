"""Read text and HTML files: detect the encoding from the bytes, blank out HTML markup.

Offsets matter more than looks here: tags and entities are replaced by whitespace of the same
length (a newline where the tag breaks a block), so every span the later stages report still
points at the same characters of the decoded file.
"""

from __future__ import annotations

import bisect
import html
import os
import re
from pathlib import Path

from rok_compare.errors import InputError
from rok_compare.model import Page, SourceDocument, SourceFormat

_BLOCK_TAGS = {"p", "br", "li", "ul", "ol", "div", "tr", "table", "h1", "h2", "h3", "h4", "h5",
               "h6", "section", "article", "header", "footer", "nav", "dd", "dt", "blockquote"}
_CELL_TAGS = {"td", "th"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>|<!--|<!DOCTYPE")
"""A tag, or the opening of a comment or doctype (their ends are found by :class:`_Ends`)."""
_HIDDEN_OPEN = re.compile(r"<(script|style|noscript)\b", re.I)
_HIDDEN_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style", "noscript")}
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_SWEDISH_LETTERS = set("åäöÅÄÖéÉ")

MAX_TEXT_MB_ENV = "ROK_MAX_TEXT_MB"
DEFAULT_MAX_TEXT_MB = 50.0
"""Largest text or HTML file read (MB): the pipeline holds several copies of the text (a 200 MB
file grew past 9.7 GB), and no agreement comes near it (the largest seed is ~0.3 MB)."""


def max_text_mb() -> float:
    """The limit in force: ``$ROK_MAX_TEXT_MB`` (``rok extract --max-text-mb`` sets it), else the default;
    0 means no limit."""
    raw = os.environ.get(MAX_TEXT_MB_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_MAX_TEXT_MB
    except ValueError:
        value = DEFAULT_MAX_TEXT_MB
    return value if value >= 0 else DEFAULT_MAX_TEXT_MB


def check_text_size(path: Path, size: int, limit_mb: float | None = None) -> None:
    """Raise :class:`InputError` (one line: the file, its size, the limit, how to raise it) when the
    file is larger than ``limit_mb`` (default :func:`max_text_mb`)."""
    limit_mb = max_text_mb() if limit_mb is None else limit_mb
    if limit_mb and size > limit_mb * 1024 * 1024:
        raise InputError(path, f"text file of {size / 1024 / 1024:.1f} MB is over the limit of {limit_mb:g} MB "
                               f"(raise it with --max-text-mb or ${MAX_TEXT_MB_ENV})")


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

    for start, end in _hidden_blocks(text):
        blank(start, end, "\n")
    rows = _TableRows(text)
    for match, end in _tags(text):
        if chars[match.start()] != "<":
            continue  # inside a hidden block already blanked
        name = (match.group(2) or "").lower()
        first = " "
        if name in _CELL_TAGS:
            first = "\t"
        elif name in _BLOCK_TAGS:
            # Inside a tab-separated table row a block tag breaks the cell, not the row.
            first = "\v" if rows.holds(match.start()) else "\n"
        blank(match.start(), end, first)
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
    return _WORD.sub(_pad_after, result) if padded else result


_PAD = "\x00"
"""Where an entity ("&ouml;") was longer than its character: moved to the end of the word."""
_WORD = re.compile(r"\S+")
"""Every word is looked at once: a pattern that looked for the pad inside a word ("[^\\s\\x00]*\\x00")
tried every start in a long word without one, which made a 200 KB word take minutes."""


def _pad_after(match: re.Match[str]) -> str:
    """"Enk&ouml;ping" reads "Enköping" and five spaces, not "Enkö     ping": the offsets of the words
    around stay true, only those inside the word move."""
    word = match.group()
    if _PAD not in word:
        return word
    return word.replace(_PAD, "") + " " * word.count(_PAD)


def _hidden_blocks(text: str) -> list[tuple[int, int]]:
    """Spans of ``<script>...</script>`` (style, noscript), each up to the first closing tag.

    Linear: once no closing tag of a kind is left after some point, later openings of that kind are
    not searched again (a lazy ``.*?`` pattern scanned to the end for every unclosed opening)."""
    spans: list[tuple[int, int]] = []
    unclosed_after: dict[str, int] = {}
    position = 0
    while (opening := _HIDDEN_OPEN.search(text, position)) is not None:
        name = opening.group(1).lower()
        closing = None
        if opening.end() < unclosed_after.get(name, len(text) + 1):
            closing = _HIDDEN_CLOSE[name].search(text, opening.end())
        if closing is None:
            unclosed_after[name] = min(unclosed_after.get(name, len(text) + 1), opening.end())
            position = opening.start() + 1
            continue
        spans.append((opening.start(), closing.end()))
        position = closing.end()
    return spans


def _tags(text: str) -> list[tuple[re.Match[str], int]]:
    """Tags, comments and doctypes with their ends, as ``<tag ...>|<!--.*?-->|<!DOCTYPE[^>]*>`` would
    find them, in linear time: an unclosed comment or doctype is looked past once, not once per opening."""
    found: list[tuple[re.Match[str], int]] = []
    comment_end, doctype_end = _Ends(text, "-->"), _Ends(text, ">")
    position = 0
    while (match := _TAG.search(text, position)) is not None:
        opening = match.group()
        if opening == "<!--":
            close = comment_end.after(match.end())
            end = close + 3 if close >= 0 else -1
        elif opening == "<!DOCTYPE":
            close = doctype_end.after(match.end())
            end = close + 1 if close >= 0 else -1
        else:
            end = match.end()
        if end < 0:
            position = match.start() + 1
            continue
        found.append((match, end))
        position = end
    return found


class _Ends:
    """The next occurrence of ``needle`` at or after a position; positions are asked in increasing
    order, so remembering the last answer makes all the look-ups together linear."""

    def __init__(self, text: str, needle: str) -> None:
        self.text, self.needle = text, needle
        self.asked, self.found = -1, -1

    def after(self, position: int) -> int:
        if self.asked >= 0 and position >= self.asked and (self.found < 0 or position <= self.found):
            return self.found
        self.asked, self.found = position, self.text.find(self.needle, position)
        return self.found


class _TableRows:
    """Whether the line around an offset holds a tab, each line looked at once (a long line with
    many tags on it was scanned again for each tag)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self.known: dict[int, bool] = {}

    def holds(self, offset: int) -> bool:
        index = bisect.bisect_left(self.breaks, offset)
        if index not in self.known:
            start = self.breaks[index - 1] + 1 if index else 0
            end = self.breaks[index] if index < len(self.breaks) else len(self.text)
            self.known[index] = "\t" in self.text[start:end]
        return self.known[index]


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


def read_text(path: Path, data: bytes, sha256: str, fmt: SourceFormat, *,
              max_mb: float | None = None) -> SourceDocument:
    """A text or HTML file as a document; ``max_mb`` caps its size (default :func:`max_text_mb`, 0: none)."""
    check_text_size(path, len(data), max_mb)
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
