"""Ruled tables: PDFium's vector paths, pdfplumber's table finder, PDFium's text in each cell.

pdfplumber finds ruled tables well, but it parses a page at some 30-80 µs a character, which
would dominate the reading time of a document with tables. So we look cheaply (path bounds
only) for pages whose paths form a grid, turn those paths into ruling edges ourselves (PDFium
path segments), hand the edges to pdfplumber's ``TableFinder`` as explicit lines, and read each
cell's text from PDFium's text page. pdfplumber never parses the page.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field

import numpy
import pypdfium2.raw as pdfium_c

from rok_compare.ingest.pdf.cells import HARD, SOFT, cell_text, text_breaks
from rok_compare.ingest.pdf.fragments import Fragment
from rok_compare.ingest.pdf.hyphenation import ends_with_break_hyphen
from rok_compare.ingest.pdf.paths import LONG, MARGIN, THIN, Box, Path, path_shapes, ruling_edges
from rok_compare.ingest.pdf.wordboxes import words_in

__all__ = ["Box", "FoundTable", "find_tables", "join_wrapped_rows", "ruled_regions", "split_stacked"]


@dataclass(slots=True)
class FoundTable:
    """A table's box on the page and its cells, row by row: a cell's wrapped lines joined by
    ``\\n``, the lines its author broke by ``\\v`` (see :mod:`.cells`)."""

    box: Box
    rows: list[list[str]]
    loose: list[tuple[int, int]] = field(default_factory=list)
    """Where in the page's text the words inside the table's box that no cell holds stand (a
    heading beside a shaded number): their lines stay in the body, not to be lost."""
    lines: list | None = None
    """Set for a box (a table of one column: framed or shaded text boxes, a slide's text
    frame): its lines, read as body text within the box (see ``boxes``), not as cells."""

    @property
    def x0(self) -> float:
        return self.box[0]

    @property
    def x1(self) -> float:
        return self.box[2]

    @property
    def top(self) -> float:
        return self.box[3]


def ruled_regions(page: object, rules: list[Box] | None = None, paths: list[Path] | None = None) -> list[Box]:
    """Regions of a page whose vector paths look like a table grid (cheap: bounds only); the
    lone horizontal rules (a footnote separator) go into ``rules`` when it is given, the page's
    path objects into ``paths`` (for ``find_tables``)."""
    shapes = path_shapes(page, paths)
    if rules is not None:
        rules += [box for box, _ in shapes if box[3] - box[1] <= THIN]
    if len(shapes) < 2:
        return []
    regions = []
    for group in _touching_groups(shapes):
        if _looks_like_grid(group):
            regions.append((min(s[0][0] for s in group), min(s[0][1] for s in group),
                            max(s[0][2] for s in group), max(s[0][3] for s in group)))
    return regions


def _touching_groups(shapes: list[tuple[Box, int]]) -> list[list[tuple[Box, int]]]:
    """Shapes grouped by touching or overlapping bounds: the connected parts of the graph of
    touching pairs, all pairs compared at once (numpy; a page holds at most ``MAX_PATHS``),
    since a long rule touches hundreds of a table's cell frames. No scipy: it is kept off the
    reading and extraction path."""
    if len(shapes) <= FEW_SHAPES:
        return _touching_groups_few(shapes)
    boxes = numpy.array([box for box, _ in shapes]).reshape(-1, 4)
    x0, y0, x1, y1 = (boxes[:, i] for i in range(4))
    touching = (x0[None, :] <= x1[:, None] + MARGIN) & (x0[:, None] <= x1[None, :] + MARGIN) \
        & (y0[None, :] <= y1[:, None] + MARGIN) & (y0[:, None] <= y1[None, :] + MARGIN)
    labels = numpy.arange(len(shapes))
    while True:  # each shape takes the least label among those it touches, until none changes
        lowest = numpy.where(touching, labels[None, :], len(shapes)).min(axis=1)
        lowest = lowest[lowest]  # a jump along the chain: a long grid settles in a few rounds
        if numpy.array_equal(lowest, labels):
            break
        labels = lowest
    groups: dict[int, list[tuple[Box, int]]] = {}
    for label, shape in zip(labels.tolist(), shapes, strict=True):
        groups.setdefault(label, []).append(shape)
    return list(groups.values())


FEW_SHAPES = 40
"""Up to this many shapes, pairs are compared in plain Python (numpy's set-up costs more)."""


def _touching_groups_few(shapes: list[tuple[Box, int]]) -> list[list[tuple[Box, int]]]:
    groups: list[list[tuple[Box, int]]] = []
    for shape in shapes:
        a = shape[0]
        joined = [group for group in groups if any(
            b[0] <= a[2] + MARGIN and a[0] <= b[2] + MARGIN and b[1] <= a[3] + MARGIN and a[1] <= b[3] + MARGIN
            for b, _ in group)]
        merged = [shape]
        for group in joined:
            merged += group
        groups = [group for group in groups if not any(group is other for other in joined)] + [merged]
    return groups


def _looks_like_grid(group: list[tuple[Box, int]]) -> bool:
    horizontal = sum(1 for (x0, y0, x1, y1), _ in group if y1 - y0 <= THIN and x1 - x0 >= LONG)
    vertical = sum(1 for (x0, y0, x1, y1), _ in group if x1 - x0 <= THIN and y1 - y0 >= LONG)
    boxes = [segments for (x0, y0, x1, y1), segments in group if x1 - x0 > THIN and y1 - y0 > THIN]
    if len(boxes) >= 2 or any(segments > 6 for segments in boxes):
        return True
    return horizontal + len(boxes) * 2 >= 3 and vertical + len(boxes) * 2 >= 2


def find_tables(page: object, textpage: object, page_top: float, regions: list[Box],
                fragments: list[Fragment], paths: list[Path] | None = None) -> list[FoundTable]:
    """Tables of at least two cells in ``regions``, with their cells' text (see :mod:`.cells` for
    how a cell's line breaks are marked); ``fragments`` are the page's, for the words' boxes."""
    from pdfplumber.table import TableFinder

    edges = ruling_edges(page, page_top, regions, paths)
    vertical = [e for e in edges if e["orientation"] == "v"]
    horizontal = [e for e in edges if e["orientation"] == "h"]
    if len(vertical) < 2 or len(horizontal) < 2:
        return []
    finder = TableFinder(None, {  # explicit edges: pdfplumber does not need the page itself
        "vertical_strategy": "explicit", "horizontal_strategy": "explicit",
        "explicit_vertical_lines": vertical, "explicit_horizontal_lines": horizontal,
    })
    found = []
    for table in finder.tables:
        x0, top, x1, bottom = table.bbox
        box = (x0, page_top - bottom, x1, page_top - top)
        words = words_in(textpage, fragments, box)
        taken: set[int] = set()  # a word goes in one cell: fills and frames make cells overlap
        rows = [_row(textpage, row, page_top, words, taken) for row in table.rows]
        rows = split_stacked(_without_empty_lines(rows))
        if sum(len(row) for row in rows) < 2 or not any(any(row) for row in rows):
            continue
        rows = join_wrapped_rows(rows)
        loose = [(w.start, w.end) for w in words if id(w) not in taken and any(c.isalnum() for c in w.text)]
        found.append(FoundTable(box, rows, loose))
    return [table for table in found if not any(other is not table and _inside(table.box, other.box)
                                                for other in found)]


def _inside(box: Box, outer: Box) -> bool:
    """``box`` lies within ``outer`` (a cell's shading or frame found as a table of its own)."""
    return box[0] >= outer[0] - 1 and box[1] >= outer[1] - 1 and box[2] <= outer[2] + 1 and box[3] <= outer[3] + 1


def _without_empty_lines(rows: list[list[str]]) -> list[list[str]]:
    """Rows with no text dropped, and columns with no text in any row (the gaps between cells'
    fills or frames, seen as thin columns)."""
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return rows
    width = max(len(row) for row in rows)
    keep = [i for i in range(width) if any(i < len(row) and row[i].strip() for row in rows)]
    if len(keep) == width:
        return rows
    return [[row[i] if i < len(row) else "" for i in keep] for row in rows]


def split_stacked(rows: list[list[str]]) -> list[list[str]]:
    """Rows whose cells all hold the same number of lines, each line after the first starting
    a record of its own (a capital or a digit, not a phrase going on in lower case), split into
    that many rows: rows the table draws no rule between ("SFI" / "Praktik" beside "Kommunen" /
    "Arbetsförmedlingen"), read as one row of stacked cells. A form's cells of a label over its
    value ("Telefonnummer:" / "08-123 45") stay whole."""
    result: list[list[str]] = []
    for row in rows:
        parts = [_LINE_BREAK.split(cell) for cell in row]
        if len(row) > 1 and len({len(part) for part in parts}) == 1 and len(parts[0]) > 1 \
                and all(_starts_record(part) for part in parts):
            result += [list(line) for line in zip(*parts, strict=True)]
        else:
            result.append(row)
    return result


_GOES_ON = frozenset({"och", "eller", "samt", "i", "om", "för", "av", "till", "med", "på", "inom", "från", "vid",
                      "under", "mellan", "mot", "efter", "hos", "genom", "över", "utan", "en", "ett", "den", "det",
                      "de", "att", "som"})
"""Words a cell's line does not end on unless its sentence goes on."""


def join_wrapped_rows(rows: list[list[str]]) -> list[list[str]]:
    """Rows of one line each that are one cell's wrapped text: a grid drawn a line at a time
    (shaded or underlined lines) cuts a cell into rows. A row whose only text stands in one
    column goes on in the row above's cell of that column when the sentence goes on: the upper
    line does not close it and the lower one starts in lower case, or the upper one ends on a
    comma or a word a sentence does not end on ("och", "i"). A column of items, one a row, each
    starting with a capital, stays."""
    result: list[list[str]] = []
    for row in rows:
        filled = [index for index, cell in enumerate(row) if cell.strip()]
        if result and len(filled) == 1 and len(result[-1]) == len(row):
            above = result[-1]
            if above[filled[0]].strip() and _goes_on(above[filled[0]], row[filled[0]]):
                above[filled[0]] = f"{above[filled[0]]}{SOFT}{row[filled[0]]}"
                continue
        result.append(list(row))
    return result


def _goes_on(upper: str, lower: str) -> bool:
    last_line = _LINE_BREAK.split(upper)[-1].rstrip()
    if not last_line or last_line.endswith((".", "!", "?", ":", ";")):
        return False
    first = lower.lstrip()[:1]
    return first.islower() or last_line.endswith(",") or ends_with_break_hyphen(last_line) \
        or last_line.rsplit(" ", 1)[-1].lower() in _GOES_ON


def _starts_record(lines: list[str]) -> bool:
    return not lines[0].endswith(":") and all(
        line[:1].isupper() or line[:1].isdigit() for line in lines[1:]) and not any(
        ends_with_break_hyphen(line) for line in lines)


_LINE_BREAK = re.compile(f"[{SOFT}{HARD}]")


def _row(textpage: object, row: object, page_top: float, words: list[Fragment], taken: set[int]) -> list[str]:
    """A row's cells' texts; the words are narrowed to the row's height first (a long table
    has thousands of words and cells: each cell looking through all of them was quadratic)."""
    _, top, _, bottom = row.bbox
    low, high = page_top - bottom, page_top - top
    in_row = [w for w in words if low <= w.middle <= high]
    return [_cell(textpage, cell, page_top, in_row, taken, bool(words)) if cell else "" for cell in row.cells]


def _cell(textpage: object, cell: tuple[float, float, float, float], page_top: float,
          words: list[Fragment], taken: set[int], table_has_words: bool) -> str:
    """A cell's text from the words standing in it and in no cell before it; PDFium's bounded
    text when the table has no words of its own at all."""
    x0, top, x1, bottom = cell
    box = (x0, page_top - bottom, x1, page_top - top)
    inside = [w for w in words if x0 <= (w.x0 + w.x1) / 2 <= x1 and box[1] <= w.middle <= box[3]]
    fresh = [w for w in inside if id(w) not in taken]
    taken.update(id(w) for w in fresh)
    if fresh:
        return cell_text(fresh, box)
    if inside or table_has_words:
        return ""
    return text_breaks(_cell_text(textpage, cell, page_top).split("\n"))


def _cell_text(textpage: object, cell: tuple[float, float, float, float], page_top: float) -> str:
    """The text inside a cell (pdfplumber's top-down box), lines separated by newlines."""
    x0, top, x1, bottom = cell
    args = (textpage, x0 + 1, page_top - top - 1, x1 - 1, page_top - bottom + 1)
    count = pdfium_c.FPDFText_GetBoundedText(*args, None, 0)
    if count <= 0:
        return ""
    buffer = (ctypes.c_ushort * count)()
    pdfium_c.FPDFText_GetBoundedText(*args, buffer, count)
    text = ctypes.string_at(buffer, count * 2).decode("utf-16-le", "replace")
    # PDFium joins a line ending in a hyphen to the next and marks the hyphen U+FFFE (or 0x02)
    text = text.replace("\ufffe", "-\n").replace("\x02", "-\n").replace("\x00", "")
    return "\n".join(line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip())
