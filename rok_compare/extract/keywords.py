"""Fast matching of keyword alternations ("arbetsmarknad|\\bjobb|praktik") in many short texts.

Python's regular expressions try every alternative at every position, so a pattern of forty
keywords costs forty scans. Most alternatives are plain words: those are looked up with ``in``
on the lower-cased text (a leading ``\\b`` becomes a leading space on a space-padded text), and
only the alternatives that need a real regular expression are run as one.
"""

from __future__ import annotations

import re

_PLAIN = re.compile(r"(\\b)?([\wåäöÅÄÖéü ,.\-/:]+?)(\\b)?")


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a pattern (not those inside parentheses)."""
    parts, depth, current, escaped = [], 0, [], False
    for char in pattern:
        if escaped:
            current.append(char)
            escaped = False
            continue
        if char == "\\":
            escaped = True
            current.append(char)
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


class KeywordMatcher:
    """Whether a text contains any alternative of a keyword pattern (case-insensitive)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._words: list[str] = []
        regexes = []
        for alternative in split_alternatives(pattern):
            plain = _PLAIN.fullmatch(alternative)
            if plain:
                word = padded(plain.group(2)).strip()
                self._words.append((" " if plain.group(1) else "") + word + (" " if plain.group(3) else ""))
            else:
                regexes.append(alternative)
        self._regex = re.compile("|".join(regexes), re.I) if regexes else None
        self._words_regex = re.compile(_trie_pattern(self._words)) if self._words else None

    def search(self, text: str, padded_text: str | None = None) -> bool:
        """``padded_text`` is :func:`padded` of ``text``, when several matchers share it."""
        lowered = padded_text if padded_text is not None else padded(text)
        if self._words_regex and self._words_regex.search(lowered):
            return True
        return bool(self._regex and self._regex.search(text))


def _trie_pattern(words: list[str]) -> str:
    """A regular expression for a set of literal words that shares their common prefixes, which
    Python's engine scans far faster than a flat alternation."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    if "" in node and len(node) == 1:
        return ""
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    optional = "" in node
    body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
    return body + ("?" if optional else "")


def padded(text: str) -> str:
    """Lower case, punctuation to spaces, spaces around: so " word " finds whole words."""
    return " " + re.sub(r"[^\wåäöéü-]+", " ", text.lower()) + " "
