"""Run the whole pipeline on one document."""

from __future__ import annotations

from pathlib import Path

from rok_compare.ingest import read_document
from rok_compare.model import Agreement, DocType, SourceDocument


def extract(source: SourceDocument) -> Agreement:
    """Segment and extract an already read document."""
    return Agreement(
        source=source, title=None, county=None, period=None, revision_date=None,
        doc_type=DocType.OTHER, parties=[], goals=[], commitments=[], clauses=[],
        warnings=list(source.warnings),
    )


def extract_document(path: str | Path) -> Agreement:
    """Read and extract one file; raises :class:`~rok_compare.errors.InputError` on bad input."""
    return extract(read_document(path))
