"""The `rok extract` command: output formats, and bad input reported per file in a batch."""

from __future__ import annotations

import json

from conftest import seed
from typer.testing import CliRunner

from rok_compare.cli import app

runner = CliRunner()


def test_text_summary_by_default():
    result = runner.invoke(app, ["extract", str(seed("004"))])
    assert result.exit_code == 0
    assert "Värmlands län (17), 2007–2008" in result.output
    assert "Länsarbetsnämnden i Värmland → Arbetsförmedlingen" in result.output


def test_json_lines_for_several_files():
    result = runner.invoke(app, ["extract", str(seed("000")), str(seed("002")), "--format", "json"])
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert [d["county"]["code"] for d in lines] == ["23", "07"]


def test_bad_files_fail_alone(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    folder = tmp_path / "more"  # a folder is searched for documents; what it holds that is none is named
    folder.mkdir()
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = runner.invoke(
        app, ["extract", str(empty), str(seed("000")), str(tmp_path / "missing.txt"), str(junk), str(folder),
              "--format", "json"],
    )
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(out) == 1 and out[0]["county"]["code"] == "23"
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4
    assert any(str(empty) in e and "is empty" in e for e in errors)
    assert any("missing.txt" in e and "no such file" in e for e in errors)
    assert any("junk.pdf" in e for e in errors)
    assert any("photo.png: unsupported format" in e for e in errors)  # a folder is searched (issue 13)
    assert "Traceback" not in result.output
