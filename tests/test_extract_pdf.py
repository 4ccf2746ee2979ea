"""End to end on a PDF: an agreement with a running header, page numbers, a party list and
per-party commitment sections spread over pages, read, segmented and extracted."""

from __future__ import annotations

import pytest

pytest.importorskip("fpdf")

from pdf_factory import new_pdf  # noqa: E402

from rok_compare.extract import extract_document  # noqa: E402
from rok_compare.model import DocType  # noqa: E402

PAGES = [
    [
        ("title", "Regional överenskommelse om mottagande och etablering av nyanlända i Västerbottens län 2020–2023"),
        ("heading", "Parter i överenskommelsen"),
        ("item", "Länsstyrelsen i Västerbottens län"),
        ("item", "Region Västerbotten"),
        ("item", "Arbetsförmedlingen"),
        ("item", "Umeå kommun"),
        ("item", "Svenska kyrkan, Luleå stift"),
        ("heading", "Övergripande mål"),
        ("text", "Nyanlända kvinnor och män ska så snabbt som möjligt komma i arbete eller studier."),
        ("text", "Syftet med överenskommelsen är att samordna parternas insatser för nyanlända i länet."),
    ],
    [
        ("heading", "Parternas åtaganden"),
        ("heading", "Arbetsförmedlingen"),
        ("text", "Arbetsförmedlingen ska säkerställa att varje nyanländ får en etableringsplan."),
        ("text", "Arbetsförmedlingen ska verka för fler praktikplatser hos privata arbetsgivare."),
        ("heading", "Region Västerbotten"),
        ("text", "Region Västerbotten erbjuder en hälsoundersökning till alla asylsökande och nyanlända."),
        ("heading", "Umeå kommun"),
        ("text", "Umeå kommun åtar sig att ta emot 200 nyanlända per år."),
    ],
]


def _write_agreement(path) -> None:
    pdf = new_pdf()
    family = pdf.body_family
    for number, page in enumerate(PAGES, start=1):
        pdf.add_page()
        pdf.set_font(family, "", 9)
        pdf.set_xy(20, 10)
        pdf.cell(170, 5, "Regional överenskommelse – Västerbottens län")
        pdf.set_xy(20, 30)
        for kind, text in page:
            if kind in ("title", "heading"):
                pdf.set_font(family, "B", 14 if kind == "title" else 12)
                pdf.ln(4)
            else:
                pdf.set_font(family, "", 11)
            pdf.set_x(20)
            pdf.multi_cell(170, 6, ("• " if kind == "item" else "") + text)
        pdf.set_font(family, "", 9)
        pdf.set_xy(20, 285)
        pdf.cell(170, 5, f"Sida {number} av {len(PAGES)}")
    pdf.output(str(path))


@pytest.fixture(scope="module")
def agreement(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "rok_vasterbotten.pdf"
    _write_agreement(path)
    return extract_document(path)


def test_metadata(agreement):
    assert agreement.source.format == "pdf"
    assert agreement.county.code == "24"
    assert agreement.doc_type is DocType.REGIONAL_AGREEMENT
    assert (agreement.period.start, agreement.period.end) == (2020, 2023)


def test_parties_from_the_list(agreement):
    canonical = [p.canonical for p in agreement.parties]
    assert canonical[:4] == ["Länsstyrelsen", "Region Västerbotten", "Arbetsförmedlingen", "Umeå kommun"]
    assert "Svenska kyrkan" in canonical


def test_goals_and_commitments_with_pages(agreement):
    assert any(g.text.startswith("Nyanlända kvinnor och män ska") for g in agreement.goals)
    by_text = {c.text: c for c in agreement.commitments}
    plan = by_text["Arbetsförmedlingen ska säkerställa att varje nyanländ får en etableringsplan."]
    assert (plan.party, plan.strength, plan.span.page) == ("Arbetsförmedlingen", "guarantee", 2)
    health = next(c for c in agreement.commitments if "hälsoundersökning" in c.text)
    assert (health.party, health.strength) == ("Region Västerbotten", "offer")
    reception = next(c for c in agreement.commitments if "ta emot 200" in c.text)
    assert reception.party == "Umeå kommun"


def test_running_header_and_page_numbers_are_not_clauses(agreement):
    texts = [c.text for c in agreement.clauses]
    assert not any(t.startswith("Sida ") for t in texts)
    assert not any(t == "Regional överenskommelse – Västerbottens län" for t in texts)
