"""The corpus as pandas DataFrames, for notebooks and exports.

    >>> from rok_compare.export import Corpus
    >>> corpus = Corpus("rok.db")
    >>> corpus.commitments().sort_values("strength", ascending=False)  # guarantee first
    >>> corpus.alignments(1, 2)            # clause pairs of two stored documents
    >>> corpus.similarity(by="county")     # share of clauses reused between counties
    >>> corpus.similarity(by="year", measure="cosine")

pandas is the optional extra ``export``; without it ``Corpus`` stops at once with one line that
names the command to install it. ``parties()`` carries ``canonical`` (the body as the document
names it) and ``current`` (today's body: "Myndigheten för skolutveckling" → "Skolverket");
``party_county_matrix(by="current")`` counts by today's bodies. Every table carries ``document_id``
and, where it helps, the document's county and period, so a table can be used on its own without
joins. Ids and years
are nullable integers, dates are datetimes, strength, county, doc type and kind are categoricals
(see :mod:`rok_compare.export.dtypes`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rok_compare.export.dtypes import typed
from rok_compare.export.errors import require_pandas
from rok_compare.export.stored import DocumentRef, load, resolve
from rok_compare.export.tables import TABLES, read_matrix, read_table
from rok_compare.store.database import Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TABLES", "Corpus"]

_REUSE_MEMBERS = (
    "SELECT m.cluster_id, r.n_documents, r.n_variants, r.method, r.representative_text, m.clause_id, "
    "c.clause_key, c.document_id, d.path, d.county_name AS county, d.county_code, d.period_start, d.period_end, "
    "d.doc_type, m.score, c.text FROM cluster_members m JOIN reuse_clusters r ON r.id = m.cluster_id "
    "JOIN clauses c ON c.id = m.clause_id JOIN documents d ON d.id = c.document_id "
    "ORDER BY r.n_documents DESC, m.cluster_id, c.document_id, c.ord")


class Corpus:
    """Read-only view of a store as DataFrames; opens the database once per call."""

    def __init__(self, db_path: str | Path | None = None) -> None:
        require_pandas("Corpus")  # fail before anything else, with the install command
        with Store.open(db_path, readonly=True) as store:  # fail early, with a clear message
            self.path = store.path

    def table(self, name: str) -> pd.DataFrame:
        """One of :data:`TABLES` as a typed DataFrame (JSON list columns decoded to lists)."""
        pd = require_pandas()
        columns, rows = read_table(self.path, name)
        return typed(pd.DataFrame(rows, columns=columns, dtype=object), name)

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

    def reuse_members(self) -> pd.DataFrame:
        """Every clause of every stored reuse cluster, with the cluster's size and representative
        wording beside it: one frame to group by cluster, county or year."""
        pd = require_pandas()
        with Store.open(self.path, readonly=True) as store:
            cursor = store.conn.execute(_REUSE_MEMBERS)
            columns = [d[0] for d in cursor.description]
            frame = pd.DataFrame(cursor.fetchall(), columns=columns, dtype=object)
        return typed(frame, "reuse_members")

    def alignments(self, a: DocumentRef, b: DocumentRef) -> pd.DataFrame:
        """Clause pairs of two stored documents (by id, path or file name), as ``rok align`` finds them:
        one row per pair in A's order, then the clauses of A and of B left without a partner
        (``relation`` ``only_a`` / ``only_b``). Reads the store only, never the files."""
        from rok_compare.align import align

        pd = require_pandas()
        with Store.open(self.path, readonly=True) as store:
            doc_a, doc_b = load(store, [resolve(store, a), resolve(store, b)])
        alignment = align(doc_a.document.clauses, doc_b.document.clauses, doc_a.document.path, doc_b.document.path)
        id_a = {ref: cid for ref, cid in zip((c.id for c in doc_a.document.clauses), doc_a.clause_ids, strict=True)}
        id_b = {ref: cid for ref, cid in zip((c.id for c in doc_b.document.clauses), doc_b.clause_ids, strict=True)}
        rows = [(doc_a.id, id_a[p.a.id], p.a.id, p.a.text, doc_b.id, id_b[p.b.id], p.b.id, p.b.text,
                 str(p.relation), round(p.score, 4), str(p.shape), p.moved, p.group) for p in alignment.pairs]
        rows += [(doc_a.id, id_a[c.id], c.id, c.text, doc_b.id, None, None, None, "only_a", None, None, False, None)
                 for c in alignment.only_a]
        rows += [(doc_a.id, None, None, None, doc_b.id, id_b[c.id], c.id, c.text, "only_b", None, None, False, None)
                 for c in alignment.only_b]
        columns = ["a_document_id", "a_clause_id", "a_clause_key", "a_text", "b_document_id", "b_clause_id",
                   "b_clause_key", "b_text", "relation", "score", "shape", "moved", "group"]
        frame = pd.DataFrame(rows, columns=columns, dtype=object)
        frame["moved"] = frame["moved"].astype(bool)
        return typed(frame, "alignments")

    def similarity(self, by: str = "document", measure: str = "overlap") -> pd.DataFrame:
        """How alike the stored documents are, as ``rok similarity`` computes it (sparse matrices; only
        the result is dense): ``measure`` "overlap" (share of clauses with a match in the same stored
        reuse cluster, symmetrised), "cosine" (TF-IDF of the stems) or "jaccard" (3-stem shingles);
        ``by`` "document" (rows and columns are paths), "county", "year" or "type"."""
        import numpy as np

        from rok_compare.align.matrix import GROUPINGS, MEASURES, similarity_matrix

        pd = require_pandas()
        if by not in GROUPINGS:
            raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}")
        if measure not in MEASURES:
            raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
        with Store.open(self.path, readonly=True) as store:
            stored = load(store)
            cluster_of = dict(store.conn.execute(
                "SELECT clause_id, MIN(cluster_id) FROM cluster_members GROUP BY clause_id"))
            doc_types = dict(store.conn.execute("SELECT id, doc_type FROM documents"))
        numbers: dict[int, int] = {}
        labels = np.array([numbers.setdefault(cluster_of[cid], len(numbers)) if cid in cluster_of else -1
                           for doc in stored for cid in doc.clause_ids], dtype=np.int64)
        matrix = similarity_matrix([doc.document for doc in stored], labels, by=by, measure=measure,
                                   types=[doc_types[doc.id] for doc in stored])
        index = pd.Index(matrix.labels, name=by)
        return pd.DataFrame(matrix.values, index=index, columns=index.rename(None))

    def party_county_matrix(self, by: str = "canonical") -> pd.DataFrame:
        """Party × county: in how many of the county's documents the party is a signatory. Parties by
        their ``canonical`` name, or with ``by="current"`` by today's body (``parties().current``)."""
        pd = require_pandas()
        columns, rows = read_matrix(self.path, by)
        matrix = pd.DataFrame(rows, columns=columns).set_index("party").astype("int64")
        matrix.columns.name = "county"
        return matrix
