"""What the report shows, read from the store once into plain typed records.

The report reads SQL directly (not :mod:`rok_compare.export`, which needs pandas) inside one read
transaction, so every page describes the same state of the store.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePath

from rok_compare.model import Clause, ClauseKind, Span, period_label
from rok_compare.store.database import Store

UNKNOWN_COUNTY = "(unknown county)"
SHORT_TITLE = 48
"""Characters of a title kept in a document's label (cut at a word, with an ellipsis)."""
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
    tag: str = ""
    """Set by :class:`ReportData` (the file name) when another document would have the same label."""
    _names: tuple[str, str] | None = field(default=None, repr=False, compare=False)
    """Short title and place, worked out once (the report names a document tens of times)."""

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
    def short_title(self) -> str:
        """The title (or, without one, the file name) cut to :data:`SHORT_TITLE` characters."""
        return self._named()[0]

    @property
    def place(self) -> str:
        """County, period and type: where a document stands in the corpus."""
        return self._named()[1]

    def _named(self) -> tuple[str, str]:
        if self._names is None:
            title = " ".join((self.title or PurePath(self.path).stem.replace("_", " ")).split())
            if len(title) > SHORT_TITLE:
                cut = title[:SHORT_TITLE].rsplit(" ", 1)[0] if " " in title[:SHORT_TITLE] else title[:SHORT_TITLE]
                title = cut.rstrip(" .,:;-–") + "…"
            self._names = (title, " · ".join((self.county_label, self.period or "undated", self.type_label)))
        return self._names

    @property
    def label(self) -> str:
        """Short title, county, period and type: how the report names a document everywhere."""
        return " · ".join(x for x in (self.short_title, self.place, self.tag) if x)

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
    comparisons: dict[frozenset[int], str] = field(default_factory=dict)
    """The precomputed side-by-side pages (relative to the site root) by the pair of document ids."""
    by_id: dict[int, DocumentInfo] = field(init=False, repr=False)
    party_pages: dict[str, str] = field(init=False, repr=False)
    county_pages: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id = {d.id: d for d in self.documents}
        self.party_pages = _pages("party", sorted({p.canonical for d in self.documents for p in d.parties}))
        codes = {d.county_label: d.county_code for d in self.documents}
        self.county_pages = _pages("county", self.counties, {c: codes[c] or c for c in self.counties})
        seen: dict[str, list[DocumentInfo]] = defaultdict(list)
        for doc in self.documents:
            seen[doc.label].append(doc)
        for docs in seen.values():
            if len(docs) > 1:
                for doc in docs:
                    doc.tag = doc.name

    @property
    def counties(self) -> list[str]:
        """County names in county-code order, unknown last."""
        seen = {d.county_label: (d.county_code or "99", d.county_label) for d in self.documents}
        return [name for name, _ in sorted(seen.items(), key=lambda item: item[1])]

    def clauses(self) -> list[ClauseRow]:
        return [c for d in self.documents for c in d.clauses]


def slug(text: str) -> str:
    """ASCII letters, digits and hyphens: "Länsstyrelsen i Gotlands län" -> "lansstyrelsen-i-gotlands-lan"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60].strip("-")


def _pages(folder: str, names: list[str], stems: dict[str, str] | None = None) -> dict[str, str]:
    """A page path per name, from its slug; a name whose slug is empty or taken gets a hash added."""
    pages: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        stem = slug((stems or {}).get(name, name))
        if not stem or stem in taken:
            stem = f"{stem}-{hashlib.sha1(name.encode()).hexdigest()[:8]}".strip("-")
        taken.add(stem)
        pages[name] = f"{folder}/{stem}.html"
    return pages


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
            texts: dict[str, str] = {}  # each wording held once: agreements copy each other's clauses
            themes: dict[str | None, list[str]] = {}
            for row in conn.execute(
                    'SELECT c.id, c.document_id, c.clause_key, s.heading, c.kind, c.themes, c.text, c.page, '
                    'c.start, c."end" FROM clauses c LEFT JOIN sections s ON s.id = c.section_id '
                    "ORDER BY c.document_id, c.ord"):
                listed = themes.get(row[5])
                if listed is None:
                    listed = themes[row[5]] = _json_list(row[5])
                clause = ClauseRow(*row[:5], list(listed), texts.setdefault(row[6], row[6]), *row[7:],
                                   cluster_id=cluster_of.get(row[0]))
                by_id[row[1]].clauses.append(clause)
            clusters = _clusters(conn, texts)
        finally:
            conn.execute("COMMIT")
        path = str(store.path)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return ReportData(path, stamp, docs, clusters)


def _clusters(conn, texts: dict[str, str]) -> list[ClusterInfo]:
    """The reuse clusters with their members and wordings; a member's text is the clause's (``texts``)."""
    clusters = {row[0]: ClusterInfo(*row) for row in conn.execute(
        "SELECT id, method, representative_text, n_members, n_documents FROM reuse_clusters "
        "ORDER BY n_documents DESC, n_members DESC, id")}
    members: dict[int, list[ClusterMember]] = defaultdict(list)
    for row in conn.execute("SELECT m.cluster_id, m.clause_id, c.document_id, m.score, c.text "
                            "FROM cluster_members m JOIN clauses c ON c.id = m.clause_id "
                            "ORDER BY m.cluster_id, c.document_id, c.ord"):
        members[row[0]].append(ClusterMember(*row[1:4], texts.setdefault(row[4], row[4])))
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
