"""Layouts met on real pages the reader had not seen before (checked by eye against their
renderings; see ``tests/data/pdf_real_fingerprints.json``), rebuilt here so that they are
tested without ``../shared``:

- a record's heading ("107 Publik fråga  Datum: ...") that happens to open several pages is
  content, not a running header: the body repeats it in the middle of pages;
- a number that only happens to open a line inside a sentence ("... i enlighet med" /
  "2.2 i anbudsinbjudan.") is no list item;
- a definition list whose justified terms run on over several lines up to the text column
  (closer to it than a cell gap) is read as rows of term and text.
"""

from __future__ import annotations

from rok_compare.ingest.pdf.blocks import page_blocks
from rok_compare.ingest.pdf.fragments import Fragment
from rok_compare.ingest.pdf.layout import Flow, Line
from rok_compare.ingest.pdf.unruled import find_unruled_tables

HEIGHT = 10.0
RIGHT = 500.0


def _line(text: str, row: int, x0: float = 70.0, x1: float = RIGHT) -> Line:
    top = 700 - 12.0 * row
    return Line(text, x0, x1, top - HEIGHT, top, False)


def _blocks(lines: list[Line]) -> list[str]:
    flow = Flow(70.0, RIGHT, list(lines))
    return [" ".join(line.text for line in block.lines) for block in page_blocks([flow], HEIGHT)]


def test_a_number_opening_a_line_inside_a_sentence_goes_on_with_it():
    lines = [_line("Däremot kan Inköpscentralen gå ut med förtydliganden till anbudsinbjudan i enlighet med", 0),
             _line("2.2 i anbudsinbjudan.", 1, x1=170.0)]
    assert _blocks(lines) == [f"{lines[0].text} {lines[1].text}"]


def test_a_numbered_list_after_a_full_line_still_starts_its_items():
    """A first item ("1.") always starts one, and so does an item whose predecessor stands above
    ("2." after "1."), even when the line above runs full without a full stop."""
    lines = [_line("Parterna åtar sig att under avtalsperioden genomföra följande åtgärder i hela länet", 0),
             _line("1. Samhällsorientering på modersmål för alla nyanlända vuxna i länets kommuner och", 1),
             _line("2. Hälsoundersökning inom tre månader efter ankomsten.", 2, x1=320.0)]
    assert _blocks(lines) == [line.text for line in lines]


def test_a_record_heading_that_opens_pages_is_kept_and_the_running_footer_dropped(tmp_path):
    """Questions and answers, each under a heading "NNN Publik fråga  Datum: ..."; on three of
    four pages a question's heading happens to be the first line. The running footer ("Frågor
    och svar ... Sida 2 av 4") is furniture; the headings, which the body repeats mid-page, are
    not (before, the three page-top headings were dropped as a running header)."""
    import pdf_factory as factory

    from rok_compare.ingest.pdf import read_pdf

    pages, headings = [], []
    for page in range(4):
        ops: list[tuple] = [(factory.MARGIN, 285, f"Frågor och svar under anbudstiden  Sida {page + 1} av 4",
                             factory.FURNITURE_PT, False)]
        y = 20 if page else 60
        for question in range(2):
            number = 100 + 2 * page + question
            heading = f"{number} Publik fråga"
            headings.append(heading)
            ops += [(factory.MARGIN, y, heading, factory.BODY_PT, True),
                    (120, y, f"Datum: 2022-04-0{page + 1} 1{question}:30", factory.BODY_PT, False),
                    (factory.MARGIN, y + 8, f"Gäller avsnitt {page + 1}.{question + 1} i ramavtalsutkastet och "
                     "hur prisjusteringar ska meddelas leverantörerna.", factory.BODY_PT, False),
                    (factory.MARGIN, y + 14, "Svar: Inköpscentralen förtydligar skrivningen i nästa version av "
                     "underlaget.", factory.BODY_PT, False)]
            y += 110
        pages.append(ops)
    path = factory._drawn(tmp_path / "fragor.pdf", pages)
    text = read_pdf(path, path.read_bytes(), "0" * 64, ocr="never").text
    assert all(heading in text for heading in headings), [h for h in headings if h not in text]
    assert "Frågor och svar under anbudstiden" not in text and "Sida" not in text


def _words(text: str, x0: float, row: int) -> list[Fragment]:
    """One fragment a word, 5 points a character and a space."""
    words, x = [], x0
    top = 700 - 12.0 * row
    for word in text.split():
        words.append(Fragment(word, x, x + 5.0 * len(word), top - HEIGHT, top))
        x += 5.0 * (len(word) + 1)
    return words


def _justify(words: list[Fragment], right: float) -> None:
    """Spread the words' gaps evenly so that the last word ends at ``right``."""
    extra = (right - words[-1].x1) / (len(words) - 1)
    for index, word in enumerate(words):
        word.x0, word.x1 = word.x0 + index * extra, word.x1 + index * extra


def test_justified_terms_over_several_lines_beside_their_texts_make_term_rows():
    """The terms' lines run up to 6 points (0.6 line heights, less than a cell gap) before the
    texts' column: each such row is split at the column's start, and a term of four lines with
    its note is still a term."""
    text_x = 260.0
    rows = [("Inventeringsansvarig", "Den tjänsteman på länsstyrelsen som förordnas att"),
            ("", "ansvara för inventering av rovdjur i länet."),
            ("Kriterier", "Kännetecken som används för att fastställa om"),
            ("", "föryngring ägt rum och antal föryngringar."),
            ("Naturvårdsverkets metodik", "Dokument som är knutet till rekvirering av medel"),
            ("för inventering av stora", "för inventering, innehållande metod för arbetet"),
            ("rovdjur i Sverige och", "med inventeringarna av björn, varg och lodjur."),
            ("(NFS 2014:23)", ""),
            ("Rovdjur", "Björn, varg, järv, lodjur och kungsörn."),
            ("Sameby", "Enligt definition i rennäringslagen (1971:437).")]
    lines: list[list[Fragment]] = []
    for row, (term, definition) in enumerate(rows):
        line = []
        if term:
            words = _words(term, 130.0, row)
            if len(term) > 20:  # justified to the column's edge: 6 points before the texts
                _justify(words, text_x - 6.0)
            line += words
        if definition:
            line += _words(definition, text_x, row)
        lines.append(line)
    fragments = [Fragment(" ".join(w.text for w in line), line[0].x0, line[-1].x1, line[0].bottom, line[0].top)
                 for line in lines]
    by_row = {id(fragment): line for fragment, line in zip(fragments, lines, strict=True)}

    def words(line: list[Fragment]) -> list[Fragment]:
        return [word for fragment in line for word in by_row[id(fragment)]]

    tables, rest = find_unruled_tables(fragments, words)
    assert not rest
    assert [" ".join(term.split()) for term, _ in tables[0].rows] == [
        "Inventeringsansvarig", "Kriterier",
        "Naturvårdsverkets metodik för inventering av stora rovdjur i Sverige och (NFS 2014:23)",
        "Rovdjur", "Sameby"]



def test_short_paragraphs_set_with_space_between_them_stay_apart():
    """Minutes' opening lines: short paragraphs with a blank line's space between them, one of
    them wrapped onto four lines. Half the page's baseline distances are paragraph gaps, so the
    line pitch is a low quantile of them (before, the median made every gap look like a line
    and the paragraphs ran together)."""
    texts = [["Utdrag ur protokoll vid regeringssammanträde den 20 april 2023"],
             ["Närvarande: statsminister Kristersson, ordförande, och statsråden",
              "Svantesson, Ankarberg Johansson, Edholm, J Pehrson, Jonson,",
              "Strömmer, Forssmed, Tenje, Forssell, Slottner, M Persson, Wykman,",
              "Malmer Stenergard, Kullgren, Liljestrand, Bohlin, Pourmokhtari"],
             ["Föredragande: statsrådet Kullgren"],
             ["Regeringen beslutar proposition Skandinavisk luftfartspolitik"],
             ["Statsrådet Kullgren föredrar ärendet."]]
    lines, row = [], 0
    for paragraph in texts:
        for text in paragraph:
            lines.append(_line(text, row, x1=RIGHT - 5.0))  # each line near full: only the gaps tell
            row += 1
        row += 1  # a blank line's space
    assert _blocks(lines) == [" ".join(paragraph) for paragraph in texts]
