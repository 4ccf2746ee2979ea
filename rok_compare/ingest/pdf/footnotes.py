"""Footnotes at the bottom of a page: dropped from the body like running headers and footers.

A footnote is set smaller than body text, stands below the body and starts with its number
("1 Se Länsstyrelsens rapport 2019:12 ..."); the notes of a page are numbered one up from the
other, and the first is pointed to by a mark in the body ("reformen 2010¹") or stands under a
separator rule. Read into the body it would land in the middle of a paragraph that goes on over
the page break and turn into a clause of its own. The marks in the body are dropped when the
page is read (see ``fragments``). Nothing is lost that a clause needs: a footnote only refers
or explains. Small numbered lines without a mark or a rule above them (a code listing, a
numbered list in a small font) stay.
"""

from __future__ import annotations

import re

from rok_compare.ingest.pdf.fragments import Fragment
from rok_compare.ingest.pdf.pagefragments import PageFragments, physical_lines
from rok_compare.ingest.pdf.pagenumbers import digits_read_as_letters

SMALL = 0.88
"""A line at most this many times the body text's height is in a footnote-sized font."""
_NOTE_START = re.compile(r"^(\d{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3})(?:\s?[^\W\d_(]|\)\s)")
"""A footnote's number, then its text: "1 Se ...", "²Lagen ...", "3) Avser ..."."""
_PLAIN_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_OCR_MARK = re.compile(r"(?:(?<=\d)[!?'’*]|(?<=[.,;:])[!?'’*¹²³⁴⁵⁶⁷⁸⁹]|(?<=[^\W\d_]{3})[¹²³⁴⁵⁶⁷⁸⁹])(?=\s|$)")
"""A footnote mark as OCR reads it, stuck to a word: a superscript, or "!", "?", "'", "*" after a
number or a full stop (where they do not stand in prose)."""
_LONE_I = re.compile(r"^I(?= [A-ZÅÄÖ])")
"""A note's "1" read as a capital I before the note's first word (no Swedish sentence starts "I Lagen")."""


def remove_footnotes(pages: list[PageFragments], body_height: float) -> int:
    """Drop the footnotes of every page in place; return how many lines were dropped."""
    dropped = 0
    for page in pages:
        limit = SMALL * body_height
        middle = (page.top + page.bottom) / 2
        if not any(f.height <= limit and f.middle < middle for f in page.fragments):
            continue  # the usual page: nothing small in its lower half
        lines = physical_lines(page.fragments)
        marks = page.marks or (_ocr_marks(lines) if page.ocr else page.marks)
        notes = footnote_lines(lines, limit, middle, marks, page.rules, look_alikes=page.ocr)
        if notes:
            drop = {id(fragment) for line in notes for fragment in line}
            page.fragments = [f for f in page.fragments if id(f) not in drop]
            dropped += len(notes)
    return dropped


def footnote_lines(lines: list[list[Fragment]], limit: float, middle: float, marks: set[str],
                   rules: list[tuple[float, float, float, float]], look_alikes: bool = False) -> list[list[Fragment]]:
    """The lines from the first footnote to the bottom of the page, or none.

    From the bottom up, the run of small lines in the page's lower half; it must end at a line
    of body text above (a page all in a small font has no footnotes). The footnotes start at
    the first of these lines that starts with a number; their numbers go up one by one, and the
    first is a mark in the body or stands under a rule."""
    small: list[list[Fragment]] = []
    above: list[Fragment] | None = None
    for line in reversed(lines):
        if max(f.height for f in line) <= limit and line[0].middle < middle:
            small.append(line)
            continue
        above = line
        break
    if above is None or not small:
        return []
    small.reverse()
    small = _raised_numbers_joined(small)
    numbers = [_number(line, look_alikes) for line in small]
    first = next((index for index, number in enumerate(numbers) if number is not None), None)
    if first is None:
        return []
    found = [number for number in numbers[first:] if number is not None]
    if any(b != a + 1 for a, b in zip(found, found[1:], strict=False)):
        return []  # not numbered one up from the other: a listing or a list, not notes
    if str(found[0]) in marks or _under_rule(small[first], above if first == 0 else small[first - 1], rules):
        return small[first:]
    return []


_BARE_NUMBER = re.compile(r"^(?:\d{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,3})$")


def _raised_numbers_joined(lines: list[list[Fragment]]) -> list[list[Fragment]]:
    """A note's number set raised and smaller than its text stands on a baseline of its own
    (a line of just "1" above "Detta är ..."): joined to the line it starts, the one right
    below whose text begins right of it."""
    if not any(len(line) == 1 and _BARE_NUMBER.match(line[0].text) for line in lines):
        return lines
    joined: list[list[Fragment]] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else None
        if following is not None and len(line) == 1 and _BARE_NUMBER.match(line[0].text):
            number, first = line[0], following[0]
            if first.x0 >= number.x1 - 1.0 and first.bottom - 1.0 <= number.bottom <= first.top:
                joined.append([number, *following])
                index += 2
                continue
        joined.append(line)
        index += 1
    return joined


def _number(line: list[Fragment], look_alikes: bool = False) -> int | None:
    text = " ".join(f.text for f in line)
    if look_alikes:  # OCR read the note's number "1" as "l" or "I"
        text = digits_read_as_letters(_LONE_I.sub("1", text, count=1))
    match = _NOTE_START.match(text)
    return int(match.group(1).translate(_PLAIN_DIGITS)) if match else None


def _ocr_marks(lines: list[list[Fragment]]) -> set[str]:
    """The note marks of an OCR'd page, which has no raised characters to find them by: a
    superscript read as itself or as a look-alike ("2010!", "sätt.?", "reformen¹") stuck to the
    end of a word. Any such mark stands for the page's first notes (OCR loses which number)."""
    text = " ".join(f.text for line in lines for f in line)
    return {str(number) for number in range(1, 10)} if _OCR_MARK.search(text) else set()


def _under_rule(line: list[Fragment], above: list[Fragment],
                rules: list[tuple[float, float, float, float]]) -> bool:
    """A horizontal rule stands between ``line`` and the line above it, starting left of the
    line's end (a footnote separator)."""
    floor, ceiling = line[0].middle, min(f.bottom for f in above)
    right = max(f.x1 for f in line)
    return any(floor <= (bottom + high) / 2 <= ceiling + 1 and x0 < right for x0, bottom, _, high in rules)
