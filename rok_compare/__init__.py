"""rok-compare: structured data from Swedish regional agreements on newly arrived immigrants.

The pipeline runs one way, one package per stage::

    ingest (read)  ->  segment  ->  extract  ->  align / store / search / report

For a notebook::

    from rok_compare import extract_document
    agreement = extract_document("corpus/seeds/001_db03df83e1636e02.txt")
    [p.canonical for p in agreement.parties]
"""

from importlib import import_module
from typing import Any

from rok_compare.errors import InputError

__version__ = "0.1.0"
_EXPORTS = {"extract": "rok_compare.extract", "extract_document": "rok_compare.extract",
            "read_document": "rok_compare.ingest", "Corpus": "rok_compare.export"}
__all__ = ["InputError", "__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    """Import a stage only when it is used, so ``rok status`` does not load the extractors."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
