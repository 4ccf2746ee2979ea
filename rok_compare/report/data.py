"""What the report shows, read from the store once into plain typed records.

The report reads SQL directly (not :mod:`rok_compare.export`, which needs pandas) inside one read
transaction, so every page describes the same state of the store.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePath

from rok_compare.model import Clause, ClauseKind, Span, period_label
from rok_compare.store.database import Store

UNKNOWN_COUNTY = "(unknown county)"
AGREEMENT_TYPES = ("regional_agreement", "local_agreement", "action_plan", "strategy")
"""Document types that are revised over the years (news items and info pages are not)."""


@dataclass(slots=True)
class PartyRow:
    name: str
    canonical: str
    kind: str
    page: int | None


@dataclass(slots=True)
class GoalRow:
    text: str
    section: str | None
    page: int | None


@dataclass(slots=True)
class CommitmentRow:
    party: str
    text: str
    strength: str
    section: str | None
    page: int | None


@dataclass(slots=True)
class ClauseRow:
    id: int
    document_id: int
    key: str
    section: str | None
    kind: str
    themes: list[str]
    text: str
    page: int | None
    start: int | None
    end: int | None
    cluster_id: int | None = None

    def to_clause(self) -> Clause:
        """The pipeline's clause, as :func:`rok_compare.align.align` takes it."""
        try:
            kind = ClauseKind(self.kind)
        except ValueError:
            kind = ClauseKind.OTHER
        span = Span(self.page or 1, self.start or 0, self.end or 0)
        return Clause(self.key, self.section, kind, list(self.themes), self.text, span)


@dataclass(slots=True)
class DocumentInfo:
    id: int
    path: str
    title: str | None
    county: str | None
    county_code: str | None
    period_start: int | None
    period_end: int | None
    revision_date: str | None
    doc_type: str
    format: str
    n_pages: int
    warnings: list[str]
    parties: list[PartyRow] = field(default_factory=list)
    goals: list[GoalRow] = field(default_factory=list)
    commitments: list[CommitmentRow] = field(default_factory=list)
    clauses: list[ClauseRow] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The file name, enough to tell documents apart in lists."""
        return PurePath(self.path).name

    @property
    def county_label(self) -> str:
        return self.county or UNKNOWN_COUNTY

    @property
    def period(self) -> str:
        return period_label(self.period_start, self.period_end)

    @property
    def type_label(self) -> str:
        return self.doc_type.replace("_", " ")

    @property
    def label(self) -> str:
        """County, period and type: how a person names a document."""
        return " · ".join(x for x in (self.county_label, self.period, self.type_label) if x)

    @property
    def page(self) -> str:
        """Its page in the site, relative to the site root."""
        return f"doc/{self.id}.html"


@dataclass(slots=True)
class ClusterMember:
    clause_id: int
    document_id: int
    score: float | None
    text: str


@dataclass(slots=True)
class ClusterVariant:
    text: str
    n_documents: int
    n_members: int


@dataclass(slots=True)
class ClusterInfo:
    id: int
    method: str
    text: str
    n_members: int
    n_documents: int
    members: list[ClusterMember] = field(default_factory=list)
    variants: list[ClusterVariant] = field(default_factory=list)


@dataclass(slots=True)
class ReportData:
    db_path: str
    generated: str
    documents: list[DocumentInfo]
    clusters: list[ClusterInfo]
    by_id: dict[int, DocumentInfo] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id = {d.id: d for d in self.documents}

    @property
    def counties(self) -> list[str]:
        """County names in county-code order, unknown last."""
        seen = {d.county_label: (d.county_code or "99", d.county_label) for d in self.documents}
        return [name for name, _ in sorted(seen.items(), key=lambda item: item[1])]

    def clauses(self) -> list[ClauseRow]:
        return [c for d in self.documents for c in d.clauses]


def load(db_path: str | Path | None) -> ReportData:
    """Everything the pages need, in one read transaction."""
    with Store.open(db_path, readonly=True) as store:
        conn = store.conn
        conn.execute("BEGIN")
        try:
            docs = [DocumentInfo(*row[:11], warnings=_json_list(row[11])) for row in conn.execute(
                "SELECT id, path, title, county_name, county_code, period_start, period_end, revision_date, "
                "doc_type, format, n_pages, warnings FROM documents "
                "ORDER BY county_code IS NULL, county_code, period_start IS NULL, period_start, id")]
            by_id = {d.id: d for d in docs}
            for row in conn.execute("SELECT document_id, name, canonical, kind, page FROM parties "
                                    "ORDER BY document_id, ord"):
                by_id[row[0]].parties.append(PartyRow(*row[1:]))
            for row in conn.execute("SELECT document_id, text, section, page FROM goals ORDER BY document_id, ord"):
                by_id[row[0]].goals.append(GoalRow(*row[1:]))
            for row in conn.execute("SELECT document_id, party, text, strength, section, page FROM commitments "
                                    "ORDER BY document_id, ord"):
                by_id[row[0]].commitments.append(CommitmentRow(*row[1:]))
            cluster_of = dict(conn.execute("SELECT clause_id, MIN(cluster_id) FROM cluster_members GROUP BY 1"))
            for row in conn.execute(
                    'SELECT c.id, c.document_id, c.clause_key, s.heading, c.kind, c.themes, c.text, c.page, '
                    'c.start, c."end" FROM clauses c LEFT JOIN sections s ON s.id = c.section_id '
                    "ORDER BY c.document_id, c.ord"):
                clause = ClauseRow(*row[:5], _json_list(row[5]), *row[6:], cluster_id=cluster_of.get(row[0]))
                by_id[row[1]].clauses.append(clause)
            clusters = _clusters(conn)
        finally:
            conn.execute("COMMIT")
        path = str(store.path)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return ReportData(path, stamp, docs, clusters)


def _clusters(conn) -> list[ClusterInfo]:
    clusters = {row[0]: ClusterInfo(*row) for row in conn.execute(
        "SELECT id, method, representative_text, n_members, n_documents FROM reuse_clusters "
        "ORDER BY n_documents DESC, n_members DESC, id")}
    members: dict[int, list[ClusterMember]] = defaultdict(list)
    for row in conn.execute("SELECT m.cluster_id, m.clause_id, c.document_id, m.score, c.text "
                            "FROM cluster_members m JOIN clauses c ON c.id = m.clause_id "
                            "ORDER BY m.cluster_id, c.document_id, c.ord"):
        members[row[0]].append(ClusterMember(*row[1:]))
    for row in conn.execute("SELECT cluster_id, text, n_documents, n_members FROM cluster_variants "
                            "ORDER BY cluster_id, n_documents DESC, n_members DESC"):
        if row[0] in clusters:
            clusters[row[0]].variants.append(ClusterVariant(*row[1:]))
    for cluster_id, cluster in clusters.items():
        cluster.members = members.get(cluster_id, [])
    return list(clusters.values())


def _json_list(value: str | None) -> list[str]:
    try:
        loaded = json.loads(value or "[]")
    except ValueError:
        return []
    return [str(x) for x in loaded] if isinstance(loaded, list) else []
