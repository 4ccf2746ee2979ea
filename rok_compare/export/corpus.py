"""The corpus as pandas DataFrames, for notebooks and exports.

    >>> from rok_compare.export import Corpus
    >>> corpus = Corpus("rok.db")
    >>> corpus.parties().groupby("canonical").document_id.nunique().sort_values()
    >>> corpus.party_county_matrix()

pandas is imported only here and only when a table is asked for (optional extra ``export``).
Every table carries ``document_id`` and, where it helps, the document's county and period, so a
table can be used on its own without joins.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from rok_compare.store.database import Store

if TYPE_CHECKING:
    import pandas as pd

_DOC_COLUMNS = "d.county_name AS county, d.county_code, d.period_start, d.period_end, d.doc_type"

TABLES: dict[str, str] = {
    "documents": (
        "SELECT id AS document_id, path, sha256, format, title, county_name AS county, county_code, "
        "period_start, period_end, revision_date, doc_type, n_pages, encoding, n_sections, n_clauses, "
        "n_parties, n_commitments, n_goals, warnings, ingested_at FROM documents ORDER BY id"),
    "sections": (
        f"SELECT s.id AS section_id, s.document_id, {_DOC_COLUMNS}, s.ord, s.heading, s.page, s.start "
        "FROM sections s JOIN documents d ON d.id = s.document_id ORDER BY s.document_id, s.ord"),
    "clauses": (
        f"SELECT c.id AS clause_id, c.document_id, {_DOC_COLUMNS}, c.ord, c.clause_key, "
        's.heading AS section, c.kind, c.themes, c.text, c.norm_hash, c.page, c.start, c."end", '
        "(SELECT MIN(cluster_id) FROM cluster_members m WHERE m.clause_id = c.id) AS cluster_id "
        "FROM clauses c JOIN documents d ON d.id = c.document_id LEFT JOIN sections s ON s.id = c.section_id "
        "ORDER BY c.document_id, c.ord"),
    "parties": (
        f"SELECT p.id AS party_id, p.document_id, {_DOC_COLUMNS}, p.ord, p.name, p.canonical, p.kind, "
        'p.page, p.start, p."end" FROM parties p JOIN documents d ON d.id = p.document_id '
        "ORDER BY p.document_id, p.ord"),
    "commitments": (
        f"SELECT m.id AS commitment_id, m.document_id, {_DOC_COLUMNS}, m.ord, m.party, m.strength, "
        'm.section, m.text, m.page, m.start, m."end" FROM commitments m '
        "JOIN documents d ON d.id = m.document_id "
        "ORDER BY m.document_id, m.ord"),
    "goals": (
        f"SELECT g.id AS goal_id, g.document_id, {_DOC_COLUMNS}, g.ord, g.section, g.text, g.page, g.start, "
        'g."end" FROM goals g JOIN documents d ON d.id = g.document_id ORDER BY g.document_id, g.ord'),
    "reuse_clusters": (
        "SELECT id AS cluster_id, method, n_members, n_documents, n_variants, representative_text, "
        "computed_at FROM reuse_clusters ORDER BY n_documents DESC, id"),
    "cluster_members": (
        f"SELECT m.cluster_id, m.clause_id, c.document_id, {_DOC_COLUMNS}, m.score, c.text "
        "FROM cluster_members m JOIN clauses c ON c.id = m.clause_id "
        "JOIN documents d ON d.id = c.document_id "
        "ORDER BY m.cluster_id, c.document_id"),
}
_JSON_COLUMNS = {"documents": "warnings", "clauses": "themes"}


class Corpus:
    """Read-only view of a store as DataFrames; opens the database once per call."""

    def __init__(self, db_path: str | Path | None = None) -> None:
        with Store.open(db_path, readonly=True) as store:  # fail early, with a clear message
            self.path = store.path

    def table(self, name: str) -> pd.DataFrame:
        """One of :data:`TABLES` as a DataFrame (JSON list columns decoded to lists)."""
        import pandas as pd

        if name not in TABLES:
            raise KeyError(f"unknown table {name!r} (choose from {', '.join(TABLES)})")
        with Store.open(self.path, readonly=True) as store:
            frame = pd.read_sql_query(TABLES[name], store.conn)
        column = _JSON_COLUMNS.get(name)
        if column and column in frame:
            frame[column] = frame[column].map(json.loads)
        return frame

    def documents(self) -> pd.DataFrame:
        return self.table("documents")

    def sections(self) -> pd.DataFrame:
        return self.table("sections")

    def clauses(self) -> pd.DataFrame:
        return self.table("clauses")

    def parties(self) -> pd.DataFrame:
        return self.table("parties")

    def commitments(self) -> pd.DataFrame:
        return self.table("commitments")

    def goals(self) -> pd.DataFrame:
        return self.table("goals")

    def reuse_clusters(self) -> pd.DataFrame:
        return self.table("reuse_clusters")

    def cluster_members(self) -> pd.DataFrame:
        return self.table("cluster_members")

    def party_county_matrix(self) -> pd.DataFrame:
        """Canonical party × county: in how many of the county's documents the party is a signatory."""
        import pandas as pd

        parties = self.parties()
        if parties.empty:
            return pd.DataFrame(index=pd.Index([], name="party", dtype="object"))
        parties = parties.assign(county=parties["county"].fillna("(unknown county)"))
        matrix = (parties.drop_duplicates(["document_id", "canonical"])
                  .pivot_table(index="canonical", columns="county", values="document_id",
                               aggfunc="count", fill_value=0))
        matrix = matrix.astype("int64")
        matrix.columns.name = "county"
        matrix.index.name = "party"
        return matrix.loc[matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index]
