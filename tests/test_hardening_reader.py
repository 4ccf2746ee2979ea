"""Hardening of reading and printing (issue 12): no input makes the reader quadratic, text files
have a size limit, ``rok extract`` has a per-file timeout, CSV cells cannot run as formulas,
and document text cannot drive the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rok_compare.cli import app
from rok_compare.cli.output import json_safe, terminal_safe
from rok_compare.errors import InputError
from rok_compare.export.csv_guard import guard_frame, neutralise
from rok_compare.ingest import read_document
from rok_compare.ingest.text import MAX_TEXT_MB_ENV, strip_markup

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seeds" / "000_7d7dd3b94a00e6f5.txt"
runner = CliRunner()
ESC = "\x1b"
HOSTILE = (f"Parterna ska samverka.{ESC}]0;pwned{ESC}\\ Titel{ESC}[2J{ESC}[31mRÖD{ESC}[0m \x9b1;1H"
           f"{ESC}(0 slut \u202egnp.exe\x07")

# --- item 6: linear reading --------------------------------------------------------------------

QUADRATIC_BEFORE = ["unclosed_comments", "long_word_after_entity", "short_lines", "unclosed_scripts",
                    "unclosed_doctypes", "contents_leader_of_3000_dots"]


def test_one_megabyte_of_each_hostile_pattern_reads_in_linear_time() -> None:
    """Measured with scripts/bench_hostile_text.py (~1 s CPU per pattern and MB, short lines ~6 s);
    before the fix these took minutes each. The bound is generous: only quadratic code misses it."""
    command = [sys.executable, str(ROOT / "scripts" / "bench_hostile_text.py"), "--sizes", "1000000",
               "--out", "-", "--patterns", *QUADRATIC_BEFORE]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    except subprocess.TimeoutExpired:
        pytest.fail("reading 1 MB of hostile patterns did not finish in 120 s")
    report = json.loads(done.stdout)
    assert [row["pattern"] for row in report["results"]] == QUADRATIC_BEFORE
    assert all(row["bytes"] >= 990_000 for row in report["results"])
    assert report["cpu_s"] < 20, report["results"]


def test_linear_markup_blanking_keeps_what_it_did() -> None:
    """The rewritten tag, comment, script and entity handling blanks exactly what the old patterns did."""
    text = ("<!DOCTYPE html><p>Enk&ouml;ping &amp; Uppsala</p><!-- note --><script>x()</script>"
            "<!-- open <b>fet</b> <script>never closed <!DOCTYPE x")
    assert strip_markup(text) == ("               \n  Enköping      &     Uppsala\n                \n"
                                  "                   <!-- open    fet             never closed <!DOCTYPE x")
    assert len(strip_markup(text)) == len(text)


# --- item 7: text size limit, extract timeout --------------------------------------------------

def test_a_text_file_over_the_size_limit_fails_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Parterna ska samverka. " * 3_000, encoding="utf-8")  # 69 KB
    monkeypatch.setenv(MAX_TEXT_MB_ENV, "0.05")
    with pytest.raises(InputError) as error:
        read_document(big)
    message = str(error.value)
    assert str(big) in message and "limit of 0.05 MB" in message and "--max-text-mb" in message
    assert "\n" not in message
    monkeypatch.delenv(MAX_TEXT_MB_ENV)
    result = runner.invoke(app, ["extract", str(big), str(SEED), "--max-text-mb", "0.05", "--timeout", "0",
                                 "--format", "json"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert errors[0].startswith(f"error: {big}: ") and "limit of 0.05 MB" in errors[0]
    assert len([line for line in result.stdout.splitlines() if line.strip()]) == 1  # the seed still came out
    raised = runner.invoke(app, ["extract", str(big), "--max-text-mb", "0.1", "--timeout", "0"])
    assert raised.exit_code == 0, raised.output


def test_extract_timeout_kills_a_hung_file_and_goes_on(tmp_path: Path) -> None:
    hang = tmp_path / "hang.txt"
    hang.write_text("Parterna ska samverka kring mottagandet. HANG", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("Parterna ska samverka kring mottagandet av nyanlända.", encoding="utf-8")
    env = {**os.environ, "ROK_EXTRACTOR": "rok_compare.store.testing:hanging_extractor"}
    command = [str(Path(sys.executable).parent / "rok"), "extract", str(hang), str(good), "--timeout", "2",
               "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90, env=env, cwd=ROOT)
    assert done.returncode == 1, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(hang) in errors[0] and "timed out after 2 s" in errors[0], done.stderr
    assert [json.loads(line)["source"]["path"] for line in done.stdout.splitlines() if line.strip()] == [str(good)]


# --- item 4: CSV formulas ----------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"y\")", "+1+cmd|' /C calc'!A0", "-2+3",
                                  "@SUM(A1:A9)", "\tsteg", "\r=1"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert neutralise("Region Skåne") == "Region Skåne" and neutralise(-5) == -5


def test_export_guards_csv_unless_told_not_to(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "Region Skåne", None], "n": [-1, 2, 3]})
    guarded = guard_frame(frame)
    assert guarded["name"].tolist()[:2] == ["'=cmd|' /C calc'!A0", "Region Skåne"]
    assert guarded["n"].tolist() == [-1, 2, 3] and frame["name"][0].startswith("=")
    from rok_compare.export import export
    from rok_compare.store import Store
    from rok_compare.store.testing import make_agreement
    from rok_compare.store.write import write_agreement

    db = tmp_path / "rok.db"
    with Store.open(db) as store:
        agreement = make_agreement(tmp_path / "a.txt", ["=HYPERLINK(\"http://evil\",\"klicka\") ska gälla.",
                                                       "@SUM(1+1) ska också gälla."], parties=["-Evil AB"])
        write_agreement(store, agreement)
    export(db, "csv", tmp_path / "safe")
    export(db, "csv", tmp_path / "raw", csv_guard=False)
    safe = pd.read_csv(tmp_path / "safe" / "clauses.csv")["text"].tolist()
    raw = pd.read_csv(tmp_path / "raw" / "clauses.csv")["text"].tolist()
    assert safe == ["'=HYPERLINK(\"http://evil\",\"klicka\") ska gälla.", "'@SUM(1+1) ska också gälla."]
    assert raw == ["=HYPERLINK(\"http://evil\",\"klicka\") ska gälla.", "@SUM(1+1) ska också gälla."]
    assert pd.read_csv(tmp_path / "safe" / "parties.csv")["name"].tolist() == ["'-Evil AB"]
    assert (tmp_path / "safe" / "clauses.json").exists() is False


def test_similarity_csv_labels_are_guarded(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("=evil.txt", "b.txt"):
        (folder / name).write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    guarded = runner.invoke(app, ["similarity", str(folder)])
    raw = runner.invoke(app, ["similarity", str(folder), "--no-csv-guard"])
    assert guarded.exit_code == 0 and raw.exit_code == 0, guarded.output
    cells = [line.split(",")[0] for line in guarded.stdout.splitlines()[1:]]
    assert not any(cell.startswith("=") for cell in cells)
    assert "--no-csv-guard" in runner.invoke(app, ["similarity", "--help"]).stdout


# --- item 11: terminal safety ------------------------------------------------------------------

def test_terminal_safe_strips_whole_escape_sequences() -> None:
    shown = terminal_safe(HOSTILE)
    assert shown == "Parterna ska samverka. TitelRÖD  slut gnp.exe"  # \x9b is CSI: "1;1H" goes with it
    assert "]0;" not in shown and "[2J" not in shown and "[31m" not in shown
    assert terminal_safe("rad ett\nrad\ttvå") == "rad ett\nrad två"
    unterminated = terminal_safe(f"före{ESC}]0;titel utan slut\nnästa rad")
    assert unterminated == "före\nnästa rad"


def test_json_output_escapes_what_a_terminal_would_act_on() -> None:
    encoded = json_safe(json.dumps({"t": HOSTILE}, ensure_ascii=False))
    assert not any(ch in encoded for ch in (ESC, "\x9b", "\u202e", "\x07"))
    assert json.loads(encoded)["t"] == HOSTILE


def test_extract_and_compare_print_no_escape_sequences(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    cut = text.index("\n", len(text) // 2)
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(f"{text[:cut]} {HOSTILE}\n{text[cut:]}", encoding="utf-8")
    outputs = [runner.invoke(app, ["extract", str(hostile), "--timeout", "0"]),
               runner.invoke(app, ["extract", str(hostile), "--timeout", "0", "--format", "json"]),
               runner.invoke(app, ["align", str(SEED), str(hostile)]),
               runner.invoke(app, ["diff", str(SEED), str(hostile)]),
               runner.invoke(app, ["diff", str(SEED), str(hostile), "--format", "json"]),
               runner.invoke(app, ["reuse", str(SEED), str(hostile)])]
    for result in outputs:
        assert result.exit_code == 0, result.output
        assert not any(ch in result.stdout for ch in (ESC, "\x9b", "\u202e", "\x07")), result.stdout[-400:]
    assert "RÖD" in outputs[0].stdout and "gnp.exe" in outputs[3].stdout
