"""Documents as the corpus-wide comparisons see them: path, county, year and clauses."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rok_compare.errors import InputError
from rok_compare.model import Agreement, Clause


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


def expand_paths(paths: Iterable[Path], on_skipped: Callable[[str], object] | None = None) -> Iterator[Path]:
    """Files as given, and the documents under folders, found as ``rok ingest`` finds them (same formats,
    links not followed out of a folder; see :mod:`rok_compare.store.scan`). Each file left out of a folder
    goes to ``on_skipped`` as one line with the reason, except side files such as a ``MANIFEST.csv``."""
    from rok_compare.store.scan import scan_paths

    for path in paths:
        if not path.is_dir():
            yield path  # named by the user: the reader says what is wrong with it, if anything
            continue
        scan = scan_paths([path])
        for skipped in scan.skipped:
            if on_skipped is not None and not skipped.side_file:
                on_skipped(f"{skipped.key}: {skipped.reason}")
        yield from scan.files


def load_documents(paths: Iterable[Path], on_error: Callable[[str], object]) -> list[CorpusDocument]:
    """Extract every document; a file that cannot be read or is left out goes to ``on_error``."""
    from rok_compare.extract import extract_document

    documents = []
    for path in expand_paths(paths, on_error):
        try:
            documents.append(CorpusDocument.from_agreement(extract_document(path)))
        except InputError as error:
            on_error(str(error))
        except Exception as error:  # one broken file must not stop the batch
            on_error(f"{path}: internal error ({type(error).__name__}: {error})")
    return documents
