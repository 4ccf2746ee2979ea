"""The corpus for notebooks (pandas DataFrames) and as CSV / JSON / Parquet files.

    >>> from rok_compare.export import Corpus, export
    >>> Corpus("rok.db").party_county_matrix()
    >>> export("rok.db", "parquet", "out/")
"""

from rok_compare.export.corpus import TABLES, Corpus
from rok_compare.export.export import ExportedFile, ExportError, ExportFormat, export

__all__ = ["TABLES", "Corpus", "ExportError", "ExportFormat", "ExportedFile", "export"]
