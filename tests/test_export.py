"""The corpus as DataFrames and as CSV / JSON / Parquet files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rok_compare.export import TABLES, Corpus, export
from rok_compare.store import StoreError, ingest
from rok_compare.store.testing import generate_corpus

pd = pytest.importorskip("pandas")  # the optional extra ``export``
ROOT = Path(__file__).resolve().parents[1]
ROK = Path(sys.executable).parent / "rok"
FILES = [*TABLES, "party_county_matrix"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    generate_corpus(folder / "docs", 25, seed=3)
    path = folder / "rok.db"
    report = ingest([folder / "docs", ROOT / "corpus" / "seeds"], path, workers=2,
                    extractor="rok_compare.store.testing:paragraph_extractor")
    assert report.added == 30
    return path


def test_dataframes(db: Path) -> None:
    corpus = Corpus(db)
    documents = corpus.documents()
    assert len(documents) == 30 and documents["county_code"].notna().sum() == 25
    clauses = corpus.clauses()
    assert {"document_id", "county", "period_start", "section", "kind", "text", "page", "cluster_id"} <= \
        set(clauses.columns)
    assert clauses.groupby("document_id").size().sum() == documents["n_clauses"].sum()
    assert isinstance(clauses["themes"].iloc[0], list)
    parties = corpus.parties()
    assert (parties["canonical"] == "Länsstyrelsen").sum() == 25
    assert len(corpus.commitments()) > 0 and len(corpus.goals()) > 0
    clusters = corpus.reuse_clusters()
    assert len(clusters) > 0 and (clusters["n_documents"] >= 2).all()


def test_party_county_matrix(db: Path) -> None:
    corpus = Corpus(db)
    matrix = corpus.party_county_matrix()
    parties = corpus.parties()
    assert matrix.index.name == "party" and matrix.columns.name == "county"
    assert matrix.loc["Länsstyrelsen"].sum() == 25  # every generated document has it
    assert matrix.to_numpy().sum() == parties.drop_duplicates(["document_id", "canonical"]).shape[0]
    assert matrix.index[0] == "Länsstyrelsen"  # most widespread party first


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_export_writes_one_file_per_table(db: Path, tmp_path: Path, fmt: str) -> None:
    written = export(db, fmt, tmp_path / fmt)
    assert [f.table for f in written] == FILES
    for f in written:
        assert f.path.exists() and f.path.suffix == f".{fmt}"
    rows = {f.table: f.rows for f in written}
    clauses_file = tmp_path / fmt / f"clauses.{fmt}"
    if fmt == "csv":
        frame = pd.read_csv(clauses_file)
        assert frame["text"].str.contains("å|ä|ö").any()
    elif fmt == "json":
        frame = pd.DataFrame(json.loads(clauses_file.read_text(encoding="utf-8")))
    else:
        frame = pd.read_parquet(clauses_file)
    assert len(frame) == rows["clauses"] > 0


def test_cli_export_and_missing_store(db: Path, tmp_path: Path) -> None:
    args = ["export", "--format", "csv", "--out", str(tmp_path / "out"), "--db", str(db)]
    result = subprocess.run([str(ROK), *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "party_county_matrix.csv").exists()
    assert "documents.csv  (30 rows)" in result.stdout
    with pytest.raises(StoreError, match="no store here"):
        Corpus(tmp_path / "nothing.db")
