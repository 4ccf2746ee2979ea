"""Headings in a PDF: a heading directly above a subheading of the same size is two headings; a
heading wrapped onto two lines is one."""

from __future__ import annotations

import pdf_factory as factory
import pytest

from rok_compare.ingest import read_document


@pytest.fixture(scope="module")
def subheadings(tmp_path_factory: pytest.TempPathFactory):
    spec = factory.subheading_agreement(tmp_path_factory.mktemp("headings") / "rubriker.pdf")
    return spec, read_document(spec.path)


def test_heading_over_a_subheading_of_the_same_size_is_two_headings(subheadings):
    _, doc = subheadings
    assert "\n\n3.2 Parternas åtaganden\n\nLänsstyrelsen\n\n•" in doc.text
    assert "\n\n3.2.1 Regionen\n\n3.2.2 Arbetsförmedlingen\n\n•" in doc.text


def test_wrapped_heading_stays_one(subheadings):
    spec, doc = subheadings
    assert f"\n\n{factory.LONG_SUBHEADING}\n\n•" in doc.text
    blocks = doc.text.split("\n\n")
    assert [h for h in spec.headings if h not in blocks] == []
