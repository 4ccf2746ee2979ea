"""Text set beside the body rather than in it: margin labels and side-by-side panels.

Both would be read wrongly line by line across the page. A margin label ("Prop. 2022/23:105"
right of a title, "Bilaga 1" left of it) lands inside the title; two panels side by side, each
under its own bold heading ("Köpare" and "Upphandling", each over its key-value lines), would be
read row by row, one line of each in turn. Neither shows as columns: a few lines each, beside a
page of full-width text.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from rok_compare.ingest.pdf.fragments import Fragment

if TYPE_CHECKING:  # layout imports this module: types only
    from rok_compare.ingest.pdf.tables import FoundTable

MIN_FRAGMENTS = 5
"""Fragments a page needs for its body's edges to be known."""
PANEL_ROWS = 3
"""Rows a pair of panels holds at least: their headings and two lines."""
PANEL_GAP = 2.0
"""Line heights between the two headings of side-by-side panels, at least."""
ROW_DISTANCE = 2.2
"""Line heights: the most a panel's row stands below the one above it."""


MARGIN_LABELS = 3
"""Labels at most in a page's margin beside its first lines ("Prop. 2022/23:105", "Bilaga 1")."""
LABEL_CHARS = 24
TOP_LINES = 4
"""A margin label stands beside one of the body's first lines."""


def margin_labels(fragments: list[Fragment]) -> tuple[list[Fragment], list[Fragment]]:
    """Short labels set in the page's margin beside its first lines, apart from the body: a
    document's number right of a title, "Bilaga 1" left of it. Read by their height alone
    they would land inside the title; they are read first, as a block of their own."""
    if len(fragments) < 2 * MIN_FRAGMENTS:
        return [], fragments
    floor = heapq.nlargest(TOP_LINES + MARGIN_LABELS, (f.top for f in fragments))[-1]
    if not any(len(f.text) <= LABEL_CHARS and f.top >= floor - 3 * f.height for f in fragments):
        return [], fragments  # a quick look first: no short text near the top
    starts = [round(f.x0) for f in fragments[:: max(1, len(fragments) // 30)]]  # a sample tells the body's edge
    left = max(set(starts), key=starts.count)
    heights = sorted(f.height for f in fragments[:: max(1, len(fragments) // 15)])
    reach = 3 * max(1.0, heights[len(heights) // 2])  # three line heights of the body
    starting = [f.x1 for f in fragments if left - reach <= f.x0 <= left + reach]
    if len(starting) < MIN_FRAGMENTS:
        return [], fragments
    right = heapq.nlargest(2, starting)[-1]
    outside = [f for f in fragments if len(f.text) <= LABEL_CHARS
               and (f.x1 <= left - 0.5 * f.height or f.x0 >= right - 1.0)]
    if not outside or len(outside) > MARGIN_LABELS:
        return [], fragments
    body = [f for f in fragments if f not in outside]
    tops = sorted((f.top for f in body), reverse=True)
    zone = tops[min(TOP_LINES, len(tops)) - 1]
    if any(f.top < zone - 3 * f.height for f in outside) or max(f.top for f in outside) < zone:
        return [], fragments  # lower down: not beside the first lines
    low = min(f.bottom for f in outside) - 2 * outside[0].height
    high = max(f.top for f in outside) + 0.5 * outside[0].height
    if any(f.x0 < o.x1 and f.x1 > o.x0 and low < f.middle < high for f in body for o in outside):
        return [], fragments  # text right above or below it in the same strip: not a margin
    return outside, body


Part = tuple[list[Fragment], list["FoundTable"], float]
"""A part of a page read in one go: its fragments, its tables, and where its lines could reach
(the right panel's start for the left panel, the page's right edge for the right panel; 0 for
the text above and below: their own lines tell)."""


def panels(fragments: list[Fragment], tables: list[FoundTable]) -> list[Part]:
    """The page (one column) cut into parts read one after the other: the text above a pair
    of side-by-side panels, the left panel, the right panel, the text below (and so on for
    each pair). A pair starts at a row of exactly two bold pieces far apart (the panels'
    headings) and goes on while the rows below stand close and have nothing across the
    place where the right panel starts. Tables stay with the text above or below."""
    rows = _rows(fragments)
    order = {id(fragment): index for index, fragment in enumerate(fragments)}
    found: list[tuple[int, int, float]] = []  # (first row, end row, where the right panel starts)
    index = 0
    while index < len(rows):
        split = _headings(rows[index], bold=False)
        end = _panel_end(rows, index, split) if split is not None else index
        if split is not None and end - index >= PANEL_ROWS and not _crossed_by_table(rows[index:end], tables) \
                and (_headings(rows[index]) is not None or _written_apart(rows[index:end], split, order)):
            found.append((index, end, split))
            index = end
        else:
            index += 1
    if not found:
        return [(fragments, tables, 0.0)]
    parts: list[Part] = []
    right = max(f.x1 for f in fragments)  # where the right panel's lines could reach
    position = 0
    remaining = list(tables)
    for first, end, split in found:
        above = [f for row in rows[position:first] for f in row]
        bottom = min(f.bottom for f in rows[first])
        table_above = [t for t in remaining if t.box[1] >= bottom]
        remaining = [t for t in remaining if t.box[1] < bottom]
        parts.append((above, table_above, 0.0))
        inside = [f for row in rows[first:end] for f in row]
        parts.append(([f for f in inside if f.x0 < split - 2.0], [], split))
        parts.append(([f for f in inside if f.x0 >= split - 2.0], [], right))
        position = end
    parts.append(([f for row in rows[position:] for f in row], remaining, 0.0))
    return parts


def _rows(fragments: list[Fragment]) -> list[list[Fragment]]:
    """Fragments grouped by baseline, top row first, each left to right."""
    rows: list[list[Fragment]] = []
    for fragment in sorted(fragments, key=lambda f: -f.middle):
        if rows and abs(rows[-1][0].middle - fragment.middle) < 0.4 * min(rows[-1][0].height, fragment.height):
            rows[-1].append(fragment)
        else:
            rows.append([fragment])
    for row in rows:
        row.sort(key=lambda f: f.x0)
    return rows


def _written_apart(rows: list[list[Fragment]], split: float, order: dict[int, int]) -> bool:
    """Panels whose headings are not bold: the PDF writes all of the left panel before the
    right one, and the left panel is no column of labels ("Telefon:" beside its value)."""
    left = [f for row in rows for f in row if f.x0 < split - 2.0]
    right = [f for row in rows for f in row if f.x0 >= split - 2.0]
    return max(order[id(f)] for f in left) < min(order[id(f)] for f in right) \
        and not any(f.text.rstrip().endswith(":") for f in left)


def _headings(row: list[Fragment], bold: bool = True) -> float | None:
    """Where the right panel starts, when the row is two pieces far apart (two headings;
    bold ones, unless ``bold`` is False)."""
    if len(row) < 2 or bold and not all(f.bold for f in row):
        return None
    gaps = [(b.x0 - a.x1, b.x0) for a, b in zip(row, row[1:], strict=False)]
    wide = [(gap, x) for gap, x in gaps if gap >= PANEL_GAP * max(row[0].height, 1.0)]
    return wide[0][1] if len(wide) == 1 else None


def _panel_end(rows: list[list[Fragment]], first: int, split: float) -> int:
    """The row after the pair of panels that starts at ``first`` (its headings' row)."""
    end = first + 1
    while end < len(rows):
        row, above = rows[end], rows[end - 1]
        height = max(max(f.height for f in row), 1.0)
        if above[0].middle - row[0].middle > ROW_DISTANCE * height:
            break
        if any(f.x0 < split - 2.0 < f.x1 - 2.0 for f in row) or _headings(row) is not None:
            break  # a line across both panels, or the headings of the next pair
        end += 1
    right = [f for row in rows[first + 1 : end] for f in row if f.x0 >= split - 2.0]
    left = [f for row in rows[first + 1 : end] for f in row if f.x0 < split - 2.0]
    return end if left and right else first


def _crossed_by_table(rows: list[list[Fragment]], tables: list[FoundTable]) -> bool:
    top, bottom = max(f.top for f in rows[0]), min(f.bottom for f in rows[-1])
    return any(t.box[1] < top and t.box[3] > bottom for t in tables)
