"""Faults found by using the workbench as a researcher would (QA of issue 14), each pinned here:
the served search marks the word forms it matched, the similarity page names its closest
documents by their labels, and the year chart's labels do not run into one another."""

from __future__ import annotations

import re
import unicodedata
from html import unescape
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from test_report import build_site

from rok_compare.report import charts
from rok_compare.report.markup import el
from rok_compare.search import search
from rok_compare.serve import create_app
from rok_compare.serve.search_page import marked

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_site(tmp_path_factory.mktemp("workbench-qa"))


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_served_search_page_marks_every_form_it_matched(site: tuple[Path, Path], tmp_path: Path) -> None:
    db, _ = site
    client = TestClient(create_app(db, tmp_path / "cache"), base_url="http://127.0.0.1")
    page = client.get("/search", params={"q": "bostad"}).text
    hits = re.findall(r'<div class="rtext">(.*?)</div>', page, flags=re.S)
    assert len(hits) >= 2
    marks = [unescape(m).casefold() for m in re.findall(r"<mark>(.*?)</mark>", page)]
    assert "bostäder" in marks  # the seeds' Värmland clause says "bostäder", never "bostad"
    assert all("<mark>" in hit for hit in hits)


def test_marks_stay_text_and_prefer_the_longest_form() -> None:
    html = str(el("div", marked("Fler bostäder <b>och</b> bostadsmarknad", ["bostad", "bostadsmarknad", "bostäder"])))
    assert html == ("<div>Fler <mark>bostäder</mark> &lt;b&gt;och&lt;/b&gt; <mark>bostadsmarknad</mark></div>")
    assert str(el("div", marked("ingen träff", []))) == "<div>ingen träff</div>"


def test_the_closest_documents_of_two_counties_are_named_by_their_labels(site: tuple[Path, Path]) -> None:
    _, out = site
    page = (out / "similarity.html").read_text(encoding="utf-8")
    table = re.search(r'<table[^>]*data-table="county-pairs".*?</table>', page, flags=re.S)
    assert table, "the seeds share clauses across counties"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0).split("<tbody>")[1], flags=re.S)
    assert rows
    for row in rows:
        cells = re.findall(r"<td([^>]*)>(.*?)</td>", row, flags=re.S)
        csv = unescape(re.search(r'data-csv="([^"]*)"', cells[-1][0]).group(1))
        first, second = csv.split(" ~ ")
        assert first.split(" · ")[1] == _text(cells[0][1]), (csv, cells[0][1])  # in the order of the counties
        shown = _text(cells[-1][1])
        for label in (first, second):  # short title on the link, "county · year · type" below it
            title, place = label.split(" · ", 1)
            assert title in shown and place in shown, (label, shown)


def test_year_labels_do_not_run_into_one_another() -> None:
    years = [str(y) for y in range(2001, 2024)]
    svg = str(charts.columns(years, [1] * len(years), "Documents per first year"))
    labels = [(float(x), text) for x, text in re.findall(r'<text x="([\d.]+)"[^>]*text-anchor="middle">(\d{4})</text>',
                                                         svg)]
    assert labels and labels[0][1] == "2001"
    gaps = [b[0] - a[0] for a, b in zip(labels, labels[1:], strict=False)]
    assert min(gaps) >= 5 * 0.6 * charts.FONT  # four digits and a digit's room between two labels
    few = str(charts.columns(years[:4], [1] * 4, "Documents per first year"))
    assert re.findall(r">(\d{4})</text>", few) == years[:4]


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_a_decomposed_query_finds_what_the_composed_one_finds(site: tuple[Path, Path]) -> None:
    """A query typed with decomposed letters (macOS gives "a" + U+0308 for "ä") is the same query."""
    db, _ = site
    composed = [hit.occurrence.clause_id for hit in search(db, "bostäder")]
    assert composed
    assert [hit.occurrence.clause_id for hit in search(db, _nfd("bostäder"))] == composed
    goals = [hit.occurrence.clause_id for hit in search(db, county="Jämtland", kind="goal")]
    assert goals
    assert [hit.occurrence.clause_id for hit in search(db, county=_nfd("Jämtland"), kind="goal")] == goals


SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@pytest.mark.skipif(not (SHARED / "dev").is_dir() or not (SHARED / "train").is_dir(),
                    reason="needs the shared dev and train documents (../shared/corpus)")
def test_versions_are_named_by_the_years_that_ordered_them(tmp_path: Path) -> None:
    """A lineage lists its versions oldest first; its "What changed" steps name each version by the
    year it was ordered by, so no "undated" version stands before a dated one (Umeåregionen's
    three texts read "undated → c. 2010 → undated" while one was dated from its text)."""
    from rok_compare.align.lineage import find_lineages
    from rok_compare.report import build_report
    from rok_compare.store import ingest

    db = tmp_path / "rok.db"
    ingest([SEEDS, SHARED / "dev", SHARED / "train"], db, workers=1)
    found = [lineage for lineage in find_lineages(db) if len(lineage.document_ids) > 1]
    assert found and all(len(lineage.years) == len(lineage.document_ids) for lineage in found)
    build_report(db, tmp_path / "site")
    page = (tmp_path / "site" / "timeline.html").read_text(encoding="utf-8")
    for block in re.findall(r'<div class="lineage".*?</ol>', page, flags=re.S):
        steps = [unescape(s).split(" → ") for s in re.findall(r"What changed: ([^<]*)", block)]
        named = [steps[0][0], *(s[1] for s in steps)]
        years = [int(m.group()) if (m := re.search(r"\d{4}", v)) else None for v in named]
        dated = [y for y in years if y is not None]
        assert dated == sorted(dated), named
        assert None not in years or years[years.index(None):] == [None] * (len(years) - years.index(None)), named
