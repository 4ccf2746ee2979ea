"""Layout-aware PDF reader: reading-order text of a PDF, with pages, tables and provenance.

    read_pdf(path, data, sha256, *, ocr=None, max_pages=2000, max_decompressed=1 GiB) -> SourceDocument

Per page, PDFium (fast) gives text fragments with their boxes; ruled tables go through
pdfplumber on their region only. Across pages, running headers, footers and page numbers are
found by repetition and dropped; so are footnotes and the marks pointing to them. Per page again,
columns and bands give the reading order, lines become paragraphs (hyphenation repaired) and the
text is written in the conventions of the text reader: pages joined by ``\\f``, tables as
tab-separated lines; inside a cell a wrapped line goes on after a space and a line break the
author meant is a ``\\v`` (see ``cells``).
"""

from __future__ import annotations

import ctypes
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from rok_compare.errors import InputError
from rok_compare.ingest.pdf.blocks import page_blocks, title_first
from rok_compare.ingest.pdf.boxes import mark_boxes
from rok_compare.ingest.pdf.compose import PageText, carry_broken_word, compose_page
from rok_compare.ingest.pdf.footnotes import remove_footnotes
from rok_compare.ingest.pdf.fragments import Fragment, page_fragments
from rok_compare.ingest.pdf.furniture import remove_furniture
from rok_compare.ingest.pdf.hyphenation import Vocabulary
from rok_compare.ingest.pdf.layout import (
    DENSE,
    Gutter,
    borrowed_gutters,
    find_gutters,
    in_table,
    outside_tables,
    reading_order,
    shared_gutters,
    trusted_tables,
)
from rok_compare.ingest.pdf.ocr import INSTALL, Progress, missing_error, ocr_mode, ocr_page, tesseract_ready
from rok_compare.ingest.pdf.open import (
    BLANK,
    CORRUPT,
    MAX_DECOMPRESSED,
    MAX_PAGES,
    NO_TEXT,
    open_pdf,
    truncation_warning,
)
from rok_compare.ingest.pdf.pagefragments import PageFragments
from rok_compare.ingest.pdf.tables import Box, FoundTable, find_tables, ruled_regions
from rok_compare.ingest.pdf.textlayer import readable
from rok_compare.ingest.pdf.unruled import find_unruled_tables, has_candidates
from rok_compare.ingest.pdf.wordboxes import crosses, split_across, words_in
from rok_compare.model import Page, SourceDocument, SourceFormat, Span, Table, TableCell

__all__ = ["read_pdf"]


def read_pdf(path: Path, data: bytes, sha256: str, *, ocr: str | None = None, max_pages: int = MAX_PAGES,
             max_decompressed: int = MAX_DECOMPRESSED) -> SourceDocument:
    """Read a PDF; raise :class:`InputError` when it is corrupt, encrypted, empty, over a limit,
    or scanned and cannot be OCR'd.

    ``ocr`` is ``auto`` (pages without a usable text layer are OCR'd when Tesseract is
    installed), ``always`` (every page is OCR'd) or ``never``; None takes ``$ROK_OCR``, else
    ``auto``. ``max_pages`` and ``max_decompressed`` bound what a file may make us do."""
    mode = ocr_mode(ocr)
    if mode == "always" and not tesseract_ready():
        raise missing_error(path)
    warnings: list[str] = []
    if warning := truncation_warning(data):
        warnings.append(warning)
    document = open_pdf(path, data, max_pages=max_pages, max_decompressed=max_decompressed)
    try:
        pages, tables = _read_pages(path, document, warnings, mode)
        if not any(page.fragments for page in pages):
            if not any(page.images for page in pages):
                raise InputError(path, BLANK)
            if mode == "never":
                raise InputError(path, NO_TEXT)
            if not tesseract_ready():
                raise InputError(path, f"{NO_TEXT}: {INSTALL}")
            raise InputError(path, "PDF has no text layer, and OCR found no text in its images")
        scanned = [str(number) for number, page in enumerate(pages, start=1) if page.images]
        if scanned:
            hint = f" ({INSTALL} to read them)" if mode == "auto" and not tesseract_ready() else ""
            warnings.append(f"page(s) {', '.join(scanned)} have no text layer (scanned images?){hint}")
        body_height = _body_height(pages)
        remove_furniture(pages, body_height)
        remove_footnotes(pages, body_height)
        texts = _page_texts(pages, tables, body_height, document)
    finally:
        document.close()
    return _document(path, sha256, texts, warnings)


def _read_pages(path: Path, document: pdfium.PdfDocument, warnings: list[str],
                mode: str = "never") -> tuple[list[PageFragments], list[list[FoundTable]]]:
    """Fragments and tables of every page; pages and text pages are closed as soon as read.

    A page PDFium cannot load is kept as an empty page with a warning (the others still count);
    a document none of whose pages loads is corrupt. A page whose text layer is junk (see
    ``textlayer``) counts as a page without text; such pages, and pages of images only, are
    OCR'd when ``mode`` allows and Tesseract is there.
    """
    pages: list[PageFragments] = []
    tables: list[list[FoundTable]] = []
    failed: list[str] = []
    junk: list[str] = []
    can_ocr = mode != "never" and tesseract_ready()
    progress = Progress(path, len(document)) if can_ocr else None
    for index in range(len(document)):
        raw = pdfium_c.FPDF_LoadPage(document.raw, index)  # the raw handle: no helper object a page
        if not raw:
            failed.append(str(index + 1))
            pages.append(PageFragments([], 0.0, 0.0, damaged=True))
            tables.append([])
            continue
        try:
            left, bottom, right, top = _cropbox(raw)
            textpage = pdfium_c.FPDFText_LoadPage(raw)
            marks: set[str] = set()
            rules: list[Box] = []
            rotated: list[str] = []
            try:
                fragments = page_fragments(textpage, marks, rotated)
                unreadable = bool(fragments) and not readable(fragments)
                if unreadable:
                    fragments, marks = [], set()
                    junk.append(str(index + 1))
                tables.append(_page_tables(index, raw, textpage, top, fragments, warnings, rules))
            finally:
                pdfium_c.FPDFText_ClosePage(textpage)
        finally:
            pdfium_c.FPDF_ClosePage(raw)
        scanned = not fragments and (unreadable or _has_images(document, index))
        if can_ocr and (scanned or mode == "always"):
            pages.append(_ocr(index, document, warnings, progress))
            tables[-1] = []
            continue
        pages.append(PageFragments(fragments, bottom, top, images=scanned,
                                   width=right - left, marks=marks, rules=rules, rotated=rotated))
    if progress is not None:
        progress.close()
    if junk:
        warnings.append(f"page(s) {', '.join(junk)} have an unreadable text layer (fonts without a character map)")
    if failed and len(failed) == len(pages):
        raise InputError(path, f"{CORRUPT} (no page can be loaded)")
    if failed:
        warnings.append(f"page(s) {', '.join(failed)} cannot be read (damaged PDF); their text is missing")
    return pages, tables


def _ocr(index: int, document: pdfium.PdfDocument, warnings: list[str], progress: Progress | None) -> PageFragments:
    """The page read by OCR; a failure leaves it empty with a warning (the others still count)."""
    if progress is not None:
        progress.page(index + 1)
    try:
        page = document[index]
        try:
            result = ocr_page(page)
        finally:
            page.close()
    except Exception as error:  # Tesseract crashed or timed out on this page
        warnings.append(f"page {index + 1}: OCR failed ({type(error).__name__}: {error}); its text is missing")
        return PageFragments([], 0.0, 0.0, images=True)
    return PageFragments(result.fragments, 0.0, result.height, images=not result.fragments,
                         width=result.width, ocr=True)


def _has_images(document: pdfium.PdfDocument, index: int) -> bool:
    """The page holds an image (asked only of pages without text: through a helper page)."""
    page = document[index]
    try:
        return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    finally:
        page.close()


def _cropbox(page: object) -> tuple[float, float, float, float]:
    """left, bottom, right, top of the page's crop box, else its media box, else US Letter (as
    pypdfium2's ``get_cropbox``)."""
    corners = [ctypes.c_float() for _ in range(4)]
    pointers = [ctypes.byref(corner) for corner in corners]
    if pdfium_c.FPDFPage_GetCropBox(page, *pointers) or pdfium_c.FPDFPage_GetMediaBox(page, *pointers):
        left, bottom, right, top = (corner.value for corner in corners)
        return left, bottom, right, top
    return 0.0, 0.0, 612.0, 792.0


def _page_tables(index: int, page: object, textpage: object, top: float,
                 fragments: list[Fragment], warnings: list[str], rules: list[Box]) -> list[FoundTable]:
    """The page's ruled tables (``page`` is PDFium's raw page handle)."""
    if not fragments:
        return []
    paths: list = []
    regions = ruled_regions(page, rules, paths)
    if not regions:
        return []
    try:
        return find_tables(page, textpage, top, regions, fragments, paths)
    except Exception as error:  # a table we cannot read stays in the text as plain lines
        warnings.append(f"page {index + 1}: table not read ({type(error).__name__}); kept as text")
        return []


def _body_height(pages: list[PageFragments]) -> float:
    """The most common line height, weighted by text length: the body text's size."""
    heights: Counter[float] = Counter()
    fragments = [f for page in pages for f in page.fragments]
    for fragment in fragments[:: max(1, len(fragments) // 3000)]:  # a sample is plenty
        heights[round(fragment.height, 1)] += len(fragment.text)
    return heights.most_common(1)[0][0] if heights else 10.0


def _vocabulary(pages: list[PageFragments]) -> Vocabulary:
    """The document's own words, as evidence for hyphen repair (only built when needed)."""
    fragments: list[Fragment] = [f for page in pages for f in page.fragments]
    if not any(f.text.endswith(("-", "‐")) for f in fragments):
        return Vocabulary()
    return Vocabulary(f.text for f in fragments)


def _page_texts(pages: list[PageFragments], tables: list[list[FoundTable]], body_height: float,
                document: pdfium.PdfDocument) -> list[PageText]:
    vocabulary = _vocabulary(pages)
    tables = [trusted_tables(page.fragments, _not_furniture(page, page_tables))
              for page, page_tables in zip(pages, tables, strict=True)]
    bodies = [outside_tables(page.fragments, page_tables) for page, page_tables in zip(pages, tables, strict=True)]
    for page, page_tables, body in zip(pages, tables, bodies, strict=True):
        mark_boxes(page_tables, page.fragments, body)
    gutters = [find_gutters(body) for body in bodies]
    for index, (body, own) in enumerate(zip(bodies, gutters, strict=True)):
        if (not _dense_columns(body, own) or _narrow_left_column(body, own)) and has_candidates(body):  # a table?
            found, rest = _unruled_tables(document, index, body)
            if found:
                tables[index] = [*tables[index], *found]
                bodies[index], gutters[index] = rest, find_gutters(rest)
    shared = shared_gutters([page.width for page in pages], gutters)
    texts: list[PageText] = []
    for index, (page, body, page_tables, own) in enumerate(zip(pages, bodies, tables, gutters, strict=True)):
        if not own and page.width in shared:  # too little text to show its columns by itself
            own = borrowed_gutters(body, shared[page.width])
            body = _split_at_gutters(document, index, body, own)
        blocks = page_blocks(reading_order(body, page_tables, own), body_height)
        text = compose_page(title_first(blocks, body_height) if index == 0 else blocks, vocabulary)
        if page.rotated:  # margin text set at an angle: its own lines, after the body
            text.text += ("\n\n" if text.text else "") + "\n".join(page.rotated)
        if texts and text.text and not _ends_in_table(texts[-1]) and not _starts_with_table(text):
            texts[-1].text, _ = carry_broken_word(texts[-1].text, text, vocabulary)
        texts.append(text)
    return texts


def _not_furniture(page: PageFragments, tables: list[FoundTable]) -> list[FoundTable]:
    """The tables less those whose text was all dropped as furniture (a running header and a
    footer framed by rules, found as tables of a row each)."""
    if not tables or not page.furniture:
        return tables
    return [table for table in tables
            if not (any(in_table(f, [table]) for f in page.furniture)
                    and not any(in_table(f, [table]) for f in page.fragments))]


def _dense_columns(body: list[Fragment], gutters: list[Gutter]) -> bool:
    """The page's gutters part columns of many lines (text in columns, not a table's)."""
    return bool(gutters) and all(
        min(sum(1 for f in body if f.x1 <= start), sum(1 for f in body if f.x0 >= end)) >= DENSE
        for start, end in gutters)


def _narrow_left_column(body: list[Fragment], gutters: list[Gutter]) -> bool:
    """One gutter, the text left of it less than ``TERM_WIDTH`` as wide as the text right of it:
    terms and their texts perhaps (a definition list), not two columns of text."""
    if len(gutters) != 1:
        return False
    start, end = gutters[0]
    left, right = min(f.x0 for f in body), max(f.x1 for f in body)
    return start - left < TERM_WIDTH * (right - end)


TERM_WIDTH = 0.6


def _unruled_tables(document: pdfium.PdfDocument, index: int,
                    body: list[Fragment]) -> tuple[list[FoundTable], list[Fragment]]:
    """The page's unruled tables, the page opened again for its words' boxes (OCR'd fragments,
    which have no characters in a text page, are taken as they are)."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            return find_unruled_tables(body, lambda line: words_in(textpage.raw, line, _EVERYWHERE))
        finally:
            textpage.close()
    finally:
        page.close()


_EVERYWHERE = (-1e9, -1e9, 1e9, 1e9)


def _split_at_gutters(document: pdfium.PdfDocument, index: int, fragments: list[Fragment],
                      gutters: list[Gutter]) -> list[Fragment]:
    """Fragments running across a borrowed gutter (a line of each column joined, the columns
    written row by row) split at it; the page is opened again for their words' boxes."""
    if not any(crosses(f, gutters) for f in fragments):
        return fragments
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            return split_across(textpage.raw, fragments, gutters)
        finally:
            textpage.close()
    finally:
        page.close()


def _ends_in_table(page: PageText) -> bool:
    return bool(page.tables) and page.tables[-1][-1][-1][2] >= len(page.text)


def _starts_with_table(page: PageText) -> bool:
    return bool(page.tables) and page.tables[0][0][0][1] == 0


def _document(path: Path, sha256: str, texts: list[PageText], warnings: list[str]) -> SourceDocument:
    pages: list[Page] = []
    tables: list[Table] = []
    offset = 0
    for number, page in enumerate(texts, start=1):
        pages.append(Page(number, offset, offset + len(page.text)))
        for rows in page.tables:
            tables.append(Table(number, tuple(
                tuple(TableCell(text, Span(number, offset + start, offset + end)) for text, start, end in row)
                for row in rows)))
        offset += len(page.text) + 1
    return SourceDocument(path=path, sha256=sha256, format=SourceFormat.PDF,
                          text="\f".join(page.text for page in texts), pages=pages, tables=tables,
                          warnings=warnings)
