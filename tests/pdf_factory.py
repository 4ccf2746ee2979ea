"""Generate realistic agreement PDFs for tests and benchmarks with fpdf2.

Pages are laid out by a small engine of our own (word wrap, hyphenation of long words at line
ends, one or two columns, ruled tables, running header and footer) so that a test knows exactly
what was written where. Everything is drawn into a per-page list of operations first and emitted
at the end, which lets a layout put its text into the content stream column by column (as most
generators do) or row by row across the columns (which defeats a reader that trusts stream order).

The font is a TTF with å, ä, ö and the en dash: reportlab's bundled Bitstream Vera (a pip package,
so CI has it), else DejaVu Sans from the system.
"""

from __future__ import annotations

import importlib.util
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 20.0
BODY_TOP, BODY_BOTTOM = 28.0, 272.0
HEADER_Y, FOOTER_Y = 14.0, 286.0
BODY_PT, HEADING_PT, TITLE_PT, FURNITURE_PT = 10.0, 12.5, 16.0, 8.5
NOTE_PT, NOTE_MARK_PT, SUBHEADING_PT = 7.5, 6.0, 11.0
PT_MM = 0.3528
BREAK = "¦"
"""In paragraph source text: break the line here (a hyphen is drawn when a word is cut)."""

HEADER = "Regional överenskommelse – Norrbottens län"
TITLE = "Regional överenskommelse om samverkan för nyanländas etablering i Norrbottens län 2019–2025"


# --- fonts -------------------------------------------------------------------------------------

def find_fonts() -> tuple[Path, Path] | None:
    """A regular and a bold TTF that cover Swedish letters, or None when the machine has none."""
    spec = importlib.util.find_spec("reportlab")
    candidates = []
    if spec and spec.origin:
        fonts = Path(spec.origin).parent / "fonts"
        candidates.append((fonts / "Vera.ttf", fonts / "VeraBd.ttf"))
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    candidates.append((dejavu / "DejaVuSans.ttf", dejavu / "DejaVuSans-Bold.ttf"))
    for regular, bold in candidates:
        if regular.exists() and bold.exists():
            return regular, bold
    return None


# --- Swedish agreement-like text ---------------------------------------------------------------

SENTENCES = [
    "Parterna åtar sig att samverka kring mottagandet av nyanlända kvinnor, män och barn i länet.",
    "Arbetsförmedlingen ska erbjuda varje nyanländ en etableringsplan inom två månader efter "
    "beslut om uppehållstillstånd.",
    "Länsstyrelsen ska samordna den regionala samverkan och sammankalla parterna minst två gånger "
    "per år.",
    "Kommunerna ansvarar för samhällsorientering, svenska för invandrare och bosättning enligt "
    "bosättningslagen (2016:38).",
    "Regionen ska erbjuda hälsoundersökning till alla asylsökande och nyanlända inom ramen för "
    "hälso- och sjukvårdens uppdrag.",
    "Migrationsverket ska i god tid lämna information om prognoser för mottagandet till "
    "kommunerna och Länsstyrelsen.",
    "Försäkringskassan ansvarar för handläggningen av etableringsersättning och bostadsersättning.",
    "Samverkan ska bidra till att den nyanlände snabbare får arbete eller påbörjar en utbildning.",
    "Parterna ska verka för att civilsamhällets organisationer involveras i introduktionen av "
    "nyanlända.",
    "Insatserna ska utgå från individens behov, förutsättningar och tidigare erfarenheter.",
    "Ett jämställdhetsperspektiv ska genomsyra samtliga insatser inom etableringsuppdraget.",
    "Arbetsgivare i länet ska ges stöd att ta tillvara nyanländas kompetens och yrkeserfarenhet.",
    "Validering av utländsk utbildning ska ske så tidigt som möjligt under etableringstiden.",
    "Uppföljningen av överenskommelsen redovisas årligen till den regionala styrgruppen.",
    "Varje part utser en kontaktperson som ansvarar för informationsutbyte med övriga parter.",
    "Kommunerna ska verka för att ensamkommande barn får en trygg boendesituation och skolgång.",
    "Den regionala styrgruppen fastställer en årlig handlingsplan med konkreta aktiviteter.",
    "Överenskommelsen ska bidra till ett effektivt mottagande och en god etablering i hela länet.",
    "Samhällsorienteringen ska ges på modersmålet eller på ett annat språk som den nyanlände "
    "behärskar.",
    "Parterna ska gemensamt utveckla metoder för tidig kartläggning av kompetens och hälsa.",
    "Länets folkhögskolor och studieförbund erbjuder kompletterande utbildning i svenska språket.",
    "Statistik över mottagandet sammanställs av Länsstyrelsen och delges samtliga parter.",
    "Arbetsförmedlingen ska tillsammans med kommunerna erbjuda arbetsmarknadsnära insatser.",
    "Överenskommelsen gäller från och med undertecknandet och omprövas när förutsättningarna "
    "ändras väsentligt.",
]

HEADINGS = [
    "Inledning", "Bakgrund", "Syfte och mål", "Parternas åtaganden", "Länsstyrelsen",
    "Arbetsförmedlingen", "Kommunerna", "Regionen", "Uppföljning och utvärdering",
    "Samverkansformer", "Giltighetstid", "Kompetensförsörjning", "Hälsa och ohälsa",
    "Samhällsorientering", "Bosättning och boende",
]

HYPHEN_PARAGRAPH = (
    "Parterna ska gemensamt skapa bättre möjlig¦heter för nyanlända att etablera sig i arbets- och "
    "samhällslivet. Arbetet ska präglas av ett barn- ¦och jämställdhetsperspektiv och finansieras "
    "delvis med EU-¦medel från Europeiska socialfonden. RÖK-arbetet under perioden 2019–2025 leds "
    "av Länsstyrelsen i nära samarbete med kommunernas etablerings¦enheter."
)
"""Line breaks forced inside words: cut words ("möjlig-/heter"), a coordination ("barn-/och")
and a compound broken at its own hyphen ("EU-/medel")."""

TABLE_HEADER = ("Insats", "Ansvarig", "Tidplan")
TABLE_ROWS = [
    ("Samhällsorientering på modersmål", "Kommunerna", "2019–2020"),
    ("Hälsoundersökning för nyanlända och asylsökande", "Region Norrbotten", "Löpande"),
    ("Etableringsplan och arbetsmarknadsinsatser", "Arbetsförmedlingen", "Inom två månader"),
    ("Regional samordning och uppföljning", "Länsstyrelsen", "Två gånger per år"),
    ("Validering av utländsk utbildning", "Arbetsförmedlingen och Region Norrbotten", "2020"),
]


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def logical_text(source: str) -> str:
    """The paragraph as a reader should give it back: forced breaks removed."""
    return source.replace(BREAK + " ", " ").replace(BREAK, "")


# --- drawing operations and the layout engine --------------------------------------------------

@dataclass(frozen=True)
class TextOp:
    x: float
    y: float
    text: str
    size: float = BODY_PT
    bold: bool = False
    column: int = 0
    rise: float = 0.0
    """Drawn this far (mm) above its baseline ``y``: a superscript."""


@dataclass(frozen=True)
class RectOp:
    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class ImageOp:
    image: object
    x: float
    y: float
    w: float
    h: float


@dataclass
class GeneratedPdf:
    """What a factory wrote, for assertions: the logical paragraphs and headings per page."""

    path: Path
    pages: int = 0
    headings: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    columns: list[list[list[str]]] = field(default_factory=list)
    """Per page, per column, the lines drawn there."""
    header: str | None = None
    table_rows: list[tuple[str, ...]] = field(default_factory=list)
    heading_pages: dict[str, int] = field(default_factory=dict)
    """The page (1-based) each heading stands on."""
    paragraph_pages: list[int] = field(default_factory=list)
    """The page (1-based) each paragraph ends on."""

    @property
    def body_text(self) -> str:
        return "\n".join(self.headings + self.paragraphs)


class Layout:
    """Flows headings, paragraphs and tables into one or two columns over pages."""

    def __init__(self, pdf: FPDF, columns: int = 1, gutter: float = 10.0) -> None:
        self.pdf = pdf
        width = (PAGE_W - 2 * MARGIN - (columns - 1) * gutter) / columns
        self.columns = [(MARGIN + i * (width + gutter), width) for i in range(columns)]
        self.pages: list[list[object]] = []
        self.bottom = BODY_BOTTOM
        self.top_of_columns = BODY_TOP
        self.column = 0
        self.y = BODY_TOP
        self.new_page()

    def new_page(self) -> None:
        self.pages.append([])
        self.column, self.y = 0, BODY_TOP
        self.top_of_columns = BODY_TOP

    def advance(self, height: float) -> None:
        """Make room for ``height`` mm: next column, else next page."""
        if self.y + height <= self.bottom:
            return
        if self.column + 1 < len(self.columns):
            self.column, self.y = self.column + 1, self.top_of_columns
        else:
            self.new_page()

    def width(self, text: str, size: float = BODY_PT, bold: bool = False) -> float:
        body_font(self.pdf, size, bold)
        return self.pdf.get_string_width(text)

    def line(self, text: str, size: float = BODY_PT, bold: bool = False, x: float | None = None) -> None:
        height = size * PT_MM * 1.35
        self.advance(height)
        left = self.columns[self.column][0] if x is None else x
        self.pages[-1].append(TextOp(left, self.y + size * PT_MM, text, size, bold, self.column))
        self.y += height

    def full_width_line(self, text: str, size: float, bold: bool = True) -> None:
        """A title across all columns (only at the top of a page)."""
        for chunk in wrap(text, PAGE_W - 2 * MARGIN, lambda s: self.width(s, size, bold), cut=False):
            self.pages[-1].append(TextOp(MARGIN, self.y + size * PT_MM, chunk, size, bold, -1))
            self.y += size * PT_MM * 1.35
        self.y += 4
        self.top_of_columns = self.y

    def heading(self, text: str) -> None:
        self.advance(HEADING_PT * PT_MM * 1.35 * 2 + 12)
        if self.y > self.top_of_columns + 1:
            self.y += 4
        self.line(text, HEADING_PT, bold=True)
        self.y += 1.5

    def bullets(self, items: list[str], marker: str = "•") -> None:
        """A bulleted list: the marker hangs left of the item's wrapped lines; items stand a
        little apart (which loosens the page's usual line pitch)."""
        left, width = self.columns[self.column]
        for item in items:
            for k, line in enumerate(wrap(item, width - 7, self.width)):
                self.line(line, x=left + 7)
                if k == 0:
                    last = self.pages[-1][-1]
                    self.pages[-1].append(TextOp(left + 1.5, last.y, marker, BODY_PT, False, last.column))
            self.y += 1
        self.y += 2

    def subheading(self, text: str) -> None:
        """A smaller bold heading set close to what precedes it (wrapped when long)."""
        self.advance(BODY_PT * PT_MM * 1.35 * 3)
        self.y += 2
        width = self.columns[self.column][1]
        for line in wrap(text, width, lambda s: self.width(s, SUBHEADING_PT, True), cut=False):
            self.line(line, SUBHEADING_PT, bold=True)
        self.y += 1

    def paragraph(self, source: str) -> None:
        width = self.columns[self.column][1]
        for line in wrap(source, width, self.width):
            self.line(line)
        self.y += 3

    def note_mark(self, word: str, mark: str, since: int = 0) -> None:
        """Set footnote mark ``mark`` smaller and raised right after the first ``word`` drawn on
        the current page (from operation ``since`` on), as word processors do."""
        ops = self.pages[-1]
        for index in range(since, len(ops)):
            op = ops[index]
            if isinstance(op, TextOp) and word in op.text:
                head = op.text[: op.text.index(word) + len(word)]
                tail = op.text[len(head):]
                x = op.x + self.width(head, op.size, op.bold)
                size = NOTE_MARK_PT
                parts = [TextOp(op.x, op.y, head, op.size, op.bold, op.column),
                         TextOp(x, op.y, mark, size, False, op.column, rise=op.size * PT_MM * 0.35)]
                if tail:
                    parts.append(TextOp(x + self.width(mark, size), op.y, tail, op.size, op.bold, op.column))
                ops[index : index + 1] = parts
                return
        raise ValueError(f"{word!r} is not on the page")

    def footnotes(self, notes: list[str], number: int = 1) -> None:
        """Footnotes at the bottom of the current page, under a short rule, in a small font."""
        y = self.bottom + 8
        self.pages[-1].append(RectOp(MARGIN, y - 4, 50, 0.01))
        for note in notes:
            for k, line in enumerate(wrap(f"{number} {note}", PAGE_W - 2 * MARGIN,
                                          lambda s: self.width(s, NOTE_PT))):
                self.pages[-1].append(TextOp(MARGIN + (0 if k == 0 else 3), y + NOTE_PT * PT_MM, line,
                                             NOTE_PT, False, -1))
                y += NOTE_PT * PT_MM * 1.3
            number += 1

    def table(self, header: tuple[str, ...], rows: list[tuple[str, ...]],
              shares: tuple[float, ...] = (0.4, 0.32, 0.28), ruled: bool = True) -> None:
        """A ruled table: every cell a rectangle, text wrapped inside its cell; a newline in a
        cell's text is a line break the author made (one item a line). Unruled (``ruled``
        False), the cells are only aligned in columns, rows set a little apart."""
        widths = [self.columns[self.column][1] * f for f in shares][: len(header)]
        line_h = BODY_PT * PT_MM * 1.3
        for index, row in enumerate([header, *rows]):
            bold = index == 0
            cells = [[line for part in text.split("\n")
                      for line in wrap(part, w - 3, lambda s, b=bold: self.width(s, BODY_PT, b))]
                     for text, w in zip(row, widths, strict=True)]
            height = max(len(c) for c in cells) * line_h + 2.5
            self.advance(height)
            x = self.columns[self.column][0]
            for lines, w in zip(cells, widths, strict=True):
                if ruled:
                    self.pages[-1].append(RectOp(x, self.y, w, height))
                for k, text in enumerate(lines):
                    y = self.y + 1.2 + k * line_h + BODY_PT * PT_MM
                    self.pages[-1].append(TextOp(x + 1.5, y, text, BODY_PT, bold, self.column))
                x += w
            self.y += height
        self.y += 5


def wrap(source: str, width: float, measure, cut: bool = True) -> list[str]:
    """Greedy word wrap; long words are cut with a hyphen (when ``cut``); ``¦`` forces a break."""
    lines: list[str] = []
    for segment_index, segment in enumerate(source.split(BREAK)):
        words = segment.split()
        if segment_index > 0 and not segment.startswith(" ") and lines and lines[-1][-1:].isalpha():
            lines[-1] += "-"  # a forced break inside a word draws a hyphen
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if measure(candidate) <= width:
                current = candidate
                continue
            head, tail = cut_word(word, lambda s, c=current: measure(f"{c} {s}-" if c else f"{s}-"),
                                  width)
            if head and cut:
                lines.append(f"{current} {head}-" if current else f"{head}-")
                current = tail
            elif current:
                lines.append(current)
                current = word
            else:  # a word wider than the column stands alone on its line
                lines.append(word)
        if current:
            lines.append(current)
    return lines


_CUTTABLE = re.compile(r"^[A-Za-zÅÄÖåäöÉé]+[.,;:]?$")


def cut_word(word: str, measure, width: float) -> tuple[str, str]:
    """The longest head of a long word that still fits with a hyphen, or ("", word)."""
    if len(word) < 9 or not _CUTTABLE.match(word):
        return "", word
    for cut in range(len(word) - 4, 3, -1):
        if measure(word[:cut]) <= width:
            return word[:cut], word[cut:]
    return "", word


# --- rendering ---------------------------------------------------------------------------------

def new_pdf() -> FPDF:
    """An A4 document with a body font that has å, ä, ö: a TTF, or, without one, the built-in
    Helvetica in the Windows-1252 encoding (which has å, ä, ö and the en dash too)."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    fonts = find_fonts()
    if fonts:
        pdf.add_font("Body", "", str(fonts[0]))
        pdf.add_font("Body", "B", str(fonts[1]))
        pdf.body_family = "Body"
    else:
        pdf.core_fonts_encoding = "windows-1252"
        pdf.body_family = "Helvetica"
    pdf.set_creator("rok-compare test factory")
    return pdf


def body_font(pdf: FPDF, size: float, bold: bool = False) -> None:
    pdf.set_font(pdf.body_family, "B" if bold else "", size)


def render(pdf: FPDF, pages: list[list[object]], header: str | Callable[[int], str] | None,
           footer: str | None, order: str = "columns") -> None:
    """Emit the buffered pages; ``order`` "rows" interleaves the columns line by line; a header
    may change from page to page (a function of the page number)."""
    total = len(pages)
    for number, ops in enumerate(pages, start=1):
        pdf.add_page()
        texts = [op for op in ops if isinstance(op, TextOp)]
        if order == "rows":
            texts.sort(key=lambda op: (round(op.y, 1), op.x))
        else:
            texts.sort(key=lambda op: (op.column > 0, op.column, op.y))
        for op in ops:
            if isinstance(op, RectOp):
                pdf.set_line_width(0.3)
                pdf.rect(op.x, op.y, op.w, op.h)
            elif isinstance(op, ImageOp):
                pdf.image(op.image, op.x, op.y, op.w, op.h)
        if header:
            body_font(pdf, FURNITURE_PT)
            pdf.text(MARGIN, HEADER_Y, header(number) if callable(header) else header)
        for op in texts:
            body_font(pdf, op.size, op.bold)
            pdf.text(op.x, op.y - op.rise, op.text)
        if footer:
            text = footer.format(n=number, total=total)
            body_font(pdf, FURNITURE_PT)
            pdf.text((PAGE_W - pdf.get_string_width(text)) / 2, FOOTER_Y, text)


def column_lines(pages: list[list[object]]) -> list[list[list[str]]]:
    result = []
    for ops in pages:
        columns: dict[int, list[str]] = {}
        for op in ops:
            if isinstance(op, TextOp) and op.column >= 0:
                columns.setdefault(op.column, []).append(op.text)
        result.append([columns[k] for k in sorted(columns)])
    return result


def write_sections(layout: Layout, spec: GeneratedPdf, rng: random.Random, count: int,
                   first: int = 1, sentences: tuple[int, int] = (3, 6)) -> None:
    for number in range(first, first + count):
        heading = f"{number}. {HEADINGS[(number - 1) % len(HEADINGS)]}"
        layout.heading(heading)
        spec.headings.append(heading)
        spec.heading_pages.setdefault(heading, len(layout.pages))
        for _ in range(rng.randint(2, 3)):
            text = paragraph(rng, rng.randint(*sentences))
            layout.paragraph(text)
            spec.paragraphs.append(text)
            spec.paragraph_pages.append(len(layout.pages))


# --- the documents -----------------------------------------------------------------------------

def single_column_agreement(path: Path, sections: int = 9, seed: int = 1,
                            header: str | Callable[[int], str] = HEADER) -> GeneratedPdf:
    """A multi-page agreement: title, headings, running header, "Sida N av M" footer, hyphenation."""
    rng = random.Random(seed)
    pdf = new_pdf()
    layout = Layout(pdf, columns=1)
    spec = GeneratedPdf(path=path, header=header if isinstance(header, str) else None)
    layout.full_width_line(TITLE, TITLE_PT)
    spec.headings.append(TITLE)
    write_sections(layout, spec, rng, 2)
    layout.paragraph(HYPHEN_PARAGRAPH)
    spec.paragraphs.append(logical_text(HYPHEN_PARAGRAPH))
    write_sections(layout, spec, rng, sections - 2, first=3)
    return _finish(pdf, layout, spec, path, header, "Sida {n} av {total}")


def two_column_agreement(path: Path, order: str = "rows", seed: int = 2) -> GeneratedPdf:
    """Two pages in two columns under a full-width title; by default the content stream runs
    row by row across both columns, so only a layout-aware reader gets the order right."""
    rng = random.Random(seed)
    pdf = new_pdf()
    layout = Layout(pdf, columns=2)
    spec = GeneratedPdf(path=path, header="RÖK Västerbotten 2020–2023")
    layout.full_width_line("Överenskommelse om nyanländas etablering i Västerbottens län", TITLE_PT)
    spec.headings.append("Överenskommelse om nyanländas etablering i Västerbottens län")
    while len(layout.pages) < 2 or (len(layout.pages) == 2 and layout.column < 1):
        write_sections(layout, spec, rng, 1, first=len(spec.headings))
    return _finish(pdf, layout, spec, path, spec.header, "- {n} -", order=order, columns=True)


COVER_LOGO = "Länsstyrelsen i Jönköpings län"
COVER_TITLE = "Regional överenskommelse om nyanländas etablering i Jönköpings län"


def cover_agreement(path: Path, seed: int = 11) -> GeneratedPdf:
    """A cover page (an organisation's name as logo text at the top, the title large and
    centred, the year), then the agreement under a running header."""
    rng = random.Random(seed)
    pdf = new_pdf()
    layout = Layout(pdf, columns=1)
    spec = GeneratedPdf(path=path, header=COVER_TITLE)
    cover = layout.pages[-1]
    cover.append(TextOp(MARGIN, 40, COVER_LOGO, 14, True, -1))
    y = 120.0
    for chunk in wrap(COVER_TITLE, PAGE_W - 2 * MARGIN - 20, lambda s: layout.width(s, 20, True), cut=False):
        cover.append(TextOp((PAGE_W - layout.width(chunk, 20, True)) / 2, y, chunk, 20, True, -1))
        y += 10
    cover.append(TextOp((PAGE_W - layout.width("2020", 16)) / 2, y + 20, "2020", 16, False, -1))
    layout.new_page()
    layout.full_width_line(COVER_TITLE, TITLE_PT)
    spec.headings.append(COVER_TITLE)
    write_sections(layout, spec, rng, 4)
    return _finish(pdf, layout, spec, path, lambda n: "" if n == 1 else COVER_TITLE, "Sida {n} av {total}")


def one_page_agreement(path: Path, seed: int = 12) -> GeneratedPdf:
    """One page: a running header in a small font, a title, a section; "Sida 1 av 1" below."""
    rng = random.Random(seed)
    pdf = new_pdf()
    layout = Layout(pdf, columns=1)
    spec = GeneratedPdf(path=path, header="RÖK Västernorrland 2018–2020")
    title = "Överenskommelse om samverkan för nyanländas etablering i Västernorrlands län"
    layout.full_width_line(title, TITLE_PT)
    spec.headings.append(title)
    write_sections(layout, spec, rng, 1, sentences=(2, 3))
    return _finish(pdf, layout, spec, path, spec.header, "Sida {n} av {total}")


SHORT_COLUMN = ["Avslutning", "Överenskommelsen följs upp årligen av styrgruppen."]


def short_last_column_agreement(path: Path, order: str = "rows", seed: int = 10) -> GeneratedPdf:
    """Two pages in two columns; the last page's right column holds only a heading and a
    one-line paragraph (too little text to show a column by itself)."""
    rng = random.Random(seed)
    pdf = new_pdf()
    layout = Layout(pdf, columns=2)
    spec = GeneratedPdf(path=path, header="RÖK Västerbotten 2020–2023")
    layout.full_width_line("Överenskommelse om nyanländas etablering i Västerbottens län", TITLE_PT)
    number = 1
    while len(layout.pages) < 2 or layout.y < 0.6 * BODY_BOTTOM:
        write_sections(layout, spec, rng, 1, first=number)
        number += 1
    layout.column, layout.y = 1, layout.top_of_columns  # the rest goes in the right column
    layout.heading(SHORT_COLUMN[0])
    layout.paragraph(SHORT_COLUMN[1])
    spec.headings.append(SHORT_COLUMN[0])
    spec.paragraphs.append(SHORT_COLUMN[1])
    return _finish(pdf, layout, spec, path, spec.header, "- {n} -", order=order, columns=True)


def table_agreement(path: Path, seed: int = 3) -> GeneratedPdf:
    """Two pages; the second holds a ruled table Insats / Ansvarig / Tidplan between paragraphs."""
    rng = random.Random(seed)
    pdf = new_pdf()
    layout = Layout(pdf, columns=1)
    spec = GeneratedPdf(path=path, header=HEADER, table_rows=[TABLE_HEADER, *TABLE_ROWS])
    write_sections(layout, spec, rng, 3)
    layout.new_page()
    layout.heading("4. Handlingsplan")
    spec.headings.append("4. Handlingsplan")
    intro = "Tabellen nedan visar de insatser som parterna åtar sig under överenskommelsens första år."
    layout.paragraph(intro)
    spec.paragraphs.append(intro)
    layout.table(TABLE_HEADER, TABLE_ROWS)
    outro = "Handlingsplanen följs upp av den regionala styrgruppen vid varje ordinarie möte."
    layout.paragraph(outro)
    spec.paragraphs.append(outro)
    return _finish(pdf, layout, spec, path, HEADER, "Sida {n} av {total}")


ACTION_HEADER = ("Åtgärd", "Ansvarig", "Tidplan")
ACTION_SHARES = (0.5, 0.24, 0.26)
"""A narrow "Ansvarig" column: party names wrap in it ("Jönköpings" / "kommun")."""
ACTION_ROWS = [
    ("Samhällsorientering på modersmål för alla nyanlända vuxna i länets kommuner",
     "Jönköpings kommun", "2021–2023"),
    ("Hälsoundersökning inom tre månader efter ankomsten till länet", "Region Jönköpings län", "Löpande"),
    ("• Validering av utländska yrkeskunskaper\n• Regional samordning av praktikplatser",
     "Länsstyrelsen\nRegion Jönköpings län", "2022"),
    ("Kurser i svenska för akademiker", "Arbetsförmedlingen och Jönköpings kommun", "Höstterminen 2021"),
]
"""Wrapped cells, and (third row) items the author put one a line: two actions, two owners."""


def unruled_table_agreement(path: Path) -> GeneratedPdf:
    """One page: a heading, a paragraph, an action table with no rules at all (its columns only
    aligned: wrapped cells, items one a line) and a closing paragraph."""
    pdf = new_pdf()
    layout = Layout(pdf, columns=1)
    spec = GeneratedPdf(path=path, table_rows=[ACTION_HEADER, *ACTION_ROWS])
    layout.heading("1. Åtgärder")
    intro = "Parterna åtar sig att genomföra följande åtgärder under perioden."
    layout.paragraph(intro)
    spec.paragraphs.append(intro)
    layout.table(ACTION_HEADER, ACTION_ROWS, shares=ACTION_SHARES, ruled=False)
    outro = "Handlingsplanen följs upp av den regionala styrgruppen vid varje ordinarie möte."
    layout.paragraph(outro)
    spec.paragraphs.append(outro)
    return _finish(pdf, layout, spec, path, None, None)


def action_table_agreement(path: Path) -> GeneratedPdf:
    """One page: a heading, a paragraph and an action table whose cells wrap and list items."""
    pdf = new_pdf()
    layout = Layout(pdf, columns=1)
    spec = GeneratedPdf(path=path, table_rows=[ACTION_HEADER, *ACTION_ROWS])
    layout.full_width_line("Handlingsplan för nyanländas etablering i Jönköpings län 2021–2023", TITLE_PT)
    layout.heading("1. Åtgärder")
    intro = "Parterna åtar sig att genomföra följande åtgärder under perioden."
    layout.paragraph(intro)
    spec.paragraphs.append(intro)
    layout.table(ACTION_HEADER, ACTION_ROWS, shares=ACTION_SHARES)
    return _finish(pdf, layout, spec, path, None, None)


LONG_SUBHEADING = ("3.3 Gemensamma åtaganden för kommunerna, regionen och de statliga myndigheterna "
                   "i länet under hela perioden")


def subheading_agreement(path: Path, seed: int = 9) -> GeneratedPdf:
    """One page of headings directly followed by subheadings of the same size ("3.2 Parternas
    åtaganden" over "Länsstyrelsen"), and a subheading long enough to wrap. Most text is in
    bulleted lists, so the page's usual line pitch is loose, nearly that between two headings."""
    rng = random.Random(seed)
    pdf = new_pdf()
    layout = Layout(pdf, columns=1)
    spec = GeneratedPdf(path=path)
    layout.heading("3. Mål och åtaganden")
    spec.headings.append("3. Mål och åtaganden")
    for heading in ["3.1 Gemensamma mål", "3.2 Parternas åtaganden", "Länsstyrelsen", "3.2.1 Regionen",
                    "3.2.2 Arbetsförmedlingen", LONG_SUBHEADING]:
        layout.subheading(heading)
        spec.headings.append(heading)
        if heading not in ("3.2 Parternas åtaganden", "3.2.1 Regionen"):  # these get no text
            items = [rng.choice(SENTENCES) for _ in range(4)]
            layout.bullets(items)
            spec.paragraphs += items
    return _finish(pdf, layout, spec, path, None, None)


FOOTNOTES = [
    "Lagen (2010:197) om etableringsinsatser för vissa nyanlända invandrare.",
    "Se Länsstyrelsens rapport 2019:12 om mottagandet i Västerbotten, som också redovisar hur "
    "kommunerna har organiserat sitt arbete med samhällsorientering.",
]
NOTE_PARAGRAPH = ("Sedan etableringsreformen 2010 har Arbetsförmedlingen huvudansvaret för etableringen "
                  "av nyanlända i arbetsför ålder.")


def footnote_agreement(path: Path, seed: int = 8) -> GeneratedPdf:
    """Two pages: a footnote mark set small and raised in the body ("reformen 2010¹"), a
    footnote (two lines) at the bottom of page 1 under a rule while a paragraph goes on over
    the page break, and a superscript character mark ("²") with its footnote on page 2."""
    rng = random.Random(seed)
    pdf = new_pdf()
    layout = Layout(pdf, columns=1)
    layout.bottom = 250.0  # room for the footnotes above the footer
    spec = GeneratedPdf(path=path, header=HEADER)
    layout.full_width_line(TITLE, TITLE_PT)
    layout.heading("1. Inledning")
    since = len(layout.pages[-1])
    layout.paragraph(NOTE_PARAGRAPH)
    layout.note_mark("2010", "1", since)
    spec.paragraphs.append(NOTE_PARAGRAPH)
    layout.heading("2. Bakgrund")
    while len(layout.pages) == 1:  # paragraphs until one goes on over the page break
        text = paragraph(rng, rng.randint(3, 6))
        layout.paragraph(text)
        spec.paragraphs.append(text)
    layout.pages, last_page = layout.pages[:1], layout.pages[1]
    layout.footnotes(FOOTNOTES[:1])
    layout.pages.append(last_page)
    layout.heading("3. Samhällsorientering")
    marked = "Kommunerna har organiserat samhällsorienteringen på olika sätt.²"
    layout.paragraph(marked + " " + SENTENCES[18])
    spec.paragraphs.append(marked[:-1] + " " + SENTENCES[18])
    layout.footnotes(FOOTNOTES[1:], number=2)
    spec.headings += [TITLE, "1. Inledning", "2. Bakgrund", "3. Samhällsorientering"]
    return _finish(pdf, layout, spec, path, HEADER, "Sida {n} av {total}")


def benchmark_agreement(path: Path, pages: int = 100, seed: int = 7, table_every: int = 20) -> GeneratedPdf:
    """A long two-column agreement with header, footer and a ruled table every ``table_every``
    pages (tables may break across columns and pages, like real ones)."""
    rng = random.Random(seed)
    pdf = new_pdf()
    layout = Layout(pdf, columns=2)
    spec = GeneratedPdf(path=path, header=HEADER)
    layout.full_width_line(TITLE, TITLE_PT)
    number, next_table = 1, min(5, pages)
    while len(layout.pages) <= pages:
        if len(layout.pages) >= next_table:  # a table every twenty pages
            layout.table(TABLE_HEADER, TABLE_ROWS)
            spec.table_rows += [TABLE_HEADER, *TABLE_ROWS]
            next_table += table_every
        write_sections(layout, spec, rng, 1, first=number)
        number += 1
    layout.pages = layout.pages[:pages]
    render(pdf, layout.pages, HEADER, "{n} ({total})")
    spec.pages = pages
    pdf.output(str(path))
    return spec


def encrypted_pdf(path: Path, user_password: str | None = "hemligt") -> Path:
    """An agreement encrypted with a user password (or only an owner password when None)."""
    pdf = new_pdf()
    layout = Layout(pdf)
    layout.heading("1. Inledning")
    layout.paragraph(paragraph(random.Random(4), 4))
    pdf.set_encryption(owner_password="ägarlösen", user_password=user_password)
    render(pdf, layout.pages, HEADER, "Sida {n} av {total}")
    pdf.output(str(path))
    return path


def image_only_pdf(path: Path, pages: int = 2) -> Path:
    """A "scanned" agreement: each page one grey raster image, no text layer."""
    from PIL import Image, ImageDraw

    pdf = new_pdf()
    image = Image.new("L", (420, 594), 255)
    draw = ImageDraw.Draw(image)
    for row in range(40, 560, 14):
        draw.rectangle((40, row, 40 + (row * 37) % 320 + 40, row + 6), fill=60)
    for _ in range(pages):
        pdf.add_page()
        pdf.image(image, 0, 0, PAGE_W, PAGE_H)
    pdf.output(str(path))
    return path


def blank_pdf(path: Path, pages: int = 2) -> Path:
    """Pages with nothing on them."""
    pdf = new_pdf()
    for _ in range(pages):
        pdf.add_page()
    pdf.output(str(path))
    return path


def partly_scanned_pdf(path: Path) -> Path:
    """A text page followed by a page that is only an image (a scanned signature page)."""
    from PIL import Image

    pdf = new_pdf()
    layout = Layout(pdf)
    layout.heading("1. Inledning")
    layout.paragraph(paragraph(random.Random(5), 5))
    layout.new_page()
    layout.pages[-1].append(ImageOp(Image.new("L", (200, 280), 128), MARGIN, BODY_TOP, 120, 170))
    render(pdf, layout.pages, None, None)
    pdf.output(str(path))
    return path


def truncated_pdf(path: Path) -> Path:
    """A good agreement cut in half, as an interrupted download leaves it."""
    single_column_agreement(path, sections=4)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def zero_page_pdf(path: Path) -> Path:
    """A syntactically valid PDF whose page tree is empty."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _finish(pdf: FPDF, layout: Layout, spec: GeneratedPdf, path: Path, header: str | Callable[[int], str] | None,
            footer: str | None, order: str = "columns", columns: bool = False) -> GeneratedPdf:
    """Draw the pages with their running header and footer, note what was drawn, write the file."""
    render(pdf, layout.pages, header, footer, order=order)
    spec.pages = len(layout.pages)
    if columns:
        spec.columns = column_lines(layout.pages)
    pdf.output(str(path))
    return spec


# --- scans, odd pages and hostile files (the reader's robustness tests) --------------------------

def scanned_copy(source: Path, path: Path, dpi: int = 300) -> Path:
    """An image-only copy of ``source``: every page rendered by PDFium at ``dpi`` in grey and
    placed as one image on a page of the same size, as a scanner's PDF is. No text layer."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(source))
    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(False)
    try:
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            pdf.add_page(format=(width, height))
            pdf.image(image, 0, 0, width, height)
    finally:
        document.close()
    pdf.output(str(path))
    return path


def title_page_pdf(path: Path) -> Path:
    """A cover page with a title and no digit, then a page of body text (a common shape that
    once crashed the reader)."""
    pdf = new_pdf()
    pdf.add_page()
    body_font(pdf, TITLE_PT, bold=True)
    pdf.text(MARGIN, 80, "Regional överenskommelse om samverkan")
    body_font(pdf, BODY_PT)
    pdf.text(MARGIN, 95, "Länsstyrelsen och kommunerna i länet")
    pdf.add_page()
    layout = Layout(pdf)
    layout.heading("1. Inledning")
    layout.paragraph(paragraph(random.Random(6), 4))
    for op in layout.pages[0]:
        if isinstance(op, TextOp):
            body_font(pdf, op.size, op.bold)
            pdf.text(op.x, op.y, op.text)
    pdf.output(str(path))
    return path


def page_bomb_pdf(path: Path, levels: int = 6, fan: int = 10) -> Path:
    """A page tree that names one page ``fan`` times at each of ``levels`` levels: a file of a
    few kilobytes declaring ``fan ** levels`` pages (a million by default)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(levels):
        number = len(objects) + 1
        kids = b" ".join(b"%d 0 R" % (number + 1) for _ in range(fan))
        parent = b"" if level == 0 else b" /Parent %d 0 R" % (number - 1)
        objects.append(b"<< /Type /Pages /Kids [%s] /Count %d%s >>" % (kids, fan ** (levels - level), parent))
    content = b"BT /F1 12 Tf 72 720 Td (Sida) Tj ET"
    page = len(objects) + 1
    objects.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources "
                   b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"
                   % (page - 1, page + 1))
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    path.write_bytes(_raw_pdf(objects))
    return path


def inflate_bomb_pdf(path: Path, megabytes: int = 64) -> Path:
    """One page whose content stream inflates from a few kilobytes to ``megabytes`` MiB of spaces."""
    import zlib

    stream = zlib.compress(b" " * (megabytes << 20), 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream)]
    path.write_bytes(_raw_pdf(objects))
    return path


def _raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given object bodies (object 1 the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --- page shapes from real documents (the reader's layout fixes) ---------------------------------

def _drawn(path: Path, pages: list[list[tuple]], landscape: bool = False) -> Path:
    """Pages of (x mm, baseline y mm, text, size pt, bold) texts; ("rect", x, y, w, h) frames;
    ("turned", x, y, text, size) text turned 90 degrees (read bottom to top); ("hidden", x, y,
    text, size) text drawn invisible (an OCR layer over a scan)."""
    pdf = new_pdf()
    for ops in pages:
        pdf.add_page(orientation="L" if landscape else "P")
        for op in ops:
            if op[0] == "rect":
                pdf.set_line_width(0.3)
                pdf.rect(*op[1:])
            elif op[0] == "turned":
                _, x, y, text, size = op
                body_font(pdf, size)
                with pdf.rotation(90, x, y):
                    pdf.text(x, y, text)
            elif op[0] == "hidden":
                _, x, y, text, size = op
                body_font(pdf, size)
                pdf.text_mode = "INVISIBLE"
                pdf.text(x, y, text)
                pdf.text_mode = "FILL"
            else:
                x, y, text, size, bold = op
                body_font(pdf, size, bold)
                pdf.text(x, y, text)
    pdf.output(str(path))
    return path


def _wrapped(pdf_measure, text: str, width: float) -> list[str]:
    return wrap(text, width, pdf_measure, cut=False)


def _measure(size: float, bold: bool = False) -> Callable[[str], float]:
    pdf = new_pdf()
    pdf.add_page()
    body_font(pdf, size, bold)
    return pdf.get_string_width


def definitions_pdf(path: Path) -> tuple[Path, list[tuple[str, str]]]:
    """A definition list in the style of Swedish regulations: the term at the margin, its
    definition beside it, the definition's wrapped lines hanging under its own start."""
    rng = random.Random(21)
    terms = ["Farlig produkt", "Hantering", "Samverkansorgan 2", "Länsaktör", "Etableringsinsats"]
    measure = _measure(BODY_PT)
    ops, y, pairs = [], 40.0, []
    for term in terms:
        definition = " ".join(rng.sample(SENTENCES, 2))
        lines = _wrapped(measure, definition, PAGE_W - MARGIN - 60)
        ops.append((MARGIN, y, term, BODY_PT, False))
        for number, line in enumerate(lines):
            ops.append((60.0, y + number * 4.6, line, BODY_PT, False))
        y += 4.6 * len(lines) + 4.0
        pairs.append((term, logical_text(" ".join(lines))))
    _drawn(path, [ops])
    return path, pairs


def contents_pdf(path: Path) -> tuple[Path, list[str]]:
    """A table of contents: entries with dot leaders, and entries whose page number stands at
    the right margin without leaders; then a register of substances with codes."""
    entries = ["Inledning", "Syfte och tillämpningsområde", "Parternas åtaganden", "Uppföljning och utvärdering",
               "Ekonomiska förutsättningar", "Giltighetstid"]
    ops: list[tuple] = [(MARGIN, 30, "Innehållsförteckning", HEADING_PT, True)]
    measure = _measure(BODY_PT)
    y = 42.0
    for number, entry in enumerate(entries, start=1):
        if number % 2:
            dots = "." * int((150 - measure(entry)) / measure("."))
            ops.append((MARGIN, y, f"{entry}{dots}", BODY_PT, False))
        else:
            ops.append((MARGIN, y, entry, BODY_PT, False))
        ops.append((PAGE_W - MARGIN - measure(str(number + 2)), y, str(number + 2), BODY_PT, False))
        y += 5.5
    _drawn(path, [ops])
    return path, entries


def letterhead_pdf(path: Path) -> tuple[Path, list[str]]:
    """A letter: an address block at the right reaching further right than the body, and body
    paragraphs in ragged lines narrower than the page (a remissvar)."""
    rng = random.Random(22)
    ops: list[tuple] = []
    for number, line in enumerate(["Kommunstyrelsen", "Regionens kansli, enheten för samverkan",
                                   "registrator@region.example.se", "Kopia: lansstyrelsen@example.se"]):
        ops.append((120.0, 30 + 5 * number, line, BODY_PT, False))
    measure = _measure(BODY_PT)
    paragraphs, y = [], 70.0
    for _ in range(3):
        text = " ".join(rng.sample(SENTENCES, 3))
        lines = _wrapped(measure, text, 140)
        for line in lines:
            ops.append((MARGIN, y, line, BODY_PT, False))
            y += 5.0
        y += 5.0
        paragraphs.append(logical_text(" ".join(lines)))
    _drawn(path, [ops])
    return path, paragraphs


def fixed_grid_pdf(path: Path, pages: int = 4) -> tuple[Path, list[str]]:
    """Pages of body text on a fixed line grid, each ending at the same height well above a
    centred page number: the last body line of every page stands at one place, and differs."""
    rng = random.Random(23)
    measure = _measure(BODY_PT)
    text = " ".join(rng.choice(SENTENCES) for _ in range(40 * pages))
    lines = _wrapped(measure, text, PAGE_W - 2 * MARGIN)
    per_page = 40  # the last line at 264 mm: in the bottom band, the one above it not
    drawn, last_lines = [], []
    for page in range(pages):
        chunk = lines[page * per_page : (page + 1) * per_page]
        ops = [(MARGIN, 30 + 6.0 * row, line, BODY_PT, False) for row, line in enumerate(chunk)]
        ops.append((PAGE_W / 2, 270, str(page + 1), FURNITURE_PT, False))  # close below it
        drawn.append(ops)
        last_lines.append(chunk[-1])
    _drawn(path, drawn)
    return path, last_lines


def framed_cell_pdf(path: Path) -> tuple[Path, list[tuple[str, str]]]:
    """A ruled two-column table whose right cells each hold a framed box inside them (a cell's
    fill or frame, which PDF generators draw as a rectangle of its own)."""
    rows = [("Insats", "Ansvarig"), ("Samhällsorientering", "Kommunerna i länet"),
            ("Språkstöd i förskolan", "Regionen och kommunerna"), ("Uppföljning 2025", "Länsstyrelsen")]
    ops: list[tuple] = []
    x0, x1, x2, top, height = MARGIN, 90.0, 180.0, 40.0, 10.0
    for number, (left, right) in enumerate(rows):
        y = top + number * height
        ops += [("rect", x0, y, x1 - x0, height), ("rect", x1, y, x2 - x1, height),
                ("rect", x1 + 1.0, y + 1.0, x2 - x1 - 2.0, height - 2.0)]
        ops += [(x0 + 2, y + 6.5, left, BODY_PT, number == 0), (x1 + 3, y + 6.5, right, BODY_PT, number == 0)]
    _drawn(path, [ops])
    return path, rows


def margin_number_pdf(path: Path) -> tuple[Path, str]:
    """A decision: a title beside a reference number set vertically in the left margin."""
    title = "Fråga om ansvar för felaktiga biljetter vid en resa som bokats genom ombud"
    ops: list[tuple] = [("turned", 12.0, 70.0, "2013-07406 2013-11-21", FURNITURE_PT),
                        (MARGIN + 10, 40, title, HEADING_PT, True)]
    measure = _measure(BODY_PT)
    for row, line in enumerate(_wrapped(measure, " ".join(SENTENCES[:4]), PAGE_W - 2 * MARGIN - 10)):
        ops.append((MARGIN + 10, 52 + 5 * row, line, BODY_PT, False))
    _drawn(path, [ops])
    return path, title


def tex_accents_pdf(path: Path) -> Path:
    """Accented letters written as TeX writes them: a spacing accent, then the letter."""
    _drawn(path, [[(MARGIN, 40, "Po¨angavdrag ges f¨or l˚anga l¨osningar p˚a tentamen.", BODY_PT, False),
                   (MARGIN, 48, "Skriv endast p˚a en sida av papperet, 2001.", BODY_PT, False)]])
    return path


def register_pdf(path: Path) -> tuple[Path, list[str]]:
    """A register set with hanging indents, as a year book lists members: each entry's first
    line at the margin and full, its wrapped lines indented, a line "f. 92; 48 ..." among them."""
    entries = [
        "Andersson, Karl Bertil, Lantarbetare, ledamot av utskottet för arbetsmarknad, "
        "f. 97; 50 (adr. Surahammar).",
        "Persson, Johan, Hemmansägare, ledamot av utskottet för landsbygdens utveckling, "
        "f. 95; 53 (adr. Östervåla).",
        "Carlsson, Georg, Lantbrukare, ordförande i länets samverkansråd för nyanlända, "
        "f. 92; 53 (adr. Stora Arla, Köping).",
        "Eriksson, Joel Einar, Verkställande direktör, suppleant i styrelsen, "
        "f. 05; 47 (adr. Uppsala).",
    ]
    measure = _measure(BODY_PT)
    ops: list[tuple] = []
    y = 40.0
    for entry in entries:
        first, rest = wrap(entry, 95, measure, cut=False), []
        first, rest = first[0], " ".join(first[1:])
        ops.append((MARGIN, y, first, BODY_PT, False))
        for line in wrap(rest, 90, measure, cut=False):
            y += 4.6
            ops.append((MARGIN + 5, y, line, BODY_PT, False))
        y += 4.6
    _drawn(path, [ops])
    return path, entries


def shaded_form_pdf(path: Path) -> tuple[Path, list[str]]:
    """A form: one label a row, every other row on a framed grey band (the bands look like a
    one-column table to a table finder; the labels between them do not stand in it)."""
    labels = ["Personnummer", "Förnamn", "Efternamn", "Mobiltelefon", "E-post", "Inkomst 1", "Civilstånd"]
    ops: list[tuple] = [(MARGIN, 30, "Sökande", HEADING_PT, True)]
    for number, label in enumerate(labels):
        y = 38 + 11 * number
        if number % 2:
            ops.append(("rect", MARGIN, y, PAGE_W - 2 * MARGIN, 10))
        ops.append((MARGIN + 2, y + 6.5, label, BODY_PT, False))
    _drawn(path, [ops])
    return path, labels


def running_label_pdf(path: Path, pages: int = 4) -> tuple[Path, list[str]]:
    """Pages that each start with a heading and, on the same baseline at the right margin, the
    regulation's running label "NFS 2007:10"; body text below."""
    rng = random.Random(24)
    measure = _measure(BODY_PT)
    drawn, headings = [], []
    for page in range(pages):
        heading = ["Tillämpningsområde", "Dokumentation och kriterier för fältarbete", "Sekretess",
                   "Redovisning av inventeringen"][page % 4]
        ops: list[tuple] = [(MARGIN, 30, heading, SUBHEADING_PT, True),
                            (PAGE_W - MARGIN - _measure(SUBHEADING_PT, True)("NFS 2007:10"), 30, "NFS 2007:10",
                             SUBHEADING_PT, True)]
        for row, line in enumerate(wrap(" ".join(rng.sample(SENTENCES, 4)), PAGE_W - 2 * MARGIN, measure, cut=False)):
            ops.append((MARGIN, 40 + 5 * row, line, BODY_PT, False))
        drawn.append(ops)
        headings.append(heading)
    _drawn(path, drawn)
    return path, headings


def odd_pages_pdf(path: Path) -> tuple[Path, list[str]]:
    """One PDF of the page shapes real files have: A5, A3 landscape, a one-line page, a blank
    page, a slide (16:9), a page holding only "–" and a page holding only a number."""
    slide = (720 * PT_MM, 405 * PT_MM)
    shapes = [((148, 210), "P", "Bilaga 1. Förteckning över parterna"), ("A3", "L", "Plankarta med bestämmelser"),
              ("A4", "P", "Underskrifter"), ("A4", "P", ""), (slide, "P", "Status kring förstudien"),
              ("A4", "P", "–"), ("A4", "P", "17")]
    pdf = new_pdf()
    for size, orientation, text in shapes:
        pdf.add_page(format=size, orientation=orientation)
        if text:
            body_font(pdf, BODY_PT)
            pdf.text(MARGIN, 40, text)
    pdf.output(str(path))
    return path, [text for _, _, text in shapes]


def high_page_numbers_pdf(path: Path, pages: int = 3) -> tuple[Path, list[str]]:
    """Pages with LaTeX's wide bottom margin: the page number stands well above the edge band,
    under a short body."""
    rng = random.Random(25)
    measure = _measure(BODY_PT)
    drawn, bodies = [], []
    for page in range(pages):
        lines = wrap(" ".join(rng.sample(SENTENCES, 3)), PAGE_W - 2 * MARGIN, measure, cut=False)
        ops: list[tuple] = [(MARGIN, 40 + 5 * row, line, BODY_PT, False) for row, line in enumerate(lines)]
        ops.append((PAGE_W / 2, 245, str(page + 1), BODY_PT, False))
        drawn.append(ops)
        bodies.append(logical_text(" ".join(lines)))
    _drawn(path, drawn)
    return path, bodies


def ocr_layer_pdf(path: Path, pages: int = 3) -> tuple[Path, list[str]]:
    """The text layer an OCR program lays over a scan: drawn invisible (visible on the last page,
    as a layer put under the scan's image is), each word placed by itself with no space
    character between (gaps of 0.5 mm, under PDFium's own space threshold,
    and of 0.35 mm on the last line of a page), and the running
    header and page numbers as OCR read them, digits taken for look-alike letters on some pages
    ("- l -" for 1, "Regiona1" for "Regional"). Returns the body text of each page."""
    rng = random.Random(27)
    measure = _measure(BODY_PT)
    headers = [HEADER, HEADER.replace("Regional", "Regiona1"), HEADER]
    numbers = ["- l -", "- 2 -", "- 3 -", "- 4 -", "- S -"]
    drawn, bodies = [], []
    for page in range(pages):
        lines = wrap(" ".join(rng.sample(SENTENCES, 4)), PAGE_W - 2 * MARGIN - 5, measure, cut=False)
        ops: list[tuple] = [("hidden", MARGIN, HEADER_Y, headers[page % len(headers)], FURNITURE_PT)]
        for row, line in enumerate(lines):
            x = MARGIN
            for word in line.split():  # no space character: each word placed by itself
                ops.append(("hidden", x, 40 + 5 * row, word, BODY_PT) if page < pages - 1
                           else (x, 40 + 5 * row, word, BODY_PT, False))
                x += measure(word) + (0.35 if row == len(lines) - 1 else 0.5)
        ops.append(("hidden", PAGE_W / 2, FOOTER_Y, numbers[page % len(numbers)], FURNITURE_PT))
        drawn.append(ops)
        bodies.append(logical_text(" ".join(lines)))
    _drawn(path, drawn)
    return path, bodies


def dense_columns_pdf(path: Path, gutter_mm: float = 2.0, order: str = "rows") -> tuple[Path, list[str]]:
    """A register page set like an old yearbook: two justified columns of short entries with a
    narrow gutter (2 mm, half a line height: narrower than many of the stretched word gaps), the
    text written row by row across the columns (``order="rows"``) or column by column. Returns
    the entries in reading order (the left column's, then the right's)."""
    rng = random.Random(29)
    measure = _measure(BODY_PT)
    width = (PAGE_W - 2 * MARGIN - gutter_mm) / 2
    entries, columns = [], []
    for _ in range(2):
        lines: list[tuple[float, list[str]]] = []  # (indent, words) a line, justified unless last
        while len(lines) < 44:
            entry = " ".join(rng.sample(SENTENCES, 2))
            wrapped = wrap(entry, width - 3, measure, cut=False)
            if len(lines) + len(wrapped) > 46:
                break
            entries.append(entry)
            lines += [(0.0 if k == 0 else 3.0, line.split(), k == len(wrapped) - 1) for k, line in enumerate(wrapped)]
        columns.append(lines)
    ops: list[list[tuple]] = [[], []]
    for side, lines in enumerate(columns):
        left = MARGIN + side * (width + gutter_mm)
        for row, (indent, words, last) in enumerate(lines):
            span = width - indent
            spare = span - sum(measure(word) for word in words)
            space = measure(" ") if last or len(words) < 2 else spare / (len(words) - 1)
            x = left + indent
            for word in words:
                ops[side].append((row, x, word))
                x += measure(word) + space
    drawn = sorted(ops[0] + ops[1], key=lambda op: op[0]) if order == "rows" else ops[0] + ops[1]
    _drawn(path, [[(x, 30 + 5.2 * row, word, BODY_PT, False) for row, x, word in drawn]])
    return path, entries


def slide_columns_pdf(path: Path) -> tuple[Path, list[list[str]]]:
    """A 16:9 slide: a title, then two short columns of a heading and dash items each (four and
    five lines), written column by column as presentation programs do."""
    columns = [["A. Översikt", "- Första version på plats", "B. Nulägesanalys", "- Datainsamling pågår"],
               ["C. Behovskartläggning", "- Dialoger genomförda", "- Dialoger sammanfattade",
                "- Scenarior framtagna", "D. Kravställning och testfall"]]
    pdf = new_pdf()
    pdf.add_page(format=(720 * PT_MM, 405 * PT_MM))
    body_font(pdf, 24)
    pdf.text(19, 25, "Status kring förstudie och leverabler")
    for side, lines in enumerate(columns):
        for row, line in enumerate(lines):
            body_font(pdf, 14 if line[0] != "-" else 11)
            pdf.text(19 + side * 113 + (4 if line[0] == "-" else 0), 45 + 8 * row, line)
    pdf.output(str(path))
    return path, columns


def attendee_list_pdf(path: Path) -> tuple[Path, list[str]]:
    """Minutes' list of those present: a label, then one name a line beside it (two of them with
    a long title), then a paragraph across the page. Returns the names."""
    names = ["Erik Lind, ordförande", "Anna Berg", "Per Jansson", "Aino Bunge", "Anna Seim",
             "Bo Broman, ordförande, riksbanksfullmäktige", "Tomas Ek, vice ordförande, riksbanksfullmäktige",
             "Lena Arfalk", "Charlotta Edler", "Mattias Erlandsson", "Susanna Grufman", "Peter Gustafsson",
             "Anders Gånge", "Jesper Johansson", "Matilda Kilström", "Anders Kvist", "Björn Lagerwall",
             "David Lööv", "Annica Sandberg", "Olof Sandstedt"]
    ops: list[tuple] = [(MARGIN, 40, "NÄRVARANDE:", 8.0, False)]
    ops += [(70, 40 + 5 * row, name, BODY_PT, False) for row, name in enumerate(names)]
    ops.append((MARGIN, 50 + 5 * len(names), "Det noterades att Jesper Johansson och Anna Seim skulle sammanställa "
                "utkastet till protokoll.", BODY_PT, False))
    _drawn(path, [ops])
    return path, names


STACKED_ROWS = [("Insats", "Ansvarig", "År"), ("Samhällsorientering\nSpråkpraktik", "Kommunen\nArbetsförmedlingen",
                                                "2024\n2025"), ("Hälsoundersökning", "Regionen", "2024")]
"""A ruled table whose second row holds two records with no rule between them: every cell two
lines, one record a line."""


def stacked_rows_pdf(path: Path) -> GeneratedPdf:
    """One page: a heading and a ruled table of which one row stacks two records."""
    pdf = new_pdf()
    layout = Layout(pdf, columns=1)
    spec = GeneratedPdf(path=path, table_rows=STACKED_ROWS)
    layout.heading("2. Insatser")
    layout.table(STACKED_ROWS[0], STACKED_ROWS[1:])
    return _finish(pdf, layout, spec, path, None, None)


def lone_page_number_pdf(path: Path) -> tuple[Path, list[str]]:
    """An exam's cover page with its number "1" centred far below a short text, and a second
    page without any number. Returns each page's body text."""
    bodies = ["Tentamen i Datastrukturer, 2006-03-15. Skriv tydligt och motivera alla svar.",
              "1. Vilka av följande påståenden är korrekta och vilka är felaktiga? Diskutera!"]
    _drawn(path, [[(MARGIN, 40, bodies[0], BODY_PT, False), (PAGE_W / 2, 240, "1", BODY_PT, False)],
                  [(MARGIN, 40, bodies[1], BODY_PT, False)]])
    return path, bodies
