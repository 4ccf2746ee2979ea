"""rok-compare: structured data from Swedish regional agreements on newly arrived immigrants.

The pipeline runs one way, one package per stage::

    ingest (read)  ->  segment  ->  extract  ->  align / store / search / report

For a notebook::

    from rok_compare import extract_document
    agreement = extract_document("corpus/seeds/001_db03df83e1636e02.txt")
    [p.canonical for p in agreement.parties]
"""

from rok_compare.errors import InputError
from rok_compare.extract import extract, extract_document
from rok_compare.ingest import read_document

__version__ = "0.1.0"
__all__ = ["InputError", "extract", "extract_document", "read_document", "__version__"]
