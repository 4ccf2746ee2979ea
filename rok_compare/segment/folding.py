"""Case-insensitive regular expressions without ``re.IGNORECASE``: the same matches, found faster.

With ``re.IGNORECASE`` Python's regex engine cannot skip ahead to the first character of a
pattern ("kommuner|föreningar|..." tries every alternative at every position); without it it can.
A pattern written in lower case finds on ``text.lower()`` exactly what it finds with the flag on
``text`` (same offsets, same verdict) when lower-casing keeps the text's length and the text has
none of the characters the engine equates beyond lower case (dotless i, long s, micro sign, the
Greek and Cyrillic symbol variants of ``re._casefix``); :func:`lowered` checks both, and
:class:`FoldedPattern` falls back to the flagged pattern when they do not hold or the pattern has
upper-case letters. Callers may only use the verdict and the offsets of a match: its text is the
lower-cased text's.
"""

from __future__ import annotations

import re
from functools import lru_cache

try:
    from re._casefix import _EXTRA_CASES
except ImportError:  # another Python's private table: every character beyond Latin-1 falls back
    _EXTRA_CASES = {}

_SPECIAL = frozenset(chr(code) for key, extra in _EXTRA_CASES.items() for code in (key, *extra) if code > 0x7F)
"""Characters ``re.IGNORECASE`` equates with another beyond what ``str.lower`` does."""
_ANY_SPECIAL = re.compile("[" + "".join(re.escape(ch) for ch in sorted(_SPECIAL)) + "]") if _SPECIAL else None
"""One of :data:`_SPECIAL`, found by the engine's character set scan (ten times faster than
``frozenset.isdisjoint`` on a long text)."""
_CHECK_ALL_BEYOND_LATIN1 = not _EXTRA_CASES


def lowered(text: str, lower: str | None = None) -> str | None:
    """``text.lower()`` (``lower`` when the caller has made it) when a lower-case pattern finds the
    same there as with ``re.IGNORECASE`` in ``text``; None when it may not (then search ``text``
    with the flag)."""
    low = text.lower() if lower is None else lower
    if len(low) != len(text):
        return None  # "İ" lower-cases to two characters: offsets would shift
    if low.isascii():
        return low
    if _CHECK_ALL_BEYOND_LATIN1:
        return low if max(low) <= "\xff" else None
    return None if _ANY_SPECIAL is not None and _ANY_SPECIAL.search(low) else low


class FoldedPattern:
    """A case-insensitive pattern, searched without the flag on lower-cased text where that finds
    the same (see the module docstring). Each form is compiled when first used: most patterns
    only ever need the plain one, and compiling is a good part of a cold start."""

    __slots__ = ("_source", "_flags", "_flagged", "_plain", "_needles")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source, self._flags = pattern, flags
        self._flagged: re.Pattern[str] | None = None
        self._plain: re.Pattern[str] | None | bool = False
        self._needles: tuple[str, ...] | None | bool = False

    @property
    def flagged(self) -> re.Pattern[str]:
        """The pattern with ``re.IGNORECASE``."""
        if self._flagged is None:
            self._flagged = re.compile(self._source, self._flags | re.I)
        return self._flagged

    @property
    def plain(self) -> re.Pattern[str] | None:
        """The pattern without the flag, for lower-cased text; None when it has upper-case letters."""
        if self._plain is False:
            lower = self._source == self._source.lower()
            plain_flags = self._flags & ~re.I
            ahead = first_letters(self._source, plain_flags)
            source = f"{ahead}(?:{self._source})" if ahead else self._source
            self._plain = re.compile(source, plain_flags) if lower else None
        return self._plain  # type: ignore[return-value]

    @property
    def pattern(self) -> str:
        return self._source

    def _chosen(self, text: str, low: str | None | bool) -> tuple[re.Pattern[str], str]:
        """The compiled form to run and the text to run it on: the plain one on the lower-cased text
        where that finds the same, else the flagged one on ``text``."""
        plain = self.plain
        if plain is None:
            return self.flagged, text
        if low is False:
            low = lowered(text)
        return (self.flagged, text) if low is None else (plain, low)  # type: ignore[return-value]

    @property
    def needles(self) -> tuple[str, ...] | None:
        """Words one of which the lower-cased text holds wherever the plain pattern matches (see
        :func:`required_words`); None when the pattern has none or no plain form."""
        needles = self._needles
        if needles is False:
            plain = self._source == self._source.lower()  # as :attr:`plain` decides, without compiling
            needles = self._needles = required_words(self._source, self._flags & ~re.I) if plain else None
        return needles  # type: ignore[return-value]

    def _absent(self, pattern: re.Pattern[str], subject: str) -> bool:
        """Whether ``subject`` lacks every word a match of the plain pattern must contain (see
        :func:`required_words`): then there is no match, found without running the engine, which
        scans a long text at a fraction of the speed of ``str.__contains__``."""
        if pattern is not self._plain:
            return False
        needles = self.needles
        return needles is not None and not any(needle in subject for needle in needles)

    def search(self, text: str, low: str | None | bool = False) -> re.Match[str] | None:
        """Search ``text``; ``low`` is :func:`lowered` of it when the caller has it already (False:
        not made yet). Only the verdict and offsets of the match are the original's."""
        pattern, subject = self._chosen(text, low)
        return None if self._absent(pattern, subject) else pattern.search(subject)

    def fullmatch(self, text: str, low: str | None | bool = False) -> re.Match[str] | None:
        """Whether the whole of ``text`` matches (as :meth:`search`)."""
        pattern, subject = self._chosen(text, low)
        return None if self._absent(pattern, subject) else pattern.fullmatch(subject)

    def finditer(self, text: str, low: str | None | bool = False):
        """Every match in ``text`` (offsets as with the flag on ``text``)."""
        pattern, subject = self._chosen(text, low)
        return iter(()) if self._absent(pattern, subject) else pattern.finditer(subject)


@lru_cache(maxsize=32)
def _parsed(pattern: str, flags: int):
    """The regex parser's tree of ``pattern`` (read, never changed, by :func:`first_letters` and
    :func:`required_words`, which a pattern's plain form asks both: parsed once)."""
    from re import _parser

    return _parser.parse(pattern, flags)


def first_letters(pattern: str, flags: int = 0) -> str:
    """A look-ahead for the characters a match of ``pattern`` can start with ("(?=[abk])"), or ""
    when they cannot be told (a class, a category, an optional start). Put in front of the pattern
    it changes no match and lets the engine skip to where one may start: a pattern that opens with
    ``\\b``, a look-behind or an alternation of words is otherwise tried at every character."""
    if re.match(r"\(\?[aiLmsux]+\)", pattern):
        return ""  # global flags must open the pattern
    try:
        letters = _first_of(list(_parsed(pattern, flags)))
    except Exception:  # noqa: BLE001 - a private module of another Python: no look-ahead
        return ""
    if not letters or len(letters) > 40:
        return ""
    return "(?=[" + "".join(re.escape(ch) for ch in sorted(letters)) + "])"


def _first_of(items) -> set[str] | None:
    """The characters the first consuming item of ``items`` can start with; None when unknown or
    when the items may match the empty string."""
    for op, value in items:
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero-width: the next item consumes the first character
        if name == "LITERAL":
            return {chr(value)}
        if name == "IN":
            letters: set[str] = set()
            for member, member_value in value:
                if str(member) != "LITERAL":
                    return None  # a range, category or negation: not a short list of letters
                letters.add(chr(member_value))
            return letters
        if name == "BRANCH":
            union: set[str] = set()
            for branch in value[1]:
                first = _first_of(list(branch))
                if first is None:
                    return None
                union |= first
            return union
        if name == "SUBPATTERN":
            return _first_of(list(value[3]))
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and value[0] >= 1:
            return _first_of(list(value[2]))
        return None
    return None  # nothing consumes: the pattern may match the empty string


_MIN_NEEDLE = 3
_MAX_NEEDLES = 12


def required_words(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` (compiled with ``flags``, case-sensitive)
    contains ("verksamhetsplan" for ``\\bverksamhetsplan\\b``, "säger" or "berättar" for
    ``\\b(säger|berättar)\\s+...``); None when no such short list of words of at least three
    characters can be told from the pattern's parse."""
    if flags & re.I:
        return None
    try:
        parsed = _parsed(pattern, flags)
        if parsed.state.flags & re.I:
            return None  # an inline "(?i)": the literals match either case
        found = _required(list(parsed), False)
    except Exception:  # noqa: BLE001 - a private module of another Python: no shortcut
        return None
    if not found or min(map(len, found)) < _MIN_NEEDLE or len(found) > _MAX_NEEDLES:
        return None
    return tuple(sorted(found))


def _required(items, ignore_case: bool) -> set[str] | None:
    """For a sequence of parsed items: a set of strings one of which every match contains (the
    most selective the items offer: the longest shortest string), or None."""
    best: set[str] | None = None

    def consider(option: set[str] | None) -> None:
        nonlocal best
        if option and (best is None or min(map(len, option)) > min(map(len, best))):
            best = option

    run: list[str] = []
    for op, value in items:
        name = str(op)
        if name == "LITERAL" and not ignore_case:
            run.append(chr(value))
            continue
        consider({"".join(run)} if run else None)
        run = []
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, inner = value
            inner_ignore = (ignore_case or bool(add_flags & re.I)) and not del_flags & re.I
            consider(_required(list(inner), inner_ignore))
        elif name == "BRANCH":
            union: set[str] = set()
            for branch in value[1]:
                option = _required(list(branch), ignore_case)
                if not option:
                    union = set()
                    break
                union |= option
            consider(union or None)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and value[0] >= 1:
            consider(_required(list(value[2]), ignore_case))
        elif name == "ATOMIC_GROUP":
            consider(_required(list(value), ignore_case))
    consider({"".join(run)} if run else None)
    return best
