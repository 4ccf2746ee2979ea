"""One page's fragments with what the reader learns about the page (its box, images, rules,
footnote marks, rotated text, the furniture dropped from it), and its fragments grouped into
physical lines across the whole page width.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter

from rok_compare.ingest.pdf.fragments import Fragment

_MIDDLE = attrgetter("middle")


@dataclass(slots=True)
class PageFragments:
    """One page's fragments and the page box they stand in."""

    fragments: list[Fragment]
    bottom: float
    top: float
    damaged: bool = False
    """PDFium could not load the page."""
    images: bool = False
    """The page holds images (only looked at when it has no text: a scan or a blank page?)."""
    width: float = 0.0
    marks: set[str] = field(default_factory=set)
    """The footnote marks found in the page's text ("1", "2")."""
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)
    """Horizontal rules on the page (x0, bottom, x1, top): a footnote separator among them?"""
    ocr: bool = False
    """The text was read by OCR (its fragments have no characters in a PDFium text page)."""
    rotated: list[str] = field(default_factory=list)
    """Rotated runs of text (a margin's vertical number): read apart, after the page's body."""
    furniture: list[Fragment] = field(default_factory=list)
    """The fragments dropped as running headers, footers and page numbers."""


def physical_lines(fragments: list[Fragment]) -> list[list[Fragment]]:
    """Fragments grouped by baseline across the whole page width, top line first."""
    lines: list[list[Fragment]] = []
    for fragment in sorted(fragments, key=_MIDDLE, reverse=True):
        if lines:
            last = lines[-1][0]
            if abs(last.middle - fragment.middle) < 0.4 * min(last.height, fragment.height):
                lines[-1].append(fragment)
                continue
        lines.append([fragment])
    for line in lines:
        line.sort(key=lambda f: f.x0)
    return lines



def line_text(line: list[Fragment]) -> str:
    return " ".join(f.text for f in line)

