"""Split a document's text into lines that remember their offsets and page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rok_compare.model import SourceDocument

_LINE_BREAK = re.compile(r"[\n\f]")
_SPACE = " \t\r\v\xa0\u200b"
_ROW_SPACE = " \r\xa0\u200b"


@dataclass(slots=True)
class Line:
    text: str
    """The line without surrounding whitespace."""
    start: int
    end: int
    page: int
    page_break_before: bool = False

    @property
    def blank(self) -> bool:
        return not self.text


def split_lines(source: SourceDocument) -> list[Line]:
    text = source.text
    lines: list[Line] = []
    position, page, page_break = 0, 1, False
    for match in [*_LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        raw = text[position:end]
        # A line with a tab is a table row: keep its tabs, leading ones mark empty cells.
        stripped = raw.strip(_ROW_SPACE if "\t" in raw.rstrip() else _SPACE)
        lead = raw.find(stripped) if stripped else 0
        start = position + lead
        lines.append(Line(stripped, start, start + len(stripped), page, page_break))
        page_break = False
        if match and match.group() == "\f":
            page += 1
            page_break = True
        position = match.end() if match else len(text)
    return lines
