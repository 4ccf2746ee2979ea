"""The text reader: encodings, HTML remnants with offsets kept, and bad input."""

from __future__ import annotations

import pytest

from rok_compare.errors import InputError
from rok_compare.ingest import read_document
from rok_compare.model import SourceFormat

SWEDISH = "Överenskommelsen gäller för Jämtlands län. Parterna åtar sig att följa upp målen."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_common_encodings_are_detected(tmp_path, encoding):
    path = tmp_path / f"doc-{encoding}.txt"
    path.write_bytes(SWEDISH.encode(encoding))
    doc = read_document(path)
    assert doc.text == SWEDISH
    assert doc.format is SourceFormat.TEXT


def test_html_remnants_are_blanked_and_offsets_kept(tmp_path):
    raw = '<ul style="list-style-type: none"><li>Migrationsverket &amp; Arbetsförmedlingen</li></ul>'
    path = tmp_path / "list.txt"
    path.write_text(raw, encoding="utf-8")
    doc = read_document(path)
    assert len(doc.text) == len(raw)
    assert "<" not in doc.text and "style" not in doc.text
    start = raw.index("Migrationsverket")
    assert doc.text[start : start + len("Migrationsverket")] == "Migrationsverket"
    assert "Migrationsverket &" in " ".join(doc.text.split())


def test_form_feed_starts_a_new_page(tmp_path):
    path = tmp_path / "pages.txt"
    path.write_text("Sida ett.\fSida två.", encoding="utf-8")
    doc = read_document(path)
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.page_at(doc.text.index("två")) == 2


def test_seed_documents_read(seed_paths):
    for path in seed_paths:
        doc = read_document(path)
        assert doc.encoding == "utf-8"
        assert len(doc.sha256) == 64
        assert "Länsstyrelsen" in doc.text or "länsstyrelsen" in doc.text.lower()


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"   \n\n  ", "is empty"),
        ("junk.bin", bytes(range(256)) * 8, "binary"),
        ("fake.pdf", b"just some text, not a pdf", "not a PDF"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "unsupported format"),
        ("report.docx", b"PK\x03\x04" + b"\x00" * 64, "damaged Word document"),
        ("bad.txt", b"Hej " + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40, "unreadable text encoding"),
    ],
)
def test_bad_input_names_file_and_problem(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as error:
        read_document(path)
    assert str(path) in str(error.value)
    assert problem in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nowhere.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path)


def test_entities_inside_words_keep_the_word_whole(tmp_path):
    """'Enk&ouml;pings' reads 'Enköpings' (its padding moves to the end of the word), so the registry
    finds the municipality; offsets outside the word stay true."""
    raw = "<p>Enk&ouml;pings kommun och Arbetsf&ouml;rmedlingen har tecknat en &ouml;verenskommelse.</p>"
    path = tmp_path / "sida.html"
    path.write_text(raw, encoding="utf-8")
    doc = read_document(path)
    assert len(doc.text) == len(raw)
    assert "Enköpings" in doc.text and "Arbetsförmedlingen" in doc.text
    assert doc.text.index("kommun") == raw.index("kommun")
    from rok_compare.extract import extract_document

    assert [p.canonical for p in extract_document(path).parties] == ["Enköpings kommun", "Arbetsförmedlingen"]
