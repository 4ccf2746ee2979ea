"""Search that knows Swedish (issue 14): word forms, compounds, phrases, prefixes, OR/NOT, filters
alone, document labels and anchors, one query language for the CLI and the library."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rok_compare.cli import app
from rok_compare.search import QUERY_EXAMPLES, SearchQueryError, count_matches, parse_query, search
from rok_compare.search.swedish import Vocabulary
from rok_compare.store import ingest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
SHARED = ROOT.parent / "shared" / "corpus"
runner = CliRunner()
ALL = 10_000


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seeds") / "rok.db"
    ingest([SEEDS], db, workers=1)
    return db


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folders = [SHARED / "dev", SHARED / "train"]
    if not all(f.is_dir() for f in folders):
        pytest.skip(f"the shared corpus is not available ({SHARED})")
    db = tmp_path_factory.mktemp("shared") / "rok.db"
    ingest([SEEDS, *folders], db, workers=2)
    return db


def words_of(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W_]+", text)}


def ids(hits: list) -> set[int]:
    return {h.clause_id for h in hits}


# --- which words a query word finds -----------------------------------------------------------------

def finds(query: str, words: list[str]) -> list[str]:
    matcher = Vocabulary.of([("bostad", 3), ("försörjning", 2), ("hyra", 2), ("hälsa", 3), ("undersökning", 1),
                             ("skola", 2), ("gång", 2), ("värde", 2), ("planering", 2), ("erfarenhet", 2),
                             ("styrelse", 1), ("tid", 3), ("tidigare", 2)]).matcher(query)
    return [w for w in words if matcher.finds(w)]


def test_forms_and_compounds_of_a_query_word() -> None:
    assert finds("bostad", ["bostad", "bostaden", "bostads", "bostäder", "bostäderna", "bostadsförsörjning",
                            "hyresbostäder", "bo", "stad", "bostäl"]) == [
        "bostad", "bostaden", "bostads", "bostäder", "bostäderna", "bostadsförsörjning", "hyresbostäder"]
    assert finds("bostäder", ["bostad", "bostadsförsörjningen"]) == ["bostad", "bostadsförsörjningen"]
    assert finds("undersökning", ["hälsoundersökning", "hälsoundersökningar"]) == [
        "hälsoundersökning", "hälsoundersökningar"]
    assert finds("skola", ["skolan", "skolor", "skolgång", "förskola"]) == ["skolan", "skolor", "skolgång"]
    assert finds("län", ["länet", "länsstyrelsen", "planering"]) == ["länet", "länsstyrelsen"]


def test_no_false_parts() -> None:
    assert finds("stad", ["bostad", "bostäder"]) == []  # "bo" is too short to be a part
    assert finds("far", ["fara", "fart", "erfarenhet", "får"]) == []
    assert finds("får", ["far", "fåret"]) == []  # a function word matches only itself
    assert finds("ring", ["planering", "utvärdering"]) == []
    assert finds("het", ["möjlighet", "enhet"]) == []  # a derivational ending is no part
    assert finds("värde", ["värna", "värden"]) == ["värden"]
    assert finds("tid", ["tidigare", "tiden", "heltid"]) == ["tiden", "heltid"]


# --- the seeds ------------------------------------------------------------------------------------

def test_bostad_finds_plural_and_compounds_on_the_seeds(seeds_db: Path) -> None:
    hits = search(seeds_db, "bostad", limit=ALL)
    found = set().union(*(words_of(h.text) for h in hits))
    assert {"bostäder", "bostadsbyggande", "bostadsmarknadsanalys"} <= found
    assert "bostad" not in found  # no seed says "bostad" itself: only its forms and compounds
    assert ids(search(seeds_db, "bostäder", limit=ALL)) == ids(hits)
    assert ids(search(seeds_db, '"bostäder"', limit=ALL)) == ids(hits)  # both clauses say "bostäder"
    assert search(seeds_db, '"bostad"') == []  # quoted: that word only
    prefixed = search(seeds_db, "bostad*", limit=ALL)
    assert prefixed and all(any(w.startswith("bostad") for w in words_of(h.text)) for h in prefixed)
    assert ids(prefixed) < ids(hits)  # the plain plural "bostäder" does not begin with "bostad"
    assert all(set(h.highlights) <= words_of(h.text) and h.highlights for h in hits)


def test_phrase_or_and_not_on_the_seeds(seeds_db: Path) -> None:
    phrase = search(seeds_db, '"ensamkommande barn"', limit=ALL)
    assert phrase and all("ensamkommande barn" in h.text.lower() for h in phrase)
    both = ids(search(seeds_db, "ensamkommande barn", limit=ALL))
    assert ids(phrase) <= both
    skola, bostad = ids(search(seeds_db, "skola", limit=ALL)), ids(search(seeds_db, "bostad", limit=ALL))
    assert skola and bostad
    assert ids(search(seeds_db, "skola OR bostad", limit=ALL)) == skola | bostad
    assert count_matches(seeds_db, "skola OR bostad") == len(skola | bostad)
    without = search(seeds_db, "bostad -bostadsbyggande", limit=ALL)
    assert ids(without) == ids(search(seeds_db, "bostad NOT bostadsbyggande", limit=ALL))
    assert ids(without) and ids(without) < bostad
    assert all("bostadsbyggande" not in words_of(h.text) for h in without)
    assert ids(search(seeds_db, "(skola OR bostad) -skola", limit=ALL)) == bostad - skola


def test_filters_alone_list_the_clauses(seeds_db: Path) -> None:
    hits = search(seeds_db, county="Jämtland", kind="commitment", limit=ALL)
    assert hits and all(h.occurrence.county == "Jämtlands län" and h.kind == "commitment" for h in hits)
    conn = sqlite3.connect(seeds_db)
    families = conn.execute(
        "SELECT COUNT(DISTINCT COALESCE('k' || m.cluster_id, c.norm_hash)) FROM clauses c "
        "JOIN documents d ON d.id = c.document_id LEFT JOIN cluster_members m ON m.clause_id = c.id "
        "WHERE d.county_code = '23' AND c.kind = 'commitment'").fetchone()[0]
    assert len(hits) == families == count_matches(seeds_db, county="23", kind="commitment")
    keys = [(h.occurrence.county_code, h.occurrence.period_start is None, h.occurrence.period_start or 0,
             h.document_id) for h in hits]
    assert keys == sorted(keys)  # listed by county, year, document
    page = search(seeds_db, county="Jämtland", kind="commitment", limit=3, offset=2)
    assert [h.clause_id for h in page] == [h.clause_id for h in hits[2:5]]
    assert [h.rank for h in page] == [3, 4, 5]
    no_tolk = search(seeds_db, "-tolk", county="Jämtland", limit=ALL)
    assert no_tolk and all("tolk" not in h.text.lower() for h in no_tolk)


def test_year_range_type_and_document_filters(seeds_db: Path) -> None:
    ranged = search(seeds_db, year="2008-2009", limit=ALL)
    assert {h.occurrence.county for h in ranged} == {"Norrbottens län", "Värmlands län"}
    assert ids(search(seeds_db, year=(2008, 2009), limit=ALL)) == ids(ranged)
    assert {h.occurrence.doc_type for h in search(seeds_db, doc_type="action_plan", limit=ALL)} == {"action_plan"}
    one = search(seeds_db, "nyanlända", limit=ALL)[0].document_id
    assert {h.document_id for h in search(seeds_db, document=one, limit=ALL)} == {one}


def test_hits_are_labelled_by_document_with_clause_anchors(seeds_db: Path) -> None:
    hit = search(seeds_db, "bostäder")[0]
    title, county, year, kind = hit.occurrence.label.split(" · ")
    assert (county, year, kind) == ("Jämtlands län", "2016", "action plan") and title
    assert hit.occurrence.anchor == f"doc/{hit.document_id}.html#clause-{hit.clause_id}"
    conn = sqlite3.connect(seeds_db)
    assert conn.execute("SELECT text FROM clauses WHERE id = ? AND document_id = ?",
                        (hit.clause_id, hit.document_id)).fetchone()[0] == hit.text
    data = json.loads(json.dumps(hit.to_dict(), ensure_ascii=False))
    assert data["label"] == hit.occurrence.label and data["anchor"] == hit.occurrence.anchor
    assert data["document_id"] == hit.document_id and data["clause_id"] == hit.clause_id


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"query": '"bostad'}, 'a " is not closed'), ({"query": "bostad OR"}, "OR needs a term"),
    ({"query": "(bostad"}, "a ( is not closed"), ({"query": "bostad )"}, "a ) without a ("),
    ({"query": "-"}, "no words"), ({"query": "a OR (-b)"}, "only -words"),
    ({"query": "", "kind": "poem"}, "unknown clause kind"),
    ({"query": "", "doc_type": "novel"}, "unknown document type"),
    ({"query": "", "year": "next"}, "not a year"), ({"query": "", "year": "2019-2017"}, "ends before it starts"),
    ({"query": ""}, "give a query, a filter"),
])
def test_bad_queries_and_filters_are_one_line_errors(seeds_db: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(SearchQueryError, match=re.escape(message)) as error:
        search(seeds_db, **kwargs)
    assert "\n" not in str(error.value)


def test_query_language_is_documented_on_the_function() -> None:
    doc = search.__doc__ or ""
    for example, _ in QUERY_EXAMPLES:
        assert example in doc, example
        parse_query(example)  # every example is a valid query
    for name in ("county", "year", "kind", "theme", "party", "doc_type", "document", "similar_to", "offset"):
        assert f"``{name}``" in doc, name


# --- the command line runs the same search -----------------------------------------------------------

QUERIES = ["bostad", "bostäder", "nyanlända", "hälsoundersökning", '"ensamkommande barn"', "bostad*",
           "skola OR bostad", "samverkan -kommun", "arbetsmarknad", "etablering", "skola", "län",
           "(mottagande OR bosättning) nyanlända", "kommun*", "hälsa", "integration", "arbete", "barn -ensamkommande",
           "", "-samverkan"]


@pytest.mark.parametrize("query", QUERIES)
def test_cli_and_library_return_the_same_clauses(seeds_db: Path, query: str) -> None:
    filters = {} if query else {"county": "Jämtland", "kind": "commitment"}
    options = [arg for name, value in filters.items() for arg in (f"--{name}", value)]
    result = runner.invoke(app, ["search", "--db", str(seeds_db), "--format", "json", "--limit", "50", *options,
                                 "--", query])  # after --: a query may start with -
    assert result.exit_code == 0, result.output
    expected = [h.clause_id for h in search(seeds_db, query, limit=50, **filters)]
    assert expected and [hit["clause_id"] for hit in json.loads(result.stdout)] == expected


def test_cli_filters_alone_and_errors(seeds_db: Path) -> None:
    listed = runner.invoke(app, ["search", "--db", str(seeds_db), "--county", "Jämtland", "--kind", "commitment"])
    assert listed.exit_code == 0 and "Jämtlands län" in listed.stdout and "matching clause(s)" in listed.stdout
    assert re.search(r"doc/\d+\.html#clause-\d+", listed.stdout)
    for args, message in ((['"bostad'], 'a " is not closed'), (["--year", "next"], "--year must be a year"),
                          (["--kind", "poem"], "unknown clause kind"), ([], "give a query, a filter")):
        result = runner.invoke(app, ["search", *args, "--db", str(seeds_db)])
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 2 and len(lines) == 1 and message in lines[0], result.output


# --- the shared sets ----------------------------------------------------------------------------------

def test_bostad_on_the_shared_corpus(shared_db: Path) -> None:
    hits = search(shared_db, "bostad", limit=ALL)
    found = set().union(*(words_of(h.text) for h in hits))
    assert {"bostad", "bostäder", "bostadsförsörjning", "hyresbostäder", "bostadsmarknaden"} <= found
    assert len(hits) == count_matches(shared_db, "bostad")
    assert len(hits) > len(search(shared_db, '"bostad"', limit=ALL)) + len(search(shared_db, '"bostäder"', limit=ALL))
    for hit in hits:  # every hit says a form of bostad or a compound with it
        assert any("bost" in w for w in words_of(hit.text)), hit.text
