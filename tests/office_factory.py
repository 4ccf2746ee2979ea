"""Build Word and OpenDocument files for tests: from a seed's segmented blocks, or by hand.

A seed is turned into a real word-processor document by its structure as the segmenter sees it:
each heading a Heading 1 (``text:h``), each list item a bulleted list paragraph, each run of
table rows a table, everything else a paragraph. Extracting the result must give what the text
gives. Also: a hand-made agreement, WordprocessingML fragments (numbering, text boxes) as Word
writes them, and raw zip packages for the damaged and hostile cases.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from odf.opendocument import OpenDocumentText
from odf.style import ParagraphProperties, Style
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, ListLevelStyleBullet, ListLevelStyleNumber, ListStyle, P

from rok_compare.ingest import read_document
from rok_compare.segment import segment


@dataclass(slots=True)
class Item:
    kind: str
    """heading, paragraph, list_item, table_row."""
    text: str
    cells: list[str]


def seed_items(path: Path) -> list[Item]:
    """The seed's headings, paragraphs, list items and table rows (furniture too) in text order."""
    doc = segment(read_document(path))
    found: list[tuple[int, Item]] = []
    for section in doc.sections:
        if section.heading is not None and section.heading_span is not None:
            found.append((section.heading_span.start, Item("heading", section.heading, [])))
        for block in section.blocks:
            cells = [_cell_lines(doc.source.text[c.span.start : c.span.end]) for c in block.cells]
            found.append((block.span.start, Item(str(block.kind), block.text, cells)))
    found += [(block.span.start, Item("paragraph", block.text, [])) for block in doc.furniture]
    return [item for _, item in sorted(found, key=lambda pair: pair[0])]


def _cell_lines(text: str) -> str:
    """A cell's lines (``\\v`` in the text) kept as lines: one party a line stays so."""
    return "\n".join(" ".join(line.split()) for line in text.split("\v") if line.strip())


def write_docx(items: list[Item], target: Path) -> Path:
    document = docx.Document()
    table = None
    for item in items:
        if item.kind != "table_row":
            table = None
        if item.kind == "heading":
            document.add_heading(item.text, 1)
        elif item.kind == "list_item":
            document.add_paragraph(item.text, style="List Bullet")
        elif item.kind == "table_row":
            if table is None or len(table.columns) != len(item.cells):
                table = document.add_table(rows=0, cols=len(item.cells))
            for cell, text in zip(table.add_row().cells, item.cells, strict=True):
                cell.text = text
        else:
            document.add_paragraph(item.text)
    document.save(target)
    return target


class OdtWriter:
    """odfpy with the two list styles (bullets, numbers) and a page-break paragraph style."""

    def __init__(self) -> None:
        self.document = OpenDocumentText()
        self.bullets = ListStyle(name="Bullets")
        self.bullets.addElement(ListLevelStyleBullet(level=1, bulletchar="•"))
        self.bullets.addElement(ListLevelStyleBullet(level=2, bulletchar="–"))
        self.numbers = ListStyle(name="Numbers")
        self.numbers.addElement(ListLevelStyleNumber(level=1, numformat="1", numsuffix="."))
        self.page_break = Style(name="PageBreak", family="paragraph")
        self.page_break.addElement(ParagraphProperties(breakbefore="page"))
        for style in (self.bullets, self.numbers, self.page_break):
            self.document.automaticstyles.addElement(style)
        self.list: List | None = None
        self.table: Table | None = None

    def heading(self, text: str, level: int = 1) -> None:
        self._close()
        self.document.text.addElement(H(outlinelevel=level, text=text))

    def paragraph(self, text: str, new_page: bool = False) -> None:
        self._close()
        self.document.text.addElement(P(text=text, stylename=self.page_break) if new_page else P(text=text))

    def item(self, text: str, numbered: bool = False) -> None:
        style = self.numbers if numbered else self.bullets
        if self.list is None or self.list.getAttribute("stylename") != style.getAttribute("name"):
            self._close()
            self.list = List(stylename=style)
            self.document.text.addElement(self.list)
        entry = ListItem()
        entry.addElement(P(text=text))
        self.list.addElement(entry)

    def row(self, cells: list[str]) -> None:
        if self.table is None or len(self.table.getElementsByType(TableColumn)) != len(cells):
            self._close()
            self.table = Table(name=f"Tabell{id(self)}")
            for _ in cells:
                self.table.addElement(TableColumn())
            self.document.text.addElement(self.table)
        row = TableRow()
        for text in cells:
            cell = TableCell()
            for line in text.split("\n"):
                cell.addElement(P(text=line))
            row.addElement(cell)
        self.table.addElement(row)

    def _close(self) -> None:
        self.list = self.table = None

    def save(self, target: Path) -> Path:
        self.document.save(str(target))
        return target


def write_odt(items: list[Item], target: Path) -> Path:
    writer = OdtWriter()
    for item in items:
        if item.kind == "heading":
            writer.heading(item.text)
        elif item.kind == "list_item":
            writer.item(item.text)
        elif item.kind == "table_row":
            writer.row(item.cells)
        else:
            writer.paragraph(item.text)
    return writer.save(target)


def agreement_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Regional överenskommelse om nyanländas etablering i Blekinge län 2019–2021", 0)
    document.add_heading("Bakgrund", 1)
    document.add_paragraph("Överenskommelsen gäller från 2019 till och med 2021. Den beskriver hur parterna "
                           "samverkar kring mottagandet av nyanlända i länet.")
    document.add_heading("Parter", 1)
    document.add_paragraph("Följande parter ingår i överenskommelsen:")
    for party in ("Länsstyrelsen Blekinge", "Arbetsförmedlingen", "Region Blekinge", "Migrationsverket"):
        document.add_paragraph(party, style="List Bullet")
    document.add_heading("Gemensamma mål", 1)
    for goal in ("Nyanlända ska snabbt komma i arbete eller studier.",
                 "Alla barn ska erbjudas en god skolgång."):
        document.add_paragraph(goal, style="List Number")
    document.add_heading("Åtaganden", 2)
    table = document.add_table(rows=3, cols=3)
    rows = [("Insats", "Ansvarig", "Tidplan"),
            ("Samhällsorientering", "Kommunerna", "2019"),
            ("Hälsoundersökning", "Region Blekinge", "2020")]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_page_break()
    document.add_heading("Uppföljning", 1)
    document.add_paragraph("Länsstyrelsen ska följa upp överenskommelsen varje år.")
    document.save(path)
    return path


def docx_with_body(tmp_path: Path, body_xml: str, name: str = "special.docx") -> Path:
    """A python-docx document whose body gets ``body_xml`` (WordprocessingML) appended."""
    document = docx.Document()
    document.add_paragraph("Inledning till överenskommelsen.")
    for element in parse_xml(f"<w:body {nsdecls('w')}>{body_xml}</w:body>"):
        document.element.body.append(element)
    path = tmp_path / name
    document.save(path)
    return path


def zip_parts(path: Path, parts: dict[str, bytes], encrypted: bool = False) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    data = bytearray(buffer.getvalue())
    if encrypted:  # zipfile cannot write encrypted entries: set the flag in each header by hand
        for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            at = data.find(signature)
            while at >= 0:
                data[at + flags] |= 0x1
                at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
                  b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                  b'<w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>')


NUMBERING = """
<w:abstractNum {ns} w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
</w:abstractNum>
<w:abstractNum {ns} w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
</w:abstractNum>
<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>
<w:num {ns} w:numId="91"><w:abstractNumId w:val="91"/></w:num>
<w:num {ns} w:numId="92"><w:abstractNumId w:val="91"/>
  <w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
"""


TEXT_BOX = """
<w:p {ns}><w:r><mc:AlternateContent>
  <mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>
    <w:txbxContent><w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>
      <w:r><w:t>Lokal överenskommelse för Karlshamns kommun</w:t></w:r></w:p></w:txbxContent>
  </wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
  <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p>
      <w:r><w:t>Lokal överenskommelse för Karlshamns kommun</w:t></w:r></w:p></w:txbxContent>
  </v:textbox></v:shape></w:pict></mc:Fallback>
</mc:AlternateContent></w:r><w:r><w:t>Omslag</w:t></w:r>
<w:r><w:rPr><w:vanish/></w:rPr><w:t>dold anteckning</w:t></w:r></w:p>"""
