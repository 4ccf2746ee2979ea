"""Layouts met on real pages checked in the third unseen round (see
``tests/data/pdf_real_fingerprints.json``), rebuilt from lines so that they are tested without
``../shared``.
"""

from __future__ import annotations

from rok_compare.ingest.pdf.blocks import page_blocks
from rok_compare.ingest.pdf.layout import Flow, Line

HEIGHT = 10.0
RIGHT = 500.0


def _line(text: str, row: int, x1: float = RIGHT, bold: bool = False, x0: float = 70.0) -> Line:
    top = 700 - 12.0 * row
    return Line(text, x0, x1, top - HEIGHT, top, bold)


def _blocks(lines: list[Line]) -> list[str]:
    return [" ".join(line.text for line in block.lines) for block in page_blocks([Flow(70.0, RIGHT, lines)], HEIGHT)]


def test_a_heading_in_sentence_case_and_a_subheading_below_it_are_two():
    """"5.5 Störningar i teknisk infrastruktur och försörjningssystem" / "Störningar i
    elförsörjningen", both bold, the first ending short of the edge by a little less than the
    second's first word: before, read as one heading."""
    lines = [_line("5.5 Störningar i teknisk infrastruktur och försörjningssystem", 0, x1=430.0, bold=True),
             _line("Störningar i elförsörjningen", 1, x1=230.0, bold=True),
             _line("Samhället idag är mycket elberoende och ett elavbrott får snabbt konsekvenser, både för", 2),
             _line("enskilda och för samhällsviktiga verksamheter.", 3, x1=300.0)]
    assert _blocks(lines) == [lines[0].text, lines[1].text, f"{lines[2].text} {lines[3].text}"]


def test_a_heading_wrapped_in_lower_case_stays_one():
    lines = [_line("3.2 Parternas gemensamma åtaganden för etableringen av nyanlända kvinnor", 0, x1=430.0, bold=True),
             _line("och män i länet", 1, x1=180.0, bold=True),
             _line("Parterna ska samverka.", 2, x1=200.0)]
    assert _blocks(lines) == [f"{lines[0].text} {lines[1].text}", lines[2].text]


def test_a_title_case_heading_wrapped_onto_a_capital_stays_one():
    """Headings in title case ("Analytisk Och Problemlösande Förmåga") give no such sign."""
    lines = [_line("Regional Överenskommelse Om Samverkan För Nyanländas Etablering", 0, x1=440.0, bold=True),
             _line("Jönköpings Län", 1, x1=150.0, bold=True)]
    assert _blocks(lines) == [f"{lines[0].text} {lines[1].text}"]


def test_a_lists_sign_inside_a_sentence_goes_on_with_it():
    """"... operationerna + och" / "* och parenteser": the line above ends on "och"."""
    lines = [_line("4. Betrakta aritmetiska uttryck som består av positiva heltal, operationerna + och", 0),
             _line("* och parenteser. Mer precist säger vi att ett uttryck är ett heltal.", 1, x1=420.0, x0=88.0)]
    assert _blocks(lines) == [f"{lines[0].text} {lines[1].text}"]


def test_dash_items_after_a_colon_are_still_items():
    lines = [_line("Parterna ska under avtalsperioden genomföra följande insatser i hela länet och", 0),
             _line("i samtliga kommuner:", 1, x1=200.0),
             _line("- samhällsorientering på modersmål", 2, x1=260.0),
             _line("- hälsoundersökning inom tre månader och", 3, x1=300.0),
             _line("- språkstöd", 4, x1=140.0)]
    assert _blocks(lines) == [f"{lines[0].text} {lines[1].text}", lines[2].text, lines[3].text, lines[4].text]


def test_a_tex_accent_drawn_back_over_its_letter_after_the_line(tmp_path):
    """TeX draws "Ä" as "A" and then, after the rest of the line, a "¨" back over it: PDFium
    ends the line's run with the accent. Before, the accent stood at the line's end, apart from
    its letter, and the line seemed to end early there (the paragraph was cut)."""
    import pdf_factory as factory

    from rok_compare.ingest.pdf import read_pdf

    measure = factory._measure(factory.BODY_PT)
    first = "med skiplistor? Vilken komplexitet har din algoritm? "
    lines = ["Hur gör man om man vill implementera unionen av två mängder med",
             first + "Ar det en bra eller",
             "dålig implementering i jämförelse med de alternativ som finns? (5p)"]
    ops: list[tuple] = [(factory.MARGIN, 40 + 5 * row, line, factory.BODY_PT, False) for row, line in enumerate(lines)]
    ops.insert(2, (factory.MARGIN + measure(first) + 0.4 * measure("A") - 0.5 * measure("¨"), 44.6, "¨",
                   factory.BODY_PT, False))
    path = factory._drawn(tmp_path / "accent.pdf", [ops])
    text = read_pdf(path, path.read_bytes(), "0" * 64, ocr="never").text
    assert "Är det en bra eller dålig implementering" in text
    assert "\n" not in text


def _entry(text: str, page: str, row: int, x1: float = RIGHT, bold: bool = False) -> Line:
    """A contents line: its text, a wide gap and the page number at the right margin."""
    top = 700 - 12.0 * row
    return Line(f"{text} {page}", 70.0, x1, top - 10.0, top, bold, entry=True)


def test_contents_entries_wrapped_onto_a_second_line_are_one_and_the_next_starts_anew():
    """Hagfors' contents: "3.10 Skydd och säkerhet 16" then "4 Identifierade kritiska beroenden
    för kommunens samhällsviktiga" / "verksamhet 16". Before, the first two ran together (a full
    line, and "4 " is no list marker) and the wrapped entry was cut in two."""
    lines = [_entry("3.10 Skydd och säkerhet", "16", 0),
             _line("4 Identifierade kritiska beroenden för kommunens samhällsviktiga", 1, x1=430.0),
             _entry("verksamhet", "16", 2),
             _entry("4.1 Lägsta acceptabla nivå", "17", 3)]
    assert _blocks(lines) == [lines[0].text, f"{lines[1].text} {lines[2].text}", lines[3].text]


def test_a_registers_second_code_and_synonym_stay_with_their_entry():
    lines = [_line("Erionit........................................................ 66733-21-9", 0),
             _line("12510-42-8", 1, x1=RIGHT, x0=450.0),
             _line("Auramin........................................................ 492-80-8", 2),
             _line("(4,4’-imidokarbonyl-bis(N,N-dimetylanilin))", 3, x1=300.0),
             _line("Benzidin....................................................... 92-87-5", 4)]
    assert _blocks(lines) == [f"{lines[0].text} {lines[1].text}", f"{lines[2].text} {lines[3].text}",
                              lines[4].text]


def test_a_bold_list_heading_is_not_taken_for_the_first_line_of_an_entry():
    lines = [_line("Cancerframkallande ämnen CAS-nr", 0, x1=480.0, bold=True),
             _line("p-Aminoazobensen............................................... 60-09-3", 1)]
    assert _blocks(lines) == [lines[0].text, lines[1].text]


def test_rows_of_one_cells_wrapped_lines_are_joined():
    from rok_compare.ingest.pdf.tables import join_wrapped_rows

    rows = [["Krav", "Svar"], ["", "Möjlighet att delta på plats i kommunens lokaler vid"],
            ["", "särskilt angivna tillfällen, exempelvis vid utbildningar och"],
            ["", "föredragningar för ledningsgrupp."], ["", "Minst två konsulter med erfarenhet."],
            ["", "Kommunen"], ["", "Regionen"]]
    assert join_wrapped_rows(rows) == [
        ["Krav", "Svar"],
        ["", "Möjlighet att delta på plats i kommunens lokaler vid\nsärskilt angivna tillfällen, exempelvis vid "
             "utbildningar och\nföredragningar för ledningsgrupp."],
        ["", "Minst två konsulter med erfarenhet."], ["", "Kommunen"], ["", "Regionen"]]


def test_a_cell_whose_lines_are_framed_one_by_one_reads_as_one_cell(tmp_path):
    """A ruled table of two columns whose right cell in the second row holds three lines, each
    framed by a rectangle of its own (a form's shaded or underlined lines): the grid cuts the
    cell into a row a line. Before, the cell's sentence was read as three rows."""
    import pdf_factory as factory

    from rok_compare.ingest.pdf import read_pdf

    x0, x1, x2 = factory.MARGIN, 70.0, 190.0
    lines = ["Möjlighet att delta på plats i kommunens lokaler vid",
             "särskilt angivna tillfällen, exempelvis vid utbildningar och",
             "föredragningar för ledningsgrupp."]
    ops: list[tuple] = [("rect", x0, 30.0, x1 - x0, 8.0), ("rect", x1, 30.0, x2 - x1, 8.0),
                        (x0 + 2, 35.5, "Krav", factory.BODY_PT, True),
                        (x1 + 2, 35.5, "Beskrivning", factory.BODY_PT, True),
                        ("rect", x0, 38.0, x1 - x0, 18.0), (x0 + 2, 43.5, "Närvaro", factory.BODY_PT, False)]
    for number, line in enumerate(lines):
        ops += [("rect", x1, 38.0 + 6 * number, x2 - x1, 6.0),
                (x1 + 2, 42.5 + 6 * number, line, factory.BODY_PT, False)]
    path = factory._drawn(tmp_path / "framed_lines.pdf", [ops])
    document = read_pdf(path, path.read_bytes(), "0" * 64, ocr="never")
    cells = [[cell.text for cell in row] for row in document.tables[0].rows]
    assert cells == [["Krav", "Beskrivning"], ["Närvaro", " ".join(lines)]]
