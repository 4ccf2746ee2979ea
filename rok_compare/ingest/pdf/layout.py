"""Reading order on one page: column gutters, full-width bands, and lines within each column.

A gutter is a vertical strip, inside the text area, that (almost) no column-width fragment
crosses, with column-like text on both sides. Fragments that do cross it (a title, a wide table)
span the columns and cut the page into bands; within a band each column is read top to bottom,
left column first. This handles one column, two or three columns, and a full-width title above
columns, whatever order the generator wrote the content stream in.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter

from rok_compare.ingest.pdf.fragments import Fragment, Line
from rok_compare.ingest.pdf.panels import margin_labels, panels
from rok_compare.ingest.pdf.tables import FoundTable

NARROW = 0.6
"""Fragments narrower than this share of the text width show where the columns are."""
MIN_COLUMN_FRAGMENTS = 5
"""Each column needs this many fragments with a common left edge."""
NARROW_GUTTER = 0.3
"""Line heights: the narrowest gap between two dense justified columns (a scan of a register
whose columns stand half a line height apart, narrower than many of its word gaps)."""
DENSE = 3 * MIN_COLUMN_FRAGMENTS
"""Lines each column needs for so narrow a gutter to count."""
JUSTIFIED = 0.5
"""Share of a column's lines that must start at its edge; of the left column's, at least
``ENDING`` must end at the gutter (the last lines of entries and centred headings do not)."""
ENDING = 0.4
ORDERED_MAX = 200
"""Fragments at most on a page whose columns may be taken from the PDF's order."""
Gutter = tuple[float, float]
"""The x-range between two columns."""
_TOP, _MIDDLE = attrgetter("top"), attrgetter("middle")
_X0, _X1, _HEIGHT, _TEXT = attrgetter("x0"), attrgetter("x1"), attrgetter("height"), attrgetter("text")
"""Sort keys, highest first with ``reverse=True`` (a stable sort: ties keep their order)."""


@dataclass(slots=True)
class Flow:
    """Content read top to bottom without a column change: lines and tables in order."""

    left: float
    right: float
    items: list[Line | FoundTable] = field(default_factory=list)
    apart: bool = False
    """Its first line starts a block (a panel beside another: no text runs into it)."""


def find_gutters(fragments: list[Fragment]) -> list[tuple[float, float]]:
    """Vertical strips between columns, left to right; empty for a single-column page.

    Columns are known by their shape (enough lines on each side of a strip no line crosses);
    a page with too little text for that (a slide) has its columns from the order the PDF
    writes its text in, when that order runs column by column (see ``_ordered_gutters``)."""
    if len(fragments) < 2:
        return []
    left = int(min(map(_X0, fragments)))
    right = int(max(map(_X1, fragments))) + 1
    width = right - left
    widest = NARROW * width
    narrow = [f for f in fragments if f.x1 - f.x0 < widest]
    if len(narrow) < 4:
        return []
    heights = sorted(map(_HEIGHT, narrow))
    height = heights[len(heights) // 2]
    low, high = left + 0.1 * width, left + 0.9 * width
    gutters = []
    if len(fragments) >= 2 * MIN_COLUMN_FRAGMENTS and len(narrow) >= 2 * MIN_COLUMN_FRAGMENTS:
        allowed = max(1, len(narrow) // 30)  # a few stray fragments may cross a real gutter
        min_gap = max(4.0, 0.5 * height)
        for start, end in _sparse_strips(narrow, allowed):
            start, end = max(start, low), min(end, high)
            if end - start >= NARROW_GUTTER * height and (gutter := _gutter(narrow, start, end, min_gap, height)):
                gutters.append(gutter)
    if not gutters and len(fragments) <= ORDERED_MAX:
        gutters = _ordered_gutters(fragments, narrow, low, high, height)
    return gutters


def _ordered_gutters(fragments: list[Fragment], narrow: list[Fragment], low: float, high: float,
                     height: float) -> list[Gutter]:
    """Gutters shown by the PDF's own order: a strip at least a line height wide that no
    fragment crosses, with at least two fragments on each side standing beside each other
    (their heights overlap by two lines or more), and the page's text, where they stand,
    written all left of the strip first and then all right of it (``fragments`` are in the
    PDF's order). One gutter at most: the first strip that shows it."""
    for start, end in _sparse_strips(narrow, 0):
        start, end = max(start, low), min(end, high)
        if end - start < height:
            continue
        left_side = [f for f in narrow if f.x1 <= start]
        right_side = [f for f in narrow if f.x0 >= end]
        if len(left_side) < 2 or len(right_side) < 2:
            continue
        floor = max(min(f.bottom for f in left_side), min(f.bottom for f in right_side))
        ceiling = min(max(f.top for f in left_side), max(f.top for f in right_side))
        if ceiling - floor < 2 * height:
            continue
        beside = [f for f in fragments if floor <= f.middle <= ceiling]
        if any(f.x0 < start and f.x1 > end for f in beside):
            continue  # a line runs across the strip between the columns' lines
        sides = [f.x0 >= end for f in beside]
        if sum(sides) >= 2 and len(sides) - sum(sides) >= 2 and sides == sorted(sides):
            return [(max(f.x1 for f in left_side), min(f.x0 for f in right_side))]
    return []


def _sparse_strips(fragments: list[Fragment], allowed: int) -> list[tuple[float, float]]:
    """Vertical strips that at most ``allowed`` fragments cross (a sweep over their x-edges)."""
    events = sorted([(f.x0, 1) for f in fragments] + [(f.x1, -1) for f in fragments])
    strips: list[tuple[float, float]] = []
    running, previous = 0, events[0][0]
    for x, delta in events:
        if running <= allowed and x > previous:
            if strips and strips[-1][1] >= previous:
                strips[-1] = (strips[-1][0], x)
            else:
                strips.append((previous, x))
        running += delta
        previous = x
    return strips


def _gutter(fragments: list[Fragment], start: float, end: float, min_gap: float,
            height: float) -> tuple[float, float] | None:
    """The gap between the columns on either side of a sparse strip, from the right edge of the
    text on its left to the left edge of the text on its right; None unless both sides look like
    columns (enough fragments and characters, aligned left edges). A gap narrower than
    ``min_gap`` (down to ``NARROW_GUTTER`` line heights) is a gutter only between two justified
    columns (see ``_justified``)."""
    left_side = [f for f in fragments if f.x0 < start and f.x1 <= end]
    right_side = [f for f in fragments if f.x0 >= start and f.x1 > end]
    if len(left_side) < MIN_COLUMN_FRAGMENTS or len(right_side) < MIN_COLUMN_FRAGMENTS:
        return None
    gutter = (max(map(_X1, left_side)), min(map(_X0, right_side)))
    if gutter[1] - gutter[0] < min_gap and not (gutter[1] - gutter[0] >= NARROW_GUTTER * height
                                                 and _justified(left_side, right_side, gutter, height)):
        return None
    left_chars, right_chars = sum(map(len, map(_TEXT, left_side))), sum(map(len, map(_TEXT, right_side)))
    if min(left_chars, right_chars) < 0.15 * (left_chars + right_chars):
        return None
    if _aligned(left_side) < MIN_COLUMN_FRAGMENTS or _aligned(right_side) < MIN_COLUMN_FRAGMENTS:
        return None
    return gutter


def _justified(left_side: list[Fragment], right_side: list[Fragment], gutter: Gutter, height: float) -> bool:
    """Two dense justified columns (a scanned register, a newspaper page): many lines on each
    side, most of the left lines ending at the gutter and most lines on both sides starting at
    their column's edge. Words in a line never leave such a straight strip free down a page;
    a form's labels and values do (labels set flush right, values flush left), but its labels
    do not start at one edge."""
    if len(left_side) < DENSE or len(right_side) < DENSE:
        return False
    ending = sum(1 for f in left_side if gutter[0] - f.x1 <= height)
    return ending >= ENDING * len(left_side) and _aligned(left_side) >= JUSTIFIED * len(left_side) \
        and _aligned(right_side) >= JUSTIFIED * len(right_side)


def _aligned(fragments: list[Fragment]) -> int:
    """How many fragments start at (about) the leftmost left edge among them."""
    edge = min(f.x0 for f in fragments)
    return sum(1 for f in fragments if f.x0 - edge < max(2.0, f.height))


def shared_gutters(widths: list[float], gutters: list[list[Gutter]]) -> dict[float, list[Gutter]]:
    """Per page width, the gutters most pages of that width have, when at least 30 % of them
    found gutters of their own: the document's column layout, for pages too short to show it."""
    found: dict[float, Counter[tuple[tuple[int, int], ...]]] = {}
    examples: dict[tuple[tuple[int, int], ...], list[Gutter]] = {}
    pages: Counter[float] = Counter(widths)
    for width, page_gutters in zip(widths, gutters, strict=True):
        if page_gutters:
            key = tuple((round(a), round(b)) for a, b in page_gutters)
            found.setdefault(width, Counter())[key] += 1
            examples.setdefault(key, page_gutters)
    shared = {}
    for width, counts in found.items():
        if sum(counts.values()) >= 0.3 * pages[width]:
            shared[width] = examples[counts.most_common(1)[0][0]]
    return shared


def borrowed_gutters(fragments: list[Fragment], gutters: list[Gutter]) -> list[Gutter]:
    """The document's gutters that fit this page: text stands wholly on both sides, and the text
    right of a gutter starts where the columns right of it start on the other pages."""
    fitting = []
    for start, end in gutters:
        middle = (start + end) / 2
        left = [f for f in fragments if f.x1 <= middle]
        right = [f for f in fragments if f.x0 >= middle]
        if left and right and abs(min(f.x0 for f in right) - end) <= max(2.0, right[0].height):
            fitting.append((start, end))
    return fitting


def trusted_tables(fragments: list[Fragment], tables: list[FoundTable]) -> list[FoundTable]:
    """The tables that hold all the text inside their box. A "table" with lines of text between
    its rows that no cell holds is the shading of a form (every other label on a grey band),
    not a table: read as one, its rows would come first and the other labels after them."""
    if not tables:
        return tables
    kept = []
    for table in tables:
        cells = _SPACES.sub("", " ".join(cell for row in table.rows for cell in row))
        if not any(in_table(f, [table]) and not _held(f, cells) for f in fragments):
            kept.append(table)
    return kept


def _held(fragment: Fragment, cells: str) -> bool:
    """Every word of the fragment is in the cells' text (spaces and hyphens left out: a cell
    joins its wrapped lines; PDFium runs a row's cells into one fragment)."""
    return all(_SPACES.sub("", word) in cells for word in fragment.text.split())


def outside_tables(fragments: list[Fragment], tables: list[FoundTable]) -> list[Fragment]:
    """The fragments that are not text of a table (a table's cells are read apart). A fragment
    inside a table's box whose words no cell holds (a form's label beside its shaded box, text
    the cell finder missed) stays in the body: no text is lost to a table."""
    if not tables:
        return fragments
    cells = [_SPACES.sub("", " ".join(cell for row in table.rows for cell in row)) for table in tables]
    loose = [span for table in tables for span in table.loose]
    return [f for f in fragments if not in_table(f, tables) or not any(_held(f, text) for text in cells)
            or any(f.start <= start < f.end for start, _ in loose)]


def reading_order(fragments: list[Fragment], tables: list[FoundTable],
                  gutters: list[Gutter] | None = None) -> list[Flow]:
    """The page's content as flows in reading order; ``gutters`` are found on the page unless
    given (``fragments`` must then be :func:`outside_tables` already)."""
    if gutters is None:
        fragments = outside_tables(fragments, tables)
        gutters = find_gutters(fragments)
    if not fragments and not tables:
        return []
    labels, fragments = margin_labels(fragments)
    flows: list[Flow] = [_flow(labels, [])] if labels else []
    if not gutters:
        parts = panels(fragments, tables)
        for part, part_tables, right in parts:
            if part or part_tables:
                flows.append(_flow(part, part_tables))
                if len(parts) > 1:  # a panel's text does not run on into the next part
                    flows[-1].apart, flows[-1].right = True, max(flows[-1].right, right)
        if labels and len(flows) > 1:  # the body does not run on from a margin label
            flows[1].apart = True
        return flows
    if labels:
        flows.extend(_body_flows(fragments, tables, gutters))
        if len(flows) > 1:
            flows[1].apart = True
        return flows
    return _body_flows(fragments, tables, gutters)


def _body_flows(fragments: list[Fragment], tables: list[FoundTable], gutters: list[Gutter]) -> list[Flow]:
    """The flows of a page with columns: bands of columns read column by column, and what
    reaches across a gutter in between."""
    flows: list[Flow] = []
    band: dict[int, list[Fragment | FoundTable]] = {}
    spanning: list[Fragment | FoundTable] = []
    for item in sorted([*fragments, *tables], key=_TOP, reverse=True):
        column = _column(item, gutters)
        if column < 0:
            flows.extend(_mixed_flow(band[k]) for k in sorted(band))
            band = {}
            spanning.append(item)
        else:
            if spanning:
                flows.append(_mixed_flow(spanning))
                spanning = []
            band.setdefault(column, []).append(item)
    flows.extend(_mixed_flow(band[k]) for k in sorted(band))
    if spanning:
        flows.append(_mixed_flow(spanning))
    return flows


def in_table(fragment: Fragment, tables: list[FoundTable]) -> bool:
    x, y = (fragment.x0 + fragment.x1) / 2, fragment.middle
    return any(t.box[0] - 1 <= x <= t.box[2] + 1 and t.box[1] - 1 <= y <= t.box[3] + 1 for t in tables)


def _column(item: Fragment | FoundTable, gutters: list[tuple[float, float]]) -> int:
    """Index of the column the item stands in, or -1 when it reaches across a gutter's middle
    (a column's line or table may poke a little into the gutter)."""
    x0, x1 = item.x0, item.x1
    column = 0
    for start, end in gutters:
        middle = (start + end) / 2
        if x0 < middle < x1:
            return -1
        if x0 >= middle:
            column += 1
    return column


def _mixed_flow(items: list[Fragment | FoundTable]) -> Flow:
    fragments = [i for i in items if isinstance(i, Fragment)]
    return _flow(fragments, [i for i in items if isinstance(i, FoundTable)])


def _flow(fragments: list[Fragment], tables: list[FoundTable]) -> Flow:
    """Group fragments into lines and put lines and tables in top-to-bottom order."""
    items: list[Line | FoundTable] = group_lines(fragments)
    if tables:
        items = sorted([*items, *tables], key=lambda item: _top_before_tables(item, tables), reverse=True)
    left = min(item.x0 for item in items)
    return Flow(left, _right_edge(items), items)


def _top_before_tables(item: Line | FoundTable, tables: list[FoundTable]) -> float:
    """Where an item stands for the top-down order: its top; but a line inside a table's box at
    its very top (a heading beside a shaded number cell that the table took in, a word no cell
    holds) goes right before the table, not after it (its top is a little below the box's)."""
    if isinstance(item, Line):
        middle, reach = (item.x0 + item.x1) / 2, 1.5 * max(item.height, 1.0)
        for table in tables:
            x0, _, x1, top = table.box
            if x0 - 1 <= middle <= x1 + 1 and top - reach <= item.top <= top + 1:
                return top + 0.01
    return item.top


def _right_edge(items: list[Line | FoundTable]) -> float:
    """Where the column's lines end: a high percentile, so one odd wide line does not count."""
    ends = sorted(item.x1 for item in items)
    return ends[-1] if len(ends) < 5 else ends[int(0.9 * (len(ends) - 1))]


def group_lines(fragments: list[Fragment]) -> list[Line]:
    """Fragments on the same baseline joined left to right into lines, top line first."""
    rows: list[list[Fragment]] = []
    reference: Fragment | None = None
    for fragment in sorted(fragments, key=_MIDDLE, reverse=True):
        if reference is not None and abs(reference.middle - fragment.middle) < 0.45 * min(
                reference.height, fragment.height):
            rows[-1].append(fragment)
            continue
        rows.append([fragment])
        reference = fragment
    return [_line(part) for row in rows for part in _apart(row)]


LABEL_GAP = 4.0
"""Line heights between a heading and a label set smaller at the right margin on its baseline
("Dataskyddsförordningen ... Dir."): two lines, not one."""


def _apart(row: list[Fragment]) -> list[list[Fragment]]:
    """A row split where a wide gap separates texts of clearly different sizes; a row of one
    size (a form's "Datum:  2025-03-19", a table's cells) stays whole."""
    if len(row) < 2:
        return [row]
    row.sort(key=lambda f: f.x0)
    for index in range(1, len(row)):
        left, right = row[: index], row[index:]
        gap = right[0].x0 - left[-1].x1
        high, low = max(f.height for f in left), max(f.height for f in right)
        if gap > LABEL_GAP * max(high, low) and high > 1.1 * low:
            return [left, right]
    return [row]


def _line(row: list[Fragment]) -> Line:
    if len(row) == 1:  # the usual line: one fragment, which is a line itself
        return row[0]
    row.sort(key=lambda f: f.x0)
    parts = [row[0].text]
    for previous, fragment in zip(row, row[1:], strict=False):
        if fragment.x0 - previous.x1 > 0.12 * fragment.height:
            parts.append(" ")
        parts.append(fragment.text)
    last = row[-1]
    entry = last.x0 - row[-2].x1 > 2 * last.height and bool(_PAGE_REFERENCE.fullmatch(last.text))
    return Line("".join(parts), row[0].x0, max(f.x1 for f in row), min(f.bottom for f in row),
                max(f.top for f in row), all(f.bold for f in row), entry)


_SPACES = re.compile(r"[\s\-\u00ad]+")
_PAGE_REFERENCE = re.compile(r"\d{1,4}|[ivxlc]{1,6}", re.IGNORECASE)
