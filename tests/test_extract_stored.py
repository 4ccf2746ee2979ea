"""``rok extract`` reads stored documents from the store: the same JSON as extracting the file, with
the files moved away; another extractor version's extraction is made again, with a note."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from rok_compare.cli import app
from rok_compare.store import ingest

NAMES = sorted(path.name for path in SEEDS.glob("*.txt"))


def _no_extraction(*args, **kwargs):
    raise AssertionError("extracted again")


def _extract(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["extract", *args, "--timeout", "0"])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, dict]]:
    """The seeds copied to a folder, extracted there (the expected JSON, by file name), ingested,
    and the folder moved away: (store, where the files went, expected JSON)."""
    root = tmp_path_factory.mktemp("extract-stored")
    folder = root / "docs"
    folder.mkdir()
    for name in NAMES:
        shutil.copy(SEEDS / name, folder / name)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROK_DB", str(root / "no-store.db"))  # the expected JSON comes from the files
        code, out, err = _extract(*(str((folder / name).resolve()) for name in NAMES), "--format", "json")
    assert code == 0, err
    expected = {Path(doc["source"]["path"]).name: doc for doc in map(json.loads, out.splitlines())}
    db = root / "rok.db"
    assert ingest([folder], db, workers=2).added == 5
    away = root / "away"
    folder.rename(away)
    return db, away, expected


@pytest.fixture()
def stored(ingested, tmp_path: Path) -> tuple[Path, Path, dict[str, dict]]:
    """:func:`ingested` with a copy of the store that the test may change."""
    db, away, expected = ingested
    copy = tmp_path / "rok.db"
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return copy, away, expected


def _ids(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {Path(path).name: int(i) for i, path in conn.execute("SELECT id, path FROM documents")}


def test_a_stored_document_gives_the_json_of_its_file_with_the_files_gone(stored, monkeypatch) -> None:
    db, _, expected = stored
    monkeypatch.setattr("rok_compare.extract.extract_document", _no_extraction)
    monkeypatch.setattr("rok_compare.extract.extract", _no_extraction)
    ids = _ids(db)
    for name in NAMES:
        code, out, err = _extract(str(ids[name]), "--db", str(db), "--format", "json")
        assert code == 0, err
        assert json.loads(out) == expected[name], name
        assert err == ""
    # by file name and by stored path too, several at once (JSON Lines, in the order named)
    stored_path = expected[NAMES[1]]["source"]["path"]
    code, out, err = _extract(NAMES[0], stored_path, Path(NAMES[2]).stem, "--db", str(db), "--format", "json")
    assert code == 0, err
    assert [json.loads(line) for line in out.splitlines()] == [expected[n] for n in NAMES[:3]]
    assert any(p["current"] != p["canonical"] for p in expected[NAMES[4]]["parties"])  # current is there


def test_the_text_summary_of_a_stored_document(stored, monkeypatch) -> None:
    db, away, _ = stored
    name = "004_053ccb9634956e56.txt"
    monkeypatch.setattr("rok_compare.extract.extract_document", _no_extraction)
    code, out, _ = _extract(name, "--db", str(db))
    assert code == 0
    assert "Myndigheten för skolutveckling (today Skolverket) [state_agency]" in out
    assert "regional_agreement · Värmlands län (17), 2007–2008" in out


def test_a_file_whose_content_is_stored_is_read_from_the_store_as_named(stored, monkeypatch) -> None:
    db, away, expected = stored
    file = away / NAMES[0]
    monkeypatch.setattr("rok_compare.extract.extract_document", _no_extraction)
    code, out, err = _extract(str(file), "--db", str(db), "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    assert document["source"]["path"] == str(file)  # as the user named it
    assert {**document, "source": expected[NAMES[0]]["source"]} == expected[NAMES[0]]


def _set_extractor(db: Path, value: str | None) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE documents SET extractor = ?", (value,))


def test_another_extractor_version_is_extracted_again_with_a_note(stored, monkeypatch) -> None:
    db, away, expected = stored
    _set_extractor(db, "rok_compare.extract:extract_document 0.0.1 code 000000000000 models 000000000000")
    ids = _ids(db)
    # its file gone: from the stored text, which gives what the file gives
    monkeypatch.setattr("rok_compare.extract.extract_document", _no_extraction)
    code, out, err = _extract(str(ids[NAMES[1]]), "--db", str(db), "--format", "json")
    assert code == 0, err
    assert json.loads(out) == expected[NAMES[1]]
    assert err.strip() == (f"note: {ids[NAMES[1]]}: the stored extraction was made by another extractor version; "
                           "extracted again from the stored text")
    monkeypatch.undo()
    # a file on disk is extracted from the file, without a note: nothing was asked of the store
    monkeypatch.setattr("rok_compare.extract.extract", _no_extraction)  # not from the stored text
    code, out, err = _extract(str(away / NAMES[2]), "--db", str(db), "--format", "json")
    assert code == 0 and err == ""
    assert json.loads(out)["clauses"] == expected[NAMES[2]]["clauses"]


def test_the_stored_file_is_extracted_when_it_is_still_there(stored) -> None:
    db, away, expected = stored
    _set_extractor(db, "another")
    ingested_from = Path(expected[NAMES[3]]["source"]["path"])
    ingested_from.parent.mkdir()
    try:
        shutil.copy(away / NAMES[3], ingested_from)  # back where it was ingested from
        code, out, err = _extract(NAMES[3], "--db", str(db), "--format", "json")
    finally:
        shutil.rmtree(ingested_from.parent)
    assert code == 0, err
    assert json.loads(out) == expected[NAMES[3]]
    assert "extracted again from " + expected[NAMES[3]]["source"]["path"] in err


def test_a_document_stored_without_text_or_version_and_no_file_is_refused(stored) -> None:
    db, _, _ = stored
    _set_extractor(db, None)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM document_sources")
    code, out, err = _extract(NAMES[0], "--db", str(db))
    assert code == 1 and out == ""
    assert (f"error: {NAMES[0]}: the stored extraction was made by an earlier rok-compare, which kept no extractor "
            "version, the store keeps no text of it, and its file") in err
    assert "`rok prune` it and ingest the file again" in err


def test_unknown_names_and_a_missing_store_are_one_line_each(stored, tmp_path) -> None:
    db, _, _ = stored
    code, _, err = _extract("99", "nothing", "gone/nothing.txt", "--db", str(db))
    assert code == 1
    assert err.splitlines() == ["error: 99: no stored document has this id",
                                "error: nothing: not in the store (give a stored document's id, path or file name)",
                                "error: gone/nothing.txt: no such file", "3 file(s) failed"]
    code, _, err = _extract("3", "--db", str(tmp_path / "none.db"))
    assert code == 1
    assert err.splitlines()[0].startswith("error: 3: no such file, and not looked up in the store (")
    assert "none.db: no store here" in err.splitlines()[0]
    code, out, err = _extract(str(SEEDS / NAMES[0]), "--db", str(tmp_path / "none.db"))  # files need no store
    assert code == 0 and err == "" and out.startswith(f"== {SEEDS / NAMES[0]}\n")


def test_the_extractor_version_follows_the_code_models_and_switches(monkeypatch, tmp_path) -> None:
    from rok_compare.classify.shipped import models_dir as classify_models_dir
    from rok_compare.store.extractor_version import extractor_version, models_dir

    assert models_dir() == classify_models_dir()  # the version hashes the models extraction loads
    plain = extractor_version()
    assert plain.startswith("rok_compare.extract:extract_document ") and plain == extractor_version()
    monkeypatch.setenv("ROK_DECIDERS", "off")
    assert extractor_version() != plain
    monkeypatch.delenv("ROK_DECIDERS")
    (tmp_path / "party_decider.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("ROK_MODELS_DIR", str(tmp_path))
    assert models_dir() == classify_models_dir() == tmp_path and extractor_version() != plain
    monkeypatch.delenv("ROK_MODELS_DIR")
    assert extractor_version("tests:other_extractor") != plain


def test_stored_documents_and_files_come_out_in_the_order_named(stored, tmp_path) -> None:
    db, _, expected = stored
    new = tmp_path / "new.txt"  # not stored: extracted in the worker process (the default --timeout)
    new.write_text((SEEDS / NAMES[0]).read_text(encoding="utf-8") + "\nBilaga.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", NAMES[1], str(new), NAMES[2], "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    paths = [json.loads(line)["source"]["path"] for line in result.stdout.splitlines()]
    assert paths == [expected[NAMES[1]]["source"]["path"], str(new), expected[NAMES[2]]["source"]["path"]]
