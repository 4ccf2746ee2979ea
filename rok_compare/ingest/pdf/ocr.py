"""OCR of pages without a usable text layer: Tesseract's command-line program, word boxes from TSV.

The CLI (``tesseract - stdout -l swe tsv``) rather than a binding: it is what the Debian packages
``tesseract-ocr`` and ``tesseract-ocr-swe`` install, it needs no compiled Python module, and a
crash or a hang in it cannot take the reader down (a timeout ends it). A page is rendered by
PDFium at ``DPI`` in grey and handed over on standard input as a PGM image; the TSV gives every
word with its box, line and block, so OCR'd text becomes :class:`Fragment` objects in PDF
coordinates and goes through the same layout, columns, furniture and provenance as a text page.

The mode (``auto``, ``always``, ``never``) comes from the caller or, when it gives none, from the
environment variable ``ROK_OCR``: ``auto`` OCRs pages without usable text when Tesseract is
installed, ``always`` OCRs every page (and fails when Tesseract is missing), ``never`` OCRs
nothing.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from rok_compare.errors import InputError
from rok_compare.ingest.pdf.fragments import WORD_GAP, Fragment

MODES = ("auto", "always", "never")
ENVIRONMENT = "ROK_OCR"
LANGUAGE = "swe"
DPI = 300
"""Tesseract is trained on text of 20-40 pixels cap height: 300 dpi for body text of 9-12 pt."""
TIMEOUT = 300
"""Seconds one page may take before Tesseract is stopped (its page is left empty)."""
INSTALL = "install Tesseract with its Swedish data: apt-get install tesseract-ocr tesseract-ocr-swe"
MIN_CONFIDENCE = 20.0
"""A word below this confidence with no letter or digit is noise (a speck, a photo's edge)."""


def ocr_mode(mode: str | None = None) -> str:
    """The mode asked for, else ``$ROK_OCR``, else ``auto``; an unknown one is an error."""
    chosen = (mode or os.environ.get(ENVIRONMENT) or "auto").strip().lower()
    if chosen not in MODES:
        source = "ocr" if mode else ENVIRONMENT
        raise ValueError(f"{source} must be one of {', '.join(MODES)}, not {chosen!r}")
    return chosen


@functools.cache
def tesseract_ready() -> bool:
    """Tesseract is on the PATH and has the Swedish language data."""
    program = shutil.which("tesseract")
    if program is None:
        return False
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return LANGUAGE in (listed.stdout + listed.stderr).split()


def missing_error(path: Path) -> InputError:
    return InputError(path, f"OCR was asked for but Tesseract is not available; {INSTALL}")


@dataclass(slots=True)
class OcrPage:
    """An OCR'd page: its fragments, in a page box of (0, 0) to (width, height) points."""

    fragments: list[Fragment]
    width: float
    height: float


def ocr_page(page: object) -> OcrPage:
    """Render ``page`` (a ``pypdfium2.PdfPage``) and read it with Tesseract."""
    scale = DPI / 72
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        image = bitmap.to_pil().convert("L")
    finally:
        bitmap.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")
    width, height = image.size[0] / scale, image.size[1] / scale
    return OcrPage(_fragments(run_tesseract(buffer.getvalue()), scale, height), width, height)


def run_tesseract(image: bytes) -> str:
    """Tesseract's TSV for an image (any format Leptonica reads); one thread, as the reader
    runs beside other work and Tesseract's own threads gain little on one page."""
    environment = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    result = subprocess.run(["tesseract", "-", "stdout", "-l", LANGUAGE, "--psm", "3", "tsv"], input=image,
                            capture_output=True, timeout=TIMEOUT, env=environment, check=False)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or "tesseract failed")
    return result.stdout.decode("utf-8", "replace")


def _fragments(tsv: str, scale: float, page_height: float) -> list[Fragment]:
    """Words grouped by Tesseract's lines; a line broken where a gap is wider than ``WORD_GAP``
    line heights (columns, a table's cells), as PDF fragments are."""
    lines: dict[tuple[str, str, str], list[tuple[float, float, float, float, str]]] = {}
    boxes: dict[tuple[str, str, str], tuple[float, float]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        key = (row["block_num"], row["par_num"], row["line_num"])
        left, top = float(row["left"]) / scale, float(row["top"]) / scale
        width, height = float(row["width"]) / scale, float(row["height"]) / scale
        if row["level"] == "4":
            boxes[key] = (page_height - top - height, page_height - top)
        elif row["level"] == "5":
            text = (row.get("text") or "").strip()
            confidence = float(row.get("conf") or -1)
            if text and (confidence >= MIN_CONFIDENCE or any(c.isalnum() for c in text)):
                lines.setdefault(key, []).append((left, left + width, page_height - top - height,
                                                  page_height - top, text))
    fragments: list[Fragment] = []
    for key, words in lines.items():
        bottom, top = boxes.get(key, (min(w[2] for w in words), max(w[3] for w in words)))
        height = max(top - bottom, 1.0)
        words.sort()
        group = [words[0]]
        for word in words[1:]:
            if word[0] - group[-1][1] > WORD_GAP * height:
                fragments.append(_fragment(group, bottom, top))
                group = []
            group.append(word)
        fragments.append(_fragment(group, bottom, top))
    return fragments


def _fragment(words: list[tuple[float, float, float, float, str]], bottom: float, top: float) -> Fragment:
    return Fragment(" ".join(w[4] for w in words), words[0][0], max(w[1] for w in words), bottom, top)


class Progress:
    """One line on the terminal, rewritten per OCR'd page, for files of several pages (OCR takes
    seconds a page); silent when standard error is not a terminal."""

    def __init__(self, path: Path, pages: int) -> None:
        self.path, self.pages = path, pages
        self.wanted = sys.stderr.isatty() and pages >= 3
        self.shown = False

    def page(self, number: int) -> None:
        if self.wanted:
            done = int(20 * number / self.pages)
            sys.stderr.write(f"\rOCR {self.path.name} [{'#' * done}{'.' * (20 - done)}] page {number}/{self.pages}")
            sys.stderr.flush()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
