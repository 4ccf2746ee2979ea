"""Is a page's text layer worth reading, and small repairs of how some generators write letters.

A text layer can exist and still be useless: Type 3 bitmap fonts without a character map (old
TeX output) give PDFium control characters and punctuation for every glyph, so the "text" is
junk that no later stage can recognise as such. Such a page is treated like a page without text
(and read by OCR when it is on). TeX also writes accented letters as a spacing accent followed
by the base letter ("f¨or", "p˚a"); pdftotext puts them together, and so do we.
"""

from __future__ import annotations

import re
import unicodedata

from rok_compare.ingest.pdf.fragments import Fragment

MIN_LETTER_SHARE = 0.3
"""A page whose visible characters are less than this share of letters and digits is junk."""
MIN_JUNK_CHARS = 12
"""Too few characters to judge (a lone "–" or "§" on a page is not junk)."""

_ACCENTS = {"¨": "\u0308", "˚": "\u030a", "´": "\u0301", "ˆ": "\u0302", "˜": "\u0303", "¸": "\u0327", "ˇ": "\u030c"}
_ACCENT_BEFORE = re.compile(f"([{''.join(_ACCENTS)}])([^\\W\\d_])")
_ACCENT_AFTER = re.compile(f"([^\\W\\d_])([{''.join(_ACCENTS)}])(?![^\\W\\d_])")
_NOT_COUNTED = re.compile(r"[\s.…_\-–·]+")
"""Spaces, and dot leaders: a table of contents or a list of substances has many, and is no junk."""
_NOT_LETTER = re.compile(r"[\W_]+")
_HAS_ACCENT = re.compile(f"[{''.join(_ACCENTS)}]")


def readable(fragments: list[Fragment]) -> bool:
    """False when the page's text is mostly neither letters nor digits (an unmapped font).
    Counted by regular expressions, not a Python loop over characters: it runs on every page."""
    text = "".join(fragment.text for fragment in fragments)
    visible = len(_NOT_COUNTED.sub("", text))
    if visible < MIN_JUNK_CHARS:
        return True
    return len(_NOT_LETTER.sub("", text)) >= MIN_LETTER_SHARE * visible


def join_accents(fragments: list[Fragment]) -> None:
    """"f¨or" -> "för", "p˚a" -> "på" in place: a spacing accent next to a letter goes on it."""
    for fragment in fragments:
        if _HAS_ACCENT.search(fragment.text):
            fragment.text = compose_accents(fragment.text)


def compose_accents(text: str) -> str:
    text = _ACCENT_BEFORE.sub(lambda m: m.group(2) + _ACCENTS[m.group(1)], text)
    text = _ACCENT_AFTER.sub(lambda m: m.group(1) + _ACCENTS[m.group(2)], text)
    return unicodedata.normalize("NFC", text)
