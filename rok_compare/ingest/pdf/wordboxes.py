"""Second looks at a page's words, each with its own box: for table cells, and for runs that
reach across a column gutter. PDFium runs a row's cells, or a line of each of two columns, into
one run; these functions take such runs apart word by word (two box calls a word), only where
needed.
"""

from __future__ import annotations

import re

import pypdfium2.raw as pdfium_c

from rok_compare.ingest.pdf.chars import Chars as _Chars
from rok_compare.ingest.pdf.chars import page_text
from rok_compare.ingest.pdf.marks import blank_note_marks
from rok_compare.ingest.pdf.runs import HAS_LIGATURE, LIGATURES, SPACES, Fragment, clean, split_words


def crosses(fragment: Fragment, gutters: list[tuple[float, float]]) -> bool:
    """A fragment of several words reaching across the middle of one of ``gutters``."""
    return fragment.start >= 0 and " " in fragment.text and any(
        fragment.x0 < (a + b) / 2 < fragment.x1 for a, b in gutters)


def split_across(textpage: object, fragments: list[Fragment], gutters: list[tuple[float, float]]) -> list[Fragment]:
    """``fragments`` with those that cross a gutter split where a gap between words spans it
    (a title across the columns has no such gap and stays whole)."""
    text = page_text(textpage, pdfium_c.FPDFText_CountChars(textpage))
    chars = _Chars(textpage)
    text, _ = blank_note_marks(text, chars)
    result: list[Fragment] = []
    for fragment in fragments:
        if not crosses(fragment, gutters):
            result.append(fragment)
            continue
        gutter = next(g for g in gutters if fragment.x0 < (g[0] + g[1]) / 2 < fragment.x1)
        pieces = split_words(text, fragment.start, fragment.end, chars, gutter)
        for piece in pieces:
            piece.text = SPACES.sub(" ", piece.text.translate(LIGATURES))
        result += pieces
    return result


_WORD_PIECES = re.compile(r"[^\s\ufffe\x02]+[\ufffe\x02]?")
"""A word as PDFium writes it; its mark of a hyphen at a line end ends the word (the next line
is joined on right after it)."""


def words_in(textpage: object, fragments: list[Fragment], box: tuple[float, float, float, float]) -> list[Fragment]:
    """The words of the fragments standing in ``box`` (x0, bottom, x1, top), each with its own box.

    A second, finer look for table cells: PDFium runs a row's cells together into one run, and
    a cell's lines need their own edges (did a line end early?). Two box calls per word, and
    only in tables."""
    inside = [f for f in fragments if f.start >= 0 and f.x0 < box[2] and f.x1 > box[0]
              and box[1] < f.middle < box[3]]
    if not inside:
        return []
    text = page_text(textpage, pdfium_c.FPDFText_CountChars(textpage))
    chars = _Chars(textpage)
    words: list[Fragment] = []
    for fragment in inside:
        for match in _WORD_PIECES.finditer(text, fragment.start, fragment.end):
            start, end = match.span()
            x0, top, x1, low, _, last_top, last_x1, last_low = chars.ends(start, end - 1)
            bottom, height = min(low, last_low), min(top - low, last_top - last_low)
            word = clean(match.group())
            if HAS_LIGATURE.search(word):
                word = word.translate(LIGATURES)
            words.append(Fragment(word, x0, max(x1, last_x1), bottom, bottom + height, False, start, end))
    return words
