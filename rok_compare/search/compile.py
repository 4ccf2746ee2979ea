"""Turn a parsed query into FTS5 MATCH expressions over the store's word index (``clauses_fts``).

Each query word becomes the OR of the store's words that it finds (its forms and compounds with
it, decided by :mod:`rok_compare.search.swedish` on the index's own vocabulary), so phrases,
prefixes and the Swedish forms all run as one FTS5 query with one bm25 ranking. Every word put
into an expression is quoted: nothing the user types can change the FTS5 syntax.

A plan also says how much running it costs (an upper bound on the clauses it matches, from the
vocabulary's counts, and the number of FTS5 terms) and carries a second, cheaper expression for
finding candidates in a large store: each query word (and prefix) as its
:data:`RETRIEVAL_TERMS` most common words only. The search checks every candidate against the
whole query (:mod:`rok_compare.search.verify`), so the cheaper expression changes which clauses
are considered first, never which clauses match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rok_compare.search.query import WORD, AllOf, AnyOf, Node, Phrase, Prefix, Query, SearchQueryError, Word
from rok_compare.search.swedish import MIN_PART, Match, fold, search_strings, word_data
from rok_compare.search.vocab import StoreWords, store_words

__all__ = ["Plan", "StoreWords", "plan_passage", "plan_query", "quote", "store_words"]

PASSAGE_TERMS = 8
"""Words taken from a ``similar_to`` passage."""
PASSAGE_MAX_SHARE = 0.05
"""A passage word found in more than this share of the clauses tells little, and is left out."""
RETRIEVAL_TERMS = 24
"""Words of one query word (its most common forms and compounds) in the candidate expression:
FTS5 opens every term of an expression, so a word with 900 compounds in a large store would cost
more to open than to rank."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What to run for one query."""

    include: str | None
    """FTS5 expression the clauses must match; None when the query asks for no word (filters alone,
    or only ``-words``)."""
    exclude: str | None
    """FTS5 expression the clauses must not match (``-words`` of a query without other words)."""
    empty: bool
    """The query asks for words the store does not hold: nothing can match."""
    found: frozenset[str]
    """The store's words that are the query's words or forms of them, and the words of its phrases."""
    compounds: frozenset[str]
    """The store's words that hold a query word only as a compound part (a clause with none of
    ``found`` ranks lower); both sets are marked as highlights."""
    prefixes: tuple[str, ...]
    terms: tuple[str, ...]
    """The words the user asked for, for similarity ranking."""
    root: AllOf | None = None
    """The query (groups of only -words lifted), for checking candidates against it."""
    expanded: dict[str, frozenset[str]] = field(default_factory=dict)
    """Each query word -> every store word it finds (forms and compounds)."""
    retrieval: str | None = None
    """``include`` with each word and prefix cut to its :data:`RETRIEVAL_TERMS` most common words."""
    estimate: int = 0
    """At least as many clauses as ``include`` matches (from the vocabulary's counts)."""
    fts_terms: int = 0
    """Terms in ``include`` (a prefix counts as the words it covers): what ranking each match costs."""


def quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def plan_query(query: Query, words: Callable[[], StoreWords]) -> Plan:
    """The FTS5 expressions for a parsed query (``words`` is asked only when the query has words)."""
    if query.root is None:
        return Plan(None, None, False, frozenset(), frozenset(), (), ())
    store = words()
    compiler = _Compiler(store)
    root = compiler.flatten(query.root)
    include = compiler.conjunction(root.include) if root.include else None
    exclude = compiler.disjunction(root.exclude)
    empty = bool(root.include) and include is None
    retrieval = None
    if include:
        compiler.capped = True
        retrieval = compiler.conjunction(root.include)
        capped_exclude = compiler.disjunction(root.exclude)
        retrieval = f"{retrieval} NOT {capped_exclude}" if retrieval and capped_exclude else retrieval
    if include and exclude:
        include, exclude = f"{include} NOT {exclude}", None
    estimate = _estimate(root, compiler) if include else 0
    return Plan(include, exclude, empty, frozenset(compiler.found), frozenset(compiler.compounds - compiler.found),
                tuple(dict.fromkeys(compiler.prefixes)), query.words, root,
                {w: frozenset(found) for w, found in compiler.expansions.items()}, retrieval, estimate,
                compiler.terms)


def _estimate(node: Node, compiler: _Compiler) -> int:
    """An upper bound on the clauses ``node`` matches (the exclusions left out)."""
    counts, everything = compiler.words.counts, compiler.words.clauses
    if isinstance(node, Word):
        return min(everything, sum(counts[w] for w in compiler.expansions.get(node.text, ())))
    if isinstance(node, Prefix):
        return min(everything, sum(counts[w] for w in compiler.words.index.starting(node.text)))
    if isinstance(node, Phrase):
        return min(counts.get(w, 0) for w in node.words)
    if isinstance(node, AnyOf):
        return min(everything, sum(_estimate(part, compiler) for part in node.parts))
    return min((_estimate(part, compiler) for part in node.include), default=everything)


def plan_passage(text: str, words: StoreWords) -> Plan:
    """A broad OR query from a passage (``similar_to`` without a query): its most telling words.

    The rarest words that occur in the store are kept, without those in more than
    :data:`PASSAGE_MAX_SHARE` of the clauses unless nothing else is left: few candidates, all
    relevant, and a fast query.
    """
    seen = dict.fromkeys(fold(w) for w in _passage_words(text))
    ranked = sorted((w for w in seen if words.counts.get(w)), key=lambda w: (words.counts[w], w))
    telling = [w for w in ranked if words.counts[w] <= PASSAGE_MAX_SHARE * words.clauses]
    terms = (telling or ranked[:2])[:PASSAGE_TERMS]
    if not terms:
        raise SearchQueryError("the --similar-to text has no words that occur in the store")
    expression = "(" + " OR ".join(map(quote, terms)) + ")"
    root = AllOf((AnyOf(tuple(Phrase((t,)) for t in terms)),))
    return Plan(expression, None, False, frozenset(terms), frozenset(), (), tuple(terms), root, {}, expression,
                min(words.clauses, sum(words.counts[t] for t in terms)), len(terms))


def _passage_words(text: str) -> list[str]:
    stop = word_data().stopwords
    return [w for w in WORD.findall(text) if len(w) > MIN_PART and not w.isdigit() and fold(w) not in stop]


class _Compiler:
    def __init__(self, words: StoreWords) -> None:
        self.words = words
        self.found: set[str] = set()
        """Words found as themselves or as forms of a query word (or in a phrase)."""
        self.compounds: set[str] = set()
        self.prefixes: list[str] = []
        self.expansions: dict[str, list[str]] = {}
        """Query word -> the store's words it finds, most common first."""
        self.capped = False
        """Building the candidate expression: words and prefixes cut to :data:`RETRIEVAL_TERMS` words."""
        self.terms = 0
        """FTS5 terms in the full expression."""

    def flatten(self, node: AllOf) -> AllOf:
        """Lift groups of only ``-words`` into the group around them: ``a (-b)`` is ``a -b``."""
        include: list[Node] = []
        exclude = list(node.exclude)
        for part in node.include:
            if isinstance(part, AllOf):
                part = self.flatten(part)
                if not part.include:
                    exclude += part.exclude
                    continue
            include.append(part)
        return AllOf(tuple(include), tuple(exclude))

    def expression(self, node: Node) -> str | None:
        """The FTS5 expression of a node; None when it can match nothing in this store."""
        if isinstance(node, Word):
            return self.word(node.text)
        if isinstance(node, Prefix):
            return self.prefix(node.text)
        if isinstance(node, Phrase):
            self.found.update(node.words)
            self.terms += not self.capped
            return quote(" ".join(node.words))
        if isinstance(node, AnyOf):
            for part in node.parts:
                if isinstance(part, AllOf) and not self.flatten(part).include:
                    raise SearchQueryError("invalid search query: a group of only -words cannot be a side of OR")
            return self.disjunction(node.parts)
        node = self.flatten(node)
        include = self.conjunction(node.include)
        exclude = self.disjunction(node.exclude)
        return f"({include} NOT {exclude})" if include and exclude else include

    def conjunction(self, nodes: tuple[Node, ...]) -> str | None:
        parts = [self.expression(n) for n in nodes]
        if any(p is None for p in parts):
            return None
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"  # type: ignore[arg-type]

    def disjunction(self, nodes: tuple[Node, ...]) -> str | None:
        parts = [p for p in (self.expression(n) for n in nodes) if p]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def word(self, text: str) -> str | None:
        """The store's words that ``text`` finds, as an OR."""
        if self.capped:
            return _any_of(sorted(self.expansions.get(text, ())[:RETRIEVAL_TERMS]))
        found = self._matches(text)
        self.found.update(w for w, how in found.items() if how is Match.FORM)
        self.compounds.update(w for w, how in found.items() if how is Match.COMPOUND)
        counts = self.words.counts
        self.expansions[text] = sorted(found, key=lambda w: (-counts[w], w))
        self.terms += len(found)
        return _any_of(sorted(found))

    def _matches(self, text: str) -> dict[str, Match]:
        index = self.words.index
        if text in index.expansions:
            return index.expansions[text]
        matcher = self.words.vocabulary.matcher(text)
        candidates = {w for needle in search_strings(text) for w in index.containing(needle)}
        found = {w: how for w in sorted(candidates) if (how := matcher.match(w)) is not None}
        index.remember(text, found)
        return found

    def prefix(self, text: str) -> str | None:
        """Words beginning with ``text``: FTS5's prefix query, or its most common words when capped."""
        if not self.capped:
            self.prefixes.append(text)
            self.terms += len(self.words.index.starting(text))
            return quote(text) + "*"
        counts = self.words.counts
        return _any_of(sorted(sorted(self.words.index.starting(text), key=lambda w: -counts[w])[:RETRIEVAL_TERMS]))


def _any_of(words: list[str]) -> str | None:
    if not words:
        return None
    return "(" + " OR ".join(map(quote, words)) + ")" if len(words) > 1 else quote(words[0])
