"""Hardening of ``rok report`` (issue 12): the user's files are never deleted, each file is written
whole, and bidi controls from documents are shown, not applied."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rok_compare.cli import app
from rok_compare.report import ReportError, build_report
from rok_compare.report.manifest import MANIFEST, write_atomic
from rok_compare.report.markup import el, esc
from rok_compare.store import Store
from rok_compare.store.testing import make_agreement
from rok_compare.store.write import write_agreement

RLO = "\u202e"
CLAUSES = [
    f"Parterna ska säkerställa att alla nyanlända erbjuds en hälsoundersökning {RLO}fdp.exe inom två veckor.",
    "Länsstyrelsen ansvarar för samordningen av insatserna för nyanlända i hela länet.",
    "Kommunen erbjuder samhällsorientering på modersmålet \u2066inom\u2069 ett år.",
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hardening-report")
    path = folder / "rok.db"
    with Store.open(path) as store:
        for year in (2020, 2024):
            agreement = make_agreement(folder / f"doc_{year}.txt", [*CLAUSES, f"Uppföljning sker {year}."],
                                       county=("Gotlands län", "09"), period=(year, year + 3),
                                       parties=["Migrationsverket", f"Evil {RLO}gpj.exe AB"])
            agreement.title = f"Överenskommelse {RLO}2202"
            write_agreement(store, agreement, path=f"doc_{year}_{RLO}.txt")
    return path


def _user_files(folder: Path) -> dict[Path, bytes]:
    files = {folder / "notes.txt": b"my notes", folder / "doc" / "mine.html": b"<p>mine</p>",
             folder / "compare" / "keep.html": b"keep", folder / "index.html.bak": b"backup"}
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def test_non_empty_folder_without_manifest_is_refused_and_left_alone(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "here"
    files = _user_files(out)
    result = CliRunner().invoke(app, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "--force" in lines[0], result.stderr
    assert sorted(p for p in out.rglob("*") if p.is_file()) == sorted(files)
    with pytest.raises(ReportError, match="not empty"):
        build_report(db, out)


def test_force_writes_beside_the_users_files_and_rebuilds_delete_only_what_the_report_wrote(
        db: Path, tmp_path: Path) -> None:
    out = tmp_path / "here"
    files = _user_files(out)
    result = CliRunner().invoke(app, ["report", "--db", str(db), "--out", str(out), "--force"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert "index.html" in manifest["files"] and "notes.txt" not in manifest["files"]
    # A page an earlier build wrote for a document deleted since, and a hand-edited entry outside.
    outside = tmp_path / "outside.html"
    outside.write_text("not the report's", encoding="utf-8")
    (out / "doc" / "9999.html").write_text("old page", encoding="utf-8")
    manifest["files"] += ["doc/9999.html", "../outside.html", str(outside)]
    (out / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    summary = build_report(db, out)  # no force needed: the folder holds a report
    assert summary.documents == 2
    assert not (out / "doc" / "9999.html").exists()
    assert outside.read_text(encoding="utf-8") == "not the report's"
    for path, data in files.items():
        assert path.read_bytes() == data, path
    assert not [p for p in out.rglob("*.tmp")], "temporary files left behind"


def test_rebuild_into_dot_keeps_a_users_doc_folder(db: Path, tmp_path: Path) -> None:
    """The audit's case: ``rok report --out .`` in a folder whose doc/ holds the user's pages."""
    (tmp_path / "doc").mkdir()
    (tmp_path / "doc" / "thesis.html").write_text("years of work", encoding="utf-8")
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        refused = CliRunner().invoke(app, ["report", "--db", str(db), "--out", "."])
        forced = CliRunner().invoke(app, ["report", "--db", str(db), "--out", ".", "--force"])
        again = CliRunner().invoke(app, ["report", "--db", str(db), "--out", "."])
    finally:
        os.chdir(cwd)
    assert refused.exit_code == 2 and forced.exit_code == 0 and again.exit_code == 0, again.output
    assert (tmp_path / "doc" / "thesis.html").read_text(encoding="utf-8") == "years of work"


def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "page.html"
    write_atomic(target, "old and whole")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, "new" * 1000)
    assert target.read_text(encoding="utf-8") == "old and whole"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_bidi_controls_are_shown_not_applied(db: Path, tmp_path: Path) -> None:
    assert RLO not in esc(f"a{RLO}b") and "[U+202E]" in esc(f"a{RLO}b") and 'class="bidi"' in esc(RLO)
    assert 'title="x[U+2066]"' in el("a", "y", title="x\u2066")
    assert el("title", f"t{RLO}") == "<title>t[U+202E]</title>"
    out = tmp_path / "site"
    build_report(db, out)
    pages = [p for p in out.rglob("*") if p.suffix in (".html", ".js")]
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not any(ch in text for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), page
    shown = "".join(p.read_text(encoding="utf-8") for p in (out / "doc").glob("*.html"))
    assert '<span class="bidi"' in shown and "[U+202E]</span>fdp.exe" in shown
    assert "[U+2066]</span>inom<span" in shown


def test_party_and_county_pages_get_safe_distinct_file_names(tmp_path: Path) -> None:
    """Names from documents become file names: never a path out of the folder, never two parties on one page."""
    db = tmp_path / "rok.db"
    names = ["../../etc/passwd", "..\\..\\boot.ini", "Evil \u202egpj.exe AB", "Arbetsförmedlingen",
             "arbetsformedlingen", "Ä", "<script>", "CON"]
    with Store.open(db) as store:
        agreement = make_agreement(tmp_path / "names.txt", CLAUSES, county=("../Gotlands län", "../09"),
                                   period=(2020, 2021), parties=names)
        write_agreement(store, agreement, path="names.txt")
    out = tmp_path / "site"
    build_report(db, out)
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    party_pages = [f for f in manifest if f.startswith("party/")]
    assert len(party_pages) == len(names)  # "Arbetsförmedlingen" and "arbetsformedlingen" do not share a page
    for name in manifest:
        assert ".." not in Path(name).parts and not Path(name).is_absolute(), name
        assert (out / name).resolve().is_relative_to(out.resolve()), name
        assert all(part.isascii() for part in Path(name).parts), name
    assert [f for f in manifest if f.startswith("county/")] == ["county/09.html"]
    shown = "".join((out / p).read_text(encoding="utf-8") for p in party_pages)
    assert "&lt;script&gt;" in shown and "<script>" not in shown.replace('<script src="', "")


def test_the_tables_csv_guard_is_the_exports(tmp_path: Path) -> None:
    """tables.js neutralises the same leading characters as rok_compare/export/csv_guard.py."""
    import re
    from importlib import resources

    from rok_compare.export.csv_guard import TRIGGERS

    script = resources.files("rok_compare.report").joinpath("static", "tables.js").read_text(encoding="utf-8")
    pattern = re.search(r"var TRIGGERS = /(.+)/;", script).group(1)
    triggers = re.compile(pattern)
    for trigger in TRIGGERS:
        assert triggers.match(trigger + "SUM(1)"), trigger
    for safe in ("Arbetsförmedlingen", "2019", "'=quoted", " =spaced"):
        assert not triggers.match(safe), safe
    assert "innerHTML" not in script and "outerHTML" not in script and "document.write" not in script
