"""Read a Word (.docx) file: headings, paragraphs, list items and tables, in document order.

python-docx opens the package (relationships, content types, the main, style and numbering
parts; its XML parser never expands entities) and we walk the body's XML ourselves, because its
paragraph API skips content controls (cover pages and whole agreements sit in them) and says
nothing about list numbering. A heading is a paragraph whose style (or the style it is based on)
is a "heading N" or "Title" style or has an outline level; a list item is one with numbering.
Text boxes are read after the paragraph they are anchored in; deleted tracked changes, hidden
text, field codes, footnotes, headers, footers and the table of contents are left out.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rok_compare.errors import InputError
from rok_compare.ingest.office.builder import HEADING, ITEM, PARAGRAPH, Piece, TextBuilder, item_marker, to_int
from rok_compare.ingest.office.numbering import Numbering
from rok_compare.ingest.office.package import check_xml_parts, open_package, read_part
from rok_compare.model import SourceDocument, SourceFormat

WHAT = "Word document"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_P, _TBL, _TR, _TC, _SDT = f"{W}p", f"{W}tbl", f"{W}tr", f"{W}tc", f"{W}sdt"
_SDT_CONTENT, _CUSTOM_XML, _VAL = f"{W}sdtContent", f"{W}customXml", f"{W}val"
_T, _TAB, _PTAB, _BR, _CR = f"{W}t", f"{W}tab", f"{W}ptab", f"{W}br", f"{W}cr"
_NO_BREAK_HYPHEN, _TYPE = f"{W}noBreakHyphen", f"{W}type"
_SKIP = {f"{W}{name}" for name in ("pPr", "rPr", "del", "moveFrom", "drawing", "pict", "object", "instrText",
                                    "delText", "footnoteReference", "endnoteReference", "commentReference")}
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP.add(f"{MC}AlternateContent")
_RUN, _RPR, _VANISH, _TEXT_BOX, _FALLBACK = f"{W}r", f"{W}rPr", f"{W}vanish", f"{W}txbxContent", f"{MC}Fallback"
_HEADING_NAME = re.compile(r"(?:heading|rubrik) ?(\d)$|title$|rubrik$", re.I)
_TOC_NAME = re.compile(r"^(?:toc|innehåll)\s?\d|^toc heading$", re.I)


def read_docx(path: Path, data: bytes, sha256: str) -> SourceDocument:
    import docx  # loads lxml; only when a Word file comes

    package = open_package(path, data, WHAT)
    check_xml_parts(path, package, WHAT)
    main = read_part(path, package, "word/document.xml", WHAT) or b""
    if STRICT.encode() in main[:8192]:
        raise InputError(path, "unsupported Word variant (Strict Open XML); save it as an ordinary Word document")
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as error:  # a macro-enabled document or a template: another main part
        raise InputError(path, f"unsupported Word variant ({_variant(str(error))}); save it as a Word document "
                               "(.docx)") from error
    except Exception as error:  # a missing part, a broken relationship, XML that is not well-formed
        raise InputError(path, f"damaged {WHAT} ({type(error).__name__}: {error})") from error
    body = document.element.find(f"{W}body")
    if body is None:
        raise InputError(path, f"damaged {WHAT} (no document body)")
    reader = _Reader(_styles(document), Numbering.from_docx(document))
    try:
        reader.walk(body)
    except RecursionError as error:
        raise InputError(path, f"damaged {WHAT} (content nested too deeply)") from error
    warnings = [f"{reader.toc} table-of-contents paragraph(s) left out"] if reader.toc else []
    return reader.builder.build(path, sha256, SourceFormat.DOCX, warnings)


def _variant(message: str) -> str:
    """What python-docx refused, from its message ("... content type is 'application/...'")."""
    content_type = message.rpartition("content type is ")[2].strip("'\" ")
    kind = "macro-enabled " if "macroEnabled" in content_type else ""
    kind += "template" if "template" in content_type.lower() else "document"
    return f"a {kind}: {content_type}" if content_type else message


class _Style:
    __slots__ = ("name", "heading", "toc", "num_id", "level")

    def __init__(self, name: str, heading: bool | None, toc: bool, num_id: str | None, level: int) -> None:
        self.name, self.heading, self.toc, self.num_id, self.level = name, heading, toc, num_id, level


def _styles(document: Any) -> dict[str, _Style]:
    """Paragraph styles by id, with heading-ness and numbering inherited along ``basedOn``."""
    raw: dict[str, tuple[str, str | None, bool | None, str | None, int]] = {}
    default = "Normal"
    try:
        root = document.styles.element
    except (AttributeError, KeyError, ValueError):  # a styles part of another content type: read without styles
        return {"": _Style("", None, False, None, 0)}
    for style in root.iterchildren(f"{W}style"):
        if style.get(_TYPE) not in (None, "paragraph"):
            continue
        name = _val(style.find(f"{W}name")) or ""
        based_on = _val(style.find(f"{W}basedOn"))
        outline = _val(style.find(f"{W}pPr/{W}outlineLvl"))
        heading = True if _HEADING_NAME.match(name) else None if outline is None else 0 <= to_int(outline, 9) < 9
        num_id = _val(style.find(f"{W}pPr/{W}numPr/{W}numId"))
        level = _val(style.find(f"{W}pPr/{W}numPr/{W}ilvl"))
        style_id = style.get(f"{W}styleId") or ""
        raw[style_id] = (name, based_on, heading, num_id, to_int(level, 0))
        if style.get(f"{W}default") in ("1", "true", "on"):
            default = style_id
    resolved: dict[str, _Style] = {}
    for style_id in raw:
        name, based_on, heading, num_id, level = raw[style_id]
        seen = {style_id}
        while based_on and based_on in raw and based_on not in seen and (heading is None or num_id is None):
            seen.add(based_on)
            _, parent, parent_heading, parent_num, parent_level = raw[based_on]
            heading = parent_heading if heading is None else heading
            if num_id is None and parent_num is not None:
                num_id, level = parent_num, parent_level
            based_on = parent
        resolved[style_id] = _Style(name, heading, bool(_TOC_NAME.match(name)), num_id, level)
    resolved[""] = resolved.get(default) or _Style("", None, False, None, 0)  # for paragraphs without a style
    return resolved


def _val(element: Any) -> str | None:
    return None if element is None else element.get(_VAL)


class _Reader:
    def __init__(self, styles: dict[str, _Style], numbering: Numbering) -> None:
        self.styles, self.numbering = styles, numbering
        self.builder = TextBuilder()
        self.index = 0
        self.toc = 0

    def walk(self, container: Any) -> None:
        for child in container.iterchildren():
            if child.tag == _P:
                self.paragraph(child)
            elif child.tag == _TBL:
                self.table(child)
            elif child.tag == _SDT:
                if _is_toc(child):
                    self.toc += sum(1 for _ in child.iter(_P))
                    self.index += sum(1 for _ in child.iter(_P))
                    continue
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    self.walk(content)
            elif child.tag == _CUSTOM_XML:
                self.walk(child)

    def paragraph(self, element: Any) -> None:
        self.index += 1
        pieces: list[str] = []
        breaks = _text(element, pieces)
        text = "".join(pieces)
        properties = element.find(f"{W}pPr")
        style_id = _val(properties.find(f"{W}pStyle")) if properties is not None else None
        style = self.styles.get(style_id or "") or self.styles[""]
        if style.toc:
            self.toc += 1
            return
        if properties is not None and properties.find(f"{W}pageBreakBefore") is not None \
                and _val(properties.find(f"{W}pageBreakBefore")) not in ("0", "false"):
            self.builder.new_page()
        if breaks and not text[: breaks[0]].strip():
            self.builder.new_page()  # a page break before any text: the paragraph starts a page
        heading = style.heading
        outline = _val(properties.find(f"{W}outlineLvl")) if properties is not None else None
        if outline is not None:
            heading = 0 <= to_int(outline, 9) < 9
        num_id, level = style.num_id, style.level
        num = properties.find(f"{W}numPr") if properties is not None else None
        if num is not None:
            num_id = _val(num.find(f"{W}numId")) or num_id
            level = to_int(_val(num.find(f"{W}ilvl")), level)
        label = self.numbering.next(num_id, level) if num_id and num_id != "0" and text.strip() else None
        piece = Piece(text, self.index)
        if heading:
            prefix = label.rendered if label and label.numbered and label.rendered else ""
            self.builder.block(HEADING, Piece(f"{prefix} {text}" if prefix else text, self.index))
        elif label is not None:
            marker = item_marker(label.numbered, label.number, label.style, label.rendered)
            self.builder.block(ITEM, piece, marker)
        else:
            self.builder.block(PARAGRAPH, piece)
        if breaks and text[breaks[-1]:].strip() == "" and text[: breaks[-1]].strip():
            self.builder.new_page()  # a page break after the text: the next block starts a page
        for box in _text_boxes(element):
            self.walk(box)  # a text box (a cover page's title) reads after the paragraph it is anchored in

    def table(self, element: Any) -> None:
        rows = []
        for row in element.iterchildren(_TR):
            cells = []
            for cell in row.iterchildren(_TC):
                merged = cell.find(f"{W}tcPr/{W}vMerge")
                continuation = merged is not None and _val(merged) in (None, "continue")
                pieces = []
                for paragraph in _cell_paragraphs(cell):
                    self.index += 1
                    if not continuation:
                        text: list[str] = []
                        _text(paragraph, text)
                        pieces.append(Piece("".join(text), self.index))
                cells.append(pieces)
            rows.append(cells)
        self.builder.table(rows)


def _cell_paragraphs(container: Any) -> Iterator[Any]:
    """A cell's paragraphs in order, those of nested tables and content controls included."""
    for child in container.iterchildren():
        if child.tag == _P:
            yield child
        elif child.tag in (_TBL, _TR, _TC, _SDT, _SDT_CONTENT, _CUSTOM_XML):
            yield from _cell_paragraphs(child)


def _text_boxes(paragraph: Any) -> list[Any]:
    """The paragraph's text boxes, each once: Word writes a box twice, as a drawing and as a
    VML fallback; boxes inside boxes are read with their outer box."""
    boxes = []
    for box in paragraph.iter(_TEXT_BOX):
        parent = box.getparent()
        while parent is not None and parent is not paragraph and parent.tag not in (_FALLBACK, _TEXT_BOX):
            parent = parent.getparent()
        if parent is paragraph:
            boxes.append(box)
    return boxes


def _is_toc(sdt: Any) -> bool:
    gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    return gallery is not None and "table of contents" in (_val(gallery) or "").lower()


def _hidden(run: Any) -> bool:
    """Hidden text (Word's "vanish"): not shown or printed, so not read either."""
    if not len(run) or run[0].tag != _RPR:  # the schema puts a run's properties first
        return False
    vanish = run[0].find(_VANISH)
    return vanish is not None and _val(vanish) not in ("0", "false", "off")


def _text(element: Any, out: list[str]) -> list[int]:
    """Append the paragraph's visible text to ``out``; return where page breaks stand in it."""
    breaks: list[int] = []

    def visit(node: Any, length: int) -> int:
        for child in node.iterchildren():
            tag = child.tag
            if tag == _T:
                value = child.text or ""
                out.append(value)
                length += len(value)
            elif tag in (_TAB, _PTAB):
                out.append("\t")
                length += 1
            elif tag == _BR and child.get(_TYPE) == "page":
                breaks.append(length)
            elif tag in (_BR, _CR):
                out.append("\n")
                length += 1
            elif tag == _NO_BREAK_HYPHEN:
                out.append("-")
                length += 1
            elif tag == _RUN and _hidden(child):
                continue
            elif tag not in _SKIP and isinstance(tag, str):
                length = visit(child, length)
        return length

    visit(element, 0)
    return breaks
