"""Metadata on two constructions of ``../shared/UNSEEN.md``: web skip links over the title, and a
title flattened into one long first line with what follows it."""

from __future__ import annotations

import pytest

from rok_compare.extract import extract_document
from rok_compare.extract.deciders import NO_DECIDERS
from rok_compare.extract.pipeline import extract
from rok_compare.ingest import read_document
from rok_compare.model import DocType

BODY = ("Kommunen tar emot nyanlända som anvisas av Migrationsverket. Arbetet sker i samverkan med "
        "Arbetsförmedlingen och Region Exempel. Målet är att alla nyanlända ska få arbete eller "
        "studera inom två år.\n")


@pytest.mark.parametrize("links", ["Hoppa till innehåll Hoppa till meny", "Skip to main content"])
def test_skip_links_are_not_the_title(tmp_path, links):
    path = tmp_path / "page.txt"
    path.write_text(f"{links}\n\nKommunens integrationsinsatser\n\n" + BODY, encoding="utf-8")
    assert extract_document(path).title == "Kommunens integrationsinsatser"


def test_a_plan_title_in_a_flattened_first_line_still_names_the_type(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("Handlingsplan för mottagande av nyanlända i Exempelby kommun 2021 Dnr 123-456-21 Utgiven av "
                    "Exempelby kommun. Kommunen har sedan länge tagit emot nyanlända och arbetar "
                    "med deras etablering i nära samverkan med andra aktörer i länet. " + BODY.replace("\n", " "),
                    encoding="utf-8")
    agreement = extract(read_document(path), NO_DECIDERS)  # the rules alone read it
    assert agreement.title is None  # no line of its own is a title
    assert agreement.doc_type is DocType.ACTION_PLAN


HEADER_FIELDS = ("Program för ett integrerat samhälle i Exempelby kommun\n\n"
                 "Fastställt av: Kommunfullmäktige Datum: 13 juni 2016 "
                 "Reviderad den: xxxxx För revidering ansvarar: Kommunstyrelsen Dokumentet gäller för: Alla nämnder "
                 "och bolag Dokumentet gäller till och med: 2020\n\n")
LATER_PLAN = "\nHandlingsplan 2017-2018\n\nHandlingsplanen beskriver insatserna under de två första åren.\n"


def test_a_validity_field_of_a_document_header_gives_the_period(tmp_path):
    """The header of a municipal steering document states its validity as fields ("Dokumentet gäller
    till och med: 2020") and its adoption ("Fastställt av: ... 2016"); a span next to a document's name
    further on (a sub-plan's years) does not outrank it."""
    path = tmp_path / "program.txt"
    sections = "".join(f"\n{heading}\n\n{BODY}" for heading in ("Inledning", "Bakgrund", "Organisation", "Uppföljning"))
    path.write_text(HEADER_FIELDS + BODY + sections + LATER_PLAN, encoding="utf-8")
    period = extract(read_document(path), NO_DECIDERS).period
    assert (period.start, period.end) == (2016, 2020)


def test_an_iso_date_is_not_a_span_of_years(tmp_path):
    path = tmp_path / "program.txt"
    path.write_text("Exempelby kommun Antagen KF 2001-03-29 sida 1 (11) INTEGRATIONSPROGRAM FÖR EXEMPELBY\n\n" + BODY,
                    encoding="utf-8")
    period = extract(read_document(path), NO_DECIDERS).period
    assert period is None or (period.start, period.end) != (2001, 2003)


@pytest.mark.parametrize(("title", "doc_type"), [
    ("Inriktningsdokument Integration", DocType.STRATEGY),
    ("Riktlinjer för flyktingmottagande i Exempelby kommun", DocType.STRATEGY),
    ("Styrande dokument för integrationsarbetet i Exempelby kommun", DocType.STRATEGY),
    ("Integrationsprogram för Exempelby", DocType.STRATEGY),
    ("Barn som försvinner - samverkansplan för Exempel län", DocType.ACTION_PLAN),
])
def test_a_steering_document_is_named_by_its_kind(tmp_path, title, doc_type):
    """What Swedish municipalities call their steering documents (inriktningsdokument, riktlinjer,
    styrande dokument, -program: strategies; -plan: plans) names the type by the title alone."""
    path = tmp_path / "doc.txt"
    path.write_text(f"{title}\n\n" + BODY, encoding="utf-8")
    assert extract(read_document(path), NO_DECIDERS).doc_type is doc_type


@pytest.mark.parametrize("label", ["Tjänsteutlåtande", "Tjänsteskrivelse", "Beslutsförslag"])
def test_a_staff_report_on_an_agreement_is_other(tmp_path, label):
    """A staff report proposing an agreement is no agreement (UNSEEN.md: "even when they propose an
    agreement")."""
    path = tmp_path / "rapport.txt"
    path.write_text(f"Exempelby kommun\n\n{label}\n\nLokal överenskommelse om mottagande av nyanlända\n\n"
                    "Kommunstyrelsen föreslås godkänna den lokala överenskommelsen med Arbetsförmedlingen. "
                    + BODY, encoding="utf-8")
    assert extract(read_document(path), NO_DECIDERS).doc_type is DocType.OTHER
