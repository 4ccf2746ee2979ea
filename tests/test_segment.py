"""Segmentation on real documents: furniture, run-in headings, lists, tables and sentences."""

from __future__ import annotations

from conftest import dev_doc, seed

from rok_compare.ingest import read_document
from rok_compare.model import BlockKind
from rok_compare.segment import segment, split_sentences


def _segmented(path):
    return segment(read_document(path))


def _all_blocks(doc):
    return [b for s in doc.sections for b in s.blocks]


def test_sentences_survive_abbreviations_law_references_and_year_spans():
    text = (
        "Landstinget erbjuder vård m.fl. enl. lag (2008:344). Parterna ska bl.a. följa upp t.ex. "
        "insatser under 2019–2025. Arbetet p.g.a. reformen, se prop. 2009/10:60, fortsätter o.s.v. "
        "Nästa mening börjar här."
    )
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == [
        "Landstinget erbjuder vård m.fl. enl. lag (2008:344).",
        "Parterna ska bl.a. följa upp t.ex. insatser under 2019–2025.",
        "Arbetet p.g.a. reformen, se prop. 2009/10:60, fortsätter o.s.v.",
        "Nästa mening börjar här.",
    ]


def test_contact_block_is_furniture_not_clauses():
    doc = _segmented(seed("000"))
    furniture = " ".join(b.text for b in doc.furniture)
    assert "010-2253334" in furniture and "Hans Halvarsson" in furniture
    body = " ".join(b.text for b in _all_blocks(doc))
    assert "Halvarsson" not in body


def test_related_document_list_is_furniture():
    doc = _segmented(seed("001"))
    furniture = [b.text for b in doc.furniture]
    assert "Lunchdejt i KAK" in furniture
    assert not any("Lunchdejt" in b.text for b in _all_blocks(doc))


def test_run_in_headings_of_a_flattened_transcript():
    doc = _segmented(seed("001"))
    headings = [s.heading for s in doc.sections]
    assert "Gemensamma mål i överenskommelsen" in headings
    assert "Parters åtaganden i överenskommelsen" in headings
    assert "Arbetsförmedlingen" in headings  # from "Arbetsförmedlingen Arbetsförmedlingen ska ..."
    goals = next(s for s in doc.sections if s.heading == "Gemensamma mål i överenskommelsen")
    first = goals.blocks[0].sentences[0].text
    assert first.startswith("Parterna ska skapa förutsättningar")


def test_inline_page_numbers_are_dropped():
    doc = _segmented(seed("001"))
    for block in _all_blocks(doc):
        assert not block.text.rstrip().endswith((" 2", " 3", " 4", " 5"))


def test_party_list_items_under_their_heading():
    doc = _segmented(seed("004"))
    section = next(s for s in doc.sections if s.heading == "Parter i den regionala överenskommelsen")
    items = [b.text for b in section.blocks if b.kind is BlockKind.LIST_ITEM]
    assert len(items) == 12
    assert items[3] == "Länsarbetsnämnden i Värmland"


def test_sentence_cut_by_a_blank_line_is_joined():
    doc = _segmented(seed("004"))
    sentences = [s.text for b in _all_blocks(doc) for s in b.sentences]
    assert any(s.startswith("Det regionala arbetet") and s.endswith("på den lokala nivån.") for s in sentences)


def test_table_rows_keep_cells_with_spans():
    doc = _segmented(seed("003"))
    rows = [b for b in _all_blocks(doc) if b.kind is BlockKind.TABLE_ROW]
    assert rows[0].cells[-1].text == "Ansvarig"
    cell = rows[1].cells[-1]
    assert cell.text == "Region Jämtland Härjedalen"
    assert doc.source.text[cell.span.start : cell.span.end] == "Region Jämtland Härjedalen"


def test_inline_att_list_of_a_transcript():
    doc = _segmented(dev_doc("sodermanland_undated_vingaker_plan_integration_flyktingmottagning.txt"))
    items = [b.text for b in _all_blocks(doc) if b.kind is BlockKind.LIST_ITEM]
    assert "att vara ett politiskt styrinstrument för kommunens flyktingmottagning" in items


def test_spans_point_at_the_source_text():
    doc = _segmented(seed("002"))
    for block in _all_blocks(doc):
        for sentence in block.sentences:
            raw = doc.source.text[sentence.span.start : sentence.span.end]
            assert " ".join(raw.split()) == sentence.text
