"""Clause search over the corpus store, with Swedish word forms and compounds.

    >>> from rok_compare.search import search
    >>> for hit in search("rok.db", "bostad -tolk", county="Jämtland"):
    ...     print(hit.occurrence.label, hit.occurrence.anchor, hit.text)

:func:`search` documents the query language and the filters; ``rok search`` and the report's
search (through ``rok serve``) both call it.
"""

from rok_compare.search.engine import HitCount, SearchHit, check_names, count_hits, count_matches, search
from rok_compare.search.families import Occurrence, Variant
from rok_compare.search.query import QUERY_EXAMPLES, Query, SearchQueryError, parse_query

__all__ = ["QUERY_EXAMPLES", "HitCount", "Occurrence", "Query", "SearchHit", "SearchQueryError", "Variant",
           "check_names", "count_hits", "count_matches", "parse_query", "search"]
