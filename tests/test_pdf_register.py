"""A register set with hanging indents, whose lines often end on an abbreviation ("f." for
född, "(adr." for adress): the indented line goes on with the entry. Before, a line ending in
a full stop was taken to end the sentence, and every such entry was cut in two (six times on one
page of a scanned yearbook in ``../shared/pdf/real``)."""

from __future__ import annotations

from rok_compare.ingest.pdf.blocks import page_blocks
from rok_compare.ingest.pdf.layout import Flow, Line

HEIGHT = 13.5
RIGHT = 278.0


def _line(text: str, x0: float, row: int, x1: float = RIGHT) -> Line:
    top = 700 - 14.5 * row
    return Line(text, x0, x1, top - HEIGHT, top, False)


def _blocks(lines: list[Line]) -> list[str]:
    flow = Flow(41.0, RIGHT, list(lines))
    return [" ".join(line.text for line in block.lines) for block in page_blocks([flow], HEIGHT)]


def test_an_entry_whose_line_ends_on_an_abbreviation_goes_on_in_the_indented_line():
    entries = [("Holmkvist, Erik Bertil, Studiesekreterare, f.", "17; 53 (adr. Malmö)."),
               ("Norling, Anton, Metallarbetare, f. 89; 51 (adr.", "Göteborg)."),
               ("Leander, Axel, fd. Linjearbetare, f. 88; 53", "(adr. Ystad).")]
    lines = []
    for first, second in entries:
        lines += [_line(first, 41.0, len(lines)), _line(second, 56.0, len(lines) + 1, 150.0)]
    assert _blocks(lines) == [f"{first} {second}" for first, second in entries]


def test_a_first_line_indent_after_a_full_stop_still_starts_a_paragraph():
    lines = [_line("Parterna ska samverka kring mottagandet av nyanlända i hela länet.", 41.0, 0),
             _line("Kommunerna ska erbjuda samhällsorientering på modersmålet till", 56.0, 1),
             _line("alla nyanlända vuxna inom ett år.", 41.0, 2, 200.0)]
    assert _blocks(lines) == [lines[0].text, f"{lines[1].text} {lines[2].text}"]


def test_a_list_of_names_one_a_line_keeps_each_name_apart(tmp_path):
    """The column's right edge is its second-widest line: a list of short names with two long
    titles among them is no column whose lines all end early. Before, the edge was the 90th
    percentile of the line ends (a name's), and most names ran together."""
    import pdf_factory as factory

    from rok_compare.ingest.pdf import read_pdf

    path, names = factory.attendee_list_pdf(tmp_path / "protokoll.pdf")
    lines = [line for line in read_pdf(path, path.read_bytes(), "0" * 64, ocr="never").text.split("\n") if line]
    short = [name for name in names[1:] if "," not in name]
    after_titles = short[4]  # the name right after the two full-width lines goes on with them
    assert [line for line in lines if line in names] == [name for name in short if name != after_titles]
