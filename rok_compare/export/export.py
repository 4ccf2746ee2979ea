"""Write the corpus tables to CSV, JSON or Parquet: one file per table plus the party × county matrix.

CSV cells that a spreadsheet would run as a formula are neutralised unless ``csv_guard=False``
(see :mod:`rok_compare.export.csv_guard`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from rok_compare.export.corpus import TABLES, Corpus
from rok_compare.export.csv_guard import guard_frame

if TYPE_CHECKING:
    import pandas as pd

MATRIX = "party_county_matrix"


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    PARQUET = "parquet"


class ExportError(Exception):
    """The export cannot be written; ``str()`` is one line."""


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
    try:
        import pandas  # noqa: F401
        if fmt is ExportFormat.PARQUET:
            import pyarrow  # noqa: F401
    except ImportError as error:
        raise ExportError(f"{fmt} export needs pandas and pyarrow: pip install 'rok-compare[export]' "
                          f"({error})") from error
    corpus = Corpus(db)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"{out}: cannot create the output folder ({error.strerror or error})") from error
    written = []
    for name in TABLES:
        written.append(_write(corpus.table(name), name, out, fmt, csv_guard))
    matrix = corpus.party_county_matrix().reset_index()
    written.append(_write(matrix, MATRIX, out, fmt, csv_guard))
    return written


def _write(frame: pd.DataFrame, name: str, out: Path, fmt: ExportFormat, csv_guard: bool) -> ExportedFile:
    path = out / f"{name}.{fmt.value}"
    try:
        if fmt is ExportFormat.CSV:
            flat = _flatten_lists(frame)
            (guard_frame(flat) if csv_guard else flat).to_csv(path, index=False)
        elif fmt is ExportFormat.JSON:
            frame.to_json(path, orient="records", force_ascii=False, indent=1)
        else:
            frame.to_parquet(path, index=False)
    except OSError as error:
        raise ExportError(f"{path}: cannot be written ({error.strerror or error})") from error
    return ExportedFile(name, path, len(frame))


def _flatten_lists(frame: pd.DataFrame) -> pd.DataFrame:
    """CSV has no lists: themes and warnings become ``a;b`` strings."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, list)).any():
            frame[column] = frame[column].map(lambda v: ";".join(map(str, v)) if isinstance(v, list) else v)
    return frame
