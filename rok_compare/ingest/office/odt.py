"""Read an OpenDocument text (.odt): headings, paragraphs, list items and tables, in document order.

Read with ``zipfile`` and ``defusedxml`` rather than odfpy: we need two parts (content.xml and
styles.xml) walked once; defusedxml refuses DTDs and entities outright, where odfpy parses with
plain SAX and leaves that to the expat build; odfpy keeps a DOM of its own (half as much memory
again on a 600,000-character document, about as fast) and has had no release since 2020.

A heading is a ``text:h`` or a paragraph whose style carries an outline level; list markers come
from the list style's bullet or number format at the item's depth; a frame's text box reads after
its anchor paragraph. Notes, annotations, tracked deletions and the table of contents are left out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from rok_compare.errors import InputError
from rok_compare.ingest.office.builder import HEADING, ITEM, PARAGRAPH, Piece, TextBuilder, item_marker, to_int
from rok_compare.ingest.office.package import open_package, read_part
from rok_compare.model import SourceDocument, SourceFormat

WHAT = "OpenDocument text"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
_H, _P, _LIST, _ITEM, _HEADER = f"{TEXT}h", f"{TEXT}p", f"{TEXT}list", f"{TEXT}list-item", f"{TEXT}list-header"
_TABLE, _ROW, _CELL, _COVERED = f"{TABLE}table", f"{TABLE}table-row", f"{TABLE}table-cell", \
    f"{TABLE}covered-table-cell"
_ROW_GROUPS = {f"{TABLE}{name}" for name in ("table-rows", "table-header-rows", "table-row-group")}
_CONTAINERS = {f"{TEXT}section", f"{TEXT}soft-page-break", f"{TEXT}numbered-paragraph", f"{OFFICE}text"}
_SKIPPED_BLOCKS = {f"{TEXT}{name}" for name in ("table-of-content", "tracked-changes", "sequence-decls",
                                                 "variable-decls", "user-field-decls", "alphabetical-index",
                                                 "illustration-index", "bibliography")}
_SKIPPED_INLINE = {f"{TEXT}note", f"{OFFICE}annotation", f"{OFFICE}annotation-end", f"{TEXT}number"}
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_SKIPPED_INLINE |= {f"{DRAW}{name}" for name in ("frame", "a", "g", "custom-shape")}
_TEXT_BOX = f"{DRAW}text-box"
_NOT_IN_PARAGRAPH = {_H, _P, _TABLE, _LIST, f"{TEXT}note", f"{OFFICE}annotation"}
_WHITESPACE = re.compile(r"[ \t\r\n]+")
MAX_REPEAT = 64
"""Repeated empty columns (a spreadsheet-like table's tail) are written at most this many times."""


def read_odt(path: Path, data: bytes, sha256: str) -> SourceDocument:
    package = open_package(path, data, WHAT)
    manifest = read_part(path, package, "META-INF/manifest.xml", WHAT)
    if manifest is not None and b"encryption-data" in manifest:
        raise InputError(path, f"is password-protected (encrypted {WHAT}); save it without a password")
    content = read_part(path, package, "content.xml", WHAT)
    if content is None:
        raise InputError(path, f"damaged {WHAT} (no content.xml part)")
    styles_part = read_part(path, package, "styles.xml", WHAT)
    root, styles_root = _parse(path, content, "content.xml"), _parse(path, styles_part, "styles.xml")
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise InputError(path, f"is not an {WHAT} (no text body in content.xml)")
    reader = _Reader(_Styles([r for r in (styles_root, root) if r is not None]))
    try:
        reader.walk(body)
    except RecursionError as error:
        raise InputError(path, f"damaged {WHAT} (content nested too deeply)") from error
    return reader.builder.build(path, sha256, SourceFormat.ODT, [])


def _parse(path: Path, data: bytes | None, name: str) -> Any:
    if data is None:
        return None
    try:
        return fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, LookupError, ValueError) as error:  # LookupError: unknown encoding
        raise InputError(path, f"damaged {WHAT} (part {name}: {error})") from error


class _Styles:
    """Paragraph styles (outline level, page breaks, parent) and list styles (marker per level)."""

    def __init__(self, roots: list[Any]) -> None:
        self.parents: dict[str, str] = {}
        self.outline: dict[str, int] = {}
        self.breaks: dict[str, tuple[bool, bool]] = {}
        self.paragraph_list: dict[str, str] = {}
        self.lists: dict[str, dict[int, tuple[str, str, int]]] = {}
        for root in roots:
            for style in root.iter(f"{STYLE}style"):
                name = style.get(f"{STYLE}name") or ""
                if parent := style.get(f"{STYLE}parent-style-name"):
                    self.parents[name] = parent
                if (level := to_int(style.get(f"{STYLE}default-outline-level"), 0)) > 0:
                    self.outline[name] = level
                elif (style.get(f"{STYLE}display-name") or name).lower().replace("_20_", " ") == "title":
                    self.outline[name] = 1
                if list_style := style.get(f"{STYLE}list-style-name"):
                    self.paragraph_list[name] = list_style
                properties = style.find(f"{STYLE}paragraph-properties")
                if properties is not None:
                    self.breaks[name] = (properties.get(f"{FO}break-before") == "page",
                                         properties.get(f"{FO}break-after") == "page")
            for list_style in root.iter(f"{TEXT}list-style"):
                levels: dict[int, tuple[str, str, int]] = {}
                for level in list_style:
                    depth = to_int(level.get(f"{TEXT}level"), 1)
                    if level.tag == f"{TEXT}list-level-style-number":
                        levels[depth] = (level.get(f"{STYLE}num-format") or "", level.get(f"{STYLE}num-suffix") or "",
                                         to_int(level.get(f"{TEXT}start-value"), 1))
                    else:
                        levels[depth] = ("", "", 1)
                self.lists[list_style.get(f"{STYLE}name") or ""] = levels

    def lookup(self, table: dict[str, Any], name: str | None) -> Any:
        seen: set[str] = set()
        while name and name not in seen:
            if name in table:
                return table[name]
            seen.add(name)
            name = self.parents.get(name)
        return None


class _Reader:
    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.builder = TextBuilder()
        self.index = 0

    def walk(self, container: Any, list_style: str | None = None, depth: int = 0) -> None:
        for child in container:
            tag = child.tag
            if tag in (_H, _P):
                self.paragraph(child)
            elif tag == _LIST:
                self.list(child, child.get(f"{TEXT}style-name") or list_style, depth + 1)
            elif tag == _TABLE:
                self.table(child)
            elif tag in _SKIPPED_BLOCKS:
                self.index += sum(1 for node in child.iter() if node.tag in (_H, _P))
            elif tag in _CONTAINERS:
                self.walk(child, list_style, depth)

    def paragraph(self, element: Any, marker: str = "") -> None:
        self.index += 1
        style = element.get(f"{TEXT}style-name")
        before, after = self.styles.lookup(self.styles.breaks, style) or (False, False)
        if before:
            self.builder.new_page()
        text = _text(element)
        heading = element.tag == _H or self.styles.lookup(self.styles.outline, style) is not None
        if heading:
            number = element.find(f"{TEXT}number")
            prefix = _WHITESPACE.sub(" ", "".join(number.itertext())).strip() if number is not None else ""
            self.builder.block(HEADING, Piece(f"{prefix} {text}" if prefix else text, self.index))
        elif marker:
            self.builder.block(ITEM, Piece(text, self.index), marker)
        else:
            self.builder.block(PARAGRAPH, Piece(text, self.index))
        if after:
            self.builder.new_page()
        for box in _text_boxes(element):
            self.walk(box)  # a frame's text (a cover page's title) reads after its anchor paragraph

    def list(self, element: Any, list_style: str | None, depth: int) -> None:
        levels = self.styles.lists.get(list_style or "", {})
        fmt, suffix, start = levels.get(depth, ("", "", 1))
        number = start
        for item in element:
            if item.tag not in (_ITEM, _HEADER):
                continue
            number = to_int(item.get(f"{TEXT}start-value"), number)
            rendered = f"{_format(number, fmt)}{suffix}"
            marker = "" if item.tag == _HEADER else item_marker(bool(fmt), number, fmt, rendered)
            for child in item:
                if child.tag in (_H, _P) and marker:
                    self.paragraph(child, marker)
                    marker = ""  # a second paragraph of the same item goes on as a paragraph
                elif child.tag in (_H, _P):
                    self.paragraph(child)
                else:
                    self.walk([child], list_style, depth)
            if item.tag == _ITEM:
                number += 1

    def table(self, element: Any) -> None:
        rows = []
        for row in _rows(element):
            cells = []
            for cell in row:
                if cell.tag not in (_CELL, _COVERED):
                    continue
                pieces = []
                for node in cell.iter():
                    if node.tag in (_H, _P):
                        self.index += 1
                        pieces.append(Piece(_text(node), self.index) if cell.tag == _CELL else Piece("", self.index))
                repeat = to_int(cell.get(f"{TABLE}number-columns-repeated"), 1)
                cells.extend([pieces] + [[] for _ in range(min(repeat, MAX_REPEAT) - 1)])
            while cells and not cells[-1]:
                cells.pop()  # the empty columns a table carries to its right edge
            rows.append(cells)
        self.builder.table(rows)


def _text_boxes(element: Any) -> list[Any]:
    """Text boxes in a paragraph's frames, outermost only (inner ones are read with them)."""
    boxes: list[Any] = []
    for child in element:
        if child.tag == _TEXT_BOX:
            boxes.append(child)
        elif child.tag not in _NOT_IN_PARAGRAPH:
            boxes.extend(_text_boxes(child))
    return boxes


def _rows(table: Any) -> list[Any]:
    rows: list[Any] = []
    for child in table:
        if child.tag == _ROW:
            rows.append(child)
        elif child.tag in _ROW_GROUPS:
            rows.extend(_rows(child))
    return rows


def _text(element: Any) -> str:
    """A paragraph's text: runs of white space are one space (as ODF says), ``text:s`` spaces,
    ``text:tab`` a tab, ``text:line-break`` a newline; notes and frames left out."""
    out: list[str] = []

    def visit(node: Any) -> None:
        if node.text:
            out.append(_WHITESPACE.sub(" ", node.text))
        for child in node:
            tag = child.tag
            if tag == f"{TEXT}s":
                out.append(" " * max(1, min(to_int(child.get(f"{TEXT}c"), 1), 1000)))
            elif tag == f"{TEXT}tab":
                out.append("\t")
            elif tag == f"{TEXT}line-break":
                out.append("\n")
            elif tag not in _SKIPPED_INLINE:
                visit(child)
            if child.tail:
                out.append(_WHITESPACE.sub(" ", child.tail))

    visit(element)
    return "".join(out)


def _format(number: int, fmt: str) -> str:
    if fmt in ("a", "A") and 0 < number <= 26:
        letter = chr(ord("a") + number - 1)
        return letter.upper() if fmt == "A" else letter
    return str(number) if fmt == "1" else ""
