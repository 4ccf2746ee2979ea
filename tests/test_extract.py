"""Extraction on the bundled seed documents and on small realistic texts."""

from __future__ import annotations

import pytest
from conftest import dev_doc, seed

from rok_compare.extract import extract_document
from rok_compare.extract.strength import commitment_strength, strength_level
from rok_compare.model import ClauseKind, DocType, PartyKind
from rok_compare.serialize import agreement_to_dict


@pytest.fixture(scope="module")
def norrbotten():
    return extract_document(seed("001"))


def test_metadata_of_the_revised_norrbotten_agreement(norrbotten):
    assert norrbotten.county.code == "25"
    assert norrbotten.doc_type is DocType.REGIONAL_AGREEMENT
    assert (norrbotten.period.start, norrbotten.period.end) == (2009, 2009)
    assert norrbotten.revision_date == "2009-03"


def test_signatories_from_the_signing_sentence(norrbotten):
    names = [p.name for p in norrbotten.parties]
    assert names[0] == "Länsstyrelsen i Norrbottens län"
    assert "Svenska kyrkan (Luleå stift)" in names and "Luleå tekniska universitet" in names
    assert len(names) == 10
    landsting = next(p for p in norrbotten.parties if p.name == "Norrbottens läns Landsting")
    assert landsting.canonical == "Norrbottens läns landsting"
    assert landsting.current == "Region Norrbotten"
    board = next(p for p in norrbotten.parties if p.kind is PartyKind.COUNTY_ADMINISTRATIVE_BOARD)
    assert board.canonical == "Länsstyrelsen"
    text = norrbotten.source.text
    assert text[board.span.start : board.span.end] == board.name


def test_partner_for_dialogue_is_not_a_party():
    jamtland = extract_document(seed("000"))
    names = {p.canonical for p in jamtland.parties}
    assert "Svenskt Näringsliv" not in names and "LRF" not in names
    assert {"Arbetsförmedlingen", "Migrationsverket", "Försäkringskassan", "Länsstyrelsen"} <= names


def test_historical_names_normalised():
    varmland = extract_document(seed("004"))
    by_name = {p.name: p for p in varmland.parties}
    assert by_name["Länsarbetsnämnden i Värmland"].canonical == "Arbetsförmedlingen"
    assert by_name["Myndigheten för skolutveckling"].current == "Skolverket"
    assert len(varmland.parties) == 12


def test_per_party_commitments_of_a_flattened_transcript(norrbotten):
    by_text = {c.text: c for c in norrbotten.commitments}
    assert by_text["Informera kommunerna om den centrala och regionala överenskommelsen."].party == \
        "Kommunförbundet Norrbotten"
    assert by_text["Verka för att praktikplatser skapas i församlingar och stiftets organisation."].party == \
        "Svenska kyrkan"
    # a run-on line of two commitments without a full stop is split
    assert "Tillhandahåller statistik över ohälsotal i Norrbottens län" in by_text
    assert by_text["Ger en övergripande information till nyanlända om den svenska socialförsäkringen"].party == \
        "Försäkringskassan"


def test_goals_from_the_goal_section(norrbotten):
    goals = [g.text for g in norrbotten.goals]
    assert "Dessa ska ha utformats utifrån lokala förutsättningar och följts upp årligen." in goals
    assert all(g.section for g in norrbotten.goals if g.text.startswith("Parterna ska skapa"))


def test_action_plan_table_rows_become_commitments():
    plan = extract_document(seed("003"))
    assert plan.doc_type is DocType.ACTION_PLAN
    owners = {c.text: set() for c in plan.commitments}
    for c in plan.commitments:
        owners[c.text].add(c.party)
    assert owners["Utveckla validering inom bristyrken"] == {"Arbetsförmedlingen"}
    analysis = "Fördjupad bostadsmarknadsanalys där GIS-baserad analys testas i Jämtlandsstråket."
    assert "Länsstyrelsen" in owners[analysis]


def test_news_page_with_all_parties():
    news = extract_document(seed("002"))
    assert news.doc_type is DocType.NEWS
    assert (news.period.start, news.period.end) == (2019, 2025)
    assert len(news.parties) == 15
    assert news.parties[-1].name == "Sunnerbo samordningsförbund"


def test_negative_example_has_no_parties():
    minutes = extract_document(dev_doc("halland_2012_falkenberg_sjuharad_gemensam_flyktingmottagning.txt"))
    assert minutes.parties == []
    assert minutes.county.code == "13"  # the minutes are Falkenberg's, not Sjuhärad's


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Arbetsförmedlingen ska säkerställa att kompetensen valideras.", "guarantee"),
        ("Landstinget ska erbjuda hälsoundersökning.", "shall"),
        ("Parterna åtar sig att följa upp arbetet.", "undertake"),
        ("Röda Korset erbjuder läxhjälp.", "offer"),
        ("Migrationsverket ska verka för organiserad sysselsättning.", "endeavour"),
        ("Kommunen bör erbjuda praktik.", "should"),
    ],
)
def test_strength_scale(text, label):
    assert commitment_strength(text) == label


def test_strength_scale_is_ordered():
    levels = [strength_level(x) for x in ("guarantee", "shall", "undertake", "offer", "endeavour", "should")]
    assert levels == sorted(levels, reverse=True)


def test_clauses_carry_kind_themes_and_spans(norrbotten):
    clauses = norrbotten.clauses
    assert len({c.id for c in clauses}) == len(clauses)
    kinds = {c.kind for c in clauses}
    assert {ClauseKind.GOAL, ClauseKind.COMMITMENT} <= kinds
    health = next(c for c in clauses if c.text.startswith("Landstinget ska erbjuda hälso- och sjukvård"))
    assert "health" in health.themes
    assert not any("@" in c.text for c in clauses)  # the contact list is furniture


def test_json_contract(norrbotten):
    data = agreement_to_dict(norrbotten)
    assert data["schema_version"] == 1
    assert data["source"]["format"] == "text" and len(data["source"]["sha256"]) == 64
    assert data["county"] == {"name": "Norrbottens län", "code": "25"}
    assert set(data["parties"][0]) >= {"name", "canonical", "kind", "span"}
    assert set(data["commitments"][0]) >= {"party", "text", "strength", "span"}
    assert set(data["clauses"][0]) >= {"id", "section", "kind", "themes", "text", "span"}


AGREEMENT_WITH_LISTS = """Regional överenskommelse för Hallands län 2021–2024

Överenskommelsen har tecknats mellan Länsstyrelsen i Hallands län, Region Halland,
Arbetsförmedlingen och Hallands kommuner.

Länsstyrelsen åtar sig att:
- samordna den regionala samverkan
- följa upp överenskommelsen årligen

Parterna ska:
- verka för fler praktikplatser

Underskrifter

För Länsstyrelsen i Hallands län
För Falkenbergs kommun
"""


def test_signing_sentence_lead_in_lists_and_signatures(tmp_path):
    path = tmp_path / "halland.txt"
    path.write_text(AGREEMENT_WITH_LISTS, encoding="utf-8")
    agreement = extract_document(path)
    canonical = {p.canonical for p in agreement.parties}
    assert canonical == {"Länsstyrelsen", "Region Halland", "Arbetsförmedlingen", "kommunerna i Hallands län",
                         "Falkenbergs kommun"}
    by_text = {c.text: c for c in agreement.commitments}
    assert (by_text["samordna den regionala samverkan"].party, by_text["samordna den regionala samverkan"].strength) \
        == ("Länsstyrelsen", "undertake")
    assert by_text["verka för fler praktikplatser"].party == "*"


def test_ocr_variants_and_unknown_organisations_in_a_party_list(tmp_path):
    path = tmp_path / "ocr.txt"
    path.write_text(
        "Överenskommelsen har träffats mellan Länsstyrelsen i Jämtlands län, Arbetsfinnedlingen, "
        "Migrationsverkel och Föreningen Nya Vänner.\n\n"
        "Arbetsfinnedlingen ska erbjuda praktik till alla nyanlända.\n",
        encoding="utf-8",
    )
    agreement = extract_document(path)
    by_name = {p.name: p for p in agreement.parties}
    assert by_name["Arbetsfinnedlingen"].canonical == "Arbetsförmedlingen"
    assert by_name["Migrationsverkel"].canonical == "Migrationsverket"
    assert by_name["Föreningen Nya Vänner"].kind is PartyKind.CIVIL_SOCIETY  # the kind its form says (issue 10)
    assert [c.party for c in agreement.commitments] == ["Arbetsförmedlingen"]


def test_html_page_with_script_and_a_party_goal_in_a_goal_section(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>RÖK</title><script>var x = '<p>Migrationsverket ska</p>';</script>"
        "</head><body><nav><ul><li>Hoppa direkt till sidans innehåll</li></ul></nav>"
        "<h1>Regional överenskommelse om mottagande i Dalarnas län 2020&ndash;2024</h1>"
        "<p>Överenskommelsen har tecknats mellan Länsstyrelsen i Dalarnas län, Region Dalarna, "
        "Arbetsförmedlingen och Falu kommun.</p><h2>Övergripande mål</h2>"
        "<p>Nyanlända kvinnor och män ska få likvärdiga möjligheter att etablera sig i arbetslivet.</p>"
        "<p>Arbetsförmedlingen ska erbjuda praktik&nbsp;till alla nyanlända.</p></body></html>",
        encoding="utf-8",
    )
    agreement = extract_document(path)
    assert agreement.source.format == "html"
    assert (agreement.county.code, agreement.period.start, agreement.period.end) == ("20", 2020, 2024)
    assert [p.canonical for p in agreement.parties] == ["Länsstyrelsen", "Region Dalarna", "Arbetsförmedlingen",
                                                         "Falu kommun"]
    assert [g.text for g in agreement.goals] == [
        "Nyanlända kvinnor och män ska få likvärdiga möjligheter att etablera sig i arbetslivet."]
    assert [(c.party, c.text) for c in agreement.commitments] == [
        ("Arbetsförmedlingen", "Arbetsförmedlingen ska erbjuda praktik till alla nyanlända.")]
    assert not any("var x" in c.text or "Hoppa" in c.text for c in agreement.clauses)


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("Överenskommelsen gäller från den 1 januari 2020 till den 31 december 2023.", (2020, 2023)),
        ("Avtalet gäller fr.o.m. 2019-01-01 t.o.m. 2021-12-31.", (2019, 2021)),
        ("Den regionala överenskommelsen för 2019 - 2021 antogs enhälligt.", (2019, 2021)),
        ("Överenskommelsen gäller 2020-01-01 – 2022-12-31.", (2020, 2022)),
        ("Giltighetstid: 2016–2018", (2016, 2018)),
        ("Överenskommelsen gäller tills vidare från 2019.", (2019, None)),
        ("Denna överenskommelse gäller till och med 2023. Den beslutades i mars 2020.", (2020, 2023)),
        ("Lagen om etableringsinsatser gäller från 1 december 2010.", None),
    ],
)
def test_period_of_validity_in_the_text(tmp_path, sentence, period):
    path = tmp_path / "rok.txt"
    path.write_text(f"Regional överenskommelse i Gävleborgs län\n\n{sentence}\n\nUnder åren 1996-2007 ökade "
                    "mottagandet.\n", encoding="utf-8")
    agreement = extract_document(path)
    found = agreement.period and (agreement.period.start, agreement.period.end)
    assert found == period


def test_open_ended_period_label():
    from rok_compare.model import period_label

    assert [period_label(2019, None), period_label(2019, 2019), period_label(2019, 2021), period_label(None, None)] \
        == ["2019–", "2019", "2019–2021", ""]


def test_action_plan_written_as_labelled_lines(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("Handlingsplan 2021 för Gävleborgs län\n\nInsats: Språkcafé för nyanlända kvinnor i alla kommuner\n"
                    "Ansvarig: Region Gävleborg och Länsstyrelsen\nTidplan: 2021\n\n"
                    "Aktivitet: Gemensam kartläggning av kompetens\nAnsvarig: Samtliga parter\n", encoding="utf-8")
    agreement = extract_document(path)
    assert agreement.doc_type is DocType.ACTION_PLAN
    assert sorted((c.party, c.text) for c in agreement.commitments) == [
        ("*", "Gemensam kartläggning av kompetens"),
        ("Länsstyrelsen", "Språkcafé för nyanlända kvinnor i alla kommuner"),
        ("Region Gävleborg", "Språkcafé för nyanlända kvinnor i alla kommuner"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Parter: Länsstyrelsen i Kalmar län, Region Kalmar län och Kalmar kommun.",
        "Överenskommelsen undertecknades av Länsstyrelsen i Kalmar län, Region Kalmar län och Kalmar kommun.",
        "Bakom överenskommelsen står Länsstyrelsen i Kalmar län, Region Kalmar län och Kalmar kommun.",
        "Följande parter har undertecknat: Länsstyrelsen i Kalmar län, Region Kalmar län och Kalmar kommun.",
    ],
)
def test_ways_of_naming_the_signatories(tmp_path, sentence):
    path = tmp_path / "rok.txt"
    path.write_text(f"Regional överenskommelse i Kalmar län\n\n{sentence}\n\nMigrationsverket informerar.\n",
                    encoding="utf-8")
    parties = [p.canonical for p in extract_document(path).parties]
    assert parties == ["Länsstyrelsen", "Region Kalmar län", "Kalmar kommun"]


@pytest.mark.parametrize(
    ("title", "sentence", "doc_type"),
    [
        ("Överenskommelse om samverkan kring nyanlända i Kalix kommun",
         "Arbetsförmedlingen och Kalix kommun har kommit överens om en gemensam plan.", DocType.LOCAL_AGREEMENT),
        ("Överenskommelse om mottagande av nyanlända",
         "Länsstyrelsen i Uppsala län, Region Uppsala och Arbetsförmedlingen har enats om samverkan.",
         DocType.REGIONAL_AGREEMENT),
    ],
)
def test_agreement_level_from_its_parties(tmp_path, title, sentence, doc_type):
    path = tmp_path / "agreement.txt"
    path.write_text(f"{title}\n\n{sentence}\n", encoding="utf-8")
    agreement = extract_document(path)
    assert agreement.doc_type is doc_type
    assert len(agreement.parties) >= 2


def test_rule_data_files_keep_whole_patterns():
    """A comma inside a pattern must be quoted, or the CSV reader cuts the pattern short."""
    import csv
    from pathlib import Path

    data = Path(__file__).resolve().parent.parent / "rok_compare" / "extract" / "data"
    for name in ("strength.csv", "themes.csv", "clause_kinds.csv", "name_patterns.csv"):
        lines = [line for line in (data / name).read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
        for row in csv.DictReader(lines):
            assert None not in row, f"{name}: unquoted comma in {row}"
    assert commitment_strength("Parterna kommer också att arbeta aktivt.") == "shall"


@pytest.mark.parametrize("county", ["Blekinge län", "Skåne län", "Västra Götalands län", "Uppsala län"])
def test_municipalities_of_a_county_with_or_without_genitive_s(tmp_path, county):
    path = tmp_path / "rok.txt"
    path.write_text(f"Regional överenskommelse i {county}\n\nÖverenskommelsen är tecknad mellan kommunerna i "
                    f"{county}, Arbetsförmedlingen och Migrationsverket.\n", encoding="utf-8")
    parties = [p.canonical for p in extract_document(path).parties]
    assert parties == [f"kommunerna i {county}", "Arbetsförmedlingen", "Migrationsverket"]


MUNICIPAL_DUTIES = """Regional överenskommelse om nyanländas etablering i Västernorrlands län

Överenskommelsen är tecknad mellan {signatories}.

Parternas åtaganden
Arbetsförmedlingen ska erbjuda etableringsinsatser.
Kommunerna ska erbjuda samhällsorientering inom tre månader.
Kommunen ansvarar för mottagandet och bosättningen.
Samtliga kommuner ska erbjuda praktikplatser.
"""


@pytest.mark.parametrize(
    ("signatories", "holder"),
    [
        ("kommunerna i Västernorrlands län, Arbetsförmedlingen och Länsstyrelsen Västernorrland",
         "kommunerna i Västernorrlands län"),
        ("Arbetsförmedlingen, Sundsvalls kommun, Timrå kommun och Ånge kommun", "*"),
        ("Arbetsförmedlingen och Sundsvalls kommun", "Sundsvalls kommun"),
        ("Arbetsförmedlingen och Länsstyrelsen Västernorrland", None),
    ],
)
def test_what_the_municipalities_as_a_group_undertake(tmp_path, signatories, holder):
    """The group's duties go to the group where it signed, to the one signing municipality, to all
    parties jointly when several municipalities signed, and to nobody when none did."""
    path = tmp_path / "rok.txt"
    path.write_text(MUNICIPAL_DUTIES.format(signatories=signatories), encoding="utf-8")
    by_text = {c.text: c.party for c in extract_document(path).commitments}
    assert by_text.pop("Arbetsförmedlingen ska erbjuda etableringsinsatser.") == "Arbetsförmedlingen"
    expected = {} if holder is None else {
        "Kommunerna ska erbjuda samhällsorientering inom tre månader.": holder,
        "Kommunen ansvarar för mottagandet och bosättningen.": holder,
        "Samtliga kommuner ska erbjuda praktikplatser.": holder,
    }
    assert by_text == expected


def test_follow_up_of_the_agreement_after_a_party_section_is_joint(tmp_path):
    path = tmp_path / "lok.txt"
    path.write_text("Lokal överenskommelse i Sundsvall 2015-2017\n\nDenna överenskommelse har ingåtts mellan "
                    "Sundsvalls kommun och Arbetsförmedlingen.\n\nArbetsförmedlingen ansvarar för\n- etableringsplan\n"
                    "- arbetsmarknadsinsatser\n\nÖverenskommelsen följs upp två gånger per år.\n", encoding="utf-8")
    by_text = {c.text: c.party for c in extract_document(path).commitments}
    assert by_text == {"etableringsplan": "Arbetsförmedlingen", "arbetsmarknadsinsatser": "Arbetsförmedlingen",
                       "Överenskommelsen följs upp två gånger per år.": "*"}


@pytest.mark.parametrize(
    "group",
    ["länets 16 kommuner", "samtliga 16 kommuner i Värmland", "Värmlands 16 kommuner", "länets sexton kommuner",
     "alla kommuner i Värmlands län"],
)
def test_municipalities_counted_or_placed_without_the_word_lan(tmp_path, group):
    path = tmp_path / "avsikt.txt"
    path.write_text("Avsiktsförklaring om mottagande av ensamkommande barn i Värmland\n\n"
                    f"Denna avsiktsförklaring har undertecknats av {group}, Region Värmland och Länsstyrelsen "
                    "Värmland.\n\nSyfte\nSyftet är ett gott mottagande.\n"
                    "Kommunerna åtar sig att ta emot barn enligt fördelningen.\n", encoding="utf-8")
    agreement = extract_document(path)
    assert [p.canonical for p in agreement.parties] == ["kommunerna i Värmlands län", "Region Värmland",
                                                         "Länsstyrelsen"]
    assert [(c.party, c.text) for c in agreement.commitments] == [
        ("kommunerna i Värmlands län", "Kommunerna åtar sig att ta emot barn enligt fördelningen.")]


def test_news_report_quoting_with_berattar(tmp_path):
    path = tmp_path / "nyhet.txt"
    path.write_text("Nu skriver länets kommuner på ny överenskommelse\n\nPublicerad 2019-03-04. Länets kommuner och "
                    "Länsstyrelsen Västernorrland har tecknat en ny regional överenskommelse, berättar Anna Berg på "
                    "länsstyrelsen.\n", encoding="utf-8")
    agreement = extract_document(path)
    assert agreement.doc_type is DocType.NEWS
    assert [p.canonical for p in agreement.parties] == ["kommunerna i Västernorrlands län", "Länsstyrelsen"]
