"""Documents as the corpus-wide comparisons see them: path, county, year and clauses."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rok_compare.errors import InputError
from rok_compare.model import Agreement, Clause

SUFFIXES = (".txt", ".pdf")


@dataclass(slots=True)
class CorpusDocument:
    path: str
    county: str | None
    year: int | None
    """First year of the period of validity, when the document states it."""
    clauses: list[Clause]

    @classmethod
    def from_agreement(cls, agreement: Agreement) -> CorpusDocument:
        return cls(
            path=str(agreement.source.path),
            county=agreement.county.name if agreement.county else None,
            year=agreement.period.start if agreement.period else None,
            clauses=list(agreement.clauses),
        )


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, and the *.txt and *.pdf files under folders (recursively, sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
        else:
            yield path


def load_documents(paths: Iterable[Path], on_error: Callable[[str], object]) -> list[CorpusDocument]:
    """Extract every document; a file that cannot be read goes to ``on_error`` and is skipped."""
    from rok_compare.extract import extract_document

    documents = []
    for path in expand_paths(paths):
        try:
            documents.append(CorpusDocument.from_agreement(extract_document(path)))
        except InputError as error:
            on_error(str(error))
        except Exception as error:  # one broken file must not stop the batch
            on_error(f"{path}: internal error ({type(error).__name__}: {error})")
    return documents
