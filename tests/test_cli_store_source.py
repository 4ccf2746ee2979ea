"""Comparison commands read stored documents from the store: no file is read or extracted again."""

from __future__ import annotations

import json
import shutil

from conftest import SEEDS
from typer.testing import CliRunner

from rok_compare.cli import app
from rok_compare.store import ingest

A, B = "000_7d7dd3b94a00e6f5.txt", "001_db03df83e1636e02.txt"


def _stored(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in (A, B):
        shutil.copy(SEEDS / name, folder / name)
    db = tmp_path / "rok.db"
    ingest([folder], db, workers=1)
    return folder, db


def test_align_two_stored_documents_after_their_files_are_gone(tmp_path, monkeypatch):
    folder, db = _stored(tmp_path)
    expected = CliRunner().invoke(app, ["align", str(folder / A), str(folder / B), "--format", "json", "--db", str(db)])
    shutil.rmtree(folder)

    def no_extraction(*args, **kwargs):
        raise AssertionError("extracted again")

    monkeypatch.setattr("rok_compare.extract.extract_document", no_extraction)
    result = CliRunner().invoke(app, ["align", A, B, "--format", "json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["summary"] == json.loads(expected.output)["summary"]
    assert json.loads(result.output)["summary"]["identical"] >= 3


def test_a_stored_file_is_read_from_the_store_and_an_unknown_name_is_one_line(tmp_path, monkeypatch):
    folder, db = _stored(tmp_path)
    monkeypatch.setattr("rok_compare.extract.extract_document",
                        lambda *a, **k: (_ for _ in ()).throw(AssertionError("extracted again")))
    result = CliRunner().invoke(app, ["diff", str(folder / A), str(folder / B), "--db", str(db)])
    assert result.exit_code == 0, result.output
    unknown = CliRunner().invoke(app, ["diff", A, "nothing", "--db", str(db)])
    assert unknown.exit_code == 1
    assert "nothing: not in the store" in unknown.output
    monkeypatch.undo()  # a name meant as a file goes to the reader, which says what is wrong
    missing = CliRunner().invoke(app, ["diff", A, "gone/nothing.txt", "--db", str(db)])
    assert missing.exit_code == 1 and "gone/nothing.txt: no such file" in missing.output


def test_extract_takes_a_folder_and_names_what_it_leaves_out(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in (A, B):
        shutil.copy(SEEDS / name, folder / name)
    (folder / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = CliRunner().invoke(app, ["extract", str(folder), "--format", "json", "--timeout", "0"])
    assert result.exit_code == 1  # because of the image alone
    documents = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert sorted(d["source"]["path"].rsplit("/", 1)[-1] for d in documents) == [A, B]
    assert "scan.png: unsupported format" in result.stderr


def test_reuse_and_similarity_over_the_store(tmp_path, monkeypatch):
    folder, db = _stored(tmp_path)
    from_files = CliRunner().invoke(app, ["reuse", str(folder), "--format", "json", "--db", str(tmp_path / "none.db")])
    shutil.rmtree(folder)
    monkeypatch.setattr("rok_compare.extract.extract_document",
                        lambda *a, **k: (_ for _ in ()).throw(AssertionError("extracted again")))
    from_store = CliRunner().invoke(app, ["reuse", "--format", "json", "--db", str(db)])
    assert from_store.exit_code == 0, from_store.output
    clusters = json.loads(from_store.stdout)["clusters"]
    assert len(clusters) == len(json.loads(from_files.stdout)["clusters"]) >= 3
    matrix = CliRunner().invoke(app, ["similarity", A, B, "--by", "document", "--db", str(db)])
    assert matrix.exit_code == 0 and A in matrix.stdout and B in matrix.stdout
