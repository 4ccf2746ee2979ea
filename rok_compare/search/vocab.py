"""The store's vocabulary for search: every indexed word with the number of clauses it occurs in,
and fast look-ups in it (words containing a string, words beginning with one).

The vocabulary is read from the word index once per state of the store's clauses and kept for
the process (a server answers many queries from it). Reading it walks the whole index (about a
second at a million clauses), so for a large store it is also kept in a file in the user's cache
(``$ROK_SEARCH_CACHE``, else ``$XDG_CACHE_HOME/rok-compare/search``, else
``~/.cache/rok-compare/search``; ``ROK_SEARCH_CACHE=`` (empty) turns that off), named by the
store's path, file and clause state, so that each ``rok search`` does not read it again. After
documents are added, the vocabulary is brought up to date from the earlier state's (in the
process or in the cache folder) with the added clauses' words alone (:mod:`vocab_growth`).

Look-ups run in C over one joined string (``str.find``) and a sorted list (``bisect``), so
finding the few thousand words that contain ``kommun`` among a million costs about a
millisecond, not a Python loop over every word. Which of those words a query word finds
(:mod:`rok_compare.search.swedish`) is remembered per query word.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
from bisect import bisect_left
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock

from rok_compare.search.swedish import Match, Vocabulary
from rok_compare.search.vocab_growth import grown

_CACHE_SIZE = 4
FILE_CACHE_CLAUSES = 100_000
"""Stores of at least this many clauses keep their vocabulary in a cache file too."""
_FILE_FORMAT = 1
MAX_EXPANSIONS = 4096
"""Query words whose matches are remembered per vocabulary (a long-running server: bounded)."""


@dataclass(slots=True)
class WordIndex:
    """Sorted words and the same words joined by newlines, for substring and prefix look-ups."""

    words: list[str]
    blob: str
    expansions: dict[str, dict[str, Match]] = field(default_factory=dict)
    """Query word -> the store's words it finds and how (form or compound)."""

    @classmethod
    def of(cls, words: list[str]) -> WordIndex:
        ordered = sorted(words)
        return cls(ordered, "\n" + "\n".join(ordered) + "\n")

    def containing(self, needle: str) -> list[str]:
        """The words that contain ``needle`` (each once)."""
        found, blob, start = [], self.blob, 0
        while (at := blob.find(needle, start)) >= 0:
            begin = blob.rfind("\n", 0, at) + 1
            end = blob.find("\n", at)
            found.append(blob[begin:end])
            start = end
        return found

    def starting(self, prefix: str) -> list[str]:
        """The words that begin with ``prefix``, in sorted order."""
        first = bisect_left(self.words, prefix)
        last = bisect_left(self.words, prefix + "\U0010ffff", first)
        return self.words[first:last]

    def remember(self, query_word: str, found: dict[str, Match]) -> None:
        if len(self.expansions) >= MAX_EXPANSIONS:
            self.expansions.clear()
        self.expansions[query_word] = found


@dataclass(frozen=True, slots=True)
class StoreWords:
    """The word index's vocabulary: every word with the number of clauses it occurs in."""

    counts: dict[str, int]
    vocabulary: Vocabulary
    clauses: int
    tokens: int
    """Words in all clauses (the mean clause length for ranking is ``tokens / clauses``)."""
    index: WordIndex

    @property
    def mean_length(self) -> float:
        return self.tokens / self.clauses if self.clauses else 1.0


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
    counts, clauses, tokens = _read(conn, key)
    words = StoreWords(counts, Vocabulary.of(counts.items()), clauses, tokens, WordIndex.of(list(counts)))
    with _cache_lock:
        while len(_cache) >= _CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
        _cache[key] = words
    return words


def _read(conn: sqlite3.Connection, key: tuple[str, int, int, int]) -> tuple[dict[str, int], int, int]:
    """(word -> clauses, clauses, words in all): from the cache file when it has them, else from an
    earlier state of the same store when documents were only added since (:mod:`vocab_growth`), else
    from the word index."""
    cached = _cache_file(key)
    if cached is not None and (found := _load(cached)) is not None:
        return found
    earlier = _earlier(key)
    found = grown(conn, *earlier) if earlier else None
    if found is None:
        rows = conn.execute("SELECT term, doc, cnt FROM clauses_vocab").fetchall()
        counts = {term: doc for term, doc, _ in rows}
        tokens = sum(cnt for _, _, cnt in rows)
        clauses = conn.execute("SELECT COUNT(*) FROM clauses").fetchone()[0]
        found = counts, clauses, tokens
    counts, clauses, tokens = found
    if cached is not None and clauses >= FILE_CACHE_CLAUSES:
        _write(cached, marshal.dumps((_FILE_FORMAT, list(counts), list(counts.values()), clauses, tokens)))
        latest = _latest_file(key)
        before = _load_latest(latest)
        _write(latest, marshal.dumps((_FILE_FORMAT, key[2], key[3])))
        if before is not None and before != key[2:]:  # one file per store: the earlier state's goes
            _cache_file((*key[:2], *before)).unlink(missing_ok=True)  # type: ignore[union-attr]
    return counts, clauses, tokens


def _load(path: Path) -> tuple[dict[str, int], int, int] | None:
    try:
        version, terms, docs, clauses, tokens = marshal.loads(path.read_bytes())
        if version == _FILE_FORMAT:
            return dict(zip(terms, docs, strict=True)), clauses, tokens
    except (OSError, EOFError, ValueError, TypeError):
        pass  # absent or unreadable
    return None


def _earlier(key: tuple[str, int, int, int]) -> tuple[int, int, dict[str, int], int] | None:
    """(highest clause id, clauses, word counts, words in all) of the latest earlier state of the same
    store file known: kept in this process, or in the cache folder."""
    with _cache_lock:
        known = [(k[2], w.clauses, w.counts, w.tokens) for k, w in _cache.items() if k[:2] == key[:2] and k[2] < key[2]]
    if known:
        return max(known, key=lambda state: state[0])
    latest = _latest_file(key)
    state = _load_latest(latest) if latest is not None else None
    if state is None or state[0] >= key[2] or (path := _cache_file((*key[:2], *state))) is None:
        return None
    found = _load(path)
    return (state[0], found[1], found[0], found[2]) if found else None


def _latest_file(key: tuple[str, int, int, int]) -> Path | None:
    """The file naming the latest state of this store whose vocabulary is in the cache folder."""
    file = _cache_file((*key[:2], -1, -1))
    return file.with_name(file.name.replace("vocabulary-", "latest-")) if file is not None else None


def _load_latest(path: Path | None) -> tuple[int, int] | None:
    try:
        version, top, documents = marshal.loads(path.read_bytes())  # type: ignore[union-attr]
        return (top, documents) if version == _FILE_FORMAT else None
    except (AttributeError, OSError, EOFError, ValueError, TypeError):
        return None


def _cache_file(key: tuple[str, int, int, int]) -> Path | None:
    setting = os.environ.get("ROK_SEARCH_CACHE")
    if setting == "":
        return None
    if setting:
        folder = Path(setting)
    else:
        folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rok-compare" / "search"
    path, *state = key
    name = hashlib.sha256(repr((os.path.realpath(path), *state)).encode()).hexdigest()[:24]
    return folder / f"vocabulary-{name}.marshal"


def _write(path: Path, data: bytes) -> None:
    """Write the cache file whole or not at all; a cache that cannot be written is only slower."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        pass


def _inode(path: str) -> int:
    try:
        return os.stat(path).st_ino
    except OSError:
        return 0
