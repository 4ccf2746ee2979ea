"""Footnote marks in a page's text: found, taken out of the body, and collected.

A mark is a superscript digit character, digits at the end of a word set smaller and raised
(a smaller font with a text rise), or such digits that PDFium set apart as a run of their own
after a line break. The footnote texts keep their leading number; ``footnotes`` pairs the two.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # fragments imports this module: types only
    from rok_compare.ingest.pdf.chars import Chars
    from rok_compare.ingest.pdf.fragments import Fragment

_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_PLAIN_DIGITS = str.maketrans(_SUPERSCRIPTS, "1234567890")
_UNICODE_MARK = re.compile(f"(?<=[\\w.,;:)”’]{{3}})[{_SUPERSCRIPTS}]{{1,3}}|(?<=[\\d.,;:)”’])[{_SUPERSCRIPTS}]{{1,3}}")
"""A superscript digit after a word of three letters or more, a number or punctuation (not the
"m²" of a unit) is a note mark."""
_WORD_END = frozenset(" \t\r\n\ufffe\x02.,;:)")
_DIGIT_CHARS = frozenset("0123456789")
_BEFORE_MARK = frozenset(".,;)”’\"'")


def blank_note_marks(text: str, chars: Chars) -> tuple[str, list[str]]:
    """The page's text with footnote marks in the body turned into spaces, and the marks.

    A mark is a superscript digit character, or digits at the end of a word that are set
    smaller than the word's first character and raised above its baseline (a smaller font with
    a text rise). Footnote texts keep their leading number: no word goes before it."""
    unicode = any(mark in text for mark in _SUPERSCRIPTS)  # quicker than a search for the class
    marks = [m.span() for m in _UNICODE_MARK.finditer(text)] if unicode else []
    for first, end in _digits_ending_words(text):
        start = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end)) + 1  # the word's start
        last = end - 1
        head = text[start:first]
        if not head and end - start <= 4 or head.isalpha() and len(head) < 3:
            continue  # a number by itself (a mark goes after a year: "20102"), the "m2" of a unit
        if head and not (head[-1].isalpha() or head[-1] in _BEFORE_MARK):
            continue  # "(2016", "2016:38": a number after an opening bracket or a colon
        if not _raised(chars, last, start):
            continue
        while last - 1 > start and text[last - 1].isdigit() and _raised(chars, last - 1, start):
            last -= 1
        marks.append((last, end))
    if not marks:
        return text, []
    pieces, position = [], 0
    for start, end in sorted(marks):
        pieces += [text[position:start], " " * (end - start)]
        position = end
    pieces.append(text[position:])
    return "".join(pieces), [text[start:end].translate(_PLAIN_DIGITS) for start, end in marks]


def _digits_ending_words(text: str) -> list[tuple[int, int]]:
    """Runs of digits that end a word (followed by a space, punctuation or the end). Digits are
    rare in a page: finding each with ``str.find`` is several times quicker than a regex scan."""
    positions: list[int] = []
    for digit in "0123456789":
        index = text.find(digit)
        while index >= 0:
            positions.append(index)
            index = text.find(digit, index + 1)
    if not positions:  # a title page, a cover, a slide: text without a digit
        return []
    positions.sort()
    runs: list[tuple[int, int]] = []
    length = len(text)
    for position, following in zip(positions, [*positions[1:], -1], strict=True):
        if following == position + 1:
            continue  # the run goes on
        end = position + 1
        if end == length or text[end] in _WORD_END:
            start = end - 1
            while start > 0 and text[start - 1] in _DIGIT_CHARS:
                start -= 1
            runs.append((start, end))
    return runs


def _raised(chars: Chars, index: int, before: int) -> bool:
    """Character ``index`` is set smaller than character ``before`` and above its baseline."""
    _, bottom, _, top = chars.box(index)
    _, base, _, base_top = chars.box(before)
    height, base_height = top - bottom, base_top - base
    return 0 < height < 0.8 * base_height and bottom > base + 0.2 * base_height


def separate_marks(fragments: list[Fragment], marks: set[str]) -> None:
    """Note marks that PDFium set apart as runs of their own (a line break before a raised
    "1"): a run of one to three digits, smaller than the text it touches on its left and
    raised above that text's baseline, is a mark: it leaves the text and goes into ``marks``."""
    small = [f for f in fragments if len(f.text) <= 3 and f.text.isdigit()]
    if not small:
        return
    drop: set[int] = set()
    for mark in small:
        for word in fragments:
            if word is not mark and abs(mark.x0 - word.x1) < 1.5 and 0 < mark.height < 0.8 * word.height \
                    and mark.bottom > word.bottom + 0.2 * word.height and mark.bottom < word.top \
                    and word.text[-1:] and not word.text[-1].isdigit():
                drop.add(id(mark))
                marks.add(mark.text)
                break
    if drop:
        fragments[:] = [f for f in fragments if id(f) not in drop]
