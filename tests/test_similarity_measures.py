"""``rok similarity``: clause overlap, cosine or Jaccard, by document, county, year or type."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from rok_compare.align.matrix import MEASURES, similarity_matrix
from rok_compare.align.reuse import find_reuse
from rok_compare.align.stored_keys import document_types
from rok_compare.cli import app
from rok_compare.export.stored import load
from rok_compare.store import Store, ingest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
DEV = ROOT.parent / "shared" / "corpus" / "dev"
runner = CliRunner()


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("similarity") / "rok.db"
    ingest([SEEDS], db)
    return db


@pytest.fixture(scope="module")
def seeds(seed_db: Path):
    with Store.open(seed_db, readonly=True) as store:
        return [doc.document for doc in load(store)]


def _index(documents, prefix: str) -> int:
    return next(k for k, d in enumerate(documents) if Path(d.path).name.startswith(prefix))


@pytest.mark.parametrize("measure", MEASURES)
def test_every_measure_is_a_symmetric_similarity(seeds, measure: str) -> None:
    labels = find_reuse(seeds)[1]
    matrix = similarity_matrix(seeds, labels, by="document", measure=measure)
    assert matrix.measure == measure and matrix.labels == [d.path for d in seeds]
    assert np.allclose(matrix.values, matrix.values.T)
    assert np.allclose(np.diag(matrix.values), 1.0)
    assert ((matrix.values >= 0) & (matrix.values <= 1)).all()
    # Norrbotten's agreement (001) copies Jämtland's (000) template: its closest document by every measure
    row = matrix.values[_index(seeds, "001")].copy()
    row[_index(seeds, "001")] = -1
    assert int(np.argmax(row)) == _index(seeds, "000")


@pytest.mark.parametrize("measure", ["cosine", "jaccard"])
def test_groups_are_as_alike_as_their_documents_on_average(seeds, measure: str) -> None:
    documents = similarity_matrix(seeds, by="document", measure=measure).values
    counties = similarity_matrix(seeds, by="county", measure=measure)
    jamtland, norrbotten = (counties.labels.index(c) for c in ("Jämtlands län", "Norrbottens län"))
    plan, agreement, other = _index(seeds, "003"), _index(seeds, "000"), _index(seeds, "001")
    assert counties.values[jamtland, jamtland] == pytest.approx(documents[plan, agreement])
    mean = (documents[plan, other] + documents[agreement, other]) / 2
    assert counties.values[jamtland, norrbotten] == pytest.approx(mean)
    assert counties.values[norrbotten, norrbotten] == 0.0  # one document: no pair inside the county


def test_years_in_order_undated_last_and_types_from_the_store(seed_db: Path, seeds) -> None:
    years = similarity_matrix(seeds, by="year", measure="cosine")
    assert years.labels == ["2007", "2009", "2016", "2019", "undated"]
    types = document_types(seeds, seed_db)
    assert sorted(t for t in types if t) == ["action_plan", "news", "regional_agreement", "regional_agreement",
                                             "regional_agreement"]
    by_type = similarity_matrix(seeds, find_reuse(seeds)[1], by="type", measure="overlap", types=types)
    assert by_type.labels == ["action_plan", "news", "regional_agreement"]
    regional = by_type.labels.index("regional_agreement")
    assert by_type.values[regional, regional] > 0  # 000 and 001 share clauses
    with pytest.raises(ValueError, match="type"):
        similarity_matrix(seeds, by="type", measure="cosine")
    with pytest.raises(ValueError, match="measure"):
        similarity_matrix(seeds, by="county", measure="euclid")


def test_overlap_by_county_is_what_the_report_and_frames_read(seeds) -> None:
    """The default measure keeps its meaning (Corpus.similarity and the report's heatmap call it)."""
    labels = find_reuse(seeds)[1]
    assert similarity_matrix(seeds, labels, by="county").to_dict() == \
        similarity_matrix(seeds, labels, "county", "overlap").to_dict()


def test_cli_measure_and_grouping(seed_db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["similarity", "--db", str(seed_db), "--by", "type", "--measure", "jaccard",
                                 "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["by"] == "type" and data["measure"] == "jaccard"
    assert data["labels"] == ["action_plan", "news", "regional_agreement"]
    csv_rows = runner.invoke(app, ["similarity", "--db", str(seed_db), "--by", "year", "--measure", "cosine"])
    assert csv_rows.stdout.splitlines()[0] == "year,2007,2009,2016,2019,undated"
    # files not in any store: their types come from extracting them
    files = runner.invoke(app, ["similarity", str(SEEDS), "--db", str(tmp_path / "none.db"), "--by", "type",
                                "-f", "json"])
    assert json.loads(files.stdout)["labels"] == data["labels"]
    bad = runner.invoke(app, ["similarity", "--db", str(seed_db), "--measure", "euclid"])
    assert bad.exit_code == 2


def test_the_koordination_norrort_versions_are_nearest_by_every_measure(tmp_path: Path) -> None:
    if not DEV.is_dir():
        pytest.skip(f"development corpus not available ({DEV})")
    db = tmp_path / "rok.db"
    ingest([SEEDS, DEV], db, workers=2)
    with Store.open(db, readonly=True) as store:
        documents = [doc.document for doc in load(store)]
    labels = find_reuse(documents)[1]
    old = next(k for k, d in enumerate(documents) if "stockholm_2017_koordination" in d.path)
    new = next(k for k, d in enumerate(documents) if "stockholm_2019_koordination" in d.path)
    for measure in MEASURES:
        row = similarity_matrix(documents, labels, measure=measure).values[old].copy()
        row[old] = -1
        assert int(np.argmax(row)) == new, measure
