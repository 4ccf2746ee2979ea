"""Text fragments of one page: runs of characters on one line, with their box, size and weight.

PDFium's text page gives the characters in content-stream order with spaces and line breaks
(``\\r\\n``) already inserted; we keep its characters but not its idea of layout. Asking for the
box of every character is the slow part (one C call each), so a run between two of PDFium's
line breaks is placed by the boxes of its first and last characters only. It is broken into
words (two boxes per word) only when those two disagree (PDFium joined two lines) or when the
page turns out to hide a column gutter inside its runs (columns written row by row).

Coordinates are PDF user space: x to the right, y upwards.
"""

from __future__ import annotations

import re

import pypdfium2.raw as pdfium_c

from rok_compare.ingest.pdf.chars import ANGLE as _ANGLE
from rok_compare.ingest.pdf.chars import RECT as _RECT
from rok_compare.ingest.pdf.chars import TWO_RECTS as _TWO_RECTS
from rok_compare.ingest.pdf.chars import Chars as _Chars
from rok_compare.ingest.pdf.chars import page_text
from rok_compare.ingest.pdf.marks import blank_note_marks, separate_marks
from rok_compare.ingest.pdf.runs import (
    HAS_ACCENT,
    HAS_LIGATURE,
    SPACES,
    SPACING_ACCENTS,
    WORD_GAP,
    Fragment,
    Line,
    clean,
    compose_accents,
    expand_ligatures,
    split_words,
)
from rok_compare.ingest.pdf.runsplits import split_hidden_gutters, split_interleaved, split_left_labels, split_sparse
from rok_compare.ingest.pdf.spacing import GLUED, WORD_STRETCH, few_spaces, invisible, space_glued

__all__ = ["WORD_GAP", "Fragment", "Line", "compose_accents", "page_fragments"]

_RUNS = re.compile(r"[^\s\ufffe\x02](?:[^\r\n\ufffe\x02]*[^\s\ufffe\x02])?[\ufffe\x02]?")
"""A run of characters between PDFium's line breaks, without outer spaces. PDFium marks a hyphen
it found at a line end as U+FFFE (or 0x02) and joins the next line on: the mark ends a run."""
_TALL = frozenset("()[]{}|/")
"""Glyphs whose boxes reach above and below a line's letters: a line starting and ending with
them would look set in a larger size."""
_UNSURE = 500
"""A weight from 500 to 599 is asked of the font's name too (see ``chars``)."""

def _accent_placed(piece: str, start: int, end: int, chars: _Chars, x1: float) -> tuple[str, float]:
    """A run ending in a spacing accent that TeX drew after the line, back over its letter
    ("... Ar det en bra eller ¨" for "Är"): the accent put before the letter under it (then
    composed with it) and the run's right end taken from its last letter, not the accent's
    (which made the line look as if it ended early). Else the run as it is."""
    left, _, right, _ = chars.box(end - 1)
    middle, line_end = (left + right) / 2, -1e9
    for index in range(end - 2, start - 1, -1):
        x0, _, x1_here, _ = chars.box(index)
        line_end = max(line_end, x1_here)
        if x0 - 0.5 <= middle <= x1_here + 0.5 and piece[index - start].isalpha():
            at = index - start
            return (piece[:at] + piece[-1] + piece[at:-1]).rstrip(), line_end
        if line_end > middle and x1_here < left - 20:  # far left of the accent: not drawn back
            break
    return piece, x1


def _turned(angle: float) -> bool:
    """A character's angle (radians, -1 when unknown) is not upright."""
    return 0.05 < angle < 6.23


def page_fragments(textpage: object, marks: set[str] | None = None,
                   rotated: list[str] | None = None) -> list[Fragment]:
    """All fragments of a page, in PDFium's order; the footnote marks dropped from the body
    text ("1", "2") go into ``marks`` when it is given. Runs of rotated text (a margin's
    vertical reference number, a stamp) go into ``rotated`` instead, when it is given and they
    are the lesser part of the page: they are not lines of the body."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    text = page_text(textpage, count)
    chars = _Chars(textpage)
    text, found = blank_note_marks(text, chars)
    if marks is not None:
        marks.update(found)
    box, bold = chars.box, chars.bold
    # the hot loop: two boxes and a weight a run, called straight (no method call between)
    loose, weigh, address = chars.loose, chars.weigh, chars.address
    fragments: list[Fragment] = []
    wide: list[tuple[int, int, int]] = []  # (fragment index, start, end) of runs to check for gutters
    runs = list(_RUNS.finditer(text))
    check_angle = rotated is not None and _ANGLE is not None
    turned: list[re.Match] = []  # runs of rotated text: only those that do not run left to right
    spread: list[float] = []  # per entry of ``wide``: width per character, in line heights
    append_fragment, append_wide, append_spread = fragments.append, wide.append, spread.append
    pair, second = chars.pair, chars.address + _RECT.size  # the run's first and last boxes, side by side
    unpack_pair = _TWO_RECTS.unpack_from
    for match in runs:
        start, end = match.span()
        loose(start, address)
        loose(end - 1, second)
        first_x0, first_top, _, first_bottom, last_x0, last_top, last_x1, last_bottom = unpack_pair(pair)
        # a capital with a ring or dots (Å, Ä, Ö) sticks out above the font's ascent: the
        # lower of the two boxes is the line's height; the bottoms (descent) agree on one line
        height = first_top - first_bottom
        if last_top - last_bottom < height:
            height = last_top - last_bottom
        length = end - start
        if length > 2 and text[start] in _TALL and text[end - 1] in _TALL:  # "(a) ... (2p)"
            _, inner_bottom, _, inner_top = box(start + 1)
            height = min(height, inner_top - inner_bottom)
        upright = abs(first_bottom - last_bottom) < 0.5 * (height if height > 1.0 else 1.0) \
            and last_x1 >= first_x0 - 1
        if check_angle and (not upright or length <= 2) and _turned(_ANGLE(chars.handle, start)):
            turned.append(match)
        elif upright:
            bottom = first_bottom if first_bottom < last_bottom else last_bottom
            weight = weigh(start)
            heavy = False if 0 < weight < _UNSURE else bold(start) and bold(end - 1)
            piece = match.group()
            if piece[-1] in "\ufffe\x02" or not piece.isprintable():
                piece = clean(piece)
            elif piece[-1] in SPACING_ACCENTS and length > 2:
                piece, last_x1 = _accent_placed(piece, start, end, chars, last_x1)
            append_wide((len(fragments), start, end))
            append_fragment(Fragment(piece, first_x0, last_x1, bottom, bottom + height, heavy, start, end))
            append_spread((last_x1 - first_x0) / (length * height) if height > 1.0 and length > 3 else 0.0)
        else:  # PDFium ran two lines together
            fragments.extend(split_words(text, start, end, chars))
    if turned and rotated is not None and len(turned) < 0.5 * len(runs):
        rotated.extend(clean(match.group()) for match in turned)
    else:  # most of the page is turned (a landscape sheet drawn rotated): read it as it is
        for match in turned:
            fragments.extend(split_words(text, match.start(), match.end(), chars))
    split_sparse(fragments, wide, spread, text, chars)
    split_hidden_gutters(fragments, wide, text, chars)
    split_left_labels(fragments, text, chars)
    split_interleaved(fragments, text, chars)
    if invisible(fragments, chars) or few_spaces(text) and GLUED.search(text) \
            and space_glued(fragments, chars, GLUED, False):
        space_glued(fragments, chars, WORD_STRETCH)  # an OCR layer, or words run together
    if marks is not None:
        separate_marks(fragments, marks)
    if HAS_LIGATURE.search(text):
        expand_ligatures(fragments)
    if HAS_ACCENT.search(text):
        for fragment in fragments:
            if HAS_ACCENT.search(fragment.text):
                fragment.text = compose_accents(fragment.text)
    if found:
        for fragment in fragments:
            if "  " in fragment.text:
                fragment.text = SPACES.sub(" ", fragment.text)
    return fragments

