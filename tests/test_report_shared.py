"""The report over the 83 real documents (seeds, shared dev and train): the real 2017→2019 revision
of Koordination Norrort is one lineage on the timeline with its diff one click away, every
document has a label of its own, a party page lists the party's commitments, and the similarity
heatmap's cells lead to comparisons. Skipped when ``../shared`` is absent."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_report import _parse

from rok_compare.report import build_report
from rok_compare.report.data import load
from rok_compare.store import ingest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
SHARED = ROOT.parent / "shared" / "corpus"
NORRORT = ("stockholm_2017_koordination_norrort_skl_idebank.txt",
           "stockholm_2019_koordination_norrort_skr_larandeexempel.txt")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if not (SHARED / "dev").is_dir() or not (SHARED / "train").is_dir():
        pytest.skip(f"shared corpora not available ({SHARED})")
    folder = tmp_path_factory.mktemp("report-shared")
    db = folder / "rok.db"
    assert ingest([SEEDS, SHARED / "dev", SHARED / "train"], db, workers=2).failed == 0
    build_report(db, folder / "site")
    return db, folder / "site"


def _ids(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {Path(path).name: doc_id for doc_id, path in conn.execute("SELECT id, path FROM documents")}


def test_the_real_revision_is_one_lineage_with_its_diff_one_click_away(site: tuple[Path, Path]) -> None:
    db, out = site
    ids = _ids(db)
    assert len(ids) == 83
    old, new = ids[NORRORT[0]], ids[NORRORT[1]]
    timeline = _parse(out / "timeline.html")
    diffs = [a["href"] for a, _ in timeline.anchors if a.get("class") == "revision-diff"]
    assert f"compare/{old}-{new}.html" in diffs
    stockholm = (out / "county" / "01.html").read_text(encoding="utf-8")
    assert f"compare/{old}-{new}.html" in stockholm
    page = (out / "compare" / f"{old}-{new}.html").read_text(encoding="utf-8")
    assert "Revision:" in page and "Koordination Norrort" in page
    # the 2014 local agreement and the 2019 regional one of Kronoberg share the county, not a lineage
    lok, sok = ids["kronoberg_2014_alvesta_lessebo_tingsryd_uppvidinge_vaxjo_lok.txt"], \
        ids["kronoberg_2019-2025_sok_samverkan_lansstyrelsen.txt"]
    assert f"compare/{lok}-{sok}.html" not in diffs


def test_labels_parties_and_heatmap_cells_on_the_real_corpus(site: tuple[Path, Path]) -> None:
    db, out = site
    data = load(db)
    labels = [d.label for d in data.documents]
    assert len(set(labels)) == len(labels)
    assert all(len(label.split(" · ")) >= 4 for label in labels)
    with sqlite3.connect(db) as conn:
        own = conn.execute("SELECT COUNT(*) FROM commitments WHERE party = 'Arbetsförmedlingen'").fetchone()[0]
    page = (out / data.party_pages["Arbetsförmedlingen"]).read_text(encoding="utf-8")
    assert own > 5 and page.count("<td>own</td>") == own
    cells = [a for a, _ in _parse(out / "similarity.html").anchors if a.get("data-compare")]
    linked = [a["href"] for a in cells if a.get("href")]
    assert linked and all((out / href).is_file() for href in linked)
