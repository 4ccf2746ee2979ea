"""Issue 12 hardening of the store's ingest: interrupted clustering, odd file names, symlinks,
unreadable inputs, deterministic clusters, and the folder scan naming what it leaves out (issue 13)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rok_compare.align.corpus import expand_paths as align_paths
from rok_compare.align.reuse import medoid
from rok_compare.cli import app
from rok_compare.store import IngestInterrupted, Status, Store, ingest, prune, status
from rok_compare.store.reuse import recompute_reuse_clusters
from rok_compare.store.testing import generate_corpus, make_agreement
from rok_compare.store.write import write_agreement

ROK = Path(sys.executable).parent / "rok"
PARAGRAPHS = "rok_compare.store.testing:paragraph_extractor"
runner = CliRunner()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    generate_corpus(folder, 6)
    return folder


def clusters(db: Path) -> list[tuple[str, int, int]]:
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT representative_text, n_members, n_documents FROM reuse_clusters"))


def stored_paths(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(row[0] for row in conn.execute("SELECT path FROM documents"))


# --- item 2: reuse clusters survive an interrupted ingest ---------------------------------------

def test_interrupted_clustering_is_finished_by_the_next_run(corpus: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    clean = tmp_path / "clean.db"
    ingest([corpus], clean, extractor=PARAGRAPHS)
    assert clusters(clean)

    def ctrl_c(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    db = tmp_path / "rok.db"
    monkeypatch.setattr("rok_compare.store.reuse_index.rebuild_index", ctrl_c)  # a first clustering
    monkeypatch.setattr("rok_compare.store.reuse_index.update_index", ctrl_c)  # a later one
    with pytest.raises(KeyboardInterrupt) as interrupted:  # today: a bare KeyboardInterrupt
        ingest([corpus], db, extractor=PARAGRAPHS)
    assert isinstance(interrupted.value, IngestInterrupted)
    assert interrupted.value.report.added == 6 and interrupted.value.report.reuse_pending
    monkeypatch.undo()
    again = ingest([corpus], db, extractor=PARAGRAPHS)
    assert again.skipped == 6 and again.reuse is not None  # every file skipped, clusters still finished
    assert clusters(db) == clusters(clean)
    from rok_compare.store.reuse import reuse_due

    with Store.open(db, readonly=True) as store:
        assert not reuse_due(store)


def test_prune_finishes_clustering_left_due(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "rok.db"
    ingest([corpus], db, extractor=PARAGRAPHS, reuse=False)  # as a batch killed before clustering
    assert clusters(db) == []
    report = prune(db)
    assert report.reuse is not None and report.reuse.clusters > 0 and clusters(db)


def test_ctrl_c_during_clustering_prints_one_line(corpus: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def ctrl_c(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("rok_compare.store.reuse_index.rebuild_index", ctrl_c)  # a first clustering
    monkeypatch.setattr("rok_compare.store.reuse_index.update_index", ctrl_c)  # a later one
    monkeypatch.setenv("ROK_EXTRACTOR", PARAGRAPHS)
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(tmp_path / "rok.db"), "-w", "1"])
    assert result.exit_code == 130
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: interrupted: 6 document(s) stored whole"), lines
    assert "reuse clusters not updated yet" in lines[0]


# --- item 12: a cluster's representative does not depend on the order documents were written ----

def test_representative_wording_does_not_depend_on_write_order(tmp_path: Path) -> None:
    first = "Kommunen ska erbjuda samhällsorientering på modersmålet till alla nyanlända i länet."
    second = "Kommunen ska erbjuda samhällsorientering på modersmålet till alla nyanlända i regionen."
    agreements = [make_agreement(tmp_path / f"{name}.txt", [text]) for name, text in (("a", first), ("b", second))]
    found = []
    for order in (agreements, agreements[::-1]):
        with Store.open(tmp_path / f"{len(found)}.db") as store:
            for agreement in order:
                write_agreement(store, agreement)
            recompute_reuse_clusters(store)
            found.append(store.conn.execute("SELECT representative_text FROM reuse_clusters").fetchall())
    assert found[0] == found[1] and len(found[0]) == 1
    texts = ["b wording", "a wording", "c wording"]
    assert texts[medoid(texts, [1, 1, 1])] == texts[::-1][medoid(texts[::-1], [1, 1, 1])]


# --- item 3: file names that are not UTF-8, or hold control characters --------------------------

def test_odd_file_names_are_stored_with_a_lossless_escape(corpus: Path, tmp_path: Path) -> None:
    raw = os.fsencode(corpus) + b"/ok\xff\xfe name.txt"
    with open(raw, "wb") as handle:
        handle.write((corpus / "rok_00000.txt").read_bytes() + b"\n\nExtra.\n")
    shutil.copy(corpus / "rok_00001.txt", corpus / "esc\x1b[31m\nname.txt")
    (corpus / "rok_00001.txt").write_text("Län: Skåne län (12)\n\nEn annan klausul om tolk.\n", encoding="utf-8")
    db = tmp_path / "rok.db"
    first = ingest([corpus], db, extractor=PARAGRAPHS)
    assert first.failed == 0 and first.added == 8
    again = ingest([corpus], db, extractor=PARAGRAPHS)  # today: a traceback on every later ingest
    assert again.skipped == 8 and again.failed == 0
    from rok_compare.store.paths import fs_path

    keys = [p for p in stored_paths(db) if p.rsplit("/", 1)[1].endswith("name.txt")]
    assert [k.rsplit("/", 1)[1] for k in keys] == ["esc\\u001b[31m\\u000aname.txt", "ok\\xff\\xfe name.txt"]
    assert {os.fsencode(fs_path(k)) for k in keys} == {raw, os.fsencode(corpus / "esc\x1b[31m\nname.txt")}
    result = runner.invoke(app, ["status", "--db", str(db)])
    assert result.exit_code == 0 and "\x1b" not in result.stdout


def test_escape_is_lossless_and_leaves_ordinary_names_alone() -> None:
    from rok_compare.store.paths import escape_path, fs_path

    for name in [b"/a/plain name.txt", b"/a/\xff.txt", b"/a/back\\slash\\xff.txt", "/a/å\u202e.txt".encode()]:
        text = os.fsdecode(name)
        assert os.fsencode(fs_path(escape_path(text))) == name
    assert escape_path("/a/Jämtlands län.txt") == "/a/Jämtlands län.txt"


# --- item 5: symlinks ------------------------------------------------------------------------------

def test_symlinks_are_not_followed_out_of_the_folder(corpus: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Län: Skåne län (12)\n\nHemlig text som inte hör till mappen.\n", encoding="utf-8")
    (corpus / "outside.txt").symlink_to(secret)
    (corpus / "sub").mkdir()
    (corpus / "sub" / "inside.txt").symlink_to(corpus / "rok_00002.txt")  # the same file, taken once
    (corpus / "sub" / "up").symlink_to(corpus)  # a folder loop
    (corpus / "loop1.txt").symlink_to(corpus / "loop2.txt")
    (corpus / "loop2.txt").symlink_to(corpus / "loop1.txt")
    db = tmp_path / "rok.db"
    report = ingest([corpus], db, extractor=PARAGRAPHS)
    assert report.added == 6 and str(secret) not in stored_paths(db)
    reasons = {Path(o.path).name: o.reason for o in report.not_taken}
    assert reasons["outside.txt"] == "symlink to a path outside the folder; not followed"
    assert reasons["loop1.txt"] == reasons["loop2.txt"] == "symlink loop"


def test_a_symlink_loop_named_on_the_command_line_is_one_line(corpus: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    monkeypatch.setenv("ROK_EXTRACTOR", PARAGRAPHS)
    result = runner.invoke(app, ["ingest", str(loop), str(corpus / "rok_00000.txt"), "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if "loop.txt" in line]
    assert errors == [f"error: {loop}: symlink loop"]
    assert "1 added" in result.stdout


# --- item 10: unreadable inputs, named pipes -------------------------------------------------------

def test_named_pipes_are_refused_not_read(corpus: Path, tmp_path: Path) -> None:
    os.mkfifo(corpus / "pipe.txt")
    os.mkfifo(tmp_path / "named.txt")
    report = ingest([corpus, tmp_path / "named.txt"], tmp_path / "rok.db", extractor=PARAGRAPHS)
    assert report.added == 6
    assert sorted(o.reason for o in report.not_taken) == ["a named pipe, not a document; not read"] * 2


def as_unprivileged(command: list[str]) -> list[str]:
    """``command`` run without root's power to read everything: in a new user namespace the process
    keeps its owner's file permissions but loses CAP_DAC_OVERRIDE (as root, chmod 0 would not bite)."""
    if os.geteuid() != 0:
        return command
    if not shutil.which("unshare") or subprocess.run(["unshare", "--user", "true"]).returncode != 0:
        pytest.skip("running as root without user namespaces: permissions cannot be tested")
    return ["unshare", "--user", *command]


def test_unreadable_files_and_folders(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    generate_corpus(docs, 2)
    generate_corpus(docs / "locked", 1)
    locked_file = tmp_path / "locked.txt"
    shutil.copy(docs / "rok_00000.txt", locked_file)
    locked_file.chmod(0)
    (docs / "locked").chmod(0)
    db = tmp_path / "rok.db"
    try:
        result = subprocess.run(as_unprivileged([str(ROK), "ingest", str(locked_file), str(docs), "--db", str(db),
                                                 "-w", "1"]), capture_output=True, text=True, timeout=120,
                                env={**os.environ, "ROK_EXTRACTOR": PARAGRAPHS})
    finally:
        (docs / "locked").chmod(0o755)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "2 added" in result.stdout
    errors = sorted(line for line in result.stderr.splitlines() if line.startswith("error:"))
    assert errors == [f"error: {docs / 'locked'}: folder cannot be listed (Permission denied)",
                      f"error: {locked_file}: cannot be read (Permission denied)"]
    with Store.open(db, readonly=True) as store:
        assert sorted(Path(f.path).name for f in status(store).failures) == ["locked", "locked.txt"]


# --- issue 13: a folder scan names what it does not take -----------------------------------------

def test_folder_scan_names_unsupported_files_and_counts_them(corpus: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (corpus / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (corpus / "MANIFEST.csv").write_text("file,county\n", encoding="utf-8")
    (corpus / "page.html").write_text("<html><body><p>Kommunen ska erbjuda tolk till alla nyanlända.</p>"
                                      "</body></html>", encoding="utf-8")
    monkeypatch.setenv("ROK_EXTRACTOR", PARAGRAPHS)
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(tmp_path / "rok.db")])
    assert result.exit_code == 1  # because of the .png alone
    assert f"error: {corpus / 'scan.png'}: unsupported format: .png" in result.stderr.splitlines()
    assert "note:" in result.stderr and "MANIFEST.csv" in result.stderr
    assert "7 added" in result.stdout and "1 not taken" in result.stdout
    assert [p.name for p in align_paths([corpus])][-1] == "rok_00005.txt"
    assert "page.html" in [p.name for p in align_paths([corpus])]  # reuse/similarity take what ingest takes


def test_a_folder_with_only_a_manifest_beside_documents_exits_zero(corpus: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (corpus / "MANIFEST.csv").write_text("file,county\n", encoding="utf-8")
    monkeypatch.setenv("ROK_EXTRACTOR", PARAGRAPHS)
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(tmp_path / "rok.db")])
    assert result.exit_code == 0, result.output
    report = ingest([corpus], tmp_path / "rok.db", extractor=PARAGRAPHS)
    assert [o.status for o in report.not_taken] == [Status.NOT_TAKEN] and not report.unsupported
    assert stat.S_ISREG(os.stat(corpus / "MANIFEST.csv").st_mode)
