"""Extract stage: metadata, parties, goals, commitments and clauses of one document."""

from rok_compare.extract.pipeline import extract, extract_document

__all__ = ["extract", "extract_document"]
