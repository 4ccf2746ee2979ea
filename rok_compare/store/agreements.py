"""Stored extractions read back whole, as the ``Agreement`` that ``rok extract`` prints.

The store keeps everything the JSON contract of ``rok extract`` holds (parties with ``current``,
spans with their paragraph) and, in ``document_sources``, the text the reader made of the file, so
that a document can also be extracted again without its file. Each document records the version of
the extractor that made it (:mod:`rok_compare.store.extractor_version`):

- made by the extractor that runs now: the stored extraction is handed out as it is;
- made by another version: the file is extracted again when it is still on disk unchanged, else
  the stored text is, and a one-line note says so (what the reader would do differently today is
  not applied then: only ingesting the file again does that);
- stored by a version of rok-compare that kept neither the version nor the text, with its file gone
  or changed: :class:`StaleExtraction`, with what to do.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from rok_compare.model import (
    Agreement,
    Clause,
    ClauseKind,
    Commitment,
    County,
    DocType,
    Goal,
    Page,
    Paragraph,
    Party,
    PartyKind,
    Period,
    SourceDocument,
    SourceFormat,
    Span,
)
from rok_compare.store.database import Store
from rok_compare.store.paths import as_path

__all__ = ["StaleExtraction", "StoredExtraction", "document_by_content", "load_agreement", "stored_extraction",
           "stored_source"]

_SPAN = 'page, start, "end", paragraph'
E = TypeVar("E", PartyKind, ClauseKind, DocType)


class StaleExtraction(LookupError):
    """The stored extraction cannot be given as today's extractor would make it; ``str()`` is one line."""


@dataclass(frozen=True, slots=True)
class StoredExtraction:
    """What ``rok extract`` prints for a stored document: an ``agreement`` ready to print, or a
    ``file`` to extract (the stored one was made by another extractor), and a ``note`` saying why."""

    agreement: Agreement | None = None
    file: Path | None = None
    note: str | None = None


def document_by_content(store: Store, sha256: str, extractor: str | None = None) -> int | None:
    """The id of a stored document with this content (made by ``extractor`` when given), or None."""
    sql, params = "SELECT id FROM documents WHERE sha256 = ?", [sha256]
    if extractor is not None:
        sql, params = sql + " AND extractor = ?", [sha256, extractor]
    row = store.conn.execute(sql + " ORDER BY id LIMIT 1", params).fetchone()
    return int(row[0]) if row else None


def stored_extraction(store: Store, document_id: int, extractor: str, label: str | None = None) -> StoredExtraction:
    """Document ``document_id`` as extractor version ``extractor`` gives it; see the module docstring.

    ``label`` names the document in the note (default: its stored path). Raises
    :class:`StaleExtraction` when it cannot be had and ``LookupError`` when no such document is stored.
    """
    row = store.conn.execute("SELECT path, sha256, extractor FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        raise LookupError(f"no stored document with id {document_id}")
    key, sha256, made_by = row
    if made_by == extractor:
        return StoredExtraction(load_agreement(store, document_id))
    label = label or key
    why = ("made by another extractor version" if made_by else
           "made by an earlier rok-compare, which kept no extractor version")
    file = as_path(key)
    if _unchanged(file, sha256):
        return StoredExtraction(file=file, note=f"{label}: the stored extraction was {why}; extracted again from {key}")
    source = stored_source(store, document_id)
    if source is None:
        raise StaleExtraction(
            f"{label}: the stored extraction was {why}, the store keeps no text of it, and its file {key} is "
            "gone or changed; extract a copy of the file, or `rok prune` it and ingest the file again")
    from rok_compare.extract import extract

    agreement = extract(source)
    return StoredExtraction(agreement, note=f"{label}: the stored extraction was {why}; "
                                            "extracted again from the stored text")


def _unchanged(path: Path, sha256: str) -> bool:
    from rok_compare.store.ingest import file_sha256

    try:
        return path.is_file() and file_sha256(path) == sha256
    except OSError:
        return False


def load_agreement(store: Store, document_id: int, path: str | Path | None = None) -> Agreement:
    """The stored extraction of ``document_id``, never extracting again. ``path`` replaces the
    stored path as ``source.path`` (a file named by the user whose content is stored)."""
    conn = store.conn
    row = conn.execute(
        "SELECT path, title, county_name, county_code, period_start, period_end, revision_date, doc_type, "
        "n_pages, warnings FROM documents WHERE id = ?", (document_id,)).fetchone()
    if row is None:
        raise LookupError(f"no stored document with id {document_id}")
    key, title, county, code, start, end, revision_date, doc_type, n_pages, warnings = row
    source = stored_source(store, document_id, path) or _textless_source(store, document_id, n_pages, path)
    parties = [Party(name, canonical, _enum(PartyKind, kind), _span(*span), current if current != canonical else None)
               for name, canonical, current, kind, *span in conn.execute(
                   f"SELECT name, canonical, current, kind, {_SPAN} FROM parties WHERE document_id = ? ORDER BY ord",
                   (document_id,))]
    goals = [Goal(text, section, _span(*span)) for text, section, *span in conn.execute(
        f"SELECT text, section, {_SPAN} FROM goals WHERE document_id = ? ORDER BY ord", (document_id,))]
    commitments = [Commitment(party, text, strength, _span(*span), section)
                   for party, text, strength, section, *span in conn.execute(
                       f"SELECT party, text, strength, section, {_SPAN} FROM commitments WHERE document_id = ? "
                       "ORDER BY ord", (document_id,))]
    clauses = [Clause(clause_key, heading, _enum(ClauseKind, kind), json.loads(themes or "[]"), text, _span(*span))
               for clause_key, heading, kind, themes, text, *span in conn.execute(
                   "SELECT c.clause_key, s.heading, c.kind, c.themes, c.text, c.page, c.start, c.\"end\", c.paragraph "
                   "FROM clauses c LEFT JOIN sections s ON s.id = c.section_id WHERE c.document_id = ? ORDER BY c.ord",
                   (document_id,))]
    return Agreement(
        source=source, title=title, county=County(county, code) if county or code else None,
        period=Period(start, end) if start is not None else None, revision_date=revision_date,
        doc_type=_enum(DocType, doc_type), parties=parties, goals=goals, commitments=commitments,
        clauses=clauses, warnings=json.loads(warnings or "[]"))


def stored_source(store: Store, document_id: int, path: str | Path | None = None) -> SourceDocument | None:
    """What the reader made of the document's file (text, pages, paragraphs, its warnings), or None
    when the store keeps no text of it (stored before the text was kept)."""
    row = store.conn.execute(
        "SELECT d.path, d.sha256, d.format, d.encoding, s.text_z, s.pages, s.paragraphs, s.warnings "
        "FROM documents d JOIN document_sources s ON s.document_id = d.id WHERE d.id = ?", (document_id,)).fetchone()
    if row is None:
        return None
    key, sha256, fmt, encoding, text_z, pages, paragraphs, warnings = row
    return SourceDocument(
        path=Path(path) if path is not None else as_path(key), sha256=sha256, format=SourceFormat(fmt),
        text=zlib.decompress(text_z).decode("utf-8", "surrogatepass"),
        pages=[Page(*page) for page in json.loads(pages)], encoding=encoding, warnings=json.loads(warnings),
        paragraphs=[Paragraph(*paragraph) for paragraph in json.loads(paragraphs)])


def _textless_source(store: Store, document_id: int, n_pages: int, path: str | Path | None) -> SourceDocument:
    """The source of a document stored without its text: the right path, hash, format and page count."""
    key, sha256, fmt, encoding = store.conn.execute(
        "SELECT path, sha256, format, encoding FROM documents WHERE id = ?", (document_id,)).fetchone()
    return SourceDocument(path=Path(path) if path is not None else as_path(key), sha256=sha256,
                          format=SourceFormat(fmt), text="", pages=[Page(n + 1, 0, 0) for n in range(n_pages)],
                          encoding=encoding)


def _span(page: int | None, start: int | None, end: int | None, paragraph: int | None) -> Span | None:
    if page is None and start is None and end is None:
        return None
    return Span(page if page is not None else 1, start or 0, end or 0, paragraph)


def _enum(kind: type[E], value: str) -> E:
    """``value`` as a member of ``kind``; an unknown value (written by a newer version) as its OTHER."""
    try:
        return kind(value)
    except ValueError:
        return kind.OTHER  # type: ignore[attr-defined]
