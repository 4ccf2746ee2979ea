"""A store's vocabulary brought up to date from an earlier state of the same store, when documents
were only added since (the common case: ``rok ingest`` of new files).

Reading the vocabulary from the word index walks every word's list of clauses (seconds at a million
clauses). When no clause of the earlier state is gone (clause ids only grow, so this is one count:
as many clauses up to the earlier highest id as the earlier state had), the vocabulary now is the
earlier one plus the words of the clauses added since. Those are counted exactly as the word index
counts them: by SQLite's own FTS5 tokenizer, with the word index's settings, in a private in-memory
database (nothing is written to the store, and a read-only store is fine).
"""

from __future__ import annotations

import re
import sqlite3

GROWTH_SHARE = 0.1
"""Added clauses, as a share of the earlier state's, up to which the vocabulary is brought up to
date from them (counting a clause's words costs about ten times reading its share of the index)."""
_TOKENIZE = re.compile(r"tokenize\s*=\s*('(?:[^']|'')*')", re.IGNORECASE)


def grown(conn: sqlite3.Connection, top: int, clauses: int, counts: dict[str, int],
          tokens: int) -> tuple[dict[str, int], int, int] | None:
    """(word -> clauses, clauses, words in all) of the store now, from its vocabulary when its highest
    clause id was ``top`` (``clauses``, ``counts``, ``tokens`` then); None when a clause of that state
    is gone, too many were added, or the word index's tokenizer cannot be read (read it all then)."""
    # COUNT(*) of the whole table reads its smallest index; of the ids above ``top``, a range.
    total, added = conn.execute("SELECT (SELECT COUNT(*) FROM clauses), (SELECT COUNT(*) FROM clauses WHERE id > ?)",
                                (top,)).fetchone()
    if total - added != clauses or not 0 < added <= GROWTH_SHARE * max(clauses, 1):
        return None
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'clauses_fts'").fetchone()
    tokenize = _TOKENIZE.search(row[0]) if row else None
    if tokenize is None:
        return None
    texts = conn.execute("SELECT text FROM clauses WHERE id > ?", (top,)).fetchall()
    merged = dict(counts)
    added_tokens = 0
    for term, doc, cnt in _counted(texts, tokenize[1]):
        merged[term] = merged.get(term, 0) + doc
        added_tokens += cnt
    # The word index lists its words in UTF-8 byte order, which is code point order.
    return dict(sorted(merged.items())), clauses + len(texts), tokens + added_tokens


def _counted(texts: list[tuple[str]], tokenize: str) -> list[tuple[str, int, int]]:
    """(word, clauses with it, occurrences) of ``texts`` by an FTS5 index with these settings."""
    memory = sqlite3.connect(":memory:")
    try:
        memory.execute(f"CREATE VIRTUAL TABLE words USING fts5(text, tokenize={tokenize})")
        memory.execute("CREATE VIRTUAL TABLE words_vocab USING fts5vocab(words, row)")
        with memory:
            memory.executemany("INSERT INTO words(text) VALUES (?)", texts)
        return memory.execute("SELECT term, doc, cnt FROM words_vocab").fetchall()
    finally:
        memory.close()
