"""Runs of text on one line (``Fragment``), the lines they make (``Line``), and what is done to
a run's characters: cleaning PDFium's marks, ligatures and TeX's spacing accents, and breaking a
run into word groups by the boxes of its words (the slow path: two box calls a word).

Coordinates are PDF user space: x to the right, y upwards.
"""

from __future__ import annotations

import re
import unicodedata

from rok_compare.ingest.pdf.chars import Chars

_WORDS = re.compile(r"\S+")
_CLEAN = {**{code: " " for code in range(32)}, 0x02: "-", 0xFFFE: "-", 0xA0: " ",
          **dict.fromkeys((0xF0B7, 0xF0A7, 0xF0A8, 0xF076, 0xF0D8, 0xF0FC, 0xF06E, 0xF0FB), "•")}
"""Control characters as spaces; the bullets of Symbol and Wingdings fonts (private-use code
points in Word's PDFs) as the bullet they show."""
LIGATURES = {0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st"}
HAS_LIGATURE = re.compile("[\ufb00-\ufb06]")
SPACES = re.compile(" {2,}")
_ACCENTS = {"¨": "\u0308", "˚": "\u030a", "´": "\u0301", "ˆ": "\u0302", "˜": "\u0303", "¸": "\u0327", "ˇ": "\u030c"}
HAS_ACCENT = re.compile(f"[{''.join(_ACCENTS)}]")
SPACING_ACCENTS = frozenset(_ACCENTS)
_ACCENT_BEFORE = re.compile(f"([{''.join(_ACCENTS)}])([^\\W\\d_])")
_ACCENT_AFTER = re.compile(f"([^\\W\\d_])([{''.join(_ACCENTS)}])(?![^\\W\\d_])")
WORD_GAP = 0.8
"""A gap wider than this many line heights inside a run separates two fragments."""


class Line:
    """Text on one baseline within one column, left to right: one fragment (a fragment is a
    line), or fragments joined (``layout.group_lines``)."""

    __slots__ = ("text", "x0", "x1", "bottom", "top", "bold", "height", "middle", "entry")

    def __init__(self, text: str, x0: float, x1: float, bottom: float, top: float, bold: bool,
                 entry: bool = False) -> None:
        self.text, self.x0, self.x1, self.bottom, self.top, self.bold = text, x0, x1, bottom, top, bold
        self.height = top - bottom
        self.middle = (top + bottom) / 2
        self.entry = entry
        """A table-of-contents entry: text, a wide gap, and a page number at the end."""

    def __repr__(self) -> str:
        return f"Line({self.text!r}, x={self.x0:.1f}-{self.x1:.1f}, y={self.bottom:.1f}-{self.top:.1f})"


class Fragment(Line):
    """A run of text on one line: its box (loose glyph boxes), whether all of it is bold, and
    where its characters stand in the page's text (``start``/``end``, -1 when not from it)."""

    __slots__ = ("start", "end")

    def __init__(self, text: str, x0: float, x1: float, bottom: float, top: float,
                 bold: bool = False, start: int = -1, end: int = -1) -> None:
        self.text, self.x0, self.x1, self.bottom, self.top, self.bold = text, x0, x1, bottom, top, bold
        self.height = top - bottom
        self.middle = (top + bottom) / 2
        self.entry = False
        self.start, self.end = start, end

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def __repr__(self) -> str:
        return f"Fragment({self.text!r}, x={self.x0:.1f}-{self.x1:.1f}, y={self.bottom:.1f}-{self.top:.1f})"


def compose_accents(text: str) -> str:
    """"f¨or" -> "för", "p˚a" -> "på": TeX writes a spacing accent, then the letter it goes on
    (pdftotext puts them together, and so do we)."""
    text = _ACCENT_BEFORE.sub(lambda m: m.group(2) + _ACCENTS[m.group(1)], text)
    text = _ACCENT_AFTER.sub(lambda m: m.group(1) + _ACCENTS[m.group(2)], text)
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    if text[-1] in "\ufffe\x02":  # the usual case: PDFium's mark of a hyphen at the line end
        text = text[:-1] + "-"
    return text if text.isprintable() else text.translate(_CLEAN)


def expand_ligatures(fragments: list[Fragment]) -> None:
    """"ﬁ" -> "fi" and the like (after the boxes are read: one glyph, several letters)."""
    for fragment in fragments:
        fragment.text = fragment.text.translate(LIGATURES)


def split_words(text: str, start: int, end: int, chars: Chars,
                 gutter: tuple[float, float] | None = None) -> list[Fragment]:
    """Break a run into fragments at line changes and backward jumps (slow path), and at gaps:
    wider than ``WORD_GAP`` line heights, or, when ``gutter`` is given, only at gaps across it."""
    groups: list[list] = []  # [first char, end char, x0, x1, bottom, height]
    ends = chars.ends
    for word in _WORDS.finditer(text, start, end):
        x0, top, x1, low, _, last_top, last_x1, last_low = ends(word.start(), word.end() - 1)
        bottom, height = min(low, last_low), min(top - low, last_top - last_low)
        if groups:
            group = groups[-1]
            gap = x0 - group[3]
            line_height = max(group[5], 1.0)
            if gutter is not None:
                wide_gap = group[3] <= gutter[1] and x0 >= gutter[0] and gap > 0
            else:
                wide_gap = gap > WORD_GAP * line_height
            if abs(bottom - group[4]) < 0.5 * line_height and gap >= -1.0 and not wide_gap:
                group[1], group[3], group[5] = word.end(), max(group[3], last_x1), min(group[5], height)
                continue
        groups.append([word.start(), word.end(), x0, max(x1, last_x1), bottom, height])
    return [Fragment(clean(text[s:e]), x0, x1, bottom, bottom + height, chars.bold(s) and chars.bold(e - 1),
                     s, e) for s, e, x0, x1, bottom, height in groups]

