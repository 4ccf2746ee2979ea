"""The reader on real Swedish public-sector PDFs (``../shared/pdf/real``, skipped when absent).

Three kinds of check:

- every PDF reads without an error (the two scans, an image-only one and one whose Type 3 fonts
  have no character map, through OCR when Tesseract is installed);
- no text is lost: word recall against pdftotext's reading (``*.pdftotext.txt`` beside each PDF)
  is at least ``MIN_RECALL`` per document with a usable text layer. Running headers, footers and
  page numbers (lines that repeat across pages) are left out of the reference, and the reader's
  footnote removal is switched off for this check: footnotes are dropped on purpose, not lost;
- pages checked by eye against their rendering keep the reading that was reviewed: a
  fingerprint of each (a hash of the normalised page text, its block count and a short hash per
  block, in order) is in ``tests/data/pdf_real_fingerprints.json``. A change that scrambles the
  order or drops a line fails here and the page is looked at again (``python
  tests/test_pdf_real.py --freeze`` writes the file anew after a review). Only hashes are
  kept in the project: the documents and their text stay in ``../shared``.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "pdf" / "real"
FINGERPRINTS = Path(__file__).resolve().parent / "data" / "pdf_real_fingerprints.json"
MIN_RECALL = 0.98
NO_TEXT_LAYER = {"regeringen_1991_prop-1991-92-43-skattetillagg-skannad.pdf",
                 "chalmers_2001_tentamen-datastrukturer-type3-typsnitt.pdf"}
"""Image-only, and a junk text layer (pdftotext's reference is junk too): read by OCR."""

PDFS = sorted(REAL.glob("*.pdf")) if REAL.is_dir() else []
pytestmark = pytest.mark.skipif(not PDFS, reason=f"real PDFs not available ({REAL})")

_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")
_INVISIBLE = str.maketrans({"\u200b": None, "\xad": None, "\ufeff": None})
_PAGE_NUMBER = re.compile(r"^(?:sida|sid|s\.|page)?\s*[-–(\[]?\s*#\s*[-–)\]]?\s*(?:(?:av|of|/|\()\s*#\s*\)?)?$")


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).lower())


def without_furniture(reference: str) -> str:
    """pdftotext's text less lines that repeat on many pages (digits aside) and page numbers."""
    pages = unicodedata.normalize("NFKC", reference.translate(_INVISIBLE)).split("\f")
    keyed = [[(_DIGITS.sub("#", " ".join(line.lower().split())), line) for line in page.splitlines()
              if line.strip()] for page in pages]
    seen = Counter(key for page in keyed for key in {key for key, _ in page})
    needed = max(2, 0.3 * len(pages))
    return "\n".join(line for page in keyed for key, line in page
                     if not (len(pages) > 2 and seen[key] >= needed) and not _PAGE_NUMBER.match(key))


def recall(ours: str, reference: str) -> tuple[float, Counter[str]]:
    """Share of the reference's words found in ``ours`` (as a multiset). A word pdftotext
    leaves cut at a line end ("möjlig-" "heter") counts whole; a long word we wrote with a
    hyphen or a space inside counts when its letters run on in our text."""
    joined = re.sub(r"(\w)[-‐]\s*\n\s*(\w)", r"\1\2", without_furniture(reference))
    expected, found = Counter(words(joined)), Counter(words(ours))
    squeezed = "".join(words(ours))
    hit, missing = 0, Counter()
    for word, count in expected.items():
        matched = min(count, found[word])
        if matched < count and len(word) >= 5 and word in squeezed:
            matched = count
        hit += matched
        if matched < count:
            missing[word] = count - matched
    return hit / max(1, sum(expected.values())), missing


def read_keeping_footnotes(path: Path, monkeypatch: pytest.MonkeyPatch | None = None):
    from rok_compare.ingest import read_document

    if monkeypatch is not None:
        monkeypatch.setattr("rok_compare.ingest.pdf.remove_footnotes", lambda pages, height: 0)
    return read_document(path)


def fingerprint(page_text: str) -> dict[str, object]:
    """Blocks are what the reader separates by blank lines or list-item lines; each block's text
    is normalised (NFC, spaces collapsed) before hashing."""
    blocks = [" ".join(block.split()) for block in re.split(r"\n+", unicodedata.normalize("NFC", page_text))]
    blocks = [block for block in blocks if block]
    whole = hashlib.sha256("\n".join(blocks).encode()).hexdigest()[:16]
    return {"blocks": len(blocks), "sha256": whole,
            "order": [hashlib.sha256(block.encode()).hexdigest()[:6] for block in blocks]}


def _page_text(document, number: int) -> str:
    page = document.pages[number - 1]
    return document.text[page.start : page.end]


# --- the tests --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", PDFS, ids=[p.name[:40] for p in PDFS])
def test_every_real_pdf_reads_and_loses_no_text(path, monkeypatch):
    from rok_compare.ingest.pdf.ocr import tesseract_ready

    if path.name in NO_TEXT_LAYER and not tesseract_ready():
        pytest.skip("needs Tesseract (tesseract-ocr, tesseract-ocr-swe)")
    document = read_keeping_footnotes(path, monkeypatch)
    assert document.text.strip()
    if path.name in NO_TEXT_LAYER:
        assert any("OCR" in w or "unreadable" in w for w in document.warnings) or "skannad" in path.name
        assert len(words(document.text)) > 200  # read by OCR, not returned as junk
        return
    reference = path.with_name(path.stem + ".pdftotext.txt").read_text(encoding="utf-8", errors="replace")
    share, missing = recall(document.text, reference)
    assert share >= MIN_RECALL, f"recall {share:.3f}; missing {missing.most_common(15)}"


def _reviewed() -> list[tuple[str, int, dict]]:
    if not FINGERPRINTS.exists():
        return []
    data = json.loads(FINGERPRINTS.read_text(encoding="utf-8"))
    return [(entry["file"], entry["page"], entry) for entry in data["pages"]]


@pytest.mark.parametrize(("name", "number", "expected"), _reviewed(),
                         ids=[f"{n[:24]}-p{p}" for n, p, _ in _reviewed()])
def test_reviewed_pages_keep_their_reading(name, number, expected, documents):
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{name} not available")
    actual = fingerprint(_page_text(documents(path), number))
    assert actual["order"] == expected["order"], f"{name} page {number}: blocks changed ({expected['note']})"
    assert (actual["blocks"], actual["sha256"]) == (expected["blocks"], expected["sha256"])


def test_at_least_thirty_pages_were_reviewed():
    assert len(_reviewed()) >= 30


@pytest.fixture(scope="module")
def documents():
    """Each document read once for all its reviewed pages (the default reader: footnotes off)."""
    from rok_compare.ingest import read_document

    cache: dict[Path, object] = {}

    def read(path: Path):
        if path not in cache:
            cache[path] = read_document(path)
        return cache[path]

    return read


def freeze(reviews: list[tuple[str, int, str]]) -> None:
    """Write the fingerprints of the reviewed pages (file, page, what the review found)."""
    from rok_compare.ingest import read_document

    pages = []
    for name, number, note in reviews:
        document = read_document(REAL / name)
        pages.append({"file": name, "page": number, "note": note, **fingerprint(_page_text(document, number))})
    FINGERPRINTS.write_text(json.dumps({"about": "Fingerprints of real-PDF pages checked by eye against "
                                        "their rendering (pdftoppm -r 60); see tests/test_pdf_real.py.",
                                        "pages": pages}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":  # python tests/test_pdf_real.py --freeze REVIEWS.json
    if sys.argv[1:2] == ["--freeze"]:
        freeze([tuple(entry) for entry in json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))])
