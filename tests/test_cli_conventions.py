"""CLI conventions: ``rok --version``, NO_COLOR and --no-color, one --format spelling (old ones kept
as hidden aliases), added/removed in ``diff``, a progress bar only on a terminal and only for long
runs, summaries in plain words."""

from __future__ import annotations

import io
import re
import sys
import time
from pathlib import Path

import pytest
from conftest import seed
from rich.console import Console
from typer.testing import CliRunner

from rok_compare.cli import app
from rok_compare.cli.output import Progress, color_enabled, set_no_color

runner = CliRunner()
OLD = ("Parterna ska samverka kring mottagandet av nyanlända. Kommunen ansvarar för bostäder. "
       "Arbetsförmedlingen erbjuder praktik.\n")
NEW = ("Parterna ska samverka kring mottagandet av nyanlända. Arbetsförmedlingen erbjuder praktik och "
       "språkstöd. Regionen ska erbjuda hälsoundersökning till alla nyanlända.\n")


class _Terminal(io.StringIO):
    """Standard output that says it is a terminal, so that the commands would colour it."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def versions(tmp_path: Path) -> tuple[str, str]:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return str(old), str(new)


@pytest.fixture(autouse=True)
def _fresh_color_state(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield
    set_no_color(False)


def _on_terminal(monkeypatch: pytest.MonkeyPatch, args: list[str]) -> str:
    """Run ``rok ARGS`` in this process with a terminal as standard output; what it printed."""
    out = _Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    try:
        app(args, standalone_mode=False)
    finally:
        set_no_color(False)
    return out.getvalue()


def test_version_exits_zero() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("rok-compare ")


def test_colour_on_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch, versions: tuple[str, str]) -> None:
    assert "\x1b[" in _on_terminal(monkeypatch, ["diff", *versions])
    assert "\x1b[" not in _on_terminal(monkeypatch, ["--no-color", "diff", *versions])
    assert "\x1b[" not in _on_terminal(monkeypatch, ["diff", *versions, "--no-color"])
    plain = _on_terminal(monkeypatch, ["align", *versions, "--no-color"])
    assert "\x1b[" not in plain and "{+" in plain
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in _on_terminal(monkeypatch, ["diff", *versions])


def test_color_enabled_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    assert color_enabled(True) and not color_enabled(False) and not color_enabled(True, no_color=True)
    monkeypatch.setenv("NO_COLOR", "")  # no-color.org: an empty value does not count
    assert color_enabled(True)
    monkeypatch.setenv("NO_COLOR", "yes")
    assert not color_enabled(True)


def test_diff_says_added_and_removed(versions: tuple[str, str]) -> None:
    result = runner.invoke(app, ["diff", *versions])
    assert result.exit_code == 0, result.output
    assert "+ added [" in result.stdout and "- removed [" in result.stdout
    assert "only in" not in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("1 unchanged, ")


def test_align_summary_in_plain_words(versions: tuple[str, str]) -> None:
    result = runner.invoke(app, ["align", *versions])
    assert result.exit_code == 0, result.output
    last = result.stdout.rstrip().splitlines()[-1]
    assert last.startswith("2 clause pairs: 1 identical, 1 edited") and "1 clause only in A, 1 only in B" in last


def test_format_table_is_a_hidden_alias_of_text(versions: tuple[str, str]) -> None:
    text = runner.invoke(app, ["diff", *versions, "--format", "text"])
    table = runner.invoke(app, ["diff", *versions, "-f", "table"])
    assert table.exit_code == 0 and table.stdout == text.stdout
    assert runner.invoke(app, ["extract", versions[0], "--format", "table"]).exit_code == 0
    bad = runner.invoke(app, ["diff", *versions, "--format", "xml"])
    assert bad.exit_code == 2 and "is not one of text, json" in bad.output
    for command in ("align", "diff", "reuse", "extract"):
        shown = runner.invoke(app, [command, "--help"], terminal_width=200).stdout
        assert "[text|json" in shown and "table" not in shown, command


def test_reuse_in_plain_words_and_no_bar_off_a_terminal() -> None:
    result = runner.invoke(app, ["reuse", str(seed("000")), str(seed("001"))])
    assert result.exit_code == 0, result.output
    assert re.match(r"\d+ reuse clusters \(wordings found in more than one document\) in 2 documents\n", result.stdout)
    assert "clauses its own" in result.stdout and "boilerplate" not in result.stdout
    assert result.stderr == ""  # not a terminal: no progress bar


def test_progress_bar_only_on_a_terminal_and_only_when_slow() -> None:
    def run(console: Console, delay: float, work: float) -> str:
        with Progress("reuse", total=3, delay=delay, console=console) as progress:
            for _ in range(3):
                time.sleep(work)
                progress.update(advance=1, note="reading")
        return console.file.getvalue()  # type: ignore[attr-defined]

    def terminal() -> Console:
        return Console(file=io.StringIO(), force_terminal=True, width=80)

    assert "reuse" in run(terminal(), delay=0.0, work=0.05)
    assert run(terminal(), delay=5.0, work=0.0) == ""  # a quick run shows nothing
    assert run(Console(file=io.StringIO(), force_terminal=False), delay=0.0, work=0.05) == ""


def test_progress_bar_follows_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    console = Console(file=io.StringIO(), force_terminal=True, width=80)
    with Progress("report", delay=0.0, console=console, counted=False):
        time.sleep(0.1)
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert "report" in shown and "0/?" not in shown
    assert not re.search(r"\x1b\[(3[0-9]|9[0-7])m", shown)  # no foreground colour (bold may stay)


def test_report_summary_in_plain_words(tmp_path: Path, versions: tuple[str, str]) -> None:
    from rok_compare.store import ingest

    db = tmp_path / "rok.db"
    assert ingest(list(map(Path, versions)), db, workers=1).added == 2
    result = runner.invoke(app, ["report", "--db", str(db), "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    first, second = result.stdout.splitlines()
    summary = re.compile(r".*site: \d+ pages written in \d+\.\d s \(2 documents, (\d+) side-by-side comparisons: "
                         r"(\d+) aligned, (\d+) from the store's cache\)")
    shown, aligned, cached = map(int, summary.fullmatch(first).groups())
    assert shown >= 1 and (aligned, cached) == (shown, 0)
    assert second.endswith("index.html in a browser") and result.stderr == ""
    again = runner.invoke(app, ["report", "--db", str(db), "--out", str(tmp_path / "site")])
    assert again.exit_code == 0, again.output
    assert summary.fullmatch(again.stdout.splitlines()[0]).groups() == (str(shown), "0", str(shown))


def test_csv_format_for_align_diff_and_reuse(versions: tuple[str, str]) -> None:
    import csv

    diff = list(csv.DictReader(io.StringIO(runner.invoke(app, ["diff", *versions, "-f", "csv"]).stdout)))
    assert {row["change"] for row in diff} == {"unchanged", "edited", "added", "removed"}
    assert next(row for row in diff if row["change"] == "removed")["new_id"] == ""
    align = list(csv.DictReader(io.StringIO(runner.invoke(app, ["align", *versions, "--format", "csv"]).stdout)))
    assert [row["relation"] for row in align].count("only_a") == 1 and "only_b" in {r["relation"] for r in align}
    assert len(align) == len(diff)
    reuse = runner.invoke(app, ["reuse", str(seed("000")), str(seed("001")), "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(reuse.stdout)))
    assert reuse.exit_code == 0 and rows and {r["year"] for r in rows} >= {"", "2009"}
    assert all(int(r["documents"]) >= 2 for r in rows)


def test_output_printed_under_the_bar_stays_on_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    """``rok extract *.txt -f json > out.jsonl`` with the bar on a terminal: every line reaches the file."""
    out = io.StringIO()  # a file: not a terminal
    monkeypatch.setattr(sys, "stdout", out)
    console = Console(file=io.StringIO(), force_terminal=True, width=80)
    with Progress("extract", total=2, delay=0.0, console=console) as progress:
        for n in range(2):
            time.sleep(0.05)
            print(f'{{"n": {n}}}')
            progress.update(advance=1)
    assert out.getvalue() == '{"n": 0}\n{"n": 1}\n'
    assert "extract" in console.file.getvalue() and '"n"' not in console.file.getvalue()  # type: ignore[attr-defined]
