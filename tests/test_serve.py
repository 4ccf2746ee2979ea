"""``rok serve``: the app over a store of the seeds, two hostile revisions of one county and a split
and moved pair, driven through Starlette's TestClient.

Any two stored documents align as ``rok align`` aligns them, versions link to their revision diff,
the search pages answer what ``rok search`` answers, bad ids are a one-line 404, document text stays
inert, and the store's file is never written.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import sqlite3
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from test_report import BIDI, HOSTILE_CLAUSES, IMG, SCRIPT
from typer.testing import CliRunner

from rok_compare.cli import app as cli
from rok_compare.serve import ServeError, create_app
from rok_compare.store import Store, ingest
from rok_compare.store.reuse import recompute_reuse_clusters
from rok_compare.store.testing import make_agreement
from rok_compare.store.write import write_agreement

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
BEFORE = [  # the second version splits the second clause in two and moves the last one first
    "Länsstyrelsen samordnar arbetet med mottagandet av nyanlända i länet och följer upp det varje år.",
    "Kommunen erbjuder samhällsorientering och svenska för invandrare till alla nyanlända vuxna. "
    "Arbetsförmedlingen erbjuder praktik och validering av utländsk utbildning inom tre månader.",
    "Regionen ansvarar för hälsoundersökningar av asylsökande och nyanlända inom hälso- och sjukvården.",
    "Parterna träffas två gånger per år för att stämma av hur överenskommelsen genomförs.",
]
AFTER = [BEFORE[3], BEFORE[0], *BEFORE[1].split(" Arbetsförmedlingen", 1)[:1],
         "Arbetsförmedlingen" + BEFORE[1].split(" Arbetsförmedlingen", 1)[1], BEFORE[2]]


def build_store(folder: Path, more: list[Path] | tuple[Path, ...] = ()) -> Path:
    """The seeds (and the folders ``more``), two hostile Gotland revisions (2020, 2024) and a
    Blekinge pair (2016, 2019) whose second version splits a clause and moves another."""
    db = folder / "rok.db"
    ingest([SEEDS, *more], db, workers=1)
    with Store.open(db) as store:
        for year, extra in ((2020, "Uppföljning sker årligen."), (2024, "Uppföljning sker varje halvår.")):
            agreement = make_agreement(folder / f"hostile_{year}.txt", [*HOSTILE_CLAUSES, extra],
                                       county=("Gotlands län", "09"), period=(year, year + 3),
                                       parties=["Migrationsverket", f"Evil {IMG} AB"])
            agreement.title = f"Överenskommelse {SCRIPT}"
            write_agreement(store, agreement, path=f"hostile_{year}_{IMG}.txt")
        for year, clauses in ((2016, BEFORE), (2019, AFTER)):
            agreement = make_agreement(folder / f"blekinge_{year}.txt", clauses, county=("Blekinge län", "10"),
                                       period=(year, year + 2), parties=["Länsstyrelsen i Blekinge län"])
            write_agreement(store, agreement, path=f"blekinge_{year}.txt")
        recompute_reuse_clusters(store)
    return db


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="module")
def client(store: Path, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    app = create_app(store, tmp_path_factory.mktemp("serve-cache"))
    return TestClient(app, base_url="http://127.0.0.1")


def ids(db: Path, pattern: str = "%") -> list[int]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM documents WHERE path LIKE ? ORDER BY id", (pattern,))]


def summary_cards(html: str) -> dict[str, int]:
    """The numbers of the summary cards, by their labels."""
    return {label: int(value) for value, label in
            re.findall(r'<div class="value">(\d+)</div><div class="label">([^<]+)</div>', html)}


def table(html: str) -> str:
    """The side-by-side table of a page."""
    return re.search(r'<table class="sxs".*?</table>', html, re.S).group(0)


def cli_json(*args: str) -> object:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_any_two_documents_align_as_rok_align_aligns_them(store: Path, client: TestClient) -> None:
    every = ids(store)
    assert len(every) == 9
    for a, b in itertools.combinations(every, 2):
        response = client.get(f"/compare?a={a}&b={b}")
        assert response.status_code == 200, (a, b)
        expected = cli_json("align", str(a), str(b), "--db", str(store), "--format", "json")["summary"]
        cards = summary_cards(response.text)
        assert cards == {"identical": expected["identical"], "edited": expected["edited"],
                         "related": expected["related"], "moved": expected["moved"],
                         "only in A": expected["only_a"], "only in B": expected["only_b"]}, (a, b)
        rows = re.search(r'<table class="sxs" id="alignment">.*?<tbody>(.*?)</tbody>', response.text, re.S).group(1)
        pairs = expected["identical"] + expected["edited"] + expected["related"]
        assert rows.count("<tr") == pairs + expected["only_a"] + expected["only_b"], (a, b)
        assert f'value="{a}" selected' in response.text and f'value="{b}" selected' in response.text
        assert f'href="/compare?a={b}&amp;b={a}" id="swap"' in response.text


def test_moved_split_and_merged_clauses_are_flagged(store: Path, client: TestClient) -> None:
    old, new = ids(store, "blekinge_%")
    page = table(client.get(f"/compare?a={old}&b={new}").text)
    assert page.count('class="flag split"') == 2 and page.count('class="flag moved"') == 1
    assert page.count('<tr class="unchanged moved">') == 1 and page.count('<tr class="unchanged split">') == 2
    back = table(client.get(f"/compare?a={new}&b={old}").text)  # the other way round the two pieces merge
    assert back.count('class="flag merge"') == 2 and back.count('class="flag split"') == 0


def test_versions_of_one_agreement_link_to_their_revision_diff(store: Path, client: TestClient) -> None:
    old, new = ids(store, "hostile_%")
    for a, b in ((old, new), (new, old)):  # oldest first, whichever was picked as A
        page = client.get(f"/compare?a={a}&b={b}").text
        assert f'href="/diff?a={old}&amp;b={new}" id="diff-link"' in page
    seeds = ids(store, "%corpus/seeds/%")
    assert 'id="diff-link"' not in client.get(f"/compare?a={seeds[0]}&b={seeds[1]}").text
    diff = client.get(f"/diff?a={old}&b={new}")
    assert diff.status_code == 200
    expected = cli_json("diff", str(old), str(new), "--db", str(store), "--format", "json")["summary"]
    cards = summary_cards(diff.text)
    assert {k: cards[k] for k in ("unchanged", "edited", "added", "removed", "moved")} == \
        {k: expected[k] for k in ("unchanged", "edited", "added", "removed", "moved")}
    assert f"unchanged {expected['share_unchanged']:.0%}" in diff.text


def test_one_document_presets_its_picker_and_none_shows_the_pickers(store: Path, client: TestClient) -> None:
    first = ids(store)[0]
    page = client.get(f"/compare?a={first}")
    assert page.status_code == 200 and f'value="{first}" selected' in page.text and 'id="alignment"' not in page.text
    empty = client.get("/compare")
    assert empty.status_code == 200 and 'id="pick-a"' in empty.text and 'id="pick-b"' in empty.text
    options = re.findall(r'<option value="(\d+)"', empty.text)
    assert sorted(map(int, options)) == sorted(ids(store) * 2)


@pytest.mark.parametrize("query, message", [
    ("/compare?a=999999&b=1", "no stored document with id 999999"),
    ("/compare?a=1&b=abc", "b='abc' is not a document id (a whole number)"),
    ("/compare?a=-3&b=1", "a='-3' is not a document id (a whole number)"),
    ("/diff?a=1", "no document given: pick two documents (?b= is empty)"),
    ("/diff?a=1&b=424242", "no stored document with id 424242"),
    ("/no/such/page", "/no/such/page: no such page in the report or the server"),
])
def test_bad_ids_are_a_404_page_with_one_line(client: TestClient, query: str, message: str) -> None:
    response = client.get(query)
    assert response.status_code == 404
    found = re.search(r'<p class="error" id="message">(.*?)</p>', response.text).group(1)
    assert found.replace("&#x27;", "'") == message
    assert "\n" not in found and "Traceback" not in response.text


def test_documents_api_lists_every_document_with_a_label_of_its_own(store: Path, client: TestClient) -> None:
    listed = client.get("/api/documents").json()
    assert sorted(d["id"] for d in listed) == sorted(ids(store))
    assert len({d["label"] for d in listed}) == len(listed)
    blekinge = next(d for d in listed if d["path"] == "blekinge_2016.txt")
    assert blekinge["label"] == "REGIONAL ÖVERENSKOMMELSE · Blekinge län · 2016–2018 · regional agreement"
    assert (blekinge["county"], blekinge["year"], blekinge["type"]) == ("Blekinge län", "2016–2018",
                                                                        "regional_agreement")


@pytest.mark.parametrize("params", [
    {"q": "hälsoundersökning"}, {"q": "nyanlända", "county": "Gotland"}, {"q": "samverkan", "kind": "goal"},
    {"q": "ansvarar", "party": "Migrationsverket"}, {"q": "introduktion", "year": "2008"},
    {"q": "nyanlända", "theme": "health", "limit": "5"}, {"q": "nyanlända", "type": "regional_agreement"},
    {"q": "nyanlända", "year": "2007-2009"}, {"county": "Gotland", "kind": "commitment"},
])
def test_search_api_and_page_find_what_rok_search_finds(store: Path, client: TestClient, params: dict) -> None:
    args = ["search", params.get("q", ""), "--db", str(store), "--format", "json"]
    for name in ("county", "kind", "party", "year", "theme", "limit", "type"):
        if name in params:
            args += [f"--{name}", params[name]]
    expected = [hit["occurrence"]["clause_id"] for hit in cli_json(*args)]
    assert expected, params
    answer = client.get("/api/search", params=params).json()
    assert [hit["occurrence"]["clause_id"] for hit in answer["hits"]] == expected
    assert all(hit["url"] == f"/doc/{hit['occurrence']['document_id']}.html#clause-{hit['occurrence']['clause_id']}"
               for hit in answer["hits"])
    page = client.get("/search", params=params).text
    assert [int(x) for x in re.findall(r'<li data-clause-id="(\d+)"', page)] == expected


def test_search_pages_through_the_hits_as_rok_search_offset_does(store: Path, client: TestClient) -> None:
    first = client.get("/search", params={"q": "nyanlända", "limit": "5"}).text
    total = int(re.search(r'data-total="(\d+)"', first).group(1))
    assert total > 5 and f"1–5 of {total} matching clauses" in first
    following = re.search(r'<a href="([^"]+)" id="next">', first).group(1).replace("&amp;", "&")
    assert following == "/search?q=nyanl%C3%A4nda&limit=5&offset=5"
    second = client.get(following).text
    expected = [hit["occurrence"]["clause_id"] for hit in cli_json(
        "search", "nyanlända", "--db", str(store), "--format", "json", "--limit", "5", "--offset", "5")]
    assert [int(x) for x in re.findall(r'<li data-clause-id="(\d+)"', second)] == expected
    assert 'id="previous"' in second and '<ol class="results" id="results" start="6">' in second
    assert client.get("/api/search", params={"q": "nyanlända", "limit": "5"}).json()["total"] == total


def test_search_errors_are_one_line(client: TestClient) -> None:
    for params, status in (({"q": '"unbalanced'}, 400), ({"q": "tolk", "year": "next"}, 400),
                           ({"q": "tolk", "kind": "poem"}, 400), ({"q": "tolk", "limit": "0"}, 400)):
        answer = client.get("/api/search", params=params)
        assert answer.status_code == status and "\n" not in answer.json()["error"], params
        page = client.get("/search", params=params)
        assert page.status_code == status and 'class="error"' in page.text, params
    blank = client.get("/search")
    assert blank.status_code == 200 and 'id="q"' in blank.text and 'id="results"' not in blank.text


def test_hostile_text_stays_inert_in_every_served_view(store: Path, client: TestClient) -> None:
    old, new = ids(store, "hostile_%")
    seed = ids(store, "%corpus/seeds/%")[0]
    views = {
        "compare": client.get(f"/compare?a={old}&b={new}"), "compare-seed": client.get(f"/compare?a={seed}&b={new}"),
        "diff": client.get(f"/diff?a={old}&b={new}"), "search": client.get("/search", params={"q": "alert"}),
        "pickers": client.get("/compare"), "404": client.get(f"/compare?a={old}&b=9{IMG}"),
        "search-error": client.get("/search", params={"q": f'"{SCRIPT}'}),
    }
    for name, response in views.items():
        text = response.text
        assert "<script>alert" not in text and "<img" not in text and "<b>fet" not in text, name
        assert "</td></tr></table>." not in text, name
        assert not any(ch in text for ch in BIDI), f"{name}: a bidi control would reorder the text"
        assert "script-src 'self'" in response.headers["content-security-policy"], name
        assert response.headers["x-content-type-options"] == "nosniff", name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in views["compare"].text
    assert "&lt;img src=x onerror=alert(2)&gt;" in views["compare"].text
    assert "&lt;b&gt;fet&lt;/b&gt;" in views["diff"].text and "[U+202E]</span>fdp.exe" in views["diff"].text
    assert views["search"].text.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 1
    assert "Överenskommelse &lt;script&gt;alert(1)&lt;/script&gt;" in views["pickers"].text
    for api in (client.get("/api/documents"), client.get("/api/search", params={"q": "alert"})):
        assert api.headers["content-type"] == "application/json"
        assert SCRIPT in api.text or "\\u003c" in api.text or SCRIPT in json.dumps(api.json(), ensure_ascii=False)


def test_the_report_is_served_and_the_store_never_written(tmp_path: Path) -> None:
    db = build_store(tmp_path)
    with sqlite3.connect(db) as conn:  # a store at rest: everything in the main file
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(db), db.stat().st_mtime_ns
    app = create_app(db, tmp_path / "cache")
    client = TestClient(app, base_url="http://127.0.0.1")
    every = ids(db)
    for path in ("/", "/index.html", "/documents.html", "/search.html", f"/doc/{every[0]}.html", "/compare",
                 f"/compare?a={every[0]}&b={every[-1]}", f"/diff?a={every[-2]}&b={every[-1]}",
                 "/search?q=nyanlända", "/api/documents", "/api/search?q=tolk"):
        assert client.get(path).status_code == 200, path
    assert client.post("/compare").status_code == 405
    assert (digest(db), db.stat().st_mtime_ns) == before
    wal = db.with_name(db.name + "-wal")  # the report's alignments are not cached into the store either
    assert not wal.exists() or wal.stat().st_size == 0
    with sqlite3.connect(db) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "alignment_cache" not in tables or not conn.execute("SELECT COUNT(*) FROM alignment_cache").fetchone()[0]
    assert app.state.site.builds == 1
    assert create_app(db, tmp_path / "cache").state.site.builds == 0  # an unchanged store: the cached report


def test_a_changed_store_gets_its_report_rebuilt(tmp_path: Path) -> None:
    db = build_store(tmp_path)
    app = create_app(db, tmp_path / "cache")
    client = TestClient(app, base_url="http://127.0.0.1")
    with Store.open(db) as store:
        agreement = make_agreement(tmp_path / "new.txt", ["Kommunen erbjuder bostad till nyanlända inom en månad."],
                                   county=("Hallands län", "13"), period=(2022, 2024))
        write_agreement(store, agreement, path="halland_new.txt")
    new_id = max(ids(db))
    assert client.get(f"/doc/{new_id}.html").status_code == 404 or app.state.site.builds == 2
    app.state.site.wait(120)
    assert app.state.site.builds == 2 and app.state.site.error is None
    page = client.get(f"/doc/{new_id}.html")
    assert page.status_code == 200 and "Hallands län" in page.text
    assert client.get(f"/compare?a={new_id}&b={ids(db)[0]}").status_code == 200  # live pages need no rebuild


def test_requests_for_another_host_are_refused(client: TestClient) -> None:
    assert client.get("/api/documents", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/api/documents", headers={"host": "localhost:8000"}).status_code == 200


def test_a_missing_or_foreign_store_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ServeError, match="no store here"):
        create_app(tmp_path / "missing.db", tmp_path / "cache")
    runner = CliRunner()
    result = runner.invoke(cli, ["serve", "--db", str(tmp_path / "missing.db"), "--cache", str(tmp_path / "c")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ") and "no store here" in result.stderr
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    result = runner.invoke(cli, ["serve", "--db", str(foreign), "--cache", str(tmp_path / "c")])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr


def test_a_store_gone_while_serving_is_one_line(tmp_path: Path) -> None:
    db = build_store(tmp_path)
    client = TestClient(create_app(db, tmp_path / "cache"), base_url="http://127.0.0.1")
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)
    for page in ("/compare", "/search?q=tolk"):
        response = client.get(page)
        assert response.status_code == 503, page
        message = re.search(r'<p class="error">(.*?)</p>', response.text).group(1)
        assert "no store here" in message and "\n" not in message
    assert client.get("/index.html").status_code == 200  # the report built before is still served
