"""pandas dtypes for the corpus tables: nullable integers, datetimes and categoricals.

A notebook user should be able to sort commitments by strength and get "guarantee" above
"should", group by county in the official county order, and see a missing year as ``<NA>``
rather than turning every year into a float.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from rok_compare.export.tables import DATE_COLUMNS, FLOAT_COLUMNS, INTEGER_COLUMNS, TIMESTAMP_COLUMNS
from rok_compare.model import ClauseKind, DocType, PartyKind

if TYPE_CHECKING:
    import pandas as pd

_COUNTIES = Path(__file__).resolve().parents[1] / "extract" / "data" / "counties.csv"
RELATIONS = ("identical", "edited", "related", "only_a", "only_b")
"""The ``relation`` of a row of :meth:`Corpus.alignments`."""


@cache
def strength_order() -> tuple[str, ...]:
    """Commitment strengths weakest first (should < endeavour < offer < undertake < shall < guarantee),
    read from the extraction's own scale so the two never disagree."""
    from rok_compare.extract.strength import strength_rules

    levels: dict[str, int] = {}
    for rule in strength_rules():
        levels.setdefault(rule.label, rule.level)
    return tuple(sorted(levels, key=levels.__getitem__))


@cache
def county_order() -> tuple[str, ...]:
    """County names in the order of their official codes (Stockholms län 01 first)."""
    with _COUNTIES.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle)]
    return tuple(row["name"] for row in sorted(rows, key=lambda row: row["code"]))


def _categories(table: str, column: str) -> tuple[tuple[str, ...], bool] | None:
    """The categories of ``column`` in ``table`` and whether their order means something."""
    if column == "strength":
        return strength_order(), True
    if column == "county":
        return county_order(), True
    if column == "doc_type":
        return tuple(DocType), False
    if column == "kind":
        return tuple(PartyKind if table == "parties" else ClauseKind), False
    if column == "relation":
        return RELATIONS, False
    return None


def typed(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """``frame`` (a table as read from SQLite) with the column types of :mod:`rok_compare.export.tables`.

    Values outside a known category list (a county spelt differently, a newer doc type) are added
    at the end of the categories, never turned into missing values."""
    import pandas as pd

    frame = frame.copy()
    for column in frame.columns:
        if column in INTEGER_COLUMNS:
            frame[column] = pd.to_numeric(frame[column]).astype("Int64")
        elif column in FLOAT_COLUMNS:
            frame[column] = pd.to_numeric(frame[column]).astype("Float64")
        elif column in DATE_COLUMNS:
            frame[column] = pd.to_datetime(frame[column], format="ISO8601", errors="coerce")
        elif column in TIMESTAMP_COLUMNS:
            frame[column] = pd.to_datetime(frame[column], format="ISO8601", errors="coerce", utc=True)
        elif (spec := _categories(table, column)) is not None:
            known, ordered = spec
            extra = sorted(set(frame[column].dropna().map(str)) - set(map(str, known)))
            frame[column] = pd.Categorical(frame[column], categories=[*map(str, known), *extra], ordered=ordered)
    return frame
