"""Constructions of real documents that extraction got wrong on documents it had not seen: county
groups named by their county, member lists that state nothing, sentences binding all parties, and a
web page whose address block repeats the publisher's name over the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from rok_compare.extract.commitments import find_commitments
from rok_compare.extract.deciders import NO_DECIDERS
from rok_compare.extract.organisations import find_organisations
from rok_compare.extract.pipeline import party_evidence, statement_evidence
from rok_compare.extract.registry import PartyRegistry
from rok_compare.extract.statements import _word_class_features
from rok_compare.ingest import read_document

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _groups(text: str) -> dict[str, str]:
    return {m.name: m.canonical for m in find_organisations(text, PartyRegistry.default()) if m.generic}


@pytest.mark.parametrize(("text", "name", "canonical"), [
    ("I samverkan mellan Kalmar läns 12 kommuner, Migrationsverket och Länsstyrelsen har talen fastställts.",
     "Kalmar läns 12 kommuner", "kommunerna i Kalmar län"),
    ("En överenskommelse träffades mellan Östgötakommunerna och länsstyrelsen.",
     "Östgötakommunerna", "kommunerna i Östergötlands län"),
    ("Norrbottenskommunerna tar emot fler nyanlända.", "Norrbottenskommunerna", "kommunerna i Norrbottens län"),
    ("Parterna är Region Dalarna, Migrationsverket och samtliga länets kommuner.",
     "samtliga länets kommuner", "kommunerna"),
    ("Parter är länets alla kommuner och Arbetsförmedlingen.", "länets alla kommuner", "kommunerna"),
    ("Parter: Länsstyrelsen och samtliga sörmländska kommuner.", "samtliga sörmländska kommuner", "kommunerna"),
])
def test_a_county_names_its_municipalities_as_a_group(text, name, canonical):
    assert _groups(text).get(name) == canonical


def test_a_compound_that_names_no_county_is_no_group():
    assert not any("kommunerna" in name.lower() for name in _groups("Medlemskommunerna och kranskommunerna möts."))


def _statements(path: Path):
    evidence = party_evidence(read_document(path))
    return statement_evidence(evidence, evidence.rule_parties, NO_DECIDERS)


def _rule_parties(tmp_path: Path, text: str) -> list:
    """The parties the cue rules find in ``text``, read as a document."""
    path = tmp_path / "document.txt"
    path.write_text(text, encoding="utf-8")
    return party_evidence(read_document(path)).rule_parties


def test_a_list_of_member_names_is_no_statement(tmp_path):
    path = tmp_path / "samverkan.txt"
    path.write_text("Samverkan i norra länet\n\nSamverkan sker mellan följande kommuner:\n\n"
                    "  • Danderyds kommun\n  • Ekerö kommun\n  • Järfälla kommun och Lidingö stad\n\n"
                    "Kommunerna utbyter erfarenheter om mottagandet av nyanlända.\n", encoding="utf-8")
    texts = [c.site.text for c in _statements(path).candidates]
    assert not any(text.startswith(("Danderyds", "Ekerö", "Järfälla")) for text in texts)
    assert any(text.startswith("Kommunerna utbyter") for text in texts)


def test_a_sentence_that_binds_every_party_is_all_parties(tmp_path):
    path = tmp_path / "lok.txt"
    path.write_text("Lokal överenskommelse\n\nDenna överenskommelse träffas mellan Arbetsförmedlingen och "
                    "Exempelby kommun.\n\nUppföljning\n\nRespektive huvudman utser en person som ska ingå i en "
                    "styrgrupp.\n\nArbetsförmedlingen ska erbjuda praktik.\n", encoding="utf-8")
    candidates = {c.site.text: c for c in _statements(path).candidates}
    joint = candidates["Respektive huvudman utser en person som ska ingå i en styrgrupp."]
    assert joint.party == "*"
    assert joint.features.get("owner_joint") == 1.0
    assert "owner_joint" not in candidates["Arbetsförmedlingen ska erbjuda praktik."].features


def test_word_classes_pool_word_forms_of_goals_and_undertakings():
    features = _word_class_features({"s:höjd": 1.0, "s:utbildningsnivå": 1.0, "lead:mål": 0.5, "h:ansvar": 1.0})
    assert features == {"goal_s:": 1.0, "goal_lead:": 1.0, "commitment_h:": 1.0}
    assert _word_class_features({"s:målgrupp": 1.0}) == {}  # the target group is no goal


PAGE = SHARED / "corpus" / "train" / "skane_2016_hassleholm_ny_integrationsorganisation.txt"


@pytest.mark.skipif(not PAGE.exists(), reason="needs ../shared/corpus/train")
def test_a_publishers_name_repeated_in_the_page_header_opens_no_party_section():
    """The page's address block repeats "Hässleholms kommun" as three headings; before, every sentence
    of the news item under it became the municipality's commitment (12 of them, "Ingen giltig
    användare vald." included)."""
    evidence = party_evidence(read_document(PAGE))
    found = find_commitments(evidence.doc, evidence.mentions, evidence.rule_parties)
    assert not any("giltig användare" in c.text for c in found.commitments)
    assert len(found.commitments) <= 3


def test_a_place_in_a_quoted_project_name_owns_no_strategy(tmp_path):
    """A regional strategy page names a municipality only inside a project's quoted name: that
    municipality is not the strategy's owner (it was taken for the one party of the page)."""
    parties = _rule_parties(tmp_path, "Integration\n\nDe prioriterade områdena i den regionala strategin är:\n\n"
                            "  • Höjd utbildningsnivå\n  • Ökat deltagande i arbetslivet\n\n"
                            "Inom dessa områden samverkar vi med kommunerna, t.ex.:\n\n"
                            "  • Stödjer kommunerna med statistik\n"
                            "  • Driver Socialfondsprojektet ”Integration Jämtland Härjedalen”\n")
    assert "Härjedalens kommun" not in [p.canonical for p in parties]


def test_a_place_named_outside_quotes_still_owns_its_strategy(tmp_path):
    parties = _rule_parties(tmp_path, "Integrationsstrategi 2016-2020\n\nÖstersund behöver integration\n\n"
                            "Strategin anger kommunens långsiktiga mål för integrationen.\n\n"
                            "Långsiktigt mål 1: Fler nya östersundare\n")
    assert [p.canonical for p in parties] == ["Östersunds kommun"]


@pytest.mark.parametrize(("text", "name", "kind"), [
    ("Representanter för Migrationsverket, Statens servicecenter och Region Gotland träffas varje vecka.",
     "Statens servicecenter", "state_agency"),
    ("Region Gotland, Gotlands bildningsförbund och Svenska kyrkan förbereder mottagandet.",
     "Gotlands bildningsförbund", "civil_society"),
    ("Kurserna ges av Malungs folkhögskola.", "Malungs folkhögskola", "civil_society"),
])
def test_a_body_named_with_a_place_keeps_its_whole_name(text, name, kind):
    """The place at the start of "Gotlands bildningsförbund" is no mention of Region Gotland: the
    organisation's form (bildningsförbund, folkhögskola) makes it a name of its own."""
    found = {m.name: m.kind.value for m in find_organisations(text, PartyRegistry.default())}
    assert found.get(name) == kind
    assert "Gotlands" not in found


def test_a_list_of_parties_goes_on_to_a_quantified_group(tmp_path):
    """"... Företagarna och samtliga länets kommuner": the list's last item is all the county's
    municipalities, not a stop of the list before "samtliga"."""
    names = [p.name for p in _rule_parties(tmp_path, "Vägen in\n\nDe undertecknande parterna är Region Dalarna, "
                                           "Länsstyrelsen Dalarna, Arbetsförmedlingen, Migrationsverket, "
                                           "Företagarna och samtliga länets kommuner.\n")]
    assert names[-1] == "samtliga länets kommuner"
    assert "Företagarna" in names


def test_a_place_inside_a_hyphenated_name_is_no_municipality():
    """"Falun-Borlänge Regionen" is a cooperation of its own, not Falu kommun (nor Borlänge)."""
    text = "I samarbete med Vansbro kommun, Säters kommun och Falun-Borlänge Regionen."
    canonicals = [m.canonical for m in find_organisations(text, PartyRegistry.default())]
    assert canonicals == ["Vansbro kommun", "Säters kommun"]
    spaced = [m.canonical for m in find_organisations("Kontoren i Falun och Borlänge.", PartyRegistry.default())]
    assert spaced == ["Falu kommun", "Borlänge kommun"]


def test_the_town_of_a_postal_address_is_no_mention():
    """"871 86 Härnösand" at the foot of a county board's plan is where to write, not a party (it was
    taken for the plan's owner)."""
    found = [m.canonical for m in find_organisations("Länsstyrelsen Västernorrland\n871 86 Härnösand\n",
                                                     PartyRegistry.default())]
    assert "Härnösands kommun" not in found
    assert [m.canonical for m in find_organisations("Härnösand tar emot 50 nyanlända.", PartyRegistry.default())] \
        == ["Härnösands kommun"]


def test_the_other_side_of_the_agreement_is_a_party(tmp_path):
    """"I överenskommelsen med Länsstyrelsen har X kommun beslutat ...": the definite form of the
    agreement names its other party as the indefinite one does."""
    canonicals = {p.canonical for p in _rule_parties(
        tmp_path, "Integrationsplan för Härjedalens kommun\n\n1. Inledning\n\nI överenskommelsen med "
        "Länsstyrelsen har Härjedalens kommun beslutat att ta emot 50 nyanlända för bosättning.\n")}
    assert {"Länsstyrelsen", "Härjedalens kommun"} <= canonicals
