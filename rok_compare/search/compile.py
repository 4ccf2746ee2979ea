"""Turn a parsed query into FTS5 MATCH expressions over the store's word index (``clauses_fts``).

Each query word becomes the OR of the store's words that it finds (its forms and compounds with
it, decided by :mod:`rok_compare.search.swedish` on the index's own vocabulary), so phrases,
prefixes and the Swedish forms all run as one FTS5 query with one bm25 ranking. Every word put
into an expression is quoted: nothing the user types can change the FTS5 syntax.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

from rok_compare.search.query import WORD, AllOf, AnyOf, Node, Phrase, Prefix, Query, SearchQueryError, Word
from rok_compare.search.swedish import MIN_PART, Match, Vocabulary, fold, search_strings, word_data

PASSAGE_TERMS = 8
"""Words taken from a ``similar_to`` passage."""
PASSAGE_MAX_SHARE = 0.05
"""A passage word found in more than this share of the clauses tells little, and is left out."""
_CACHE_SIZE = 4


@dataclass(frozen=True, slots=True)
class StoreWords:
    """The word index's vocabulary: every word with the number of clauses it occurs in."""

    counts: dict[str, int]
    vocabulary: Vocabulary
    clauses: int


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


_cache: dict[tuple[str, int, int, int], StoreWords] = {}
_cache_lock = Lock()


def store_words(conn: sqlite3.Connection, path: str) -> StoreWords:
    """The vocabulary of the store at ``path``, read once per state of its clauses."""
    # Clause ids only grow (AUTOINCREMENT) and clauses go only with their document: the highest id
    # and the number of documents change whenever the clauses do, and both cost an index look-up.
    top, documents = conn.execute("SELECT (SELECT COALESCE(MAX(id), 0) FROM clauses), "
                                  "(SELECT COUNT(*) FROM documents)").fetchone()
    key = (path, _inode(path), top, documents)  # the inode: a store file replaced by another
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    counts = dict(conn.execute("SELECT term, doc FROM clauses_vocab").fetchall())
    clauses = conn.execute("SELECT COUNT(*) FROM clauses").fetchone()[0]
    words = StoreWords(counts, Vocabulary.of(counts.items()), clauses)
    with _cache_lock:
        while len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[key] = words
    return words


def _inode(path: str) -> int:
    try:
        return os.stat(path).st_ino
    except OSError:
        return 0


def quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def plan_query(query: Query, words: Callable[[], StoreWords]) -> Plan:
    """The FTS5 expressions for a parsed query (``words`` is asked only when the query has words)."""
    if query.root is None:
        return Plan(None, None, False, frozenset(), frozenset(), (), ())
    compiler = _Compiler(words())
    root = compiler.flatten(query.root)
    include = compiler.conjunction(root.include) if root.include else None
    exclude = compiler.disjunction(root.exclude)
    empty = bool(root.include) and include is None
    if include and exclude:
        include, exclude = f"{include} NOT {exclude}", None
    return Plan(include, exclude, empty, frozenset(compiler.found), frozenset(compiler.compounds - compiler.found),
                tuple(compiler.prefixes), query.words)


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
    return Plan("(" + " OR ".join(map(quote, terms)) + ")", None, False, frozenset(terms), frozenset(), (),
                tuple(terms))


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
            self.prefixes.append(node.text)
            return quote(node.text) + "*"
        if isinstance(node, Phrase):
            self.found.update(node.words)
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
        matcher = self.words.vocabulary.matcher(text)
        needles = tuple(search_strings(text))
        found = {w: how for w in self.words.counts if any(n in w for n in needles)
                 if (how := matcher.match(w)) is not None}
        if not found:
            return None
        self.found.update(w for w, how in found.items() if how is Match.FORM)
        self.compounds.update(w for w, how in found.items() if how is Match.COMPOUND)
        words = sorted(found)
        return "(" + " OR ".join(map(quote, words)) + ")" if len(words) > 1 else quote(words[0])
