"""Read what the store holds: counts, documents by county/year/type, failures."""

from __future__ import annotations

from dataclasses import dataclass

from rok_compare.model import period_label
from rok_compare.store.database import Store


@dataclass(frozen=True, slots=True)
class Failure:
    path: str
    sha256: str | None
    kind: str
    error: str
    failed_at: str


@dataclass(frozen=True, slots=True)
class DocumentGroup:
    """Documents of one county, period and type."""

    county: str | None
    county_code: str | None
    period_start: int | None
    period_end: int | None
    doc_type: str
    n_documents: int

    @property
    def period(self) -> str:
        return period_label(self.period_start, self.period_end) or "?"


@dataclass(frozen=True, slots=True)
class StoreStatus:
    path: str
    schema_version: int
    documents: int
    sections: int
    clauses: int
    parties: int
    distinct_parties: int
    """Distinct ``canonical`` names: bodies as the documents knew them."""
    distinct_current: int
    """Distinct ``current`` names: bodies as they are today (a landsting and its region count once)."""
    commitments: int
    goals: int
    reuse_clusters: int
    groups: list[DocumentGroup]
    failures: list[Failure]


def failures(store: Store) -> list[Failure]:
    rows = store.conn.execute("SELECT path, sha256, kind, error, failed_at FROM failures ORDER BY path")
    return [Failure(*row) for row in rows]


def status(store: Store) -> StoreStatus:
    """A summary of the store, in one read transaction so the counts agree with each other."""
    conn = store.conn
    conn.execute("BEGIN")
    try:
        def count(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        groups = [DocumentGroup(*row) for row in conn.execute(
            "SELECT county_name, county_code, period_start, period_end, doc_type, COUNT(*) FROM documents "
            "GROUP BY county_code, county_name, period_start, period_end, doc_type "
            "ORDER BY county_code IS NULL, county_code, period_start, doc_type")]
        result = StoreStatus(
            path=str(store.path),
            schema_version=count("PRAGMA user_version"),
            documents=count("SELECT COUNT(*) FROM documents"),
            sections=count("SELECT COUNT(*) FROM sections"),
            clauses=count("SELECT COUNT(*) FROM clauses"),
            parties=count("SELECT COUNT(*) FROM parties"),
            distinct_parties=count("SELECT COUNT(DISTINCT canonical) FROM parties"),
            distinct_current=count("SELECT COUNT(DISTINCT current) FROM parties"),
            commitments=count("SELECT COUNT(*) FROM commitments"),
            goals=count("SELECT COUNT(*) FROM goals"),
            reuse_clusters=count("SELECT COUNT(*) FROM reuse_clusters"),
            groups=groups,
            failures=failures(store),
        )
    finally:
        conn.execute("COMMIT")
    return result


def incomplete_documents(store: Store) -> list[str]:
    """Paths of documents whose stored rows disagree with the counts written alongside them.

    Each document is written in one transaction, so this is empty unless the store was damaged;
    the interruption tests use it.
    """
    rows = store.conn.execute(
        "SELECT d.path FROM documents d WHERE d.n_clauses != (SELECT COUNT(*) FROM clauses c "
        "WHERE c.document_id = d.id) OR d.n_parties != (SELECT COUNT(*) FROM parties p "
        "WHERE p.document_id = d.id) OR d.n_sections != (SELECT COUNT(*) FROM sections s "
        "WHERE s.document_id = d.id)")
    return [row[0] for row in rows]
