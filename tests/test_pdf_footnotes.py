"""Footnotes at the bottom of a page are not body text, and the marks pointing to them do not
stick to the words ("etableringsreformen 2010¹")."""

from __future__ import annotations

import pdf_factory as factory
import pytest

from rok_compare.extract import extract_document
from rok_compare.ingest import read_document
from rok_compare.ingest.pdf.footnotes import footnote_lines
from rok_compare.ingest.pdf.fragments import Fragment


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory):
    spec = factory.footnote_agreement(tmp_path_factory.mktemp("notes") / "fotnoter.pdf")
    return spec, read_document(spec.path)


def test_footnotes_are_not_in_the_text(notes):
    spec, doc = notes
    assert spec.pages == 2
    assert "Lagen (2010:197)" not in doc.text
    assert "Se Länsstyrelsens rapport" not in doc.text and "organiserat sitt arbete" not in doc.text


def test_note_marks_are_dropped_from_the_words(notes):
    _, doc = notes
    assert "etableringsreformen 2010 har Arbetsförmedlingen" in doc.text  # a small raised "1"
    assert "på olika sätt. Samhällsorienteringen" in doc.text  # a superscript character "²"


def test_paragraph_over_the_page_break_is_whole(notes):
    spec, doc = notes
    text = doc.text.replace("\f", " ")
    assert [p for p in spec.paragraphs if p not in text] == []
    assert "enligt\fbosättningslagen" in doc.text  # nothing between the two halves


def test_footnote_is_no_clause(notes):
    spec, _ = notes
    agreement = extract_document(spec.path)
    assert not [c for c in agreement.clauses if "Länsstyrelsens rapport" in c.text or "Lagen (2010" in c.text]


def _line(text: str, y: float, size: float) -> list[Fragment]:
    return [Fragment(text, 57.0, 57.0 + 0.5 * size * len(text), y, y + size)]


BODY, NOTE = 11.0, 8.0
BODY_LINE = _line("Parterna ska samverka kring mottagandet.", 300, BODY)
RULE = (57.0, 140.0, 200.0, 140.5)  # a separator between the body and the first note


def found_notes(lines, marks=frozenset(), rules=()):
    found = footnote_lines(lines, 0.88 * BODY, 420, set(marks), list(rules))
    return [line[0].text for line in found]


def test_small_numbered_lines_under_a_mark_or_a_rule_are_footnotes():
    lines = [BODY_LINE, _line("1 Se rapporten från 2019.", 120, NOTE), _line("som också finns på webben.", 110, NOTE),
             _line("2 Prop. 2009/10:60.", 100, NOTE)]
    expected = ["1 Se rapporten från 2019.", "som också finns på webben.", "2 Prop. 2009/10:60."]
    assert found_notes(lines, marks={"1"}) == expected
    assert found_notes(lines, rules=[RULE]) == expected
    assert found_notes(lines) == []  # no mark in the body, no separator: kept


def test_small_lines_that_are_not_footnotes_stay():
    caption = [BODY_LINE, _line("Källa: SCB 2019", 120, NOTE)]
    assert found_notes(caption, rules=[RULE]) == []  # no number: a caption
    listing = [BODY_LINE, _line("2 CARD16 MINOR_VERSION", 120, NOTE), _line("4 CARD32 ALIAS_LIST_OFFSET", 110, NOTE)]
    assert found_notes(listing, marks={"2"}, rules=[RULE]) == []  # not numbered one up: a listing
    small_page = [_line("1 Inledning", 300, NOTE), _line("2 Parter", 120, NOTE)]
    assert found_notes(small_page, marks={"1"}, rules=[RULE]) == []  # all small: no body text above
