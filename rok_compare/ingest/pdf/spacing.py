"""Spaces in text layers that write none: an OCR program's layer over a scan places each word
by itself, and PDFium puts no space between words drawn invisible (nor, in visible text, between
words closer than about 0.2 line heights). pdfplumber puts one in from character gaps; so do we.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rok_compare.ingest.pdf.chars import GET_TEXT_OBJECT, INVISIBLE, RENDER_MODE, Chars

if TYPE_CHECKING:  # fragments imports this module: types only
    from rok_compare.ingest.pdf.fragments import Fragment

GLUED_CHARS = 30
"""A stretch of this many characters without a space may be words run together: a text layer
(an OCR program's, most often) that places each word by itself and writes no space between.
When one such stretch has a gap between its characters, every word of the page is looked at.
An OCR layer drawn invisible (over its scan) is looked at word by word in any case."""
SPACE_GAP = 0.075
"""Inside such a stretch, a gap between two characters' boxes wider than this many line heights
is a space (loose boxes of one word abut; kerning, and an OCR layer's uneven letters, move them
by up to 0.06). PDFium puts spaces in by itself from about 0.2 line heights in visible text, and
not at all in an OCR layer (invisible text, where every word is looked at); pdfplumber from 3
points."""
CHARS_A_SPACE = 12
"""Swedish text has a space every seven characters or so (words of six letters on average)."""
_LEADERS = re.compile(r"[.·]{2}|[…_]")
"""Dot leaders start a little apart from their entry: no space is put in beside them."""
WORD_STRETCH = re.compile(r"[^\s\ufffe\x02]{2,}")
GLUED = re.compile(f"(?<![^\\s\ufffe\x02])[^\\s\ufffe\x02]{{{GLUED_CHARS},}}")
"""A stretch starts after a space (the look-behind keeps the search linear)."""


def few_spaces(text: str) -> bool:
    """A page's text with fewer than one space in ``CHARS_A_SPACE`` characters (words run
    together somewhere?): only then are long stretches looked for (a quick count first)."""
    return text.count(" ") * CHARS_A_SPACE < len(text)


def invisible(fragments: list[Fragment], chars: Chars) -> bool:
    """The page's text is drawn invisible (render mode 3): an OCR program's layer over a scan.
    Three fragments tell (its first, middle and last)."""
    if not fragments or GET_TEXT_OBJECT is None:
        return False
    sample = {fragments[0], fragments[len(fragments) // 2], fragments[-1]}
    hidden = 0
    for fragment in sample:
        if fragment.start >= 0:
            handle = GET_TEXT_OBJECT(chars.handle, fragment.start)
            hidden += bool(handle) and RENDER_MODE(handle) == INVISIBLE
    return 2 * hidden > len(sample)


def space_glued(fragments: list[Fragment], chars: Chars, stretches: re.Pattern, change: bool = True) -> bool:
    """Spaces put into ``stretches`` (every word, or only long stretches without a space) where
    their characters stand apart; whether there was such a place. In place, when ``change``
    (the fragments' texts then no longer run one character for one of the page's text)."""
    shortest = GLUED_CHARS if stretches is GLUED else 2
    found = False
    for fragment in fragments:
        if fragment.start < 0 or fragment.end - fragment.start < shortest:
            continue
        limit = SPACE_GAP * max(fragment.height, 1.0)
        text = fragment.text
        pieces: list[str] = []
        position = 0
        for stretch in stretches.finditer(text):
            first, end = stretch.span()
            right = chars.box(fragment.start + first)[2]
            for index in range(first + 1, end):
                left, _, next_right, _ = chars.box(fragment.start + index)
                if left - right > limit and not _LEADERS.search(text, index - 2, index + 2):
                    if not change:
                        return True
                    pieces += [text[position:index], " "]
                    position = index
                right = max(right, next_right)
        if pieces:
            fragment.text = "".join(pieces) + text[position:]
            found = True
    return found
