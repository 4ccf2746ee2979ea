"""Write extracted agreements and failures into the store, one document per transaction.

A document is keyed by its resolved path. Writing a document whose path is stored with another
content hash replaces the old version (its rows are deleted in the same transaction), so an
interrupted ingest leaves either the old or the new version, never a mixture.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from rok_compare.model import Agreement, Span
from rok_compare.store.database import Store
from rok_compare.store.paths import clean_text, document_key

__all__ = ["FailureKind", "StoredDocument", "StoredLookup", "WriteOutcome", "delete_document", "delete_document_rows",
           "document_key", "forget_failures", "mark_reuse_due", "move_document", "norm_hash", "normalise",
           "record_failure", "stored_documents", "sync_trigram_index", "write_agreement"]

_NON_WORD = re.compile(r"[\W_]+")


class WriteOutcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"


class FailureKind(StrEnum):
    INPUT = "input"
    """The file cannot be read as a document (``InputError``)."""
    CRASH = "crash"
    """The extractor raised an unexpected exception or its process died."""
    TIMEOUT = "timeout"
    """The extraction took longer than the batch's per-file timeout and was stopped."""
    MEMORY = "memory"
    """The extraction needed more memory than the worker's limit."""


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """What the store knows about a path before an ingest: enough to decide skip or replace."""

    id: int
    path: str
    sha256: str


def normalise(text: str) -> str:
    """Case- and punctuation-insensitive form of a clause, for exact-duplicate detection."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def norm_hash(text: str) -> str:
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()[:20]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def stored_documents(store: Store) -> dict[str, StoredDocument]:
    """Every stored document by path."""
    rows = store.conn.execute("SELECT id, path, sha256 FROM documents")
    return {path: StoredDocument(id, path, sha) for id, path, sha in rows}


class StoredLookup:
    """The documents a batch finds in the store when it starts, looked up one path or hash at a time.

    Answers come from the store as it was before the batch: each path and hash is read once, so
    a document the batch itself moves or writes does not change them."""

    def __init__(self, store: Store) -> None:
        self.conn = store.conn
        self.paths: dict[str, StoredDocument | None] = {}
        self.hashes: dict[str, str | None] = {}

    def get(self, path: str) -> StoredDocument | None:
        if path not in self.paths:
            row = self.conn.execute("SELECT id, path, sha256 FROM documents WHERE path = ?", (path,)).fetchone()
            self.paths[path] = StoredDocument(*row) if row else None
        return self.paths[path]

    def __contains__(self, path: str) -> bool:
        return self.get(path) is not None

    def holder(self, sha: str) -> str | None:
        """The path of a stored document with this content (the last stored, if several)."""
        if sha not in self.hashes:
            row = self.conn.execute("SELECT path FROM documents WHERE sha256 = ? ORDER BY id DESC LIMIT 1",
                                    (sha,)).fetchone()
            self.hashes[sha] = row[0] if row else None
        return self.hashes[sha]


def write_agreement(store: Store, agreement: Agreement, path: str | None = None, *,
                    index_compounds: bool = True, extractor: str | None = None) -> WriteOutcome:
    """Store one agreement in one transaction, replacing an older version stored at the same path.

    ``extractor`` is the :func:`~rok_compare.store.extractor_version.extractor_version` that made it;
    ``rok extract`` hands the stored extraction out only to the same version (None: unknown, never).

    ``index_compounds=False`` leaves its clauses out of the trigram index for now; a batch writer
    calls :func:`sync_trigram_index` every few hundred documents instead, which is ten times
    cheaper. The word index is always updated in the same transaction.
    """
    key = clean_text(path or document_key(agreement.source.path))
    with store.transaction() as conn:
        old = conn.execute("SELECT id FROM documents WHERE path = ?", (key,)).fetchone()
        if old:
            delete_document_rows(conn, old[0])
        _insert(conn, key, agreement, extractor)
        conn.execute("DELETE FROM failures WHERE path = ?", (key,))
        if index_compounds:
            _sync_trigram(conn)
    return WriteOutcome.UPDATED if old else WriteOutcome.ADDED


def sync_trigram_index(store: Store) -> int:
    """Add the clauses written since the last sync to the trigram index; returns how many."""
    with store.transaction() as conn:
        return _sync_trigram(conn)


def _sync_trigram(conn: sqlite3.Connection) -> int:
    upto = int(conn.execute("SELECT value FROM meta WHERE key = 'trigram_upto'").fetchone()[0])
    top = conn.execute("SELECT COALESCE(MAX(id), 0) FROM clauses").fetchone()[0]
    if top <= upto:
        return 0
    added = conn.execute("INSERT INTO clauses_tri(rowid, text) SELECT id, text FROM clauses "
                         "WHERE id > ? AND id <= ?", (upto, top)).rowcount
    conn.execute("UPDATE meta SET value = ? WHERE key = 'trigram_upto'", (str(top),))
    return added


def delete_document(store: Store, path: str) -> bool:
    """Remove a document and everything extracted from it; True if it was stored."""
    with store.transaction() as conn:
        row = conn.execute("SELECT id FROM documents WHERE path = ?", (path,)).fetchone()
        if row:
            delete_document_rows(conn, row[0])
    return row is not None


def move_document(store: Store, old: str, new: str) -> bool:
    """Store the document kept under ``old`` under ``new`` instead (its file was moved); True if done."""
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM documents WHERE path = ?", (new,)).fetchone():
            return False
        moved = conn.execute("UPDATE documents SET path = ? WHERE path = ?", (new, old)).rowcount == 1
        if moved:
            conn.execute("DELETE FROM failures WHERE path = ?", (new,))
    return moved


def record_failure(store: Store, path: str, sha256: str | None, kind: FailureKind, error: str) -> None:
    """Remember why a file failed (the latest failure per path)."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO failures(path, sha256, kind, error, failed_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, kind = excluded.kind, "
            "error = excluded.error, failed_at = excluded.failed_at",
            (clean_text(path), sha256, str(kind), clean_text(error), now()),
        )


def forget_failures(store: Store, paths: list[str]) -> None:
    """Drop the failure records of ``paths`` (folders that could be listed again)."""
    if paths:
        with store.transaction() as conn:
            conn.executemany("DELETE FROM failures WHERE path = ?", [(p,) for p in paths])


def mark_reuse_due(conn: sqlite3.Connection) -> None:
    """Note, inside the caller's transaction, that the reuse clusters no longer match the clauses."""
    conn.execute("INSERT INTO meta(key, value) VALUES ('reuse_due', '1') "
                 "ON CONFLICT(key) DO UPDATE SET value = '1'")


def delete_document_rows(conn: sqlite3.Connection, document_id: int) -> None:
    """Delete a document and its rows inside the caller's transaction.

    Clauses first and explicitly: their delete trigger keeps the full-text indexes in step (FTS5
    external-content tables need explicit 'delete' rows); sections, parties, commitments, goals
    and cluster memberships follow by ``ON DELETE CASCADE``.
    """
    conn.execute("DELETE FROM clauses WHERE document_id = ?", (document_id,))
    conn.execute("DELETE FROM documents WHERE id = ?", (document_id,))
    mark_reuse_due(conn)


def _span(span: Span | None) -> tuple[int | None, int | None, int | None, int | None]:
    """A span's columns: page, start, end, paragraph."""
    return (span.page, span.start, span.end, span.paragraph) if span else (None, None, None, None)


def _insert(conn: sqlite3.Connection, key: str, agreement: Agreement, extractor: str | None = None) -> int:
    source = agreement.source
    county, period = agreement.county, agreement.period
    headings = _section_order(agreement)
    cursor = conn.execute(
        "INSERT INTO documents(path, sha256, format, title, county_name, county_code, period_start, "
        "period_end, revision_date, doc_type, n_pages, encoding, n_sections, n_clauses, n_parties, "
        "n_commitments, n_goals, warnings, ingested_at, extractor) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (key, source.sha256, str(source.format), agreement.title, county.name if county else None,
         county.code if county else None, period.start if period else None, period.end if period else None,
         agreement.revision_date, str(agreement.doc_type), len(source.pages), source.encoding,
         len(headings), len(agreement.clauses), len(agreement.parties), len(agreement.commitments),
         len(agreement.goals), clean_text(json.dumps(agreement.warnings, ensure_ascii=False)), now(), extractor),
    )
    doc_id = cursor.lastrowid
    assert doc_id is not None
    mark_reuse_due(conn)
    _insert_source(conn, doc_id, agreement)
    section_ids: dict[str, int] = {}
    for ord_, (heading, span) in enumerate(headings.items()):
        cur = conn.execute("INSERT INTO sections(document_id, ord, heading, page, start) VALUES (?,?,?,?,?)",
                           (doc_id, ord_, heading, *_span(span)[:2]))
        assert cur.lastrowid is not None
        section_ids[heading] = cur.lastrowid
    conn.executemany(
        'INSERT INTO clauses(document_id, section_id, ord, clause_key, kind, themes, text, norm_hash, page, '
        'start, "end", paragraph) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
        [(doc_id, section_ids.get(c.section) if c.section else None, i, c.id, str(c.kind),
          json.dumps(list(c.themes), ensure_ascii=False), c.text, norm_hash(c.text), *_span(c.span))
         for i, c in enumerate(agreement.clauses)],
    )
    conn.executemany(
        'INSERT INTO parties(document_id, ord, name, canonical, current, kind, page, start, "end", paragraph) '
        "VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(doc_id, i, p.name, p.canonical, p.current or p.canonical, str(p.kind), *_span(p.span))
         for i, p in enumerate(agreement.parties)],
    )
    conn.executemany(
        'INSERT INTO commitments(document_id, ord, party, text, strength, section, page, start, "end", '
        "paragraph) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(doc_id, i, c.party, c.text, c.strength, c.section, *_span(c.span))
         for i, c in enumerate(agreement.commitments)],
    )
    conn.executemany(
        'INSERT INTO goals(document_id, ord, text, section, page, start, "end", paragraph) '
        "VALUES (?,?,?,?,?,?,?,?)",
        [(doc_id, i, g.text, g.section, *_span(g.span)) for i, g in enumerate(agreement.goals)],
    )
    return doc_id


def _insert_source(conn: sqlite3.Connection, doc_id: int, agreement: Agreement) -> None:
    """Keep what the reader made of the file, so the document can be extracted again without it."""
    source = agreement.source
    conn.execute(
        "INSERT INTO document_sources(document_id, text_z, pages, paragraphs, warnings) VALUES (?,?,?,?,?)",
        (doc_id, zlib.compress(source.text.encode("utf-8", "surrogatepass")),
         json.dumps([[p.number, p.start, p.end] for p in source.pages]),
         json.dumps([[p.index, p.start, p.end] for p in source.paragraphs]),
         clean_text(json.dumps(reader_warnings(agreement), ensure_ascii=False))))


EXTRACTION_WARNINGS = ("county taken from the file path",)
"""Beginnings of the warnings that extraction itself adds to the source's list (``extract.metadata``).
An ``Agreement`` holds the reader's and the extraction's warnings in one list; the store keeps the
reader's apart, so that extracting the stored text again does not repeat an old extraction's."""


def reader_warnings(agreement: Agreement) -> list[str]:
    """The warnings of the reader (decoding, OCR, damaged pages), without those extraction added."""
    return [w for w in agreement.source.warnings if not w.startswith(EXTRACTION_WARNINGS)]


def _section_order(agreement: Agreement) -> dict[str, Span | None]:
    """The document's section headings in order of first appearance, with where each starts.

    ``Agreement`` names sections on clauses, goals and commitments rather than listing them, so
    the sections table is rebuilt from those names.
    """
    found: dict[str, Span | None] = {}
    items: list[tuple[str | None, Span | None]] = [(c.section, c.span) for c in agreement.clauses]
    items += [(g.section, g.span) for g in agreement.goals]
    items += [(c.section, c.span) for c in agreement.commitments]
    for heading, span in sorted(items, key=lambda item: item[1].start if item[1] else 0):
        if heading and heading not in found:
            found[heading] = span
    return found
