"""Stored documents as the align package sees them, read from the store without touching the files.

The store's public reading surface has no clause loader yet, so the rows are read here with the
store's read-only connection; the extraction is never run again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rok_compare.align.corpus import CorpusDocument
from rok_compare.export.errors import ExportError
from rok_compare.model import Clause, ClauseKind, Span
from rok_compare.store.database import Store

DocumentRef = int | str | Path
"""A stored document: its id, its path (as stored, or as typed), or a unique file name or stem."""


class DocumentNotFound(ExportError, LookupError):
    """No stored document (or more than one) answers to the reference."""


@dataclass(slots=True)
class StoredDocument:
    """A stored document as :func:`rok_compare.align.align` and the matrices need it, plus the ids
    of its clauses in the store (``clause_ids[k]`` belongs to ``document.clauses[k]``)."""

    id: int
    document: CorpusDocument
    clause_ids: list[int]


def resolve(store: Store, ref: DocumentRef) -> int:
    """The id of the document ``ref`` names, or :class:`DocumentNotFound`."""
    conn = store.conn
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        row = conn.execute("SELECT id FROM documents WHERE id = ?", (int(ref),)).fetchone()
        if row:
            return int(row[0])
        raise DocumentNotFound(f"{ref}: no stored document has this id")
    text = str(ref)
    for candidate in dict.fromkeys((text, str(Path(text).expanduser().resolve()))):
        row = conn.execute("SELECT id FROM documents WHERE path = ?", (candidate,)).fetchone()
        if row:
            return int(row[0])
    matches = [(int(i), p) for i, p in conn.execute("SELECT id, path FROM documents ORDER BY id")
               if text in (Path(p).name, Path(p).stem)]
    if len(matches) == 1:
        return matches[0][0]
    if matches:
        raise DocumentNotFound(f"{text}: {len(matches)} stored documents have this name; give the path or the id")
    raise DocumentNotFound(f"{text}: not in the store (give a stored document's id, path or file name)")


def load(store: Store, document_ids: list[int] | None = None) -> list[StoredDocument]:
    """The documents ``document_ids`` (all, by id, when None) with their clauses in document order."""
    conn = store.conn
    where, params = ("", ()) if document_ids is None else (
        f"WHERE d.id IN ({','.join('?' * len(document_ids))})", tuple(document_ids))
    docs = {int(i): StoredDocument(int(i), CorpusDocument(path, county, year, []), []) for i, path, county, year in
            conn.execute(f"SELECT d.id, d.path, d.county_name, d.period_start FROM documents d {where} "
                         "ORDER BY d.id", params)}
    rows = conn.execute(
        'SELECT c.document_id, c.id, c.clause_key, s.heading, c.kind, c.themes, c.text, c.page, c.start, c."end" '
        f"FROM clauses c JOIN documents d ON d.id = c.document_id LEFT JOIN sections s ON s.id = c.section_id "
        f"{where} ORDER BY c.document_id, c.ord", params)
    for document_id, clause_id, key, section, kind, themes, text, page, start, end in rows:
        stored = docs[int(document_id)]
        stored.document.clauses.append(Clause(
            id=key, section=section, kind=_kind(kind), themes=json.loads(themes or "[]"), text=text,
            span=Span(page or 1, start or 0, end or 0)))
        stored.clause_ids.append(int(clause_id))
    if document_ids is None:
        return list(docs.values())
    return [docs[i] for i in document_ids]


def _kind(value: str) -> ClauseKind:
    try:
        return ClauseKind(value)
    except ValueError:
        return ClauseKind.OTHER
