"""The corpus for notebooks (pandas DataFrames) and as CSV / JSON / Parquet files.

    >>> from rok_compare.export import Corpus, export
    >>> Corpus("rok.db").party_county_matrix()
    >>> export("rok.db", "csv", "out/")      # CSV and JSON need no pandas
    >>> export("rok.db", "parquet", "out/")  # pip install "rok-compare[export]"
"""

from rok_compare.export.corpus import TABLES, Corpus
from rok_compare.export.errors import INSTALL, ExportError, MissingExtraError
from rok_compare.export.export import ExportedFile, ExportFormat, export
from rok_compare.export.stored import DocumentNotFound

__all__ = ["INSTALL", "TABLES", "Corpus", "DocumentNotFound", "ExportError", "ExportFormat", "ExportedFile",
           "MissingExtraError", "export"]
