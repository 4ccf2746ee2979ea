"""Write the corpus tables to CSV, JSON or Parquet: one file per table plus the party × county matrix.

CSV and JSON are written with the standard library from the store's rows, so they work on the
core install; Parquet needs pandas and pyarrow (``pip install "rok-compare[export]"``) and keeps
the dtypes of :class:`~rok_compare.export.Corpus`. CSV cells that a spreadsheet would run as a
formula are neutralised unless ``csv_guard=False`` (see :mod:`rok_compare.export.csv_guard`).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from rok_compare.export.csv_guard import neutralise
from rok_compare.export.errors import ExportError, require
from rok_compare.export.tables import MATRIX, TABLES, read_matrix, read_table
from rok_compare.store.database import Store

__all__ = ["MATRIX", "ExportError", "ExportFormat", "ExportedFile", "export"]


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    PARQUET = "parquet"


@dataclass(frozen=True, slots=True)
class ExportedFile:
    table: str
    path: Path
    rows: int


def export(db: str | Path | None, fmt: str | ExportFormat, out_dir: str | Path, *,
           csv_guard: bool = True) -> list[ExportedFile]:
    """Write every table of the store at ``db`` into ``out_dir`` (created if missing).

    ``csv_guard``: in CSV, prefix ``'`` to text cells starting with ``= + - @``, tab or carriage
    return, so that a spreadsheet shows them instead of running them; False writes the text as it is.
    """
    fmt = ExportFormat(fmt)
    if fmt is ExportFormat.PARQUET:  # before any file is written
        require("pandas", "Parquet export")
        require("pyarrow", "Parquet export")
    with Store.open(db, readonly=True) as store:  # fail early, with a clear message
        path = store.path
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"{out}: cannot create the output folder ({error.strerror or error})") from error
    written = []
    for name in [*TABLES, MATRIX]:
        target = out / f"{name}.{fmt.value}"
        try:
            if fmt is ExportFormat.PARQUET:
                rows = _write_parquet(path, name, target)
            else:
                columns, records = read_matrix(path) if name == MATRIX else read_table(path, name)
                (_write_csv if fmt is ExportFormat.CSV else _write_json)(columns, records, target, csv_guard)
                rows = len(records)
        except OSError as error:
            raise ExportError(f"{target}: cannot be written ({error.strerror or error})") from error
        written.append(ExportedFile(name, target, rows))
    return written


def _write_csv(columns: list[str], rows: list[list[Any]], path: Path, guard: bool) -> None:
    """CSV has no lists: themes and warnings become ``a;b``; a missing value is an empty cell."""
    def cell(value: Any) -> Any:
        if isinstance(value, list):
            value = ";".join(map(str, value))
        return neutralise(value) if guard else value

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([cell(c) for c in columns])
        writer.writerows([cell(v) for v in row] for row in rows)


def _write_json(columns: list[str], rows: list[list[Any]], path: Path, guard: bool) -> None:
    """A list of records, as pandas' ``orient="records"`` writes it (``guard`` is for CSV only)."""
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    with path.open("w", encoding="utf-8") as handle:
        json.dump(records, handle, ensure_ascii=False, indent=1)
        handle.write("\n")


def _write_parquet(db: Path, name: str, path: Path) -> int:
    from rok_compare.export.corpus import Corpus

    corpus = Corpus(db)
    frame = corpus.party_county_matrix().reset_index() if name == MATRIX else corpus.table(name)
    frame.to_parquet(path, index=False)
    return len(frame)
