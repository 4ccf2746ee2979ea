"""Page numbers: what a bare page number looks like ("3", "- 3 -", "Sida 3 av 12", "3 (12)",
"s. 3", roman numerals of front matter; OCR's look-alikes of digits tolerated), the key a
running line keeps from page to page (digits as ``#``), and page numbers standing outside the
edge band, found because they run with the page count.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from rok_compare.ingest.pdf.fragments import Fragment
from rok_compare.ingest.pdf.pagefragments import PageFragments, line_text

APART = 5.0
"""Line heights between a lone page number and the text above it."""
_PAGE_NUMBER = re.compile(
    r"^(?:(?:sida|sid|s\.|page|p\.)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?"
    r"\s*(?:(?:av|of|/|\|)\s*\d{1,4}|\(\s*\d{1,4}\s*\))?$"
    r"|^(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$",  # roman: front matter
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_NUMBER_LOOKALIKE = re.compile(r"(?<![^\W_])(?:[lI|!Oo]*\d[\dlI|!Oo]*|[l|])(?![^\W_])")
"""A word of digits among which OCR read some as letters (l, I, |, ! for 1; O, o for 0), or a
lone "l" or "|" (a page number 1; "I" alone is a word)."""
_AS_DIGITS = str.maketrans("lI|!Oo", "111100")
_SPACES = re.compile(r"\s+")


def is_page_number(text: str) -> bool:
    text = text.strip()
    return bool(_PAGE_NUMBER.match(text) or _NUMBER_LOOKALIKE.search(text)
                and _PAGE_NUMBER.match(digits_read_as_letters(text)))


def digits_read_as_letters(text: str) -> str:
    """OCR's look-alikes of digits put back: in a word of digits and look-alike letters with a
    digit in it ("l2", "1O"), and a lone "l" or "|" ("Sida l av 4"), the letters are digits.
    Real words are left alone: they hold other letters."""
    return _NUMBER_LOOKALIKE.sub(lambda match: match.group().translate(_AS_DIGITS), text)


def furniture_key(text: str) -> str:
    """What stays the same from page to page: lower case, digits as #, spaces collapsed; OCR's
    look-alikes of digits ("Sida l2 av 2O") count as digits."""
    if _NUMBER_LOOKALIKE.search(text):
        text = digits_read_as_letters(text)
    return _SPACES.sub(" ", _DIGITS.sub("#", text.lower())).strip(" -–—|")


EDGE_PIECES = 3
"""Pieces at the top and at the bottom of a page looked at for a bare page number."""
_BARE_NUMBER = re.compile(r"^[-–—(\[]?\s*(\d{1,4})\s*[-–—)\]]?$")


def drop_numbered_edges(pages: list[PageFragments]) -> int:
    """Page numbers outside the edge band (a wide LaTeX margin): a line among the first or last
    few pieces of a page (a number in the margin beside the last lines) that is a bare number
    running with the page count (page 1 "1", page 2 "2", or with a fixed offset) on at least
    half of the pages is dropped."""
    if len(pages) < 2:
        return 0
    found: list[tuple[int, int, list[Fragment]]] = []  # (offset, page index, line)
    for index, page in enumerate(pages):
        if not page.fragments:
            continue
        seen: set[int] = set()
        middles = sorted(f.middle for f in page.fragments)
        pieces = min(EDGE_PIECES, len(middles))
        low, high = middles[pieces - 1], middles[-pieces]
        for edge in [f for f in page.fragments if (f.middle >= high or f.middle <= low) and len(f.text) <= 12]:
            if id(edge) in seen or not any(c.isdigit() for c in edge.text):
                continue  # the usual case: the page starts or ends with text
            line = [f for f in page.fragments
                    if abs(f.middle - edge.middle) < 0.4 * max(min(edge.height, f.height), 1.0)]
            seen.update(id(f) for f in line)
            match = _BARE_NUMBER.match(line_text(line).strip())
            if match:
                found.append((int(match.group(1)) - index, index, line))
    if not found:
        return 0
    offsets = Counter(offset for offset, _, _ in found)
    offset, count = offsets.most_common(1)[0]
    if count < max(2, math.ceil(0.5 * len(pages))):  # no running numbers: only lone ones
        found = [(1, index, line) for line_offset, index, line in found
                 if line_offset == 1 and _standing_apart(pages[index], line)]
        offset = 1
    dropped = 0
    for line_offset, index, line in found:
        if line_offset == offset:
            ids = {id(f) for f in line}
            pages[index].furniture += line
            pages[index].fragments = [f for f in pages[index].fragments if id(f) not in ids]
            dropped += 1
    return dropped


def _standing_apart(page: PageFragments, line: list[Fragment]) -> bool:
    """A page's own number at its foot, far below its text (``APART`` line heights): a page
    number even where the other pages have none (an exam's cover page "1")."""
    height = max(max(f.height for f in line), 1.0)
    bottom = min(f.bottom for f in line)
    above = [f for f in page.fragments if f.bottom > bottom + 0.5 * height]
    return bool(above) and len(above) + len(line) == len(page.fragments) \
        and min(f.bottom for f in above) - max(f.top for f in line) > APART * height

