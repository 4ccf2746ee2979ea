"""The layout-aware PDF reader on generated agreement PDFs: reading order, furniture, hyphens,
tables, page provenance, bad input, and ``rok extract`` on PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pdf_factory as factory
import pytest
from typer.testing import CliRunner

from rok_compare.cli import app
from rok_compare.errors import InputError
from rok_compare.ingest import read_document
from rok_compare.ingest.pdf.compose import PageText, carry_broken_word
from rok_compare.ingest.pdf.furniture import is_page_number
from rok_compare.ingest.pdf.hyphenation import Vocabulary, join_lines
from rok_compare.model import SourceDocument, SourceFormat

WORD = re.compile(r"\w+")


@pytest.fixture(scope="session")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdfs")


@pytest.fixture(scope="session")
def single(pdf_dir: Path) -> tuple[factory.GeneratedPdf, SourceDocument]:
    spec = factory.single_column_agreement(pdf_dir / "norrbotten.pdf")
    return spec, read_document(spec.path)


@pytest.fixture(scope="session")
def two_columns(pdf_dir: Path) -> tuple[factory.GeneratedPdf, SourceDocument]:
    spec = factory.two_column_agreement(pdf_dir / "vasterbotten_rows.pdf", order="rows")
    return spec, read_document(spec.path)


@pytest.fixture(scope="session")
def table(pdf_dir: Path) -> tuple[factory.GeneratedPdf, SourceDocument]:
    spec = factory.table_agreement(pdf_dir / "handlingsplan.pdf")
    return spec, read_document(spec.path)


def flat(text: str) -> str:
    """Page breaks read as spaces (a paragraph may go on over a page break)."""
    return text.replace("\f", " ")


def is_subsequence(needles: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(any(word == candidate for candidate in remaining) for word in needles)


# --- single column: body, headings, furniture, hyphenation, pages ------------------------------

def test_single_column_keeps_every_paragraph_whole(single):
    spec, doc = single
    assert doc.format is SourceFormat.PDF and doc.warnings == []
    text = flat(doc.text)
    missing = [p for p in spec.paragraphs if p not in text]
    assert missing == []


def test_headings_stand_on_their_own_line(single):
    spec, doc = single
    lines = set(re.split(r"[\n\f]", doc.text))
    assert [h for h in spec.headings if h not in lines] == []
    assert "\n\n3. Syfte och mål\n\n" in doc.text


def test_running_header_footer_and_page_numbers_are_gone(single):
    spec, doc = single
    assert spec.pages >= 3
    assert factory.HEADER not in doc.text
    assert not re.search(r"Sida \d+ av \d+", doc.text)
    assert not re.search(r"(^|\n|\f)\d+($|\n|\f)", doc.text)
    assert doc.text.startswith(factory.TITLE)  # the title, not the running header, comes first


def test_running_header_whose_text_changes_is_found_by_its_place(pdf_dir):
    chapters = factory.HEADINGS
    spec = factory.single_column_agreement(pdf_dir / "chapters.pdf", sections=16,
                                           header=lambda n: f"Kapitel {n}: {chapters[n]}")  # new on every page
    doc = read_document(spec.path)
    assert spec.pages >= 4
    assert "Kapitel" not in doc.text
    assert [p for p in spec.paragraphs if p not in flat(doc.text)] == []


def test_hyphenation_repaired_and_real_hyphens_kept(single):
    _, doc = single
    text = doc.text
    for kept in ("möjligheter för nyanlända", "barn- och jämställdhetsperspektiv", "EU-medel från",
                 "RÖK-arbetet under perioden 2019–2025", "arbets- och samhällslivet",
                 "kommunernas etableringsenheter."):
        assert kept in text
    assert "möjlig-" not in text and "möjlig heter" not in text
    # no word cut at a line end survives: a hyphen before a space is always a coordination
    for match in re.finditer(r"(\w+)- (\w+)", text):
        assert match.group(2) in {"och", "eller", "samt"}, match.group(0)


def test_pages_are_recorded_and_spans_find_their_page(single):
    spec, doc = single
    assert [p.number for p in doc.pages] == list(range(1, spec.pages + 1))
    for page, following in zip(doc.pages, doc.pages[1:], strict=False):
        assert doc.text[page.end] == "\f" and following.start == page.end + 1
    assert doc.pages[-1].end == len(doc.text)
    for heading, page in spec.heading_pages.items():
        offset = doc.text.index(f"{heading}\n")
        assert doc.page_at(offset) == page, heading
        assert doc.span(offset, offset + len(heading)).page == page


# --- two columns ---------------------------------------------------------------------------

def unique_whole_lines(lines: list[str], text: str) -> list[str]:
    """Lines that stand verbatim in ``text`` once (not cut by a hyphen on either side)."""
    whole = [line for i, line in enumerate(lines)
             if not line.endswith("-") and (i == 0 or not lines[i - 1].endswith("-"))]
    return [line for line in whole if text.count(line) == 1]


def whole_words(lines: list[str]) -> list[str]:
    """The words of ``lines`` in order, leaving out the halves of words cut at a line end."""
    words: list[str] = []
    for i, line in enumerate(lines):
        line_words = WORD.findall(line)
        if line.endswith("-"):
            line_words = line_words[:-1]
        if i and lines[i - 1].endswith("-"):
            line_words = line_words[1:]
        words += line_words
    return words


def test_two_columns_read_column_one_then_column_two(two_columns):
    spec, doc = two_columns
    page = doc.text[doc.pages[0].start : doc.pages[0].end]
    column_one, column_two = spec.columns[0]
    last_of_one = unique_whole_lines(column_one, page)[-1]
    first_of_two = unique_whole_lines(column_two, page)[0]
    assert page.index(last_of_one) < page.index(first_of_two)
    assert is_subsequence(whole_words(column_one + column_two), WORD.findall(page))


def test_two_columns_same_text_whatever_the_stream_order(two_columns, pdf_dir):
    _, doc = two_columns
    spec = factory.two_column_agreement(pdf_dir / "vasterbotten_columns.pdf", order="columns")
    assert read_document(spec.path).text == doc.text
    assert "RÖK Västerbotten" not in doc.text and "- 1 -" not in doc.text
    title = "Överenskommelse om nyanländas etablering i Västerbottens län"
    assert doc.text.startswith(f"{title}\n\n1. Inledning\n\n")  # a title over both columns, whole


def test_long_two_column_agreement_with_tables_reads_whole(pdf_dir):
    spec = factory.benchmark_agreement(pdf_dir / "long.pdf", pages=12, table_every=4)
    doc = read_document(spec.path)
    assert len(doc.pages) == 12 and doc.warnings == []
    text = flat(doc.text)
    written = [p for p, page in zip(spec.paragraphs, spec.paragraph_pages, strict=True) if page <= 12]
    assert [p for p in written if p not in text] == []
    cells = [tuple(c.text for c in row) for table in doc.tables for row in table.rows]
    assert cells == spec.table_rows  # tables broken over columns come back as their parts, in order
    assert factory.HEADER not in doc.text and not re.search(r"\d+ \(12\)", doc.text)


# --- tables --------------------------------------------------------------------------------

def test_table_rows_are_tab_separated_lines_and_table_objects(table):
    spec, doc = table
    assert len(doc.tables) == 1
    found = doc.tables[0]
    assert found.page == 2
    rows = [tuple(cell.text for cell in row) for row in found.rows]
    assert rows == spec.table_rows  # a cell's lines wrapped at its edge are joined by a space
    assert "Insats\tAnsvarig\tTidplan\nSamhällsorientering på modersmål\tKommunerna\t2019–2020\n" in doc.text
    assert "Hälsoundersökning för nyanlända och asylsökande\tRegion Norrbotten\t" in doc.text


def test_table_cells_spans_slice_back_to_cell_text(table):
    _, doc = table
    for row in doc.tables[0].rows:
        for cell in row:
            assert doc.text[cell.span.start : cell.span.end] == cell.text
            assert cell.span.page == 2 == doc.page_at(cell.span.start)


def test_table_text_is_not_also_in_the_body(table):
    _, doc = table
    assert doc.text.count("Samhällsorientering på modersmål") == 1
    assert doc.text.count("Regional samordning och uppföljning") == 1
    assert doc.text.count("Hälsoundersökning för nyanlända") == 1
    page_two = doc.text[doc.pages[1].start : doc.pages[1].end]
    order = [page_two.index(s) for s in ("Tabellen nedan visar", "Insats\t", "Handlingsplanen följs")]
    assert order == sorted(order)


# --- bad input -----------------------------------------------------------------------------

@pytest.mark.parametrize(("make", "message"), [
    (factory.encrypted_pdf, "PDF is encrypted (password required)"),
    (factory.image_only_pdf, "PDF has no text layer (scanned images?); it needs OCR"),
    (factory.truncated_pdf, "corrupt or truncated PDF"),
    (factory.zero_page_pdf, "PDF has no pages"),
    (factory.blank_pdf, "PDF has no text (its pages are blank)"),
])
def test_bad_pdfs_raise_input_error_with_a_clear_message(pdf_dir, make, message, monkeypatch):
    monkeypatch.setenv("ROK_OCR", "never")  # the image-only PDF: what a reader without OCR says
    path = make(pdf_dir / f"bad_{make.__name__}.pdf")
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert caught.value.problem.startswith(message)
    assert str(caught.value).startswith(f"{path}: ") and "\n" not in str(caught.value)


def test_owner_password_only_pdf_is_read(pdf_dir):
    path = factory.encrypted_pdf(pdf_dir / "owner_only.pdf", user_password=None)
    doc = read_document(path)
    # one page: no repetition; a small line above a section heading (not a title) is kept
    assert doc.text.startswith(f"{factory.HEADER}\n\n1. Inledning\n\nSamverkan ska bidra")


def test_partly_scanned_pdf_is_read_with_a_warning(pdf_dir):
    doc = read_document(factory.partly_scanned_pdf(pdf_dir / "signed.pdf"))
    assert len(doc.pages) == 2 and doc.pages[1].start == doc.pages[1].end
    assert any("page(s) 2 have no text layer" in w for w in doc.warnings)


# --- the pieces on their own ---------------------------------------------------------------

@pytest.mark.parametrize(("lines", "joined"), [
    (["skapa bättre möjlig-", "heter för nyanlända"], "skapa bättre möjligheter för nyanlända"),
    (["ett barn-", "och jämställdhetsperspektiv"], "ett barn- och jämställdhetsperspektiv"),
    (["hälso-", "eller sjukvård"], "hälso- eller sjukvård"),
    (["delvis med EU-", "medel"], "delvis med EU-medel"),
    (["RÖK-", "arbetet"], "RÖK-arbetet"),
    (["Jämtland-", "Härjedalen"], "Jämtland-Härjedalen"),
    (["åren 2019-", "2025"], "åren 2019-2025"),
    (["via e-", "tjänster"], "via e-tjänster"),
    (["parterna -", "alla"], "parterna - alla"),
    (["etable\xad", "ring"], "etablering"),
    (["första raden", "andra raden"], "första raden andra raden"),
])
def test_join_lines(lines, joined):
    assert join_lines(lines) == joined


def test_join_lines_takes_the_documents_own_spelling_as_evidence():
    vocabulary = Vocabulary(["insatser för icke-statliga aktörer"])
    assert join_lines(["stöd till icke-", "statliga organisationer"], vocabulary) == \
        "stöd till icke-statliga organisationer"
    assert join_lines(["cell-", "text"], separator="\v") == "celltext"
    vocabulary = Vocabulary(["Parterna ska gemensamt utveckla metoder."])
    assert join_lines(["parterna ska gemen-", "samt verka för"], vocabulary) == "parterna ska gemensamt verka för"
    assert join_lines(["barn-", "samt ungdomar"], vocabulary) == "barn- samt ungdomar"
    assert join_lines(["rad ett", "rad två"], separator="\v") == "rad ett\vrad två"


def test_word_cut_at_a_page_end_is_made_whole_on_the_first_page():
    page = PageText("heter för nyanlända.\n\nA\tB", tables=[[[("A", 22, 23), ("B", 24, 25)]]])
    previous, moved = carry_broken_word("Parterna skapar möjlig-", page, Vocabulary())
    assert previous == "Parterna skapar möjligheter" and moved == len("heter ")
    assert page.text == "för nyanlända.\n\nA\tB" and page.tables[0][0][0] == ("A", 16, 17)
    assert carry_broken_word("Slut.", page, Vocabulary()) == ("Slut.", 0)


@pytest.mark.parametrize("text", ["3", "- 3 -", "– 12 –", "Sida 3 av 12", "sida 3", "3 (12)", "s. 3",
                                  "Page 3 of 12", "3/12", "iv"])
def test_bare_page_numbers(text):
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["3. Syfte och mål", "Sida vid sida", "2019–2025", "Bilaga 3", "civil", "mix"])
def test_not_page_numbers(text):
    assert not is_page_number(text)


# --- the command line ----------------------------------------------------------------------

def test_rok_extract_reads_a_pdf(single):
    spec, _ = single
    result = CliRunner().invoke(app, ["extract", str(spec.path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"format": "pdf"' in result.stdout


def test_rok_extract_reports_a_bad_pdf_in_one_line_and_goes_on(single, pdf_dir):
    spec, _ = single
    bad = factory.encrypted_pdf(pdf_dir / "hemlig.pdf")
    result = CliRunner().invoke(app, ["extract", str(bad), str(spec.path)])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {bad}: PDF is encrypted (password required)"]
    assert "Traceback" not in result.stderr
    assert str(spec.path) in result.stdout  # the good file was still extracted
