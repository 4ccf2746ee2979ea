"""Turn what the user typed into safe FTS5 queries.

Plain words (the usual case) are quoted one by one, so no character the user types can break
the FTS5 syntax: ``hälsoundersökning tolk`` becomes ``"hälsoundersökning"* AND "tolk"*``. Words
of :data:`PREFIX_MIN` letters or more match as prefixes, which covers Swedish inflection
(``etablering`` finds ``etableringen``, ``etableringsinsatser``); shorter words match exactly, so
``får`` never finds ``far`` or ``fåren``. A query that uses FTS5 operators (``"a phrase"``,
``AND``/``OR``/``NOT``, ``NEAR(...)``, parentheses) is passed through as written, and
a syntax error in it becomes a :class:`SearchQueryError` with a one-line explanation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

PREFIX_MIN = 4
_WORD = re.compile(r"\w+\*?")
_ADVANCED = re.compile(r'["()]|\b(AND|OR|NOT)\b|\bNEAR\s*\(')
SYNTAX_HELP = ('use plain words, "an exact phrase", word*, AND / OR / NOT, NEAR(word1 word2), '
               "and balanced quotes and parentheses")


class SearchQueryError(ValueError):
    """The query cannot be run; ``str()`` is a one-line message for the user."""


@dataclass(frozen=True, slots=True)
class MatchQuery:
    """The FTS5 expressions for one user query."""

    text: str
    """What the user typed."""
    words: str
    """MATCH expression for the word index."""
    trigram: str | None
    """MATCH expression for the trigram index (words inside compounds), None if not applicable."""
    terms: tuple[str, ...]
    """The plain words of the query, for similarity re-ranking."""
    advanced: bool


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def parse_query(text: str) -> MatchQuery:
    """Build the MATCH expressions; raises :class:`SearchQueryError` for a query with no words."""
    text = text.strip()
    tokens = _WORD.findall(text)
    terms = tuple(w.rstrip("*") for w in tokens)
    if _ADVANCED.search(text):
        keywords = {"AND", "OR", "NOT", "NEAR"}
        plain = tuple(t for t in terms if t not in keywords)
        if not plain:
            raise SearchQueryError(f"query {text!r} has no words to search for")
        return MatchQuery(text, text, None, plain, True)
    if not terms:
        raise SearchQueryError(f"query {text!r} has no words to search for (letters or digits)")
    words = " AND ".join(_quote(t) + ("*" if w.endswith("*") or len(t) >= PREFIX_MIN else "")
                         for w, t in zip(tokens, terms, strict=True))
    # Inside compounds only words of PREFIX_MIN letters or more: "far" would match "erfarenhet".
    use_trigram = all(len(t) >= PREFIX_MIN for t in terms)
    trigram = " AND ".join(_quote(t) for t in terms) if use_trigram else None
    return MatchQuery(text, words, trigram, terms, False)


def query_from_text(text: str, frequency: Callable[[list[str]], dict[str, int]] | None = None,
                    total: int = 0, max_terms: int = 8, max_share: float = 0.05) -> MatchQuery:
    """A broad OR query from a passage (``--similar-to`` without a query): its most telling words.

    ``frequency`` gives the number of clauses (of ``total``) each word occurs in. The rarest words
    that occur at all are kept, without those in more than ``max_share`` of the clauses unless
    nothing else is left: few candidates, all relevant, and a fast query. Without ``frequency``
    the longest words are kept.
    """
    words: dict[str, None] = {}
    for word in _WORD.findall(text):
        word = word.rstrip("*").casefold()
        if len(word) >= PREFIX_MIN and not word.isdigit():
            words.setdefault(word, None)
    if frequency is not None:
        counts = frequency(list(words))
        ranked = sorted((w for w in words if counts.get(w)), key=lambda w: (counts[w], w))
        telling = [w for w in ranked if counts[w] <= max_share * total]
        terms = (telling or ranked[:2])[:max_terms]
    else:
        terms = sorted(words, key=len, reverse=True)[:max_terms]
    if not terms:
        raise SearchQueryError("the --similar-to text has no words that occur in the corpus")
    return MatchQuery(text, " OR ".join(_quote(t) for t in terms), None, tuple(terms), False)


def explain_fts_error(query: MatchQuery, error: Exception) -> SearchQueryError:
    """The user-facing message for an SQLite error raised by a MATCH expression."""
    detail = str(error).removeprefix("fts5: ")
    if detail == 'syntax error near ""':
        detail = "it ends too early: after an operator, or with an open parenthesis"
    return SearchQueryError(f"invalid search query {query.text!r} ({detail}); {SYNTAX_HELP}")
