"""Corpus frames people can work with: proper dtypes, the new alignment / reuse / similarity frames,
and CSV / JSON export on the core install (pandas blocked), with a one-line message naming the extra
when pandas or pyarrow is missing.

The store is built from copies of the seed documents that are deleted before any test runs: every
frame here is read from the store alone.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from rok_compare.cli import app
from rok_compare.export import INSTALL, Corpus, DocumentNotFound, MissingExtraError, export
from rok_compare.store import ingest

pd = pytest.importorskip("pandas")
STRENGTHS = ["should", "endeavour", "offer", "undertake", "shall", "guarantee"]
JAMTLAND, NORRBOTTEN = "000_7d7dd3b94a00e6f5.txt", "001_db03df83e1636e02.txt"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("frames")
    docs = folder / "docs"
    docs.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, docs / path.name)
    report = ingest([docs], folder / "rok.db", workers=2)
    assert report.added == 5
    shutil.rmtree(docs)  # nothing below may read a document file
    return folder / "rok.db"


@pytest.fixture
def no_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on the core install: ``import pandas`` (and pyarrow) fails."""
    for name in ("pandas", "pyarrow"):
        monkeypatch.setitem(sys.modules, name, None)


def test_years_and_ids_are_nullable_integers(db: Path) -> None:
    corpus = Corpus(db)
    documents = corpus.documents()
    for column in ("document_id", "period_start", "period_end", "n_clauses"):
        assert str(documents[column].dtype) == "Int64", column
    assert documents["period_start"].isna().any() and 2019 in documents["period_start"].dropna().tolist()
    clauses = corpus.clauses()
    assert str(clauses["cluster_id"].dtype) == "Int64" and clauses["cluster_id"].isna().any()
    assert str(clauses["page"].dtype) == "Int64" and str(corpus.reuse_clusters()["cluster_id"].dtype) == "Int64"


def test_dates_are_datetimes(db: Path) -> None:
    documents = Corpus(db).documents()
    assert pd.api.types.is_datetime64_any_dtype(documents["revision_date"])
    assert pd.Timestamp("2009-03-01") in documents["revision_date"].tolist()  # stored as "2009-03"
    assert str(documents["ingested_at"].dt.tz) == "UTC"


def test_strength_is_ordered_strongest_last(db: Path) -> None:
    strength = Corpus(db).commitments()["strength"]
    assert strength.dtype == pd.CategoricalDtype(STRENGTHS, ordered=True)
    ranked = strength.sort_values(ascending=False, kind="stable").tolist()
    assert ranked[0] == "guarantee" and ranked[-1] == "should"
    assert (strength >= "shall").sum() == strength.isin(["shall", "guarantee"]).sum()


def test_county_doc_type_and_kind_are_categoricals(db: Path) -> None:
    corpus = Corpus(db)
    county = corpus.documents()["county"]
    assert county.dtype.ordered and county.cat.categories[0] == "Stockholms län"  # official code order
    assert county.cat.categories[-1] == "Norrbottens län"
    assert isinstance(corpus.documents()["doc_type"].dtype, pd.CategoricalDtype)
    assert "regional_agreement" in corpus.documents()["doc_type"].cat.categories
    assert "commitment" in corpus.clauses()["kind"].cat.categories
    assert "municipality" in corpus.parties()["kind"].cat.categories


def test_alignments_of_two_stored_documents(db: Path) -> None:
    corpus = Corpus(db)
    frame = corpus.alignments(JAMTLAND, NORRBOTTEN)  # by file name; the files are gone
    assert frame["relation"].value_counts()[["identical", "edited", "related"]].sum() == 10
    assert set(frame["relation"].unique()) == {"identical", "edited", "related", "only_a", "only_b"}
    assert str(frame["a_clause_id"].dtype) == "Int64" and str(frame["score"].dtype) == "Float64"
    clauses = corpus.clauses().set_index("clause_id")
    pair = frame[frame["relation"] == "identical"].iloc[0]
    assert clauses.loc[pair["a_clause_id"], "text"] == pair["a_text"]
    by_id = corpus.alignments(int(pair["a_document_id"]), int(pair["b_document_id"]))
    assert by_id["relation"].tolist() == frame["relation"].tolist()
    with pytest.raises(DocumentNotFound, match="not in the store"):
        corpus.alignments(JAMTLAND, "nothing.txt")


def test_reuse_members_and_similarity(db: Path) -> None:
    corpus = Corpus(db)
    members = corpus.reuse_members()
    assert len(members) == len(corpus.cluster_members()) > 0
    assert (members["n_documents"] >= 2).all() and str(members["period_start"].dtype) == "Int64"
    assert members.groupby("cluster_id")["document_id"].nunique().ge(2).all()
    by_document = corpus.similarity()
    assert by_document.shape == (5, 5) and (by_document.to_numpy().diagonal() == 1).all()
    assert (by_document.to_numpy() == by_document.to_numpy().T).all()
    jamtland = next(p for p in by_document.index if p.endswith(JAMTLAND))
    norrbotten = next(p for p in by_document.index if p.endswith(NORRBOTTEN))
    assert by_document.loc[jamtland, norrbotten] > 0.1
    by_county = corpus.similarity(by="county")
    assert by_county.index.name == "county" and "Jämtlands län" in by_county.index


def test_csv_and_json_export_without_pandas(db: Path, tmp_path: Path, no_pandas: None) -> None:
    written = export(db, "csv", tmp_path / "csv")
    assert {f.table for f in written} >= {"documents", "clauses", "party_county_matrix"}
    with (tmp_path / "csv" / "documents.csv").open(encoding="utf-8") as handle:
        years = [row["period_start"] for row in csv.DictReader(handle)]
    assert "2019" in years and "" in years and not any(y.endswith(".0") for y in years)
    with (tmp_path / "csv" / "clauses.csv").open(encoding="utf-8") as handle:
        clusters = [row["cluster_id"] for row in csv.DictReader(handle)]
    assert any(clusters) and not any(c.endswith(".0") for c in clusters)
    export(db, "json", tmp_path / "json")
    clauses = json.loads((tmp_path / "json" / "clauses.json").read_text(encoding="utf-8"))
    assert isinstance(clauses[0]["themes"], list) and isinstance(clauses[0]["document_id"], int)
    matrix = (tmp_path / "csv" / "party_county_matrix.csv").read_text(encoding="utf-8").splitlines()
    parties = json.loads((tmp_path / "json" / "parties.json").read_text(encoding="utf-8"))
    assert matrix[0] == "party,Jämtlands län,Kronobergs län,Norrbottens län,Värmlands län"
    assert len(matrix) == 1 + len({p["canonical"] for p in parties})


def test_without_pandas_one_line_naming_the_extra(db: Path, tmp_path: Path, no_pandas: None) -> None:
    with pytest.raises(MissingExtraError) as raised:
        Corpus(db)
    assert isinstance(raised.value, ImportError) and INSTALL in str(raised.value) and "\n" not in str(raised.value)
    with pytest.raises(MissingExtraError, match="Parquet export needs pandas"):
        export(db, "parquet", tmp_path / "parquet")
    assert not (tmp_path / "parquet").exists()


def test_parquet_without_pyarrow_names_the_extra(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingExtraError, match=r"needs pyarrow, which is not installed: pip install"):
        export(db, "parquet", tmp_path / "parquet")


def test_cli_export_csv_on_the_core_install(db: Path, tmp_path: Path, no_pandas: None) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["export", "--format", "csv", "--out", str(tmp_path / "out"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "documents.csv  (5 rows)" in result.stdout
    result = runner.invoke(app, ["export", "--format", "parquet", "--out", str(tmp_path / "pq"), "--db", str(db)])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"error: Parquet export needs pandas, which is not installed: "
                                                  f"{INSTALL}"]


def test_parquet_keeps_the_dtypes(db: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    export(db, "parquet", tmp_path)
    commitments = pd.read_parquet(tmp_path / "commitments.parquet")
    assert commitments["strength"].dtype == pd.CategoricalDtype(STRENGTHS, ordered=True)
    assert str(pd.read_parquet(tmp_path / "documents.parquet")["period_start"].dtype) == "Int64"


def test_parties_carry_todays_name_when_the_store_keeps_it(db: Path, tmp_path: Path) -> None:
    """Stores that keep ``current`` (today's body of each party) show it beside ``canonical``."""
    import sqlite3

    copy = tmp_path / "rok.db"
    shutil.copy(db, copy)
    with sqlite3.connect(copy) as conn:
        if "current" not in {row[1] for row in conn.execute("PRAGMA table_info(parties)")}:
            conn.execute("ALTER TABLE parties ADD COLUMN current TEXT")
        conn.execute("UPDATE parties SET current = 'Region Jämtland Härjedalen' WHERE name LIKE '%landsting%'")
    parties = Corpus(copy).parties()
    assert list(parties.columns[parties.columns.get_loc("canonical"):][:2]) == ["canonical", "current"]
    assert (parties["current"] == "Region Jämtland Härjedalen").any()
