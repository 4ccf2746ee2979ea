"""The search query language, parsed into a small tree (no store needed).

    bostad                  the word in any form, and compounds with it (bostäder, bostadsförsörjning)
    "egen bostad"           the exact words in this order (any case); one quoted word: that word only
    bostad*                 words that begin with "bostad"
    bostad tolk             both (AND is implied; writing AND is allowed)
    bostad OR boende        either; OR binds tighter than AND: "bostad OR boende nyanlända" means
                            (bostad OR boende) AND nyanlända
    bostad -tolk            bostad, but not tolk (also: bostad NOT tolk; -"a phrase", -(a OR b))
    (bostad OR boende) -tolk   parentheses group

Operators are written in capitals (``OR``, ``AND``, ``NOT``); in lower case they are words.
Punctuation inside a word joins its parts into a phrase ("hälso-undersökning", "2010:197").
A query of only ``-words`` lists the clauses without them. :func:`parse_query` raises
:class:`SearchQueryError` with a one-line message for anything else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from rok_compare.search.swedish import fold

SYNTAX_HELP = ('use words, "an exact phrase", word*, OR, -word (or NOT word) and balanced (parentheses); '
               "see help(rok_compare.search.search)")
_TOKEN = re.compile(r'\s*(?:(?P<open>\()|(?P<close>\))|(?P<quote>")|(?P<minus>-+(?=["(]))|(?P<run>[^\s()"]+))')
WORD = re.compile(r"[^\W_]+")
"""A word: what the store's word index counts as a word (unicode61: letters and digits)."""
OPERATORS = ("AND", "OR", "NOT")
QUERY_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("bostad", "the word in any form and compounds with it: bostäder, bostadsförsörjning, hyresbostäder"),
    ('"egen bostad"', 'these words in this order; "bostad" alone: only that word'),
    ("bostad*", "words beginning with bostad"),
    ("bostad tolk", "both words (AND)"),
    ("bostad OR boende", "either word; OR binds tighter than AND"),
    ("bostad -tolk", "bostad but not tolk (also: NOT tolk)"),
    ("(bostad OR boende) -tolk", "parentheses group"),
    ("-tolk", "with filters: every clause they select without tolk"),
)
"""The query language in examples, for a front end's help (the same as :func:`search`'s docstring)."""


class SearchQueryError(ValueError):
    """The query or a filter cannot be used; ``str()`` is a one-line message for the user."""


@dataclass(frozen=True, slots=True)
class Word:
    """A word in any of its forms and in compounds (see :mod:`rok_compare.search.swedish`)."""

    text: str


@dataclass(frozen=True, slots=True)
class Prefix:
    """Words beginning with ``text``."""

    text: str


@dataclass(frozen=True, slots=True)
class Phrase:
    """These exact words in this order."""

    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one of the parts (OR)."""

    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every part of ``include`` and none of ``exclude`` (AND, NOT)."""

    include: tuple[Node, ...]
    exclude: tuple[Node, ...] = ()


Node = Word | Prefix | Phrase | AnyOf | AllOf


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: the tree (None for an empty query: filters alone) and what was typed."""

    text: str
    root: AllOf | None

    @property
    def words(self) -> tuple[str, ...]:
        """The words the query asks for (not those it excludes), for ranking and highlighting."""
        return tuple(dict.fromkeys(_words(self.root))) if self.root else ()


def _words(node: Node) -> Iterator[str]:
    if isinstance(node, Word | Prefix):
        yield node.text
    elif isinstance(node, Phrase):
        yield from node.words
    elif isinstance(node, AnyOf):
        for part in node.parts:
            yield from _words(part)
    else:
        for part in node.include:
            yield from _words(part)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    """"(", ")", "-", an operator, "term"."""
    node: Word | Prefix | Phrase | None = None


def parse_query(text: str) -> Query:
    """Parse what the user typed; an empty query is allowed (filters alone). The text is read in
    NFC first: a decomposed "ä" (as macOS keyboards and file names give it) is one letter, not an
    "a" and a mark that ends the word."""
    text = unicodedata.normalize("NFC", text).strip()
    tokens = list(_tokens(text))
    if not tokens:
        if text:
            raise SearchQueryError(f"query {_shown(text)} has no words to search for (letters or digits)")
        return Query(text, None)
    parser = _Parser(text, tokens)
    root = parser.conjunction(nested=False)
    return Query(text, root)


def _tokens(text: str) -> Iterator[_Token]:
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:  # only trailing blanks are left
            return
        position = match.end()
        if match["open"] or match["close"]:
            yield _Token(match["open"] or match["close"])
        elif match["minus"]:  # -"a phrase", -(a OR b)
            yield _Token("-")
        elif match["quote"]:
            end = text.find('"', position)
            if end < 0:
                raise _error(text, 'a " is not closed')
            words = tuple(fold(w) for w in WORD.findall(text[position:end]))
            position = end + 1
            if words:
                yield _Token("term", Phrase(words))
        else:
            yield from _run_tokens(match["run"])


def _run_tokens(run: str) -> Iterator[_Token]:
    """A run of non-blank characters: an operator, a negation sign, a word, a prefix or a phrase."""
    if run in OPERATORS:
        yield _Token(run)
        return
    if run.startswith("-") and len(run) > 1:
        yield _Token("-")
        run = run.lstrip("-")
    parts = [fold(w) for w in WORD.findall(run)]
    if len(parts) > 1:
        yield _Token("term", Phrase(tuple(parts)))
    elif parts:
        yield _Token("term", Prefix(parts[0]) if run.endswith("*") else Word(parts[0]))


def _error(text: str, detail: str) -> SearchQueryError:
    return SearchQueryError(f"invalid search query {_shown(text)} ({detail}); {SYNTAX_HELP}")


def _shown(text: str, room: int = 80) -> str:
    """The query as typed, quoted, cut to ``room`` characters for a one-line message."""
    return repr(text if len(text) <= room else text[:room] + "…")


class _Parser:
    """Recursive descent: conjunction := (["-" | NOT] disjunction | AND)*; disjunction := atom (OR atom)*;
    atom := term | "(" conjunction ")"."""

    def __init__(self, text: str, tokens: list[_Token]) -> None:
        self.text, self.tokens, self.position = text, tokens, 0

    def error(self, detail: str) -> SearchQueryError:
        return _error(self.text, detail)

    def peek(self) -> str | None:
        return self.tokens[self.position].kind if self.position < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def conjunction(self, nested: bool) -> AllOf:
        include: list[Node] = []
        exclude: list[Node] = []
        while self.peek() is not None:
            if self.peek() == ")":
                if nested:
                    break
                raise self.error("a ) without a ( before it")
            if self.peek() == "AND":
                self.take()
                if self.peek() in (None, ")", "OR", "AND") or not (include or exclude):
                    raise self.error("AND needs a term on each side")
                continue
            if self.peek() in ("-", "NOT"):
                sign = self.take().kind
                if self.peek() in (None, ")", "OR", "AND", "-", "NOT"):
                    raise self.error(f"{sign} needs a term right after it")
                exclude.append(self.disjunction())
            else:
                include.append(self.disjunction())
        if not include and not exclude:
            raise self.error("a ( is not closed" if nested and self.peek() is None else "( ) holds nothing")
        return AllOf(tuple(include), tuple(exclude))

    def disjunction(self) -> Node:
        parts = [self.atom()]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, ")", "OR", "AND", "-", "NOT"):
                raise self.error("OR needs a term on each side, and a -word cannot be one")
            parts.append(self.atom())
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def atom(self) -> Node:
        kind = self.peek()
        if kind == "term":
            node = self.take().node
            assert node is not None
            return node
        if kind == "(":
            self.take()
            if self.peek() == ")":
                raise self.error("( ) holds nothing")
            inner = self.conjunction(nested=True)
            if self.peek() != ")":
                raise self.error("a ( is not closed")
            self.take()
            return inner.include[0] if len(inner.include) == 1 and not inner.exclude else inner
        if kind == "OR":
            raise self.error("OR needs a term on each side")
        raise self.error(f"unexpected {kind}")
