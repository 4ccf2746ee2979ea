"""Which words of the corpus a Swedish query word finds: its inflected forms and compounds with it.

A query word ``t`` finds a word ``w`` of the corpus when ``w`` is

- a form of ``t``: the same base with another inflectional ending (``bostad``, ``bostaden``,
  ``bostads``), also across a vowel change in the plural (``bostäder``, ``städerna``: see
  ``data/umlaut.tsv``); the endings are listed in ``data/endings.txt``;
- a compound with ``t`` as one of its parts: ``bostadsförsörjning`` (``bostad`` + linking ``s`` +
  ``försörjning``), ``hälsoundersökning`` (``hälsa`` as ``hälso`` + ``undersökning``),
  ``hyresbostäder``. The other parts must be known words, so that ``ring`` is not found in
  ``utvärdering`` nor ``stad`` in ``bostad`` (``bo`` is too short to be a part).

Known words are the words of the store being searched and a lexicon built from the reference
corpus (``data/lexicon.txt``, written by ``scripts/build_search_lexicon.py``); function words
(``data/stopwords.txt``) and derivational endings (``data/not_parts.txt``) are never parts.
The query word itself needs no lexicon entry: what the user typed is taken as a word.

Deliberately rule-based and small: a few set look-ups per corpus word that contains the query
word's base, so a query costs milliseconds and needs no model or index of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import cache, lru_cache
from importlib import resources

MIN_PART = 3
"""Letters in the shortest compound part and the shortest base."""
MIN_SPLIT = 6
"""Words shorter than this are never taken as compounds."""
LINKS = ("", "s", "e", "o", "u", "a")
"""What may stand between two parts of a compound: ``arbets|marknad``, ``hälso|undersökning``."""
CACHE_SIZE = 1 << 16
"""Word forms remembered between queries (a server answers many)."""
MAX_SPLITS = 1 << 18
"""Compound splits remembered per vocabulary."""
_DIGIT = re.compile(r"\d")


def _data_lines(name: str) -> list[str]:
    text = resources.files("rok_compare.search").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True, slots=True)
class WordData:
    """The bundled word lists (see the module docstring)."""

    endings: tuple[str, ...]
    """Longest first."""
    umlaut: tuple[tuple[str, str], ...]
    """(singular, plural base) pairs."""
    stopwords: frozenset[str]
    not_parts: frozenset[str]
    lexicon: dict[str, int]
    """Word -> the number of reference documents it occurs in."""


@cache
def word_data() -> WordData:
    endings = sorted(set(_data_lines("endings.txt")), key=lambda e: (-len(e), e))
    umlaut = tuple(tuple(line.split("\t")[:2]) for line in _data_lines("umlaut.tsv"))
    lexicon = {w: int(n) for w, n in (line.split("\t")[:2] for line in _data_lines("lexicon.txt"))}
    return WordData(tuple(endings), umlaut, frozenset(_data_lines("stopwords.txt")),  # type: ignore[arg-type]
                    frozenset(_data_lines("not_parts.txt")), lexicon)


def fold(word: str) -> str:
    """The form words are compared in: NFC, lower case (as the store's word index folds them)."""
    return unicodedata.normalize("NFC", word).lower()


def _ending_fits(base: str, ending: str) -> bool:
    """A base of :data:`MIN_PART` letters takes only endings of two letters or more."""
    return len(base) > MIN_PART or (len(base) == MIN_PART and len(ending) >= 2)


@lru_cache(maxsize=CACHE_SIZE)
def bases(word: str) -> frozenset[str]:
    """The word and what is left of it without an inflectional ending, with the vowel change of
    the plural undone (``bostäderna`` -> ``bostäd``, ``bostad``); a function word or a word with
    digits is only itself."""
    data = word_data()
    if word in data.stopwords or _DIGIT.search(word):
        return frozenset({word})
    found = {word}
    endings, plurals = _suffixes()
    for size, known in endings:  # the word's own last letters looked up, not every ending tried
        if size < len(word) and (ending := word[-size:]) in known and _ending_fits(word[:-size], ending):
            found.add(word[:-size])
    for base in list(found):
        for size, singulars in plurals:
            if size <= len(base) and (singular := singulars.get(base[-size:])) is not None:
                found.update(base[:-size] + s for s in singular)
    return frozenset(found)


@cache
def _suffixes() -> tuple[tuple[tuple[int, frozenset[str]], ...], tuple[tuple[int, dict[str, tuple[str, ...]]], ...]]:
    """The endings by length, and the plural bases by length with their singulars (for :func:`bases`)."""
    data = word_data()
    endings = {len(e) for e in data.endings if e}
    plurals: dict[int, dict[str, list[str]]] = {}
    for singular, plural in data.umlaut:
        plurals.setdefault(len(plural), {}).setdefault(plural, []).append(singular)
    return (tuple((n, frozenset(e for e in data.endings if len(e) == n)) for n in sorted(endings)),
            tuple((n, {p: tuple(ss) for p, ss in by.items()}) for n, by in sorted(plurals.items())))


def search_strings(word: str) -> frozenset[str]:
    """Substrings that every word the query word finds contains: its bases, also with the plural's
    vowel change (``bostad`` -> ``bostäd``, for ``hyresbostäder``)."""
    found = bases(word) | _umlauted(bases(word))
    shortest = sorted(found, key=len)
    return frozenset(s for i, s in enumerate(shortest) if not any(t in s for t in shortest[:i]))


class Match(Enum):
    FORM = "form"
    """The query word itself or another form of it (``bostäder`` for ``bostad``)."""
    COMPOUND = "compound"
    """A compound with the query word as a part (``bostadsförsörjning``)."""


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The known words (the store's and the lexicon's) with how common each is."""

    counts: dict[str, int]
    _splits: dict[str, tuple[float, tuple[str, ...]] | None] = field(default_factory=dict)
    _modifiers: dict[str, int] = field(default_factory=dict)
    """How common the most common word a compound's first part may stand for is, by first part."""

    @classmethod
    def of(cls, store_counts: Iterable[tuple[str, int]]) -> Vocabulary:
        """The lexicon and the store's words (word, number of clauses it is in)."""
        data = word_data()
        counts = dict(data.lexicon)
        for word, n in store_counts:
            if len(word) >= MIN_PART and not _DIGIT.search(word):
                counts[word] = counts.get(word, 0) + n
        for word in data.stopwords | data.not_parts:
            counts.pop(word, None)
        return cls(counts)

    def matcher(self, query_word: str) -> WordMatcher:
        return WordMatcher(self, query_word)

    def split(self, text: str) -> tuple[float, tuple[str, ...]] | None:
        """The best reading of ``text`` as known parts: (score, parts), or None when it has none.

        Every part but the last is a compound's first part (``bostads``, ``hälso``: see
        :func:`modifier_lemmas`), the last a known word with an ending. A split into two or more
        parts beats the whole word (search wants the parts of a compound however common the
        compound is); among the splits the one whose parts are most common wins (the geometric
        mean of their counts, after Koehn & Knight 2003), then the one with fewer parts.
        """
        if text in self._splits:
            return self._splits[text]
        splits: list[tuple[float, tuple[str, ...]]] = []
        modifiers = self._modifiers
        for i in range(MIN_PART, len(text) - MIN_PART + 1):
            first = modifiers.get(text[:i])
            if first is None:
                first = modifiers[text[:i]] = self._count(modifier_lemmas(text[:i]))
            rest = self.split(text[i:]) if first else None
            if rest:
                n = len(rest[1])
                splits.append(((first * rest[0] ** n) ** (1 / (n + 1)), (text[:i], *rest[1])))
        best: tuple[float, tuple[str, ...]] | None = None
        if splits:
            best = max(splits, key=lambda o: (o[0], -len(o[1])))
        elif len(text) >= MIN_PART and text not in _endings() and (whole := self._count(bases(text))):
            best = (float(whole), (text,))
        if len(self._splits) >= MAX_SPLITS:  # a long-running server: bound the memory
            self._splits.clear()
            self._modifiers.clear()
        self._splits[text] = best
        return best

    def _count(self, candidates: frozenset[str]) -> int:
        """How common the most common known word among ``candidates`` is (0: none is known)."""
        return max((self.counts.get(c, 0) for c in candidates), default=0)


@dataclass(slots=True)
class WordMatcher:
    """Decides which corpus words one query word finds."""

    vocabulary: Vocabulary
    query_word: str
    query_bases: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.query_bases = bases(self.query_word)

    def finds(self, word: str) -> bool:
        """Whether ``word`` (folded) is a form of the query word or a compound with it as a part."""
        return self.match(word) is not None

    def match(self, word: str) -> Match | None:
        """How ``word`` (folded) relates to the query word: a form of it, a compound with it, or not."""
        data = word_data()
        if self.query_word in data.stopwords or _DIGIT.search(self.query_word):
            return Match.FORM if word == self.query_word else None
        if self._same_word(word, bases(word)):
            return Match.FORM
        if self.query_word in data.not_parts:
            return None
        found = self.vocabulary.split(word)
        if found is None or len(found[1]) < 2:
            return None
        *modifiers, head = found[1]
        if self._same_word(head, bases(head)) or any(self._same_word(m, modifier_lemmas(m)) for m in modifiers):
            return Match.COMPOUND
        return None

    def _same_word(self, word: str, forms: frozenset[str]) -> bool:
        """Whether the query word and ``word`` (with its ``forms``) share a base. A base of
        :data:`MIN_PART` letters must be one of the two words itself: "län" and "länet" share
        "län", "värde" and "värna" do not share "vär"."""
        return any(len(base) > MIN_PART or base in (word, self.query_word) for base in self.query_bases & forms)

@cache
def _endings() -> frozenset[str]:
    return frozenset(word_data().endings)


def _umlauted(found: frozenset[str]) -> frozenset[str]:
    """The bases with the plural's vowel change made (``bostad`` -> ``bostäd``)."""
    return frozenset(base[:-len(singular)] + plural for base in found for singular, plural in word_data().umlaut
                     if base.endswith(singular))


@lru_cache(maxsize=CACHE_SIZE)
def modifier_lemmas(text: str) -> frozenset[str]:
    """The words a compound's first part may stand for: ``bostads`` -> ``bostad``, ``hälso`` ->
    ``hälsa``, ``skol`` -> ``skola``, ``arbets`` -> ``arbete``, ``hyres`` -> ``hyra``."""
    if len(text) < MIN_PART or text in word_data().stopwords:
        return frozenset()
    stems = {text} | ({text[:-1]} if text.endswith("s") and len(text) > MIN_PART else set())
    found = set()
    for stem in stems:
        found |= {stem, stem + "a", stem + "e"}
        if stem[-1] in "aeou" and len(stem) > MIN_PART:
            found |= {stem[:-1] + "a", stem[:-1] + "e", stem[:-1]}
    return frozenset(w for w in found if len(w) >= MIN_PART and w not in word_data().stopwords)
