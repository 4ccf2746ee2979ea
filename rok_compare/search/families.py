"""Reuse families for search hits: the wordings of a clause and where each one occurs.

A family is a reuse cluster (precomputed wordings in ``cluster_variants``), or, for a clause in
no cluster, the clauses with the same normalised text. Every query here reads a few rows through
an index, so a clause copied into thousands of documents costs no more than a unique one.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

from rok_compare.model import period_label

MAX_OCCURRENCES = 12
MAX_VARIANTS = 10
SHORT_TITLE = 48
"""Characters of a title kept in a document label (the report's and server's length)."""
UNKNOWN_COUNTY = "unknown county"
UNDATED = "undated"


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where a clause stands: document, county, period, section, page; its document's label and
    the clause's anchor in the report (``doc/<document_id>.html#clause-<clause_id>``)."""

    clause_id: int
    clause_key: str
    document_id: int
    path: str
    title: str | None
    county: str | None
    county_code: str | None
    period_start: int | None
    period_end: int | None
    doc_type: str
    section: str | None
    page: int | None
    label: str
    """"short title · county · year · type": the document as a person names it."""
    anchor: str

    @property
    def year(self) -> str:
        return period_label(self.period_start, self.period_end)


@dataclass(frozen=True, slots=True)
class Variant:
    """One wording within a reuse family and the documents that carry it."""

    text: str
    n_documents: int
    occurrences: tuple[Occurrence, ...]
    """The first :data:`MAX_OCCURRENCES` of them, by county code and year."""


@dataclass(frozen=True, slots=True)
class Family:
    n_documents: int
    n_variants: int
    variants: tuple[Variant, ...]


_OCCURRENCE_SQL = (
    "SELECT c.id, c.clause_key, d.id, d.path, d.title, d.county_name, d.county_code, d.period_start, "
    "d.period_end, d.doc_type, s.heading, c.page FROM clauses c JOIN documents d ON d.id = c.document_id "
    "LEFT JOIN sections s ON s.id = c.section_id")


def short_title(title: str | None, path: str) -> str:
    """The title on one line, cut at a word after :data:`SHORT_TITLE` characters; the file name
    without its extension when the document has no title."""
    text = re.sub(r"\s+", " ", title or "").strip() or PurePath(path).stem
    if len(text) <= SHORT_TITLE:
        return text
    head = text[:SHORT_TITLE]
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    return cut.rstrip(" ,.;:–-") + "…"


@lru_cache(maxsize=1 << 14)
def document_label(title: str | None, path: str, county: str | None, start: int | None, end: int | None,
                   doc_type: str) -> str:
    """"short title · county · year · type" (remembered: a search labels the same documents often)."""
    return " · ".join((short_title(title, path), county or UNKNOWN_COUNTY, period_label(start, end) or UNDATED,
                       doc_type.replace("_", " ")))


def clause_anchor(document_id: int, clause_id: int) -> str:
    """The clause in the report: its document's page and the clause's id there."""
    return f"doc/{document_id}.html#clause-{clause_id}"


def _occurrence(row: tuple) -> Occurrence:
    clause_id, _, document_id, path, title, county, _, start, end, doc_type, _, _ = row
    return Occurrence(*row, label=document_label(title, path, county, start, end, doc_type),
                      anchor=clause_anchor(document_id, clause_id))


def occurrence(conn: sqlite3.Connection, clause_id: int) -> Occurrence:
    return _occurrence(conn.execute(f"{_OCCURRENCE_SQL} WHERE c.id = ?", (clause_id,)).fetchone())


def _occurrences(conn: sqlite3.Connection, norm_hash: str) -> tuple[Occurrence, ...]:
    # ORDER BY c.id walks the norm_hash index without sorting; the few rows are sorted after.
    rows = conn.execute(f"{_OCCURRENCE_SQL} WHERE c.norm_hash = ? ORDER BY c.id LIMIT ?",
                        (norm_hash, MAX_OCCURRENCES))
    found = [_occurrence(row) for row in rows]
    return tuple(sorted(found, key=lambda o: (o.county_code or "~", o.period_start or 0, o.clause_id)))


def family(conn: sqlite3.Connection, cluster_id: int | None, norm_hash: str, text: str) -> Family:
    """The family of a clause: its cluster's wordings, or the copies of its own text."""
    if cluster_id:
        n_documents = conn.execute("SELECT n_documents FROM reuse_clusters WHERE id = ?",
                                   (cluster_id,)).fetchone()[0]
        n_variants = conn.execute("SELECT COUNT(*) FROM cluster_variants WHERE cluster_id = ?",
                                  (cluster_id,)).fetchone()[0]
        rows = conn.execute(  # a cluster may have thousands of wordings: only the shown ones are read
            "SELECT norm_hash, text, n_documents FROM cluster_variants WHERE cluster_id = ? "
            "ORDER BY n_documents DESC, n_members DESC, norm_hash LIMIT ?", (cluster_id, MAX_VARIANTS)).fetchall()
        variants = tuple(Variant(t, n, _occurrences(conn, h)) for h, t, n in rows)
        return Family(n_documents, n_variants, variants)
    n_documents = conn.execute("SELECT COUNT(DISTINCT document_id) FROM clauses WHERE norm_hash = ?",
                               (norm_hash,)).fetchone()[0]
    return Family(n_documents, 1, (Variant(text, n_documents, _occurrences(conn, norm_hash)),))
