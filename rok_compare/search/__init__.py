"""Model-clause search over the corpus store.

    >>> from rok_compare.search import search
    >>> for hit in search("rok.db", "hälsoundersökning", county="Jämtland"):
    ...     print(hit.occurrence.county, hit.occurrence.year, hit.text, hit.n_documents)
"""

from rok_compare.search.engine import SearchHit, search
from rok_compare.search.families import Occurrence, Variant
from rok_compare.search.query import SearchQueryError, parse_query

__all__ = ["Occurrence", "SearchHit", "SearchQueryError", "Variant", "parse_query", "search"]
