"""Issue 13's batch as a user meets it: one folder with a PDF, text, HTML, Word, OpenDocument, an
image and a copy of a seed saved in decomposed Unicode (NFD), ingested in one run."""

from __future__ import annotations

import html
import shutil
import sqlite3
import unicodedata

from conftest import seed
from office_factory import seed_items, write_docx, write_odt
from pdf_factory import single_column_agreement
from typer.testing import CliRunner

from rok_compare.cli import app

BLEKINGE_LIKE = "004"  # Värmland's regional agreement: 12 parties, a period, a type


def _document_rows(db) -> dict[str, tuple]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, path, period_start, period_end, doc_type FROM documents").fetchall()
        out = {}
        for doc_id, path, start, end, doc_type in rows:
            parties = sorted(r[0] for r in conn.execute("SELECT canonical FROM parties WHERE document_id = ?",
                                                        (doc_id,)))
            out[path.rsplit("/", 1)[-1]] = (start, end, doc_type, parties)
        return out


def test_every_readable_file_goes_in_and_the_image_alone_fails_the_run(tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    original = seed(BLEKINGE_LIKE)
    shutil.copy(original, folder / "agreement.txt")
    (folder / "agreement_nfd.txt").write_text(unicodedata.normalize("NFD", original.read_text("utf-8")),
                                              encoding="utf-8")
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in seed("001").read_text("utf-8").splitlines()
                   if line.strip())
    (folder / "norrbotten.html").write_text(f"<!doctype html><html><head><meta charset='utf-8'>"
                                            f"<title>Överenskommelse</title></head><body>{body}</body></html>",
                                            encoding="utf-8")
    write_docx(seed_items(seed("002")), folder / "kronoberg.docx")
    write_odt(seed_items(seed("003")), folder / "jamtland.odt")
    single_column_agreement(folder / "plan.pdf")
    (folder / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    db = tmp_path / "rok.db"

    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db), "--workers", "1"])

    assert result.exit_code == 1, result.output  # because of the image alone
    assert "scan.png: unsupported format" in result.output
    assert "6 added" in result.output and "0 failed" in result.output
    stored = _document_rows(db)
    assert set(stored) == {"agreement.txt", "agreement_nfd.txt", "norrbotten.html", "kronoberg.docx",
                           "jamtland.odt", "plan.pdf"}
    assert stored["agreement_nfd.txt"] == stored["agreement.txt"]
    start, end, doc_type, parties = stored["agreement.txt"]
    assert (start, end, doc_type) == (2007, 2008, "regional_agreement") and len(parties) >= 10
