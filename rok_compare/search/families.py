"""Reuse families for search hits: the wordings of a clause and where each one occurs.

A family is a reuse cluster (precomputed wordings in ``cluster_variants``), or, for a clause in
no cluster, the clauses with the same normalised text. Every query here reads a few rows through
an index, so a clause copied into thousands of documents costs no more than a unique one.
"""

from __future__ import annotations

import json
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


def occurrence(conn: sqlite3.Connection, clause_id: int) -> Occurrence:
    return occurrences(conn, [clause_id])[clause_id]


def occurrences(conn: sqlite3.Connection, clause_ids: list[int]) -> dict[int, Occurrence]:
    """Where each of these clauses stands, by clause id: two queries however many there are (the
    clauses with their sections, then their documents, each document read once)."""
    clauses = conn.execute(_CLAUSES_SQL, (json.dumps(clause_ids),)).fetchall()
    documents = {row[0]: row for row in conn.execute(_DOCUMENTS_SQL, (json.dumps(list({r[2] for r in clauses})),))}
    found = {}
    for clause_id, key, document_id, heading, page in clauses:
        _, path, title, county, code, start, end, doc_type = documents[document_id]
        found[clause_id] = Occurrence(clause_id, key, document_id, path, title, county, code, start, end, doc_type,
                                      heading, page, document_label(title, path, county, start, end, doc_type),
                                      clause_anchor(document_id, clause_id))
    return found


_CLAUSES_SQL = ("SELECT c.id, c.clause_key, c.document_id, s.heading, c.page FROM json_each(?) j "
                "JOIN clauses c ON c.id = j.value LEFT JOIN sections s ON s.id = c.section_id")
_DOCUMENTS_SQL = ("SELECT d.id, d.path, d.title, d.county_name, d.county_code, d.period_start, d.period_end, "
                  "d.doc_type FROM json_each(?) j JOIN documents d ON d.id = j.value")


def family(conn: sqlite3.Connection, cluster_id: int | None, norm_hash: str, text: str) -> Family:
    """The family of a clause: its cluster's wordings, or the copies of its own text."""
    return families(conn, [(cluster_id, norm_hash, text)])[0]


def families(conn: sqlite3.Connection, clauses: list[tuple[int | None, str, str]]) -> list[Family]:
    """The family of each clause (its cluster id, normalised-text hash and text), in the same order.

    A page of hits takes six queries in all, whatever its size (not a few per hit and per wording):
    the clusters' document and wording counts, the wordings shown (:data:`MAX_VARIANTS` of each
    cluster, through the index in the order they are shown), the documents of the clauses in no
    cluster, the first :data:`MAX_OCCURRENCES` clauses of each wording by id (through the
    ``norm_hash`` index), and where those clauses stand (:func:`occurrences`)."""
    clusters = list(dict.fromkeys(c for c, _, _ in clauses if c))
    alone = list(dict.fromkeys(h for c, h, _ in clauses if not c))
    counts = {row[0]: row[1:] for row in conn.execute(_CLUSTER_COUNTS_SQL, (json.dumps(clusters),))}
    shown: dict[int, list[tuple]] = {c: [] for c in clusters}
    for cluster, *wording in conn.execute(_SHOWN_WORDINGS_SQL, (json.dumps(clusters),)):
        shown[cluster].append(wording)
    for wordings in shown.values():  # the order the index gave each cluster's wordings in
        wordings.sort(key=lambda w: (-w[2], -w[3], w[0]))
    documents = dict(conn.execute(_COPIES_SQL, (json.dumps(alone),))) if alone else {}
    hashes = list(dict.fromkeys([*(w[0] for ws in shown.values() for w in ws), *alone]))
    where = _wording_occurrences(conn, hashes)
    found = []
    for cluster, norm_hash, text in clauses:
        if cluster:
            n_documents, n_variants = counts[cluster]
            variants = tuple(Variant(t, n, where[h]) for h, t, n, _ in shown[cluster])
            found.append(Family(n_documents, n_variants, variants))
        else:
            n_documents = documents[norm_hash]
            found.append(Family(n_documents, 1, (Variant(text, n_documents, where[norm_hash]),)))
    return found


_CLUSTER_COUNTS_SQL = (
    "SELECT r.id, r.n_documents, (SELECT COUNT(*) FROM cluster_variants v WHERE v.cluster_id = r.id) "
    "FROM reuse_clusters r WHERE r.id IN (SELECT value FROM json_each(?))")
# A cluster may have thousands of wordings: only the shown ones are read, by the index that holds
# them in the order they are shown (schema 6); the rows come back unordered and are sorted after.
_SHOWN_WORDINGS_SQL = (
    "SELECT j.value, v.norm_hash, v.text, v.n_documents, v.n_members FROM json_each(?) j "
    "JOIN cluster_variants v ON v.rowid IN (SELECT rowid FROM cluster_variants WHERE cluster_id = j.value "
    f"ORDER BY n_documents DESC, n_members DESC, norm_hash LIMIT {MAX_VARIANTS})")
_COPIES_SQL = ("SELECT j.value, (SELECT COUNT(DISTINCT document_id) FROM clauses WHERE norm_hash = j.value) "
               "FROM json_each(?) j")
# The first clauses of each wording by id, through the norm_hash index (no clause row is read).
_FIRST_CLAUSES_SQL = (
    "SELECT j.value, (SELECT group_concat(id) FROM (SELECT id FROM clauses WHERE norm_hash = j.value "
    f"ORDER BY id LIMIT {MAX_OCCURRENCES})) FROM json_each(?) j")


def _wording_occurrences(conn: sqlite3.Connection, hashes: list[str]) -> dict[str, tuple[Occurrence, ...]]:
    """The first :data:`MAX_OCCURRENCES` clauses (by id) of each wording, sorted by county code and year."""
    first = {norm_hash: [int(i) for i in ids.split(",")] if ids else []
             for norm_hash, ids in conn.execute(_FIRST_CLAUSES_SQL, (json.dumps(hashes),))}
    where = occurrences(conn, [i for ids in first.values() for i in ids])
    return {h: tuple(sorted((where[i] for i in ids), key=lambda o: (o.county_code or "~", o.period_start or 0,
                                                                   o.clause_id)))
            for h, ids in first.items()}
