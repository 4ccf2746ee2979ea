"""What the server reads from the store: the documents a person picks from, and their clauses.

Every read opens the store read-only for the length of one request (:meth:`Store.open` with
``readonly=True``), so the server never writes it and always shows what it holds now.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePath

from rok_compare.model import Clause, period_label
from rok_compare.search.families import UNDATED, document_label, short_title
from rok_compare.store.database import Store


class DocumentMissing(LookupError):
    """No stored document answers to an id; ``str()`` is one line for the page."""


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """A stored document as the pickers and result lists name it."""

    id: int
    path: str
    title: str | None
    county: str | None
    county_code: str | None
    period_start: int | None
    period_end: int | None
    doc_type: str
    label: str
    """"short title · county · year · type", unique within the store."""

    @property
    def short(self) -> str:
        """The short title alone, for headings."""
        return short_title(self.title, self.path)

    @property
    def year(self) -> str:
        return period_label(self.period_start, self.period_end) or UNDATED

    @property
    def type_label(self) -> str:
        return self.doc_type.replace("_", " ")

    @property
    def page(self) -> str:
        """The document's page in the static report."""
        return f"/doc/{self.id}.html"

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "label": self.label, "title": self.title, "county": self.county,
                "county_code": self.county_code, "year": self.year, "period_start": self.period_start,
                "period_end": self.period_end, "type": self.doc_type, "path": self.path}


@dataclass(slots=True)
class StoredClauses:
    entry: DocumentEntry
    clauses: list[Clause]
    clause_ids: list[int]
    """The store's id of each clause (``clause_ids[k]`` belongs to ``clauses[k]``): its anchor in the report."""


def documents(db: str | Path) -> list[DocumentEntry]:
    """Every stored document, by county code, year and id, each with a label that names it alone."""
    with Store.open(db, readonly=True) as store:
        rows = store.conn.execute(
            "SELECT id, path, title, county_name, county_code, period_start, period_end, doc_type FROM documents "
            "ORDER BY county_code IS NULL, county_code, period_start IS NULL, period_start, id").fetchall()
    labels = [_label(row) for row in rows]
    repeated = {label for label, n in Counter(labels).items() if n > 1}
    return [DocumentEntry(int(row[0]), *row[1:], label=f"{label} · {PurePath(row[1]).name}" if label in repeated
                          else label) for row, label in zip(rows, labels, strict=True)]


def _label(row: tuple) -> str:
    _, path, title, county, _, start, end, doc_type = row
    return document_label(title, path, county, start, end, doc_type)


def parse_id(value: str | None, name: str) -> int:
    """A document id from a query parameter, or :class:`DocumentMissing` saying what was wrong."""
    text = (value or "").strip()
    if not text:
        raise DocumentMissing(f"no document given: pick two documents (?{name}= is empty)")
    if not text.isdigit() or len(text) > 18:
        raise DocumentMissing(f"{name}={text[:40]!r} is not a document id (a whole number)")
    return int(text)


def clauses_of(db: str | Path, ids: list[int], entries: list[DocumentEntry] | None = None) -> list[StoredClauses]:
    """The stored documents ``ids`` with their clauses in document order (no file is read);
    ``entries`` is :func:`documents` when the caller has read it already."""
    from rok_compare.export.stored import load

    by_id = {entry.id: entry for entry in (entries if entries is not None else documents(db))}
    for document_id in ids:
        if document_id not in by_id:
            raise DocumentMissing(f"no stored document with id {document_id}")
    with Store.open(db, readonly=True) as store:
        loaded = load(store, ids)
    return [StoredClauses(by_id[stored.id], stored.document.clauses, stored.clause_ids) for stored in loaded]


def versions(db: str | Path, a: int, b: int) -> tuple[int, int] | None:
    """(older id, newer id) when ``a`` and ``b`` are versions of one agreement: in one revision
    lineage (:func:`rok_compare.align.lineage.find_lineages`, linked by shared clauses, title,
    parties, vocabulary and period); else None."""
    if a == b:
        return None
    lineage = _lineages(Path(db))
    if a not in lineage or b not in lineage or lineage[a][0] != lineage[b][0]:
        return None
    return (a, b) if lineage[a][1] < lineage[b][1] else (b, a)


_LINEAGES: dict[Path, tuple[str, dict[int, tuple[int, int]]]] = {}
_LINEAGES_LOCK = threading.Lock()


def _lineages(db: Path) -> dict[int, tuple[int, int]]:
    """Document id -> (lineage id, place in it, oldest first); computed once per state of the store."""
    from rok_compare.align.lineage import find_lineages
    from rok_compare.serve.site import store_fingerprint

    key, fingerprint = db.resolve(), store_fingerprint(db)
    with _LINEAGES_LOCK:
        cached = _LINEAGES.get(key)
        if cached is None or cached[0] != fingerprint:
            places = {doc: (lineage.id, k) for lineage in find_lineages(db)
                      for k, doc in enumerate(lineage.document_ids)}
            cached = _LINEAGES[key] = (fingerprint, places)
        return cached[1]


def party_names(db: str | Path) -> list[str]:
    """The parties' canonical names, for the search form's suggestions."""
    with Store.open(db, readonly=True) as store:
        rows = store.conn.execute("SELECT DISTINCT canonical FROM parties WHERE canonical <> '' ORDER BY 1")
        return [str(row[0]) for row in rows]
