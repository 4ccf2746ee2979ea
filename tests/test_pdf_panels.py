"""Text beside the body rather than in it (issue 11): margin labels, side-by-side panels, and a
term table of two columns. Read line by line across the page, a margin label landed inside the
title beside it, two panels were read one line of each in turn, and a definition list's notes
under its terms ran into the definitions."""

from __future__ import annotations

from pathlib import Path

import pdf_factory as factory
import pytest

from rok_compare.ingest.pdf import read_pdf
from rok_compare.ingest.pdf.fragments import Fragment
from rok_compare.ingest.pdf.unruled import find_unruled_tables

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "pdf" / "real"
BODY = ["Parterna ska gemensamt verka för att nyanlända snabbt",
        "kommer i arbete eller studier och att etableringen i",
        "länet följs upp varje år av den regionala styrgruppen.",
        "Kommunerna ansvarar för samhällsorienteringen och för",
        "att den ges på modersmålet, i samverkan med regionen.",
        "Länsstyrelsen samordnar arbetet och sammankallar till",
        "möten minst två gånger om året under avtalets löptid."]
"""Body lines of about 100 mm in 10 pt: from x 20 or 40 mm they end before x 150 mm."""


def _read(path: Path) -> str:
    return read_pdf(path, path.read_bytes(), "0" * 64, ocr="never").text


def _body(y: float, x: float = 40.0) -> list[tuple]:
    """The body's paragraph, its lines 5 mm apart from ``y`` down."""
    return [(x, y + 5.0 * index, line, 10, False) for index, line in enumerate(BODY)]


def test_a_margin_label_beside_a_title_is_read_before_it_not_inside_it(tmp_path):
    """An appendix's first page (not the document's first, whose title is read first anyway)."""
    ops = [(10.0, 30.0, "Prop. 2022/23:105", 8, False), (10.0, 34.0, "Bilaga 1", 8, False),
           (40.0, 31.0, "Riktlinjer för den skandinaviska", 14, False), (40.0, 37.5, "luftfartspolitiken", 14, False),
           *_body(50.0)]
    text = _read(factory._drawn(tmp_path / "bilaga.pdf", [_body(30.0), ops]))
    blocks = text.split("\f")[1].split("\n\n")
    assert "Riktlinjer för den skandinaviska luftfartspolitiken" in blocks
    assert blocks.index("Riktlinjer för den skandinaviska luftfartspolitiken") > next(
        index for index, block in enumerate(blocks) if "Bilaga 1" in block)


def test_a_label_far_right_of_a_text_line_is_split_off_and_read_apart(tmp_path):
    """PDFium runs "Skandinavisk luftfartspolitik" and the label "Prop." on its baseline into
    one run; the label's second line stands below it at the right margin."""
    ops = [(20.0, 20.0, "Regeringens proposition", 16, False), (20.0, 30.0, "Skandinavisk luftfartspolitik", 12, False),
           (150.0, 30.0, "Prop.", 12, False), (150.0, 35.0, "2022/23:105", 12, False),
           *_body(48.0, 20.0)]
    text = _read(factory._drawn(tmp_path / "prop.pdf", [ops]))
    assert "Skandinavisk luftfartspolitik Prop." not in text
    assert "Skandinavisk luftfartspolitik" in text.split("\n\n")


def test_side_by_side_panels_under_bold_headings_are_read_one_after_the_other(tmp_path):
    ops = [(20.0, 30.0, "Köpare", 11, True), (110.0, 30.0, "Upphandling", 11, True),
           (20.0, 36.0, "Köpare: Adda Inköpscentral AB", 9, False),
           (110.0, 36.0, "Namn: IT-konsulttjänster 2021", 9, False),
           (20.0, 41.0, "Handläggare: Anna Berg", 9, False), (110.0, 41.0, "Referensnr: 10539", 9, False),
           (20.0, 46.0, "Telefon: 08-123 45", 9, False), (110.0, 46.0, "Beskrivning: IT-konsulter", 9, False),
           *_body(62.0, 20.0)]
    text = _read(factory._drawn(tmp_path / "panels.pdf", [ops]))
    order = ["Köpare", "Köpare: Adda Inköpscentral AB", "Handläggare: Anna Berg", "Telefon: 08-123 45",
             "Upphandling", "Namn: IT-konsulttjänster 2021", "Referensnr: 10539", "Beskrivning: IT-konsulter"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions), text[:400]
    assert "Beskrivning: IT-konsulter Parterna" not in text  # the panel's last line runs into nothing
    assert "\n\n".join(BODY) not in text and " ".join(BODY) in text


def test_a_form_of_labels_and_values_stays_row_by_row(tmp_path):
    """Labels beside their values (no bold headings over two panels) are read a row at a time."""
    pairs = [("Namn:", "Anna Berg"), ("Telefon:", "08-123 45"), ("E-post:", "anna@example.se")]
    ops = [*[op for row, (label, value) in enumerate(pairs)
             for op in ((20.0, 30.0 + 6.0 * row, label, 10, False), (80.0, 30.0 + 6.0 * row, value, 10, False))],
           *_body(60.0)]
    text = _read(factory._drawn(tmp_path / "form.pdf", [ops]))
    assert text.index("Namn:") < text.index("Anna Berg") < text.index("Telefon:") < text.index("08-123 45")


def _line(text: str, x0: float, row: int) -> Fragment:
    top = 700 - 12 * row
    return Fragment(text, x0, x0 + 5.2 * len(text), top - 10, top)


def test_a_term_table_keeps_the_note_under_a_term_in_its_row():
    """Terms at the margin, their definitions wrapped beside them, an amendment note under a
    term beside the definition's second line: each term and its text one row."""
    rows = [("Familjegrupp", "Spår av lodjurshona med unge eller ungar som doku-"),
            ("(NFS 2014:23)", "menterats under inventeringsperioden."),
            ("Fältpersonal", "Person som förordnats av länsstyrelsen att utföra"),
            ("", "inventeringsarbete i fält gällande rovdjur."),
            ("Föryngring", "Björn, varg, järv och lodjur som har fött ungar."),
            ("Sameby", "Enligt definition i rennäringslagen (1971:437).")]
    fragments = [fragment for row, (term, text) in enumerate(rows)
                 for fragment in ([_line(term, 50, row)] if term else []) + [_line(text, 140, row)]]
    tables, rest = find_unruled_tables(fragments, lambda line: [])
    assert rest == [] and len(tables) == 1
    terms = [row[0].replace("\v", " ").replace("\n", " ") for row in tables[0].rows]
    assert terms == ["Familjegrupp (NFS 2014:23)", "Fältpersonal", "Föryngring", "Sameby"]
    assert tables[0].rows[1][1].replace("\n", " ") == \
        "Person som förordnats av länsstyrelsen att utföra inventeringsarbete i fält gällande rovdjur."


@pytest.mark.skipif(not REAL.is_dir(), reason=f"real PDFs not available ({REAL})")
def test_a_heading_beside_a_shaded_number_cell_is_not_lost():
    """The grid draws a cell round "2." only; the heading beside it is in no cell, and its
    words also stand in the table's cells ("Avropande myndighet:"): it was dropped as table text."""
    path = REAL / "botkyrka_2023_avropsforfragan-it-konsult-informationssakerhet.pdf"
    if not path.exists():
        pytest.skip(f"{path.name} not available")
    assert "2. Avropande myndighet" in _read(path).split("\f")[0]
