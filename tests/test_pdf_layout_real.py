"""Layout fixes found by checking real PDFs page by page, each tested on a generated page of the
same shape (the real documents are in ``test_pdf_real``; their text is not copied here).

These failed on the reader before the fixes: definitions split from their wrapped lines,
table-of-contents entries run together, a letter's paragraphs cut at every line, a vertical
margin number merged into the title, TeX's accents left apart from their letters, register
entries run together ("f. 92" taken for a list item), a running label beside each heading kept.
Three more pin behaviour that the real documents showed broken but that these generated pages
do not break on the old reader (the real cases are caught by ``test_pdf_real``'s recall and
fingerprints): the last body line of every page kept while the page number goes (a minutes
document lost one line a page), a framed cell read once (shaded cells read twice), and a
form's shaded bands not read as a table before the labels between them.
"""

from __future__ import annotations

from pathlib import Path

import pdf_factory as factory
import pytest

from rok_compare.ingest.pdf import read_pdf


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf_layout_real")


def _text(path: Path) -> str:
    return read_pdf(path, path.read_bytes(), "0" * 64, ocr="never").text


def _blocks(text: str) -> list[str]:
    return [block for block in text.split("\n\n") if block]


def test_a_definition_list_keeps_each_definition_whole(pdf_dir):
    path, pairs = factory.definitions_pdf(pdf_dir / "definitions.pdf")
    blocks = _blocks(_text(path))
    assert blocks == [f"{term} {definition}" for term, definition in pairs]


def test_table_of_contents_entries_are_lines_of_their_own(pdf_dir):
    path, entries = factory.contents_pdf(pdf_dir / "contents.pdf")
    lines = _text(path).split("\n\n", 1)[1].split("\n")
    assert len(lines) == len(entries)
    for line, entry, page in zip(lines, entries, range(3, 3 + len(entries)), strict=True):
        assert line.startswith(entry) and line.endswith(f" {page}")


def test_a_letters_paragraphs_are_not_cut_at_each_line_by_its_address_block(pdf_dir):
    path, paragraphs = factory.letterhead_pdf(pdf_dir / "letter.pdf")
    blocks = _blocks(_text(path))
    for paragraph in paragraphs:
        assert paragraph in blocks


def test_the_last_body_line_of_every_page_is_kept_and_the_page_number_dropped(pdf_dir):
    path, last_lines = factory.fixed_grid_pdf(pdf_dir / "grid.pdf")
    pages = _text(path).split("\f")
    for page, last in zip(pages, last_lines, strict=True):
        assert last.rstrip("-") in page.replace("\n", " ")
        assert not page.rstrip().endswith((" 1", " 2", " 3", " 4"))


def test_a_framed_cell_is_read_once_as_part_of_its_table(pdf_dir):
    path, rows = factory.framed_cell_pdf(pdf_dir / "framed.pdf")
    text = _text(path)
    assert text.split("\n") == ["\t".join(row) for row in rows]


def test_a_vertical_margin_number_is_not_merged_into_the_title(pdf_dir):
    path, title = factory.margin_number_pdf(pdf_dir / "margin.pdf")
    blocks = _blocks(_text(path))
    assert blocks[0] == title
    assert blocks[-1].replace("\n", " ") == "2013-07406 2013-11-21"


def test_tex_spacing_accents_join_their_letters(pdf_dir):
    text = _text(factory.tex_accents_pdf(pdf_dir / "accents.pdf"))
    assert "Poängavdrag ges för långa lösningar på tentamen." in text
    assert "Skriv endast på en sida av papperet, 2001." in text


def test_a_register_with_hanging_indents_keeps_one_block_an_entry(pdf_dir):
    path, entries = factory.register_pdf(pdf_dir / "register.pdf")
    assert _blocks(_text(path)) == entries


def test_a_forms_shaded_bands_are_no_table_and_its_labels_keep_their_order(pdf_dir):
    path, labels = factory.shaded_form_pdf(pdf_dir / "form.pdf")
    text = _text(path)
    assert "\t" not in text
    assert [block for block in text.replace("\n\n", "\n").split("\n")] == ["Sökande", *labels]


def test_a_running_label_beside_each_heading_is_dropped_and_the_heading_kept(pdf_dir):
    path, headings = factory.running_label_pdf(pdf_dir / "label.pdf")
    pages = _text(path).split("\f")
    assert "NFS 2007:10" not in "".join(pages)
    assert [_blocks(page)[0] for page in pages] == headings


def test_page_numbers_above_the_edge_band_are_dropped_when_they_run_with_the_pages(pdf_dir):
    path, bodies = factory.high_page_numbers_pdf(pdf_dir / "latex.pdf")
    assert _text(path).split("\f") == bodies


def test_a_lone_page_number_far_below_the_text_is_dropped(pdf_dir):
    """Only the cover is numbered: no running numbers to find it by, but it is the page's own
    number standing alone at its foot. Before, the "1" stayed (and ran into the next page)."""
    path, bodies = factory.lone_page_number_pdf(pdf_dir / "tenta.pdf")
    assert _text(path).split("\f") == bodies
