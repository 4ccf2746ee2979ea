"""Model-clause search: Swedish letters kept apart, safe queries, filters, reuse families."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rok_compare.search import SearchQueryError, parse_query, search
from rok_compare.search.query import AllOf, AnyOf, Phrase, Prefix, Word
from rok_compare.store import Store, ingest, write_agreement
from rok_compare.store.reuse import recompute_reuse_clusters
from rok_compare.store.testing import make_agreement

ROOT = Path(__file__).resolve().parents[1]
ROK = Path(sys.executable).parent / "rok"
HEALTH = "Alla nyanlända ska erbjudas en hälsoundersökning inom fyra veckor efter ankomsten till länet."


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("search")
    path = folder / "rok.db"
    docs = [
        ("jamtland.txt", ("Jämtlands län", "23"), (2016, 2019),
         ["Arbetsförmedlingen", "Region Jämtland Härjedalen"],
         [HEALTH, "Barnen får gå i förskola direkt.", "Etableringen på arbetsmarknaden ska gå snabbare."]),
        ("norrbotten.txt", ("Norrbottens län", "25"), (2009, 2009), ["Migrationsverket", "Länsstyrelsen"],
         [HEALTH, "Min far arbetar på Migrationsverket.", "Tolk ska användas vid alla samtal."]),
        ("kronoberg.txt", ("Kronobergs län", "07"), (2019, 2025), ["Arbetsförmedlingen", "Försäkringskassan"],
         [HEALTH, "Alla nyanlända ska erbjudas en hälsoundersökning inom sex veckor efter ankomsten "
                  "till länet.",
          "Samhällsorienteringen ges på modersmålet."]),
        ("varmland.txt", ("Värmlands län", "17"), (2007, 2008), ["Länsarbetsnämnden i Värmland"],
         ["Landstinget erbjuder hälsosamtal och tandvård.", "Årligen följs överenskommelsen upp."]),
    ]
    with Store.open(path) as store:
        for name, county, period, parties, clauses in docs:
            kinds = ["goal"] + ["commitment"] * (len(clauses) - 1)
            write_agreement(store, make_agreement(folder / name, clauses, county=county, period=period,
                                                  parties=parties, kinds=kinds))
        recompute_reuse_clusters(store, method="exact")
    return path


def texts(hits: list) -> list[str]:
    return [h.text for h in hits]


def test_swedish_letters_stay_distinct(db: Path) -> None:
    assert texts(search(db, "får")) == ["Barnen får gå i förskola direkt."]
    assert texts(search(db, "far")) == ["Min far arbetar på Migrationsverket."]
    assert texts(search(db, "årligen")) == ["Årligen följs överenskommelsen upp."]
    assert search(db, "arligen") == []


def test_inflections_and_compounds(db: Path) -> None:
    assert "Etableringen på arbetsmarknaden ska gå snabbare." in texts(search(db, "etablering"))
    # "undersökning" only occurs inside the compound "hälsoundersökning": the trigram index finds it.
    hits = search(db, "undersökning")
    assert hits and all("hälsoundersökning" in t for t in texts(hits))


def test_identical_clauses_shown_once_with_their_documents(db: Path) -> None:
    hits = search(db, "hälsoundersökning")
    assert hits[0].text == HEALTH
    assert hits[0].n_documents == 3 and hits[0].n_variants == 1
    assert {o.county for o in hits[0].variants[0].occurrences} == {"Jämtlands län", "Norrbottens län",
                                                                    "Kronobergs län"}
    assert texts(hits).count(HEALTH) == 1
    occurrence = hits[0].occurrence
    assert occurrence.section == "Åtaganden" and occurrence.page == 1 and occurrence.year


def test_filters(db: Path) -> None:
    kronoberg = search(db, "hälsoundersökning", county="Kronoberg")
    assert {h.occurrence.county for h in kronoberg} == {"Kronobergs län"}
    assert {h.occurrence.county_code for h in search(db, "hälsoundersökning", county="25")} == {"25"}
    assert {h.occurrence.county for h in search(db, "hälsoundersökning", year=2020)} == {"Kronobergs län"}
    assert search(db, "hälsoundersökning", kind="commitment")[0].kind == "commitment"
    assert {h.occurrence.county for h in search(db, "ska", party="migrationsverket")} == {"Norrbottens län"}
    assert search(db, "hälsoundersökning", party="Ingen sådan part") == []
    with pytest.raises(SearchQueryError, match="unknown clause kind"):
        search(db, "tolk", kind="nonsense")


def test_similar_to_ranks_the_closest_wording_first(db: Path) -> None:
    variant = "Nyanlända ska erbjudas hälsoundersökning inom sex veckor från ankomsten."
    hits = search(db, "hälsoundersökning", similar_to=variant)
    assert "sex veckor" in hits[0].text
    assert search(db, "", similar_to=variant)[0].text == hits[0].text  # passage alone is enough


@pytest.mark.parametrize("query", ['hälsa AND', '"obalanserat citat', "NEAR(tolk", "(tolk OR", "tolk NOT"])
def test_advanced_query_syntax_errors_are_clear(db: Path, query: str) -> None:
    with pytest.raises(SearchQueryError, match="invalid search query") as error:
        search(db, query)
    assert "sqlite" not in str(error.value).lower()


@pytest.mark.parametrize("query", ["hälso-undersökning", "C++ tolk*", "lag (2010:197", "-tolk", "a:b",
                                   "'tolk'", "tolk*", 'tolk"'])
def test_plain_queries_never_break_the_syntax(db: Path, query: str) -> None:
    try:
        search(db, query)
    except SearchQueryError as error:  # allowed for unbalanced operators, but never an SQL error
        assert "invalid search query" in str(error)


def test_query_tree() -> None:
    # Changed with the Swedish search (issue 14): a query is parsed into a tree that is expanded
    # against the store's vocabulary, instead of being quoted into FTS5 prefix terms right away.
    parsed = parse_query('tolk hälso-undersökning får')
    assert parsed.root == AllOf((Word("tolk"), Phrase(("hälso", "undersökning")), Word("får")))
    assert parse_query('"exakt fras" OR tolk*').root == AllOf((AnyOf((Phrase(("exakt", "fras")), Prefix("tolk"))),))
    assert parse_query("bostad -tolk NOT tandvård").root == AllOf((Word("bostad"),), (Word("tolk"), Word("tandvård")))
    negated = AllOf((Word("a"),), (Phrase(("b", "c")), AnyOf((Word("d"), Word("e")))))
    assert parse_query('a -"b c" -(d OR e)').root == negated
    assert parse_query("").root is None  # filters alone
    with pytest.raises(SearchQueryError, match="no words"):
        parse_query("!!!")


def test_cli_search_table_json_and_errors(db: Path) -> None:
    table = subprocess.run([str(ROK), "search", "hälsoundersökning", "--db", str(db)], capture_output=True,
                           text=True, timeout=60)
    assert table.returncode == 0
    # Hits are labelled by document (short title · county · year · type) since issue 14.
    assert "Jämtlands län · 2016–2019 · regional agreement" in table.stdout
    assert "reused in 3 documents" in table.stdout
    out = subprocess.run([str(ROK), "search", "tolk", "--db", str(db), "--format", "json"],
                         capture_output=True, text=True, timeout=60)
    hits = json.loads(out.stdout)
    assert hits[0]["occurrence"]["county"] == "Norrbottens län" and hits[0]["text"].startswith("Tolk")
    assert hits[0]["anchor"] == f"doc/{hits[0]['document_id']}.html#clause-{hits[0]['clause_id']}"
    bad = subprocess.run([str(ROK), "search", "tolk AND", "--db", str(db)], capture_output=True, text=True,
                         timeout=60)
    assert bad.returncode == 2 and bad.stderr.startswith("error: invalid search query")
    assert "Traceback" not in bad.stderr


def test_search_on_the_seed_documents(tmp_path: Path) -> None:
    db = tmp_path / "rok.db"
    os.environ.pop("ROK_EXTRACTOR", None)
    ingest([ROOT / "corpus" / "seeds"], db, workers=1,
           extractor="rok_compare.store.testing:paragraph_extractor")
    hits = search(db, "hälsoundersökning")
    assert hits and all("hälsoundersökning" in h.text.casefold() for h in hits)
    assert {Path(h.occurrence.path).parent for h in hits} == {(ROOT / "corpus" / "seeds").resolve()}


def test_theme_filter_and_unknown_theme(tmp_path: Path) -> None:
    db = tmp_path / "themes.db"
    ingest([ROOT / "corpus" / "seeds"], db, workers=1)
    hits = search(db, "hälso- och sjukvård", theme="health")
    assert hits and all("health" in h.themes for h in hits)
    with pytest.raises(SearchQueryError, match="unknown theme"):
        search(db, "vård", theme="weather")
