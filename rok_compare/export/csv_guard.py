"""Neutralise spreadsheet formulas in CSV cells (OWASP's CSV-injection rule).

Document text and names come from third parties; a cell such as ``=HYPERLINK("http://evil", "x")``
or ``@SUM(...)`` in an exported CSV runs as a formula when the file is opened in Excel or
LibreOffice. Every text cell (and header) that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading ``'``, which spreadsheets read as "this is text". Numbers are left
as they are. Programs that read the CSV themselves can turn this off (``csv_guard=False``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """``value`` with a leading ``'`` when it is text that a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def guard_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are neutralised (for DataFrames a
    notebook writes with ``to_csv``)."""
    from pandas.api.types import is_numeric_dtype

    frame = frame.copy()
    for column in frame.columns:
        if not is_numeric_dtype(frame[column]):  # object, string or category columns; numbers stay numbers
            frame[column] = frame[column].astype(object).map(neutralise)
    frame.columns = [neutralise(column) for column in frame.columns]
    return frame
