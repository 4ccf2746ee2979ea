"""Which running-header candidates the body repeats: a record's heading, not furniture.

A line at a page's edge whose text (digits as ``#``) repeats across pages looks like a running
header. When the body repeats it too, away from the edges, on two pages or more and on half as
many pages as at the edges at least, it is content: a record's heading that happens to open
pages ("107 Publik fråga  Datum: ..." in a list of questions and answers). A running header
stands in the middle of a page only now and then (a document's number in its title or in a list
of amendments).
"""

from __future__ import annotations

import math
import re
from collections import Counter

_WORDS = re.compile(r"[^\W\d_]{3,}")


def repeated_in_body(texts: list[str], keys: list[list[str]]) -> set[str]:
    """The keys of ``keys`` (each page's edge-line keys) found on two pages or more that the
    pages' ``texts`` (lower-cased, edge lines left out, a fragment a line) repeat as lines of
    their own often enough. A key is looked for by its longest word first (a substring test),
    then as consecutive fragments, a line to themselves."""
    counts = Counter(key for page_keys in keys for key in set(page_keys))
    patterns = {key: (max(_WORDS.findall(key), key=len), _key_pattern(key))
                for key, count in counts.items() if count >= 2 and _WORDS.search(key)}
    if not patterns:
        return set()
    seen: Counter[str] = Counter()
    for text in texts:
        for key, (word, pattern) in patterns.items():
            if word in text and _stands_alone(text, word, pattern):
                seen[key] += 1
    return {key for key, found in seen.items() if found >= max(2, math.ceil(0.5 * counts[key]))}


def _stands_alone(text: str, word: str, pattern: re.Pattern[str]) -> bool:
    """``pattern`` matches from the start of the line holding an occurrence of ``word``, or of
    one of the three lines before (a key run over several fragments)."""
    position = text.find(word)
    while position >= 0:
        start = text.rfind("\n", 0, position) + 1
        for _ in range(4):
            if pattern.match(text, start):
                return True
            if start == 0:
                break
            start = text.rfind("\n", 0, start - 1) + 1
        position = text.find(word, position + len(word))
    return False


def _key_pattern(key: str) -> re.Pattern[str]:
    """A key as a search of a page's lower-cased text, fragments one a line: its words in turn
    (any space or line break between), numbers where it has ``#``, a line to themselves."""
    words = [r"\d+".join(re.escape(piece) for piece in word.split("#")) for word in key.split()]
    return re.compile(r"[ \t]*" + r"\s+".join(words) + r"[ \t]*(?:\n|$)")
