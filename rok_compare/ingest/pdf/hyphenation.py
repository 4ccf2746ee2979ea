"""Join the lines of a paragraph, repairing words hyphenated at a line end.

"möjlig-" + "heter" becomes "möjligheter", but real hyphens stay: a coordination ("barn- och
jämställdhetsperspektivet"), a compound whose first part is an abbreviation, a number or a
single letter ("EU-medel", "RÖK-arbetet", "e-tjänst"), or a continuation that starts with a
capital or a digit ("Jämtland-Härjedalen"). When the document itself writes the word elsewhere,
that decides: a hyphenated form seen elsewhere in the text keeps its hyphen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

COORDINATIONS = frozenset({
    "och", "eller", "samt", "respektive", "resp", "resp.", "liksom", "men", "som", "till",
    "alternativt", "än", "and", "or", "&",
})
"""Words after "barn-" that make it a coordination ("barn- och ungdomsvård"), not a broken word."""
SOFT_HYPHEN = "\xad"
_HYPHENS = "-‐"
_PUNCTUATION = ".,;:!?()[]\"'”’»«-–"
_HEAD = re.compile(r"[^\W_]*")
_TAIL = re.compile(r"[^\W_]*\Z")
"""Letters and digits (``str.isalnum``) at the start of a text, and at the end of a stretch."""


class Vocabulary:
    """What the document writes elsewhere, as evidence: its hyphenated words ("icke-statliga"),
    lower case, and (looked up only when a rule needs it) any word in its text."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.text = "\n".join(texts)
        self.hyphenated = _hyphenated_words(self.text)
        self._lower: str | None = None
        self._seen: dict[str, bool] = {}

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.hyphenated

    def writes(self, word: str) -> bool:
        """Whether ``word`` stands somewhere in the text (a substring search; rare calls)."""
        word = word.lower()
        if word not in self._seen:
            if self._lower is None:
                self._lower = self.text.lower()
            self._seen[word] = len(word) > 3 and word in self._lower
        return self._seen[word]


def _hyphenated_words(text: str) -> set[str]:
    """Words with a hyphen between two letters or digits (hyphens are rare: jump between them)."""
    words: set[str] = set()
    length = len(text)
    position = text.find("-")
    while position >= 0:
        end = position + 1
        if 0 < position < length - 1 and text[position - 1].isalnum() and text[end].isalnum():
            start = max(text.rfind(" ", 0, position), text.rfind("\n", 0, position)) + 1
            while end < length and not text[end].isspace():
                end += 1
            words.add(text[start:end].strip(_PUNCTUATION).lower())
        position = text.find("-", end)
    return words


EMPTY = Vocabulary()


def ends_with_break_hyphen(line: str) -> bool:
    """A line ending in a letter or digit followed by a hyphen (not a dash after a space)."""
    return len(line) >= 2 and line[-1] in _HYPHENS + SOFT_HYPHEN and line[-2].isalnum()


def repair(previous: str, following: str, vocabulary: Vocabulary = EMPTY) -> str:
    """What replaces the hyphen that ends ``previous``: "" (a cut word), "-" or "- "."""
    next_word = following.split(maxsplit=1)[0].lower()
    tail, head = _tail_word(previous), _head_word(following)
    if next_word in COORDINATIONS or next_word.rstrip(".,") in COORDINATIONS:
        # "barn- och", unless the document writes the joined word ("gemen-" + "samt")
        return "" if tail and head and vocabulary.writes(tail + head) else "- "
    if not tail or not head:
        return "-"
    if vocabulary.hyphenated and f"{tail}-{head}" in vocabulary:
        return "-"  # the document writes it with a hyphen elsewhere
    if not head[0].islower():
        return "-"  # "Jämtland-Härjedalen", "2019-2025"
    if len(tail) == 1 or tail[-1].isupper() or tail[-1].isdigit():
        return "-"  # "e-tjänst", "EU-medel", "RÖK-arbetet", "15-åringar"
    return ""


def _tail_word(text: str) -> str:
    """The letters and digits right before the final hyphen of ``text``."""
    return _TAIL.search(text, max(0, text.rfind(" ", 0, len(text) - 1)), len(text) - 1).group()


def _head_word(text: str) -> str:
    return _HEAD.match(text).group()


def join_lines(lines: list[str], vocabulary: Vocabulary = EMPTY, separator: str = " ") -> str:
    """Join a paragraph's lines; ``separator`` goes where no hyphen is repaired (a space, or
    ``\v`` inside a table cell)."""
    if len(lines) == 1:
        return lines[0]
    parts: list[str] = []
    for line in lines:
        if not line:
            continue
        if parts:
            last = parts[-1]
            end = last[-1]
            if end == SOFT_HYPHEN:
                parts[-1] = last[:-1]
            elif end in _HYPHENS and len(last) >= 2 and last[-2].isalnum():  # ends_with_break_hyphen
                parts[-1] = last[:-1]
                parts.append(repair(last, line, vocabulary))
            else:
                parts.append(separator)
        parts.append(line)
    return "".join(parts)
