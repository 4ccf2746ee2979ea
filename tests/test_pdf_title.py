"""The title of a PDF comes first in its text: on a cover page the large title, not the logo
text above it; in a one-page document not the running header (no repetition to find it by)."""

from __future__ import annotations

from pathlib import Path

import pdf_factory as factory

from rok_compare.extract import extract_document
from rok_compare.ingest import read_document


def test_cover_page_title_comes_before_the_logo_text(tmp_path: Path):
    spec = factory.cover_agreement(tmp_path / "omslag.pdf")
    doc = read_document(spec.path)
    cover = doc.text[doc.pages[0].start : doc.pages[0].end]
    assert cover == f"{factory.COVER_TITLE}\n\n{factory.COVER_LOGO}\n\n2020"  # nothing lost
    assert extract_document(spec.path).title == factory.COVER_TITLE


def test_one_page_document_drops_its_running_header(tmp_path: Path):
    spec = factory.one_page_agreement(tmp_path / "en_sida.pdf")
    doc = read_document(spec.path)
    assert spec.pages == 1
    assert spec.header not in doc.text and "Sida 1 av 1" not in doc.text
    assert doc.text.startswith(f"{spec.headings[0]}\n\n1. Inledning\n\n")
    assert extract_document(spec.path).title == spec.headings[0]
