"""Is a page's text layer worth reading?

A text layer can exist and still be useless: Type 3 bitmap fonts without a character map (old
TeX output) give PDFium control characters and punctuation for every glyph, so the "text" is
junk that no later stage can recognise as such. Such a page is treated like a page without text
(and read by OCR when it is on). TeX's accented letters, written as a spacing accent and then
the letter ("f¨or"), are put together in ``fragments`` (``compose_accents``, also exported here).
"""

from __future__ import annotations

import re

from rok_compare.ingest.pdf.fragments import Fragment, compose_accents

__all__ = ["compose_accents", "readable"]

MIN_LETTER_SHARE = 0.3
"""A page whose visible characters are less than this share of letters and digits is junk."""
SAMPLE = 300
"""Characters looked at on a page (every n-th one)."""
MIN_JUNK_CHARS = 12
"""Too few characters to judge (a lone "–" or "§" on a page is not junk)."""

_NOT_COUNTED = re.compile(r"[\s.…_\-–·]+")
"""Spaces, and dot leaders: a table of contents or a list of substances has many, and is no junk."""
_NOT_LETTER = re.compile(r"[\W_]+")


def readable(fragments: list[Fragment]) -> bool:
    """False when the page's text is mostly neither letters nor digits (an unmapped font).
    Counted by regular expressions, not a Python loop over characters: it runs on every page."""
    text = "".join(fragment.text for fragment in fragments)
    text = text[:: max(1, len(text) // SAMPLE)]  # junk is junk throughout: a sample tells
    visible = len(_NOT_COUNTED.sub("", text))
    if visible < MIN_JUNK_CHARS:
        return True
    return len(_NOT_LETTER.sub("", text)) >= MIN_LETTER_SHARE * visible
