"""Word (.docx) and OpenDocument (.odt) files: same extraction as the text they hold, structure
(headings, list items, table rows), paragraph provenance, and one clear line for a bad file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import DEV, SEEDS, seed
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from office_factory import (
    BILLION_LAUGHS,
    NUMBERING,
    TEXT_BOX,
    OdtWriter,
    agreement_docx,
    docx_with_body,
    seed_items,
    write_docx,
    write_odt,
    zip_parts,
)

from rok_compare.errors import InputError
from rok_compare.extract import extract_document
from rok_compare.ingest import read_document
from rok_compare.ingest.office import package
from rok_compare.ingest.sniff import SUPPORTED_SUFFIXES
from rok_compare.model import BlockKind, SourceFormat
from rok_compare.segment import segment

BLEKINGE = DEV / "blekinge_2019-2021_rok_lansstyrelsen.txt"
SEED_FILES = [path.name for path in sorted(SEEDS.glob("*.txt"))]


def _key(agreement) -> tuple:
    return (sorted(p.canonical for p in agreement.parties), agreement.period and agreement.period.label(),
            str(agreement.doc_type), agreement.county and agreement.county.code)


def _source(name: str) -> Path:
    if name == BLEKINGE.name:
        if not BLEKINGE.exists():
            pytest.skip("../shared not available")
        return BLEKINGE
    return SEEDS / name


@pytest.mark.parametrize("fmt", ["docx", "odt"])
@pytest.mark.parametrize("name", [*SEED_FILES, BLEKINGE.name])
def test_a_seed_as_word_or_odt_extracts_like_the_text(tmp_path, name, fmt):
    source = _source(name)
    items = seed_items(source)
    target = (write_docx if fmt == "docx" else write_odt)(items, tmp_path / f"{source.stem}.{fmt}")
    read = read_document(target)
    assert read.format is SourceFormat(fmt)
    original, office = extract_document(source), extract_document(target)
    assert _key(office) == _key(original)
    # More than the acceptance asks: the title, goals and commitments come out the same too.
    assert office.title == original.title
    assert [g.text for g in office.goals] == [g.text for g in original.goals]
    assert [(c.party, c.text) for c in office.commitments] == [(c.party, c.text) for c in original.commitments]


def test_the_varmland_seed_converts_with_headings_lists_and_a_table(tmp_path):
    """The seed the acceptance test leans on has all three, so they are really exercised."""
    items = seed_items(seed("004"))
    kinds = {item.kind for item in items}
    assert {"heading", "list_item", "table_row"} <= kinds
    for writer, fmt in ((write_docx, "docx"), (write_odt, "odt")):
        doc = read_document(writer(items, tmp_path / f"v.{fmt}"))
        assert doc.tables and all(len(row) >= 2 for table in doc.tables for row in table.rows)
        assert "\n• " in doc.text
        for table in doc.tables:
            for row in table.rows:
                for cell in row:
                    assert doc.text[cell.span.start : cell.span.end] == cell.text


def test_a_realistic_agreement_keeps_its_structure(tmp_path):
    path = agreement_docx(tmp_path / "avtal.docx")
    source = read_document(path)
    doc = segment(source)
    headings = [section.heading for section in doc.sections if section.heading]
    assert headings == ["Regional överenskommelse om nyanländas etablering i Blekinge län 2019–2021", "Bakgrund",
                        "Parter", "Gemensamma mål", "Åtaganden", "Uppföljning"]
    blocks = {s.heading: s.blocks for s in doc.sections}
    items = [b.text for b in blocks["Parter"] if b.kind is BlockKind.LIST_ITEM]
    assert items == ["Länsstyrelsen Blekinge", "Arbetsförmedlingen", "Region Blekinge", "Migrationsverket"]
    goals = [b.text for b in blocks["Gemensamma mål"] if b.kind is BlockKind.LIST_ITEM]
    assert goals == ["Nyanlända ska snabbt komma i arbete eller studier.", "Alla barn ska erbjudas en god skolgång."]
    assert "\n1. Nyanlända ska" in source.text and "\n2. Alla barn" in source.text
    rows = [b for b in blocks["Åtaganden"] if b.kind is BlockKind.TABLE_ROW]
    assert [[c.text for c in row.cells] for row in rows] == [["Insats", "Ansvarig", "Tidplan"],
                                                             ["Samhällsorientering", "Kommunerna", "2019"],
                                                             ["Hälsoundersökning", "Region Blekinge", "2020"]]
    assert len(source.tables) == 1 and len(source.tables[0].rows) == 3
    assert [p.number for p in source.pages] == [1, 2] and source.page_at(source.text.index("Uppföljning")) == 2
    agreement = extract_document(path)
    assert agreement.period is not None and agreement.period.label() == "2019–2021"
    assert {"Arbetsförmedlingen", "Region Blekinge", "Migrationsverket"} <= {p.canonical for p in agreement.parties}


def test_spans_carry_the_paragraph_index(tmp_path):
    path = agreement_docx(tmp_path / "avtal.docx")
    source = read_document(path)
    paragraphs = [p for p in docx.Document(str(path)).element.body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")]
    texts = ["".join(node.text or "" for node in p.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")) for p in paragraphs]
    for paragraph in source.paragraphs:
        written = source.text[paragraph.start : paragraph.end]
        assert written.endswith(texts[paragraph.index - 1]), (paragraph, written)
    cell = source.tables[0].rows[2][1]
    assert cell.text == "Region Blekinge" and texts[cell.span.paragraph - 1] == "Region Blekinge"
    agreement = extract_document(path)
    party = next(p for p in agreement.parties if p.canonical == "Migrationsverket")
    assert party.span.paragraph is not None and texts[party.span.paragraph - 1] == "Migrationsverket"
    assert party.span.to_dict()["paragraph"] == party.span.paragraph
    assert "paragraph" not in extract_document(seed("004")).parties[0].span.to_dict()


def test_word_content_controls_tracked_changes_and_outline_levels(tmp_path):
    path = docx_with_body(tmp_path, """
      <w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>
        <w:sdtContent><w:p><w:r><w:t>Innehåll 3</w:t></w:r></w:p></w:sdtContent></w:sdt>
      <w:sdt><w:sdtContent>
        <w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>Syfte och mål</w:t></w:r></w:p>
        <w:p><w:r><w:t xml:space="preserve">Parterna ska </w:t></w:r>
          <w:del><w:r><w:delText>inte </w:delText></w:r></w:del>
          <w:ins><w:r><w:t>gemensamt </w:t></w:r></w:ins><w:r><w:fldChar w:fldCharType="begin"/></w:r>
          <w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>verka för etablering.</w:t></w:r></w:p>
      </w:sdtContent></w:sdt>""")
    source = read_document(path)
    assert "Innehåll" not in source.text and "inte" not in source.text and "PAGE" not in source.text
    assert "Parterna ska gemensamt verka för etablering." in source.text
    assert any("table-of-contents" in w for w in source.warnings)
    headings = [s.heading for s in segment(source).sections if s.heading]
    assert headings == ["Syfte och mål"]
    assert [p.index for p in source.paragraphs] == [1, 3, 4]  # the contents paragraph (2) counted, not written


def test_an_odt_with_headings_lists_tables_and_a_page_break(tmp_path):
    writer = OdtWriter()
    writer.heading("Regional överenskommelse för Blekinge län")
    writer.heading("Parter", 2)
    writer.paragraph("Följande parter ingår i överenskommelsen:")
    for party in ("Länsstyrelsen Blekinge", "Region Blekinge"):
        writer.item(party)
    writer.item("Parterna ska samverka.", numbered=True)
    writer.item("Parterna ska följa upp.", numbered=True)
    writer.row(["Insats", "Ansvarig"])
    writer.row(["Språkstöd", "Kommunerna\nRegion Blekinge"])
    writer.paragraph("Uppföljning sker årligen.", new_page=True)
    source = read_document(writer.save(tmp_path / "avtal.odt"))
    assert source.format is SourceFormat.ODT
    assert "• Länsstyrelsen Blekinge\n• Region Blekinge\n1. Parterna ska samverka.\n2. Parterna" in source.text
    assert source.tables[0].rows[1][1].text == "Kommunerna\vRegion Blekinge"
    assert [p.number for p in source.pages] == [1, 2]
    doc = segment(source)
    assert [s.heading for s in doc.sections if s.heading] == ["Regional överenskommelse för Blekinge län", "Parter"]
    kinds = [b.kind for b in doc.sections[-1].blocks]
    assert kinds.count(BlockKind.LIST_ITEM) == 4 and kinds.count(BlockKind.TABLE_ROW) == 2


def test_office_files_are_found_by_content_and_suffix(tmp_path):
    assert {".docx", ".odt"} <= SUPPORTED_SUFFIXES
    word = agreement_docx(tmp_path / "avtal.docx")
    renamed = tmp_path / "avtal.txt"
    renamed.write_bytes(word.read_bytes())
    assert read_document(renamed).format is SourceFormat.DOCX
    writer = OdtWriter()
    writer.paragraph("Överenskommelse")
    odt = writer.save(tmp_path / "x.odt")
    no_suffix = tmp_path / "x"
    no_suffix.write_bytes(odt.read_bytes())
    assert read_document(no_suffix).format is SourceFormat.ODT


@pytest.mark.parametrize(("name", "make", "problem"), [
    ("text.docx", lambda p: p.write_bytes("Det här är bara text.".encode()),
     "is not a Word document (not a zip package)"),
    ("old.docx", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
     "is not a Word document (an old-format Office file"),
    ("locked.docx", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
                                            + "EncryptedPackage".encode("utf-16-le")), "is password-protected"),
    ("cut.docx", lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 64), "damaged Word document"),
    ("book.docx", lambda p: zip_parts(p, {"xl/workbook.xml": b"<x/>"}), "is not a Word document"),
    ("book.xlsx", lambda p: zip_parts(p, {"xl/workbook.xml": b"<x/>"}), "unsupported format: Excel workbook"),
    ("sheet.ods", lambda p: zip_parts(p, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
     "unsupported format: OpenDocument spreadsheet"),
    ("files.zip", lambda p: zip_parts(p, {"a.txt": b"hej"}), "unsupported format: zip archive"),
    ("empty.odt", lambda p: p.write_bytes(b"PK\x05\x06" + b"\x00" * 18), "an empty zip archive"),
    ("zipcrypto.docx", lambda p: zip_parts(p, {"word/document.xml": b"<w/>"}, encrypted=True), "is password-protected"),
    ("laughs.docx", lambda p: zip_parts(p, {"word/document.xml": BILLION_LAUGHS}), "declares a DTD or entities"),
    ("bomb.docx", lambda p: zip_parts(p, {"word/document.xml": b"<w/>" + b" " * (3 << 20)}),
     "zip bomb"),
    ("nocontent.odt", lambda p: zip_parts(p, {"mimetype": b"application/vnd.oasis.opendocument.text",
                                         "META-INF/manifest.xml": b"<m/>"}), "no content.xml"),
    ("locked.odt", lambda p: zip_parts(p, {"mimetype": b"application/vnd.oasis.opendocument.text",
                                      "META-INF/manifest.xml": b"<m><manifest:encryption-data/></m>",
                                      "content.xml": b"x"}), "is password-protected"),
    ("laughs.odt", lambda p: zip_parts(p, {"mimetype": b"application/vnd.oasis.opendocument.text",
                                      "content.xml": BILLION_LAUGHS}), "declares a DTD or entities"),
    ("broken.odt", lambda p: zip_parts(p, {"mimetype": b"application/vnd.oasis.opendocument.text",
                                      "content.xml": b"<office:document-content"}), "damaged OpenDocument text"),
])
def test_bad_office_files_get_one_line_naming_file_and_problem(tmp_path, name, make, problem):
    path = tmp_path / name
    make(path)
    with pytest.raises(InputError) as error:
        read_document(path)
    message = str(error.value)
    assert message.startswith(str(path)) and problem in message and "\n" not in message


def test_an_office_file_without_text_says_so(tmp_path):
    path = tmp_path / "blank.docx"
    docx.Document().save(path)
    with pytest.raises(InputError, match="holds no text"):
        read_document(path)
    writer = OdtWriter()
    with pytest.raises(InputError, match="holds no text"):
        read_document(writer.save(tmp_path / "blank.odt"))


def test_package_limits_are_checked_before_anything_is_inflated(tmp_path, monkeypatch):
    path = agreement_docx(tmp_path / "avtal.docx")
    monkeypatch.setattr(package, "MAX_TOTAL_BYTES", 10_000)
    with pytest.raises(InputError, match="zip bomb"):
        read_document(path)
    monkeypatch.setattr(package, "MAX_TOTAL_BYTES", 1 << 30)
    monkeypatch.setattr(package, "MAX_ENTRIES", 3)
    with pytest.raises(InputError, match="parts in the package"):
        read_document(path)


def test_word_numbering_as_word_writes_it(tmp_path):
    """Numbered headings (numbering on the paragraph), lettered items, a list restarted at c),
    nested bullets; Word stores none of the markers in the text."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for element in parse_xml(f"<w:numbering {nsdecls('w')}>{NUMBERING.format(ns='')}</w:numbering>"):
        position = 0 if element.tag.endswith("abstractNum") else len(numbering)
        numbering.insert(position, element)

    def numbered(text: str, style: str, num_id: int, level: int = 0) -> None:
        paragraph = document.add_paragraph(text, style=style)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))

    numbered("Inledning", "Heading 1", 90)
    document.add_paragraph("Överenskommelsen gäller länet.")
    numbered("Parter", "Heading 1", 90)
    numbered("Statliga parter", "Heading 2", 90, 1)
    numbered("Arbetsförmedlingen ska stödja etableringen.", "List Paragraph", 91)
    numbered("Migrationsverket ska anvisa platser.", "List Paragraph", 91)
    numbered("underpunkt om boende", "List Paragraph", 91, 1)
    numbered("Försäkringskassan ska informera.", "List Paragraph", 92)
    path = tmp_path / "numrerad.docx"
    document.save(path)
    text = read_document(path).text
    assert text.startswith("1. Inledning\n\nÖverenskommelsen gäller länet.\n\n2. Parter\n\n2.1 Statliga parter\n\n")
    assert ("a) Arbetsförmedlingen ska stödja etableringen.\nb) Migrationsverket ska anvisa platser.\n"
            "• underpunkt om boende\nc) Försäkringskassan ska informera.") in text
    doc = segment(read_document(path))
    assert [s.heading for s in doc.sections if s.heading] == ["1. Inledning", "2. Parter", "2.1 Statliga parter"]
    assert sum(b.kind is BlockKind.LIST_ITEM for b in doc.sections[-1].blocks) == 4


def test_word_text_boxes_are_read_once_and_hidden_text_not_at_all(tmp_path):
    ns = nsdecls("w", "wp", "a") + (
        ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
        ' xmlns:v="urn:schemas-microsoft-com:vml"')
    path = docx_with_body(tmp_path, TEXT_BOX.format(ns=ns))
    source = read_document(path)
    assert source.text.count("Lokal överenskommelse för Karlshamns kommun") == 1
    assert "dold" not in source.text
    assert source.text.index("Omslag") < source.text.index("Lokal överenskommelse")


def test_odt_frames_are_read_after_their_paragraph_and_notes_left_out(tmp_path):
    from odf.draw import Frame, TextBox
    from odf.text import Note, NoteBody, NoteCitation, P

    writer = OdtWriter()
    anchor = P(text="Omslag")
    frame = Frame(width="10cm", height="3cm", anchortype="paragraph")
    box = TextBox()
    box.addElement(P(text="Lokal överenskommelse för Karlshamns kommun"))
    frame.addElement(box)
    anchor.addElement(frame)
    note = Note(noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text="En fotnot"))
    note.addElement(body)
    anchor.addElement(note)
    writer.document.text.addElement(anchor)
    source = read_document(writer.save(tmp_path / "ram.odt"))
    assert source.text == "Omslag\n\nLokal överenskommelse för Karlshamns kommun"
    assert [p.index for p in source.paragraphs] == [1, 2]


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_damaged_copies_fail_with_an_input_error_only(tmp_path, fmt):
    """Cut short, bytes overwritten, or XML broken inside a sound zip: never a traceback."""
    items = seed_items(seed("004"))
    data = (write_docx if fmt == "docx" else write_odt)(items, tmp_path / f"ok.{fmt}").read_bytes()
    damaged = [data[: len(data) * k // 5] for k in range(1, 5)]
    damaged += [data[:at] + b"\xff" * 16 + data[at + 16 :] for at in range(40, len(data), len(data) // 7)]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    main = "word/document.xml" if fmt == "docx" else "content.xml"
    for broken in (parts[main][:-40], parts[main].replace(b">", b"", 3), b"<?xml version='1.0' encoding='U-F-8'?><a/>"):
        damaged.append(zip_parts(tmp_path / f"x.{fmt}", {**parts, main: broken}).read_bytes())
    for number, data in enumerate(damaged):
        path = tmp_path / f"damaged{number}.{fmt}"
        path.write_bytes(data)
        try:
            read_document(path)
        except InputError as error:
            assert str(error).startswith(str(path)) and "\n" not in str(error)


def test_content_nested_too_deeply_is_refused(tmp_path):
    namespaces = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = (f"<office:document-content {namespaces}><office:body><office:text><text:p>"
               + "<text:span>" * 20000 + "x" + "</text:span>" * 20000 + "</text:p></office:text></office:body>"
               "</office:document-content>")
    path = zip_parts(tmp_path / "deep.odt", {"mimetype": b"application/vnd.oasis.opendocument.text",
                                        "content.xml": content.encode()})
    with pytest.raises(InputError, match="nested too deeply"):
        read_document(path)


def test_a_macro_enabled_document_is_named_as_such(tmp_path):
    with zipfile.ZipFile(agreement_docx(tmp_path / "avtal.docx")) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    with pytest.raises(InputError, match=r"unsupported Word variant \(a macro-enabled document: .*save it as"):
        read_document(zip_parts(tmp_path / "makro.docm", parts))
