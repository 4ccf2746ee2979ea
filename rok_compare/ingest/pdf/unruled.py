"""Unruled tables: cells aligned in columns with no rules drawn, read as rows and cells.

A ruled table is found by its rules (``tables``); an unruled one only by its text: several
physical rows whose pieces (words apart by a cell gap, much wider than a word gap) start at the
same few x positions, three columns at least, no piece reaching into the next column, and the
rows close together. Such a region is one table. Its logical rows: a physical row that fills
every column starts a row, and so does one that stands apart from the row above (rows set with
space between them) or, in a table set without such space, one whose first cell starts anew
(its first word would have fitted on the line above: the cell above had ended); the other
physical rows go on in the cells of the row above (a wrapped cell, items one a line). So rows
whose cells all hold the same number of lines are split into single-line rows, and empty rows
cannot arise. The cells' text is written as in a ruled table
(``cells``: wrapped lines joined, breaks the author meant kept as ``\\v``).

Two columns make a table only as terms and their texts (a definition list whose notes stand
under the terms, beside the definitions' second lines): short terms, wider texts, some of them
wrapped onto more lines; a row starts where a term stands beside text that starts anew. A form's
short labels and values read well line by line, and two columns of text are columns, not a table.
"""

from __future__ import annotations

from collections.abc import Callable

from rok_compare.ingest.pdf.cells import cell_text, meant_break
from rok_compare.ingest.pdf.fragments import Fragment
from rok_compare.ingest.pdf.pagefragments import physical_lines
from rok_compare.ingest.pdf.tables import FoundTable

CELL_GAP = 1.2
"""Line heights between two cells of a row (a word gap is about 0.3)."""
TERM_COLUMNS = 2
"""Two columns make a table only as terms and their texts (see ``_term_table``)."""
TERM_CHARS = 120
"""A term, with the note under it, is at most this long ("Naturvårdsverkets metodik för inventering av
stora rovdjur i Sverige (NFS 2014:23)" on four lines)."""
MIN_ROWS = 3
"""Physical rows with pieces in two columns or more that a table needs."""
ROW_GAP = 1.35
"""A table whose rows stand this many times further apart somewhere than its closest rows is
set with space between its rows: there, a physical row that far below the one above starts a
row."""
NEAR = 2.2
"""Line heights: the most a physical row of a table stands below the one above it."""

Words = Callable[[list[Fragment]], list[Fragment]]
"""The words of some fragments, each with its own box."""


def has_candidates(fragments: list[Fragment]) -> bool:
    """Cheap look before the words are read: at least ``MIN_ROWS`` physical rows hold two
    fragments with a cell gap between them."""
    rows = 0
    for line in physical_lines(fragments):
        if len(line) > 1 and any(b.x0 - a.x1 >= CELL_GAP * max(a.height, 1.0)
                                 for a, b in zip(line, line[1:], strict=False)):
            rows += 1
            if rows >= MIN_ROWS:
                return True
    return False


def find_unruled_tables(fragments: list[Fragment], words: Words) -> tuple[list[FoundTable], list[Fragment]]:
    """The unruled tables among ``fragments``, and the fragments they leave (the rest of the page)."""
    lines = physical_lines(fragments)
    pieces = [_pieces(words(line) or line) for line in lines]
    starts = _column_starts(pieces)
    if len(starts) < TERM_COLUMNS:
        return [], fragments
    pieces = [_split_at_starts(row, starts) for row in pieces]
    tables: list[FoundTable] = []
    used: set[int] = set()
    for first, end in _regions(pieces, starts):
        table = _table(lines[first:end], pieces[first:end], starts)
        if table is not None:
            tables.append(table)
            used.update(id(fragment) for line in lines[first:end] for fragment in line)
    if not tables:
        return [], fragments
    return tables, [fragment for fragment in fragments if id(fragment) not in used]


def _pieces(words: list[Fragment]) -> list[list[Fragment]]:
    """A row's words grouped into pieces: a gap wider than ``CELL_GAP`` line heights ends one."""
    words = sorted(words, key=lambda word: word.x0)
    groups: list[list[Fragment]] = [[words[0]]]
    for word in words[1:]:
        if word.x0 - groups[-1][-1].x1 >= CELL_GAP * max(word.height, 1.0):
            groups.append([])
        groups[-1].append(word)
    return groups


NARROW_GAP = 0.4
"""Line heights: a gap this wide, at least, ends a piece where the next word starts a column."""


def _split_at_starts(row: list[list[Fragment]], starts: list[float]) -> list[list[Fragment]]:
    """A row's pieces split where a gap narrower than a cell gap ends right at a column's start:
    a justified term line runs up to its column's edge ("stora rovdjur i Sverige" beside
    "inventeringarna av ..."), closer to its text than ``CELL_GAP``."""
    result: list[list[Fragment]] = []
    for piece in row:
        current = [piece[0]]
        for word in piece[1:]:
            tolerance = max(2.0, 0.5 * word.height)
            if word.x0 - current[-1].x1 >= NARROW_GAP * max(word.height, 1.0) \
                    and any(abs(word.x0 - start) <= tolerance for start in starts):
                result.append(current)
                current = []
            current.append(word)
        result.append(current)
    return result


def _column_starts(pieces: list[list[list[Fragment]]]) -> list[float]:
    """Left edges shared by pieces of at least ``MIN_ROWS`` rows of several pieces."""
    edges = sorted(piece[0].x0 for row in pieces if len(row) > 1 for piece in row)
    starts: list[float] = []
    cluster: list[float] = []
    for edge in [*edges, float("inf")]:
        if cluster and edge - cluster[0] > 3.0:
            if len(cluster) >= MIN_ROWS:
                starts.append(min(cluster))
            cluster = []
        cluster.append(edge)
    return starts


def _column(piece: list[Fragment], starts: list[float]) -> int:
    """The column a piece stands in, or -1 when it starts off the columns' edges or reaches
    into the next column (a paragraph's line across the table's width)."""
    x0, x1 = piece[0].x0, max(word.x1 for word in piece)
    tolerance = max(2.0, 0.5 * piece[0].height)
    for index, start in enumerate(starts):
        if abs(x0 - start) <= tolerance:
            following = starts[index + 1] if index + 1 < len(starts) else float("inf")
            return index if x1 <= following - 0.5 * tolerance else -1
    return -1


def _regions(pieces: list[list[list[Fragment]]], starts: list[float]) -> list[tuple[int, int]]:
    """Runs of physical rows (first, end) whose every piece stands in a column, near each
    other, that start with a row of several pieces and hold ``MIN_ROWS`` of them."""
    regions: list[tuple[int, int]] = []
    first = None
    for index, row in enumerate([*pieces, None]):
        fits = row is not None and all(_column(piece, starts) >= 0 for piece in row)
        if fits and first is not None:
            above, here = pieces[index - 1][0][0], row[0][0]
            fits = above.middle - here.middle <= NEAR * max(here.height, 1.0) * (1 if len(row) == 1 else 1.5)
        if fits and first is None and len(row) > 1:
            first = index
            continue
        if not fits and first is not None:
            end = index
            while end > first and len(pieces[end - 1]) == 1 and _trailing(pieces, first, end):
                end -= 1
            if sum(1 for r in pieces[first:end] if len(r) > 1) >= MIN_ROWS:
                regions.append((first, end))
            first = index if fits and len(row) > 1 else None
    return regions


def _trailing(pieces: list[list[list[Fragment]]], first: int, end: int) -> bool:
    """The last row of a region is a lone piece set apart (a heading after the table)."""
    if end - 1 <= first:
        return False
    above, here = pieces[end - 2][0][0], pieces[end - 1][0][0]
    return above.middle - here.middle > 1.6 * max(here.height, 1.0)


def _table(lines: list[list[Fragment]], pieces: list[list[list[Fragment]]],
           starts: list[float]) -> FoundTable | None:
    used = sorted({_column(piece, starts) for row in pieces for piece in row})
    if len(used) < TERM_COLUMNS:
        return None
    starts = [starts[index] for index in used]
    right = max(fragment.x1 for line in lines for fragment in line)
    terms = len(starts) == TERM_COLUMNS
    logical = _term_rows(pieces, starts, right) if terms else _logical_rows(pieces, starts)
    rows = _cells(logical, starts, right)
    if terms and not _term_table(rows, logical, starts, right):
        return None
    bottom = min(fragment.bottom for line in lines for fragment in line)
    top = max(fragment.top for line in lines for fragment in line)
    return FoundTable((starts[0], bottom, right, top), rows)


Physical = list[list[Fragment]]
"""A physical row: its pieces, left to right."""


def _logical_rows(pieces: list[Physical], starts: list[float]) -> list[list[Physical]]:
    """Physical rows grouped into the table's rows (see the module's docstring)."""
    gaps = [a[0][0].middle - b[0][0].middle for a, b in zip(pieces, pieces[1:], strict=False)]
    spaced = bool(gaps) and max(gaps) > ROW_GAP * min(gaps)
    logical: list[list[Physical]] = []
    last_first: list[Fragment] | None = None  # the latest piece of the first column
    for index, row in enumerate(pieces):
        columns = {_column(piece, starts): piece for piece in row}
        full = len(columns) == len(starts)
        if spaced:
            starts_row = index > 0 and gaps[index - 1] > ROW_GAP * min(gaps)
        else:  # rows set close: a row starts where the first column's text starts anew
            starts_row = len(columns) > 1 and 0 in columns and last_first is not None \
                and meant_break(last_first, columns[0], starts[1] - 2.0)
        if not logical or full or starts_row:
            logical.append([])
        logical[-1].append(row)
        last_first = columns.get(0, last_first)
    return logical


def _term_rows(pieces: list[Physical], starts: list[float], right: float) -> list[list[Physical]]:
    """Rows of a term (or label) and its text: a row starts where a term stands beside text
    that starts anew (the text above had ended: its next word would have fitted). A term's
    second line, or a note under it ("(NFS 2014:23)"), beside a definition going on, goes on
    in the same row."""
    logical: list[list[Physical]] = []
    last_text: list[Fragment] | None = None  # the latest piece of the second column
    for row in pieces:
        columns = {_column(piece, starts): piece for piece in row}
        starts_row = 0 in columns and 1 in columns and (
            last_text is None or meant_break(last_text, columns[1], right - 2.0)
            or _closes(last_text) and columns[0][0].text[:1].isupper() and columns[1][0].text[:1].isupper())
        if not logical or starts_row:
            logical.append([])
        logical[-1].append(row)
        last_text = columns.get(1, last_text)
    return logical


def _closes(piece: list[Fragment]) -> bool:
    """A piece of text ends a sentence or a note ("... häckning. (NFS 2014:23)")."""
    return piece[-1].text.endswith((".", ")", "!", "?"))


def _term_table(rows: list[list[str]], logical: list[list[Physical]], starts: list[float], right: float) -> bool:
    """Two columns make a table only as terms and their texts (a definition list, a list of
    labels and values): each row has both, the terms are short and narrower than the texts,
    and some text wraps onto more lines (two columns of short lines read well as lines)."""
    if len(rows) < MIN_ROWS or any(not term or not text for term, text in rows):
        return False
    if starts[1] - starts[0] > right - starts[1] or any(len(term) > TERM_CHARS for term, _ in rows):
        return False
    return any(sum(1 for row in group if any(_column(piece, starts) == 1 for piece in row)) > 1
               for group in logical)


def _cells(logical: list[list[Physical]], starts: list[float], right: float) -> list[list[str]]:
    """The text of each row's cells (rows without any text left out)."""
    rows = []
    for group in logical:
        cells = []
        for column, start in enumerate(starts):
            end = starts[column + 1] if column + 1 < len(starts) else right + 1.0
            words = [word for row in group for piece in row if _column(piece, starts) == column for word in piece]
            if not words:
                cells.append("")
                continue
            box = (start, min(w.bottom for w in words), end, max(w.top for w in words))
            cells.append(cell_text(words, box))
        if any(cells):
            rows.append(cells)
    return rows
