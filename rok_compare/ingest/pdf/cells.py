"""The text of a table cell, line by line, and which of its line breaks the author meant.

A cell's text wraps at the cell's edge like a paragraph's: such a break is the layout's, not the
author's ("Samhällsorientering på modersmål för" / "alla nyanlända vuxna", "Jönköpings" /
"kommun" in a narrow "Ansvarig" column). A break the author made separates items: the next line
starts with a list marker, or the line ended early (the next line's first word would have fitted
on it: "Arbetsförmedlingen" / "Region Jönköpings län", one party a line).

The marker convention, from here to ``SourceDocument.text`` and on to ``extract.action_tables``:
in a cell string of :class:`~rok_compare.ingest.pdf.tables.FoundTable`, ``\\n`` is a wrapped
line (compose joins it with a space, repairing hyphenation) and ``\\v`` is a meant break (kept as
``\\v`` in the document text, as the text reader writes a ``<br>`` or ``<p>`` inside an HTML
table cell). ``\\v`` in a cell of the document text thus always separates items.
"""

from __future__ import annotations

import re

from rok_compare.ingest.pdf.fragments import Fragment
from rok_compare.ingest.pdf.hyphenation import ends_with_break_hyphen

SOFT, HARD = "\n", "\v"
ITEM_MARKER = re.compile(r"^(?:[•●▪■◦○·»\-–—*➢►✓]\s|\(?\d{1,2}[.)]\s|\(?[a-zåäö][.)]\s)")
"""A line that starts a list item inside a cell."""
_CLOSED = (".", ":", ";", "!", "?")


def cell_text(words: list[Fragment], box: tuple[float, float, float, float]) -> str:
    """The cell's lines, top to bottom, joined by ``SOFT`` or ``HARD`` breaks.

    ``box`` is the cell's x0, bottom, x1, top; ``words`` are the words whose middle stands in it.
    """
    lines = _lines(words)
    if not lines:
        return ""
    left_padding = max(1.0, min(line[0].x0 for line in lines) - box[0])
    right_limit = box[2] - left_padding  # text is set with the same padding on both sides
    parts = [_text(lines[0])]
    for previous, line in zip(lines, lines[1:], strict=False):
        parts.append(HARD if meant_break(previous, line, right_limit) else SOFT)
        parts.append(_text(line))
    return "".join(parts)


def text_breaks(lines: list[str]) -> str:
    """Line breaks judged by the text alone (when the words' boxes are not at hand): a list
    marker starts an item; anything else is taken as wrapped."""
    parts: list[str] = []
    for line in lines:
        if parts:
            parts.append(HARD if ITEM_MARKER.match(line) and not ends_with_break_hyphen(parts[-1]) else SOFT)
        parts.append(line)
    return "".join(parts)


def meant_break(previous: list[Fragment], line: list[Fragment], right_limit: float) -> bool:
    """The break between two lines of words (left to right) was the author's: the next line
    starts a list item, or its first word would have fitted before ``right_limit``."""
    text, last = line[0].text, previous[-1].text
    if ITEM_MARKER.match(_text(line)):
        return True
    if ends_with_break_hyphen(last) or text[:1].islower() and not last.endswith(_CLOSED):
        return False  # a cut word, or a phrase going on
    first = line[0]
    space = 0.28 * max(first.height, 1.0)
    return previous[-1].x1 + space + first.width <= right_limit + 0.5  # the word would have fitted


def _lines(words: list[Fragment]) -> list[list[Fragment]]:
    """Words grouped by baseline, top line first, each line left to right."""
    lines: list[list[Fragment]] = []
    for word in sorted(words, key=lambda w: -w.middle):
        if lines and abs(lines[-1][0].middle - word.middle) < 0.45 * min(lines[-1][0].height, word.height):
            lines[-1].append(word)
        else:
            lines.append([word])
    for line in lines:
        line.sort(key=lambda w: w.x0)
    return lines


def _text(line: list[Fragment]) -> str:
    return " ".join(word.text for word in line)
