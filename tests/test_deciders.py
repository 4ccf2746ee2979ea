"""The learned decisions of extraction: the decider itself, the shipped models, and how they behave on
real documents (the seeds here; every annotated document, cross-validated by county, when ../shared is
present)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest
from conftest import SHARED, seed

from rok_compare.extract import extract, extract_document
from rok_compare.extract.decider import LinearDecider
from rok_compare.extract.deciders import (
    NO_DECIDERS,
    PARTY_MODEL_FILE,
    clear_cache,
    shipped_deciders,
)
from rok_compare.extract.party_candidates import is_role_title
from rok_compare.extract.pipeline import party_evidence
from rok_compare.ingest import read_document
from rok_compare.model import DocType


@pytest.fixture(scope="module")
def seed_evidence():
    return party_evidence(read_document(seed("000")))


def test_decider_fits_predicts_and_round_trips(seed_evidence, tmp_path):
    candidates = seed_evidence.candidates
    rules = {p.canonical for p in seed_evidence.rule_parties}
    X = [c.features for c in candidates]
    y = ["party" if c.mention.canonical in rules else "not" for c in candidates]
    model = LinearDecider(C=1.0, min_count=1).fit(X, y)
    probabilities = model.predict_proba(X)
    assert all(math.isclose(sum(p.values()), 1.0) for p in probabilities)
    assert sum(a == b for a, b in zip(model.predict(X), y, strict=True)) / len(y) > 0.9
    model.save(tmp_path / "m.json")
    loaded = LinearDecider.load(tmp_path / "m.json")
    assert [round(p["party"], 5) for p in loaded.predict_proba(X)] == [round(p["party"], 5) for p in probabilities]
    with pytest.raises(ValueError):
        LinearDecider.from_dict({"format": "something else"})


def test_multiclass_probabilities_follow_the_labels():
    X = [{"w:ska": 1.0, "subj_party": 1.0}, {"w:syft": 1.0}, {"w:bild": 1.0}] * 5
    y = ["commitment", "goal", "neither"] * 5
    model = LinearDecider(C=10.0, min_count=1).fit(X, y)
    assert model.predict([{"w:syft": 1.0}, {"subj_party": 1.0}]) == ["goal", "commitment"]
    assert model.top_features("goal", 1)[0][0] == "w:syft"


def test_every_mention_is_a_candidate_with_its_context(seed_evidence):
    candidates = seed_evidence.candidates
    assert len(candidates) >= len(seed_evidence.mentions)
    listed = [c for c in candidates if c.mention.name == "Migrationsverket"]
    assert listed and all(any(k.startswith("s:") for k in c.features) for c in listed)
    # the chain a name stands in carries the list's verb frame to every name of the list
    chained = [c for c in candidates if c.features.get("chain=3") or c.features.get("chain=5")]
    assert chained and all(any(k.startswith(("ca", "cb")) for k in c.features) for c in chained)


def test_unknown_names_in_a_list_become_candidates(tmp_path):
    path = tmp_path / "avtal.txt"
    path.write_text("Avsiktsförklaring om mottagande\n\nAvtalet har undertecknats av Länsstyrelsen Södermanland, "
                    "Föreningen Sörmlandsnätet, Bergslagens Företagarcentrum ek. för., Nyköpings kommun och Region "
                    "Sörmland.\n", encoding="utf-8")
    evidence = party_evidence(read_document(path))
    kinds = {c.mention.name: c.mention.kind.value for c in evidence.candidates}
    assert {"Föreningen Sörmlandsnätet", "Nyköpings kommun", "Region Sörmland"} <= set(kinds)
    assert kinds["Föreningen Sörmlandsnätet"] == "civil_society"
    assert kinds.get("Bergslagens Företagarcentrum ek. för") == "business_organisation"


def test_a_name_beside_known_ones_is_a_candidate_without_its_description(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("Plan för mottagande\n\nDe samverkande parterna är Örebro kommun, Region Örebro län, det "
                    "kommunägda bostadsbolaget Örebrohem samt Arbetsförmedlingen. I gruppen ingår Lars Eriksson, "
                    "Region Örebro län, och Anna Berg, Örebro kommun.\n", encoding="utf-8")
    names = {c.mention.name for c in party_evidence(read_document(path)).candidates}
    assert "Örebrohem" in names
    assert not {"Lars Eriksson", "Anna Berg"} & names  # people beside organisations are no candidates


def test_a_described_name_stays_in_its_list(tmp_path):
    """ "..., det kommunägda bostadsbolaget Örebrohem samt Arbetsförmedlingen": a few words describing
    the next name do not end the list; a relative clause (", som ansvarar för X") does."""
    path = tmp_path / "plan.txt"
    path.write_text("Plan för mottagande\n\nDe samverkande parterna är Örebro kommun, Region Örebro län, det "
                    "kommunägda bostadsbolaget Örebrohem samt Arbetsförmedlingen.\n\nArbetet leds av Region "
                    "Örebro län, som ansvarar för Migrationsverket i länet.\n", encoding="utf-8")
    candidates = party_evidence(read_document(path)).candidates
    second = path.read_text(encoding="utf-8").index("Arbetet leds")
    listed = [c for c in candidates if c.mention.start < second]
    assert [c.mention.name for c in listed] == ["Örebro kommun", "Region Örebro län", "Örebrohem", "Arbetsförmedlingen"]
    assert len({c.chain for c in listed}) == 1 and listed[0].chain is not None
    later = [c for c in candidates if c.mention.start >= second]
    assert [c.mention.name for c in later] == ["Region Örebro län", "Migrationsverket"]
    assert later[0].chain is None or later[0].chain != later[1].chain


def test_titles_in_a_signature_block_are_no_candidates(tmp_path):
    """ "Name, Title, Organisation" lines: the title stands beside a known name like a one-word name the
    registry lacks, but it is a person's title; the organisations stay candidates, as one list."""
    path = tmp_path / "rok.txt"
    path.write_text("Regional överenskommelse\n\nIntegrationsrådet 17 februari 2016 Anna Berg, Landshövding, "
                    "Länsstyrelsen Södermanland Bo Ek, Områdeschef, Arbetsförmedlingen Eva Lund, Regiondirektör, "
                    "Region Sörmland Lars Holm, Kommundirektör, Nyköpings kommun\n", encoding="utf-8")
    candidates = party_evidence(read_document(path)).candidates
    names = {c.mention.name for c in candidates}
    assert {"Länsstyrelsen Södermanland", "Arbetsförmedlingen", "Region Sörmland", "Nyköpings kommun"} <= names
    assert not {"Landshövding", "Områdeschef", "Regiondirektör", "Kommundirektör"} & names
    assert is_role_title("Kommundirektören") and is_role_title("kommunstyrelsens  ordförande")
    assert not is_role_title("Nyköpings kommun") and not is_role_title("Arbetsförmedlingen")


def test_shipped_deciders_keep_the_seed_parties():
    deciders = shipped_deciders()
    assert deciders.party is not None and deciders.sentence is not None and deciders.doc_type is not None
    agreement = extract_document(seed("000"))
    assert [p.canonical for p in agreement.parties][:3] == ["Länsstyrelsen", "Region Jämtland Härjedalen",
                                                           "Arbetsförmedlingen"][:3] or len(agreement.parties) >= 5
    rules_only = extract(read_document(seed("000")), NO_DECIDERS)
    assert {p.name for p in rules_only.parties} <= {p.name for p in agreement.parties}


def test_a_document_without_rule_parties_gets_them_from_the_model(tmp_path):
    """A council's members named without any signing wording (the most frequent miss on unseen
    documents): the rules find no list, the model reads the membership frame."""
    path = tmp_path / "rad.txt"
    path.write_text("Integrationsrådet i Örebro län\n\nStyrgruppen består av Region Örebro län, Arbetsförmedlingen, "
                    "Försäkringskassan och Lindesbergs kommun. Gruppen träffas fyra gånger per år.\n",
                    encoding="utf-8")
    source = read_document(path)
    assert extract(source, NO_DECIDERS).parties == []
    names = {p.name for p in extract(source).parties}
    members = {"Region Örebro län", "Arbetsförmedlingen", "Försäkringskassan", "Lindesbergs kommun"}
    assert names <= members and len(names) >= 3


def test_a_damaged_model_leaves_the_decision_to_the_rules(tmp_path, monkeypatch):
    models = tmp_path / "models"
    shutil.copytree(Path(__file__).resolve().parents[1] / "models", models)
    (models / PARTY_MODEL_FILE).write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("ROK_MODELS_DIR", str(models))
    clear_cache()
    try:
        with pytest.warns(RuntimeWarning, match="unusable"):
            deciders = shipped_deciders()
        assert deciders.party is None and deciders.sentence is not None
        agreement = extract(read_document(seed("000")), deciders)
        assert agreement.doc_type is DocType.REGIONAL_AGREEMENT and len(agreement.parties) >= 5
    finally:
        clear_cache()


def test_model_files_say_how_they_were_trained():
    data = json.loads((Path(__file__).resolve().parents[1] / "models" / PARTY_MODEL_FILE).read_text("utf-8"))
    assert data["trained_on"]["rule_features_from"] == ["train"]
    assert 0 < data["threshold"] < 1


@pytest.mark.skipif(not (SHARED / "gold" / "train").is_dir(), reason="needs ../shared/gold")
def test_cross_validated_by_county_on_a_few_counties():
    """Leave-one-county-out on three counties' documents: the models fitted without a county still
    find that county's parties (a floor far under the measured figure, to catch a broken pipeline)."""
    from rok_compare.learn.annotated import annotated_documents
    from rok_compare.learn.crossval import leave_one_county_out
    from rok_compare.learn.fitting import prepare
    from rok_compare.learn.scoring import Counts

    documents = [d for d in annotated_documents() if d.county in ("10", "20", "23", "03")]
    results = leave_one_county_out(prepare(documents))
    total = Counts()
    for result in results:
        total.add(result.counts)
    assert {r.county for r in results} == {"10", "20", "23", "03"}
    assert total.f1("parties")["f1"] >= 0.6


def test_a_list_of_names_is_decided_as_a_list():
    """A name inside a list gets the list's best score (two lists apart); a name alone keeps its own."""
    from rok_compare.extract.organisations import OrgMention
    from rok_compare.extract.party_candidates import PartyCandidate
    from rok_compare.extract.party_model import list_scores

    def candidate(chain):
        return PartyCandidate(OrgMention.__new__(OrgMention), None, {}, chain)

    candidates = [candidate((3, 0)), candidate((3, 0)), candidate((3, 0)), candidate(None), candidate((4, 0)),
                  candidate((4, 0))]
    assert list_scores(candidates, [0.9, 0.3, 0.8, 0.2, 0.1, 0.4]) == pytest.approx([0.9, 0.9, 0.9, 0.2, 0.4, 0.4])
