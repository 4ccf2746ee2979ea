"""Read stage: turn a PDF, Word (.docx), OpenDocument text (.odt), text or HTML file into a
:class:`~rok_compare.model.SourceDocument`, its text NFC-normalised.

    >>> from rok_compare.ingest import read_document
    >>> doc = read_document("corpus/seeds/000_7d7dd3b94a00e6f5.txt")

Every failure is an :class:`~rok_compare.errors.InputError` naming the file and the problem.
"""

from rok_compare.ingest.reader import read_bytes, read_document

__all__ = ["read_bytes", "read_document"]
