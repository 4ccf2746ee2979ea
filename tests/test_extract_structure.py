"""Extraction on the shapes real agreements take: numbered headings, party lists after a lead-in
sentence, per-party sections followed by back matter, signing sentences in the passive."""

from __future__ import annotations

import pytest

from rok_compare.extract import extract_document
from rok_compare.extract.deciders import NO_DECIDERS
from rok_compare.extract.pipeline import extract
from rok_compare.ingest import read_document

NUMBERED = """Regional överenskommelse om mottagande av nyanlända i Kalmar län 2019–2022

1. Inledning

Överenskommelsen ska stärka samverkan i länet.

2. Parter

Överenskommelsen har undertecknats av följande parter:

{parties}

3. Åtaganden

3.1 Region Kalmar län

Region Kalmar län ska erbjuda hälsoundersökning.

3.2 Kommunerna

Kommunerna ska erbjuda samhällsorientering.

4. Uppföljning

Länets styrgrupp träffas fyra gånger per år.
"""
PARTY_LINES = ["Länsstyrelsen i Kalmar län", "Region Kalmar län", "Arbetsförmedlingen", "Kalmar kommun"]


@pytest.mark.parametrize("marker", ["numbers", "bullets", "table"])
def test_numbered_headings_and_a_party_list_after_a_lead_in(tmp_path, marker):
    if marker == "numbers":
        parties = "\n".join(f"{i}. {name}" for i, name in enumerate(PARTY_LINES, 1))
    elif marker == "bullets":
        parties = "\n".join(f"• {name}" for name in PARTY_LINES)
    else:
        parties = "\n".join(f"{name}\tunderskrift" for name in PARTY_LINES)
    path = tmp_path / "rok.txt"
    path.write_text(NUMBERED.format(parties=parties), encoding="utf-8")
    agreement = extract_document(path)
    assert [p.canonical for p in agreement.parties] == ["Länsstyrelsen", "Region Kalmar län", "Arbetsförmedlingen",
                                                         "Kalmar kommun"]
    headings = [c.section for c in agreement.clauses]
    assert "1. Inledning" in headings and "2. Parter" in headings and "4. Uppföljning" in headings
    # "3.2 Kommunerna" names no party: the group's duty goes to its one signing municipality, and the
    # back matter under "4. Uppföljning" is nobody's commitment
    assert [(c.party, c.text) for c in agreement.commitments] == [
        ("Region Kalmar län", "Region Kalmar län ska erbjuda hälsoundersökning."),
        ("Kalmar kommun", "Kommunerna ska erbjuda samhällsorientering."),
    ]


def test_a_numbered_list_of_short_items_stays_a_list(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("Handlingsplan för integration 2020–2022\n\nFokusområden\n\n1. Arbetsmarknad\n2. Utbildning\n"
                    "3. Hälsa\n\nPlanen följs upp årligen.\n", encoding="utf-8")
    agreement = extract_document(path)
    assert {c.section for c in agreement.clauses} == {"Fokusområden"}


def test_back_matter_after_party_sections_is_not_a_party_commitment(tmp_path):
    path = tmp_path / "rok.txt"
    path.write_text("Regional överenskommelse om nyanländas etablering i Örebro län 2018–2021\n\nParter\n\n"
                    "Parterna i överenskommelsen är Länsstyrelsen i Örebro län, Region Örebro län och "
                    "Arbetsförmedlingen.\n\nParternas åtaganden\n\nRegion Örebro län\n\nRegion Örebro län ska "
                    "erbjuda hälsoundersökning.\n\nArbetsförmedlingen\n\nArbetsförmedlingen ska erbjuda "
                    "etableringsplaner.\n\nUppföljning och utvärdering\n\nLänets styrgrupp träffas fyra gånger per "
                    "år. Statistik om mottagandet publiceras på länsstyrelsens webbplats.\n\nGiltighetstid\n\n"
                    "Överenskommelsen gäller i tre år.\n", encoding="utf-8")
    assert [(c.party, c.text) for c in extract_document(path).commitments] == [
        ("Region Örebro län", "Region Örebro län ska erbjuda hälsoundersökning."),
        ("Arbetsförmedlingen", "Arbetsförmedlingen ska erbjuda etableringsplaner."),
    ]


def test_passive_signing_sentence_and_a_joint_subject(tmp_path):
    path = tmp_path / "rok.txt"
    path.write_text("Överenskommelse om samverkan för nyanlända i Östergötlands län\n\nParter\n\nÖverenskommelsen "
                    "har ingåtts av Länsstyrelsen Östergötland, Region Östergötland, Arbetsförmedlingen, Linköpings "
                    "kommun och Norrköpings kommun.\n\nÅtaganden\n\nLinköpings kommun och Norrköpings kommun ska "
                    "erbjuda samhällsorientering. Region Östergötland ska erbjuda hälsoundersökning.\n",
                    encoding="utf-8")
    agreement = extract_document(path)
    assert len(agreement.parties) == 5
    assert [c.text for c in agreement.commitments] == [
        "Linköpings kommun och Norrköpings kommun ska erbjuda samhällsorientering.",
        "Region Östergötland ska erbjuda hälsoundersökning.",
    ]


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("Överenskommelsen gäller under perioden 1 januari 2020 – 31 december 2022.", (2020, 2022)),
        ("Överenskommelsen är undertecknad den 1 mars 2021 och gäller till och med 2023.", (2021, 2023)),
        ("Överenskommelsen gäller 2019-21.", (2019, 2021)),
    ],
)
def test_period_written_with_dates_and_signing(tmp_path, sentence, period):
    path = tmp_path / "rok.txt"
    path.write_text(f"Regional överenskommelse i Kalmar län\n\n{sentence}\n", encoding="utf-8")
    agreement = extract_document(path)
    assert (agreement.period.start, agreement.period.end) == period


def test_signature_block_after_the_last_party_section(tmp_path):
    path = tmp_path / "lok.txt"
    path.write_text("Lokal överenskommelse om nyanländas etablering i Karlstad 2019–2021\n\nParter\n\n"
                    "Överenskommelsen har ingåtts mellan Karlstads kommun och Arbetsförmedlingen.\n\n"
                    "Parternas åtaganden\n\nArbetsförmedlingen\n\nArbetsförmedlingen ska erbjuda etableringsplaner.\n"
                    "\nKarlstad den 12 maj 2019\n\nFör Karlstads kommun\n\n_______________ Eva Nilsson "
                    "Kommundirektör\n\nFör Arbetsförmedlingen\n\n_______________ Jan Ström Sektionschef\n",
                    encoding="utf-8")
    agreement = extract_document(path)
    assert [p.canonical for p in agreement.parties] == ["Karlstads kommun", "Arbetsförmedlingen"]
    assert [(c.party, c.text) for c in agreement.commitments] == [
        ("Arbetsförmedlingen", "Arbetsförmedlingen ska erbjuda etableringsplaner.")]


def test_cover_logo_numbered_lead_ins_and_a_diocese(tmp_path):
    """A party's name alone on a cover page opens no party section; "3.2.1 X åtar sig att:" leads a
    list of X's undertakings; "Svenska kyrkan i Kalmar stift" is one party."""
    path = tmp_path / "rok.txt"
    path.write_text(
        "Länsstyrelsen Skåne\n\nRegional överenskommelse om etablering i Skåne 2020–2023\n\n1. Inledning\n\n"
        "Denna överenskommelse beskriver hur parterna samverkar kring mottagandet.\n\n2. Parter\n\n"
        "Parterna i överenskommelsen är Länsstyrelsen Skåne, Region Skåne och Svenska kyrkan i Lunds stift.\n\n"
        "3. Åtaganden\n\n3.1 Gemensamma åtaganden\n\nParterna ska årligen ta fram en lägesbild.\n\n"
        "3.2 Parternas åtaganden\n\n3.2.1 Länsstyrelsen Skåne åtar sig att:\n\n• samordna det regionala arbetet\n"
        "• fördela medel för regionala insatser\n\n3.2.2 Region Skåne åtar sig att:\n\n• erbjuda hälsoundersökningar\n",
        encoding="utf-8")
    agreement = extract_document(path)
    assert [p.canonical for p in agreement.parties] == ["Länsstyrelsen", "Region Skåne", "Svenska kyrkan"]
    assert [(c.party, c.text) for c in agreement.commitments] == [
        ("*", "Parterna ska årligen ta fram en lägesbild."),
        ("Länsstyrelsen", "samordna det regionala arbetet"),
        ("Länsstyrelsen", "fördela medel för regionala insatser"),
        ("Region Skåne", "erbjuda hälsoundersökningar"),
    ]


def test_party_list_one_name_per_line_without_bullets(tmp_path):
    path = tmp_path / "rok.txt"
    path.write_text("REGIONAL ÖVERENSKOMMELSE\nom samverkan för nyanländas etablering i Södermanlands län 2018–2021\n\n"
                    "1 Inledning\nDenna överenskommelse ersätter den tidigare.\n\n2 Parter\nDe undertecknande parterna "
                    "är:\nLänsstyrelsen i Södermanlands län\nLandstinget Sörmland\nArbetsförmedlingen\nEtt okänt "
                    "studieförbund\nSörmlands nio kommuner\n\n3 Gemensam vision\nSörmland ska vara ett län där "
                    "nyanlända snabbt kommer i arbete.\n\n4 Åtaganden\nLandstinget Sörmland ska erbjuda "
                    "hälsoundersökning.\n", encoding="utf-8")
    agreement = extract_document(path)
    assert [p.canonical for p in agreement.parties] == [
        "Länsstyrelsen", "Landstinget Sörmland", "Arbetsförmedlingen", "kommunerna i Södermanlands län"]
    assert [g.text for g in agreement.goals] == ["Sörmland ska vara ett län där nyanlända snabbt kommer i arbete."]
    assert [(c.party, c.text) for c in agreement.commitments] == [
        ("Landstinget Sörmland", "Landstinget Sörmland ska erbjuda hälsoundersökning.")]


@pytest.mark.parametrize(("group", "canonical"), [("Skånes 33 kommuner", "kommunerna i Skåne län"),
                                                  ("Västra Götalands 49 kommuner", "kommunerna i Västra Götalands län"),
                                                  ("Sörmlands nio kommuner", "kommunerna i Södermanlands län")])
def test_a_countys_municipalities_by_its_name_or_alias(tmp_path, group, canonical):
    path = tmp_path / "rok.txt"
    path.write_text(f"Regional överenskommelse\n\nÖverenskommelsen har tecknats mellan {group} och "
                    "Arbetsförmedlingen.\n", encoding="utf-8")
    assert [p.canonical for p in extract_document(path).parties] == [canonical, "Arbetsförmedlingen"]


def test_lead_ins_without_colon_offices_and_role_words(tmp_path):
    path = tmp_path / "lok.txt"
    path.write_text(
        "Lokal överenskommelse om nyanländas etablering i Falun för åren 2016-2018\n\n"
        "Överenskommelsen har tecknats mellan Falu kommun, Arbetsförmedlingen Falun/Borlänge och Landstinget "
        "Dalarna.\n\nÅtaganden\n\nFalu kommun åtar sig att\n- erbjuda sfi inom en månad,\n- anvisa bostad.\n\n"
        "Gemensamt åtar sig parterna att\n- utse kontaktpersoner.\n\nÖvrigt\n\nLandstinget ska erbjuda "
        "hälsosamtal. Kommunstyrelsen ska följa upp överenskommelsen. Enligt avtalet ska Arbetsförmedlingen "
        "erbjuda praktik.\n", encoding="utf-8")
    agreement = extract_document(path)
    assert [p.canonical for p in agreement.parties] == ["Falu kommun", "Arbetsförmedlingen", "Landstinget Dalarna"]
    assert (agreement.period.start, agreement.period.end) == (2016, 2018)
    assert [(c.party, c.text) for c in agreement.commitments] == [
        ("Falu kommun", "erbjuda sfi inom en månad"),
        ("Falu kommun", "anvisa bostad."),
        ("*", "utse kontaktpersoner."),
        ("Landstinget Dalarna", "Landstinget ska erbjuda hälsosamtal."),
        ("Falu kommun", "Kommunstyrelsen ska följa upp överenskommelsen."),
        ("Arbetsförmedlingen", "Enligt avtalet ska Arbetsförmedlingen erbjuda praktik."),
    ]


def test_quoted_goals_lose_the_attribution_and_a_menu_item_is_no_agreement(tmp_path):
    path = tmp_path / "nyhet.txt"
    path.write_text(
        "Sök\nMeny\n\nFler bostäder till nyanlända i Sundsvall\n\nSundsvalls kommun och Migrationsverket har "
        "tecknat ett avtal om 60 boendeplatser.\n\nMålet är att fler ska stanna kvar i Sundsvall, berättar "
        "Anders Berg, enhetschef.\n\n– Vi ska se till att alla känner sig välkomna, säger Maria Lind.\n",
        encoding="utf-8")
    agreement = extract(read_document(path), NO_DECIDERS)  # the cue rules (the models may add the quote's goal)
    assert agreement.doc_type.value == "news"
    assert [g.text for g in agreement.goals] == ["Målet är att fler ska stanna kvar i Sundsvall"]
    assert all("Vi ska se till" not in c.text for c in agreement.commitments)


def test_the_search_box_is_not_a_strategic_agreement(tmp_path):
    path = tmp_path / "sida.txt"
    path.write_text("Sök\n\nNy i Sverige\n\nKöpings kommun tar emot nyanlända som anvisas till kommunen. "
                    "Vi erbjuder samhällsorientering på flera språk.\n", encoding="utf-8")
    assert extract_document(path).doc_type.value == "other"


@pytest.mark.parametrize(
    "sentence",
    [
        "Trollhättans stad, Arbetsförmedlingen och Högskolan Väst har sedan 2020 ett samverkansavtal om snabbspår.",
        "Trollhättans stad, Arbetsförmedlingen och Högskolan Väst öppnar i höst ett gemensamt mottagningscenter.",
        "Trollhättans stad, Arbetsförmedlingen och Högskolan Väst ska gemensamt driva ett boende.",
    ],
)
def test_more_ways_of_saying_who_works_together(tmp_path, sentence):
    path = tmp_path / "sida.txt"
    path.write_text(f"Samverkan kring nyanländas etablering\n\n{sentence}\n", encoding="utf-8")
    assert [p.canonical for p in extract_document(path).parties] == [
        "Trollhättans stad", "Arbetsförmedlingen", "Högskolan Väst"]


def test_a_municipalitys_own_programme_keeps_the_municipality_and_its_vision(tmp_path):
    path = tmp_path / "program.txt"
    path.write_text("Program för integration 2019–2022\n\nLinköpings kommun\n\nVision\n\nLinköpings kommun ska vara "
                    "en kommun där nyanlända snabbt blir delaktiga.\n\nGenomförande\n\nKommunen deltar i den "
                    "regionala samverkan som leds av Länsstyrelsen Östergötland. Samtliga nämnder ska beakta "
                    "programmet i sina verksamhetsplaner.\n", encoding="utf-8")
    agreement = extract_document(path)
    assert agreement.parties[0].canonical == "Linköpings kommun"
    assert [g.text for g in agreement.goals] == ["Linköpings kommun ska vara en kommun där nyanlända snabbt blir "
                                                 "delaktiga."]
    assert ("Linköpings kommun", "Samtliga nämnder ska beakta programmet i sina verksamhetsplaner.") in \
        [(c.party, c.text) for c in agreement.commitments]


def test_bar_table_letterhead_and_a_landsting_named_by_its_role(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(
        "Ljungby kommun\nHandlingsplan för mottagande av nyanlända 2020–2022\n\nÖverenskommelse\n\n"
        "Planen har tagits fram av Ljungby kommun tillsammans med Arbetsförmedlingen och Landstinget Kronoberg.\n\n"
        "Insatser\n\nInsats | Ansvarig | Tidplan\n---|---|---\nSpråkpraktik på arbetsplatser | Arbetsförmedlingen "
        "| 2020–2021\nSamhällsorientering inom tre månader | Ljungby kommun | 2020\n\nÖvrigt\n\nLandstinget ska "
        "erbjuda hälsoundersökning inom två månader.\n", encoding="utf-8")
    agreement = extract_document(path)
    assert agreement.doc_type.value == "action_plan"
    assert (agreement.period.start, agreement.period.end) == (2020, 2022)
    pairs = [(c.party, c.text) for c in agreement.commitments]
    assert ("Arbetsförmedlingen", "Språkpraktik på arbetsplatser") in pairs
    assert ("Ljungby kommun", "Samhällsorientering inom tre månader") in pairs
    assert ("Landstinget Kronoberg", "Landstinget ska erbjuda hälsoundersökning inom två månader.") in pairs


def test_signatures_side_by_side_read_as_one_line(tmp_path):
    path = tmp_path / "rok.txt"
    path.write_text("Regional överenskommelse i Hallands län\n\nÅtaganden\n\nParterna ska gemensamt verka för att "
                    "nyanländas kompetens tas tillvara.\n\nUnderskrifter\n\nFör Länsstyrelsen i Hallands län\n\n"
                    "För Halmstads kommun\n\nKarin Ek Kommundirektör För Region Halland\n\nFör Arbetsförmedlingen\n",
                    encoding="utf-8")
    assert [p.canonical for p in extract_document(path).parties] == [
        "Länsstyrelsen", "Halmstads kommun", "Region Halland", "Arbetsförmedlingen"]


def test_second_probe_wordings(tmp_path):
    """Inverted signing ("Sedan 2020 har X och Y en ..."), intentions ("avser att"), an agreement of
    reception signed in the news, undertakings after "har parterna kommit överens om att", HTML list
    items without full stops, and organisations consulted or represented that are not parties."""
    news = tmp_path / "nyhet.txt"
    news.write_text("Mora tar emot fler\n\nI går tecknade Mora kommun och Migrationsverket ett avtal om 60 "
                    "anvisningsbara platser.\n", encoding="utf-8")
    agreement = extract_document(news)
    assert [p.canonical for p in agreement.parties] == ["Mora kommun", "Migrationsverket"]
    assert [c.party for c in agreement.commitments] == ["*"]

    page = tmp_path / "sida.html"
    page.write_text(
        "<h1>Samverkan kring nyanlända</h1><p>Sedan den 1 januari 2020 har Nacka kommun och Värmdö kommun en "
        "samverkansöverenskommelse om mottagandet. Kommunerna arbetar i dialog med Röda Korset.</p>"
        "<p>I överenskommelsen har parterna kommit överens om att:</p><ul><li>dela på en mottagningsenhet</li>"
        "<li>ta fram en gemensam introduktion</li></ul><h2>Parternas avsikter</h2><p>Nacka kommun avser att "
        "erbjuda praktikplatser. Samtliga parter åtar sig att följa upp arbetet.</p>", encoding="utf-8")
    agreement = extract_document(page)
    assert [p.canonical for p in agreement.parties] == ["Nacka kommun", "Värmdö kommun"]
    assert [(c.party, c.text) for c in agreement.commitments] == [
        ("*", "dela på en mottagningsenhet"),
        ("*", "ta fram en gemensam introduktion"),
        ("Nacka kommun", "Nacka kommun avser att erbjuda praktikplatser."),
        ("*", "Samtliga parter åtar sig att följa upp arbetet."),
    ]

    rok = tmp_path / "rok.txt"
    rok.write_text("Regional överenskommelse i Dalarna\n\nParter\n\n• Region Dalarna\n• Dalarnas kommunförbund, som "
                   "företräder länets 15 kommuner\n• Arbetsförmedlingen\n", encoding="utf-8")
    assert [p.canonical for p in extract_document(rok).parties] == [
        "Region Dalarna", "Dalarnas kommunförbund", "Arbetsförmedlingen"]


def test_a_place_after_a_preposition_is_no_subject_and_a_subordinate_ska_binds_no_one(tmp_path):
    path = tmp_path / "strategi.txt"
    path.write_text("Integrationsstrategi för Hässleholms kommun 2020–2023\n\nVision\n\nI Hässleholm ska alla invånare "
                    "ha samma möjligheter.\n\nSamverkan\n\nVi samarbetar med skolan och vårdcentralen för att barnen "
                    "ska få stöd.\n", encoding="utf-8")
    agreement = extract(read_document(path), NO_DECIDERS)  # the cue rules: the model may read "Vi samarbetar"
    # as the municipality's undertaking (a party as subject in the present tense)
    assert [g.text for g in agreement.goals] == ["I Hässleholm ska alla invånare ha samma möjligheter."]
    assert agreement.commitments == []
