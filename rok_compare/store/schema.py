"""The corpus store's SQLite schema and its migrations.

The schema version lives in ``PRAGMA user_version``; ``PRAGMA application_id`` and a ``meta`` row
mark the file as a rok-compare store, so that :mod:`rok_compare.store.database` can refuse a
foreign SQLite file instead of adding tables to it. Migrations are an ordered list of functions:
``MIGRATIONS[i]`` takes a store from version ``i`` to ``i + 1`` inside one transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

APPLICATION_ID = 0x524F4B43  # "ROKC" in the SQLite header (bytes 68-71)
APPLICATION_NAME = "rok-compare"

_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    path          TEXT NOT NULL UNIQUE,
    sha256        TEXT NOT NULL,
    format        TEXT NOT NULL,
    title         TEXT,
    county_name   TEXT,
    county_code   TEXT,
    period_start  INTEGER,
    period_end    INTEGER,
    revision_date TEXT,
    doc_type      TEXT NOT NULL,
    n_pages       INTEGER NOT NULL,
    encoding      TEXT,
    n_sections    INTEGER NOT NULL,
    n_clauses     INTEGER NOT NULL,
    n_parties     INTEGER NOT NULL,
    n_commitments INTEGER NOT NULL,
    n_goals       INTEGER NOT NULL,
    warnings      TEXT NOT NULL DEFAULT '[]',
    ingested_at   TEXT NOT NULL
);
CREATE INDEX documents_sha256 ON documents(sha256);
CREATE INDEX documents_county ON documents(county_code);

CREATE TABLE sections (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    heading     TEXT,
    page        INTEGER,
    start       INTEGER
);
CREATE INDEX sections_document ON sections(document_id);

-- AUTOINCREMENT: ids never come back after a delete, so the trigram watermark below stays true.
CREATE TABLE clauses (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    section_id  INTEGER REFERENCES sections(id) ON DELETE SET NULL,
    ord         INTEGER NOT NULL,
    clause_key  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    themes      TEXT NOT NULL DEFAULT '[]',
    text        TEXT NOT NULL,
    norm_hash   TEXT NOT NULL,
    page        INTEGER,
    start       INTEGER,
    "end"       INTEGER
);
CREATE INDEX clauses_document ON clauses(document_id);
CREATE INDEX clauses_norm_hash ON clauses(norm_hash);

-- Word index: unicode61 without diacritic folding keeps får/far and år/är apart.
CREATE VIRTUAL TABLE clauses_fts USING fts5(
    text, content='clauses', content_rowid='id', tokenize='unicode61 remove_diacritics 0'
);
-- Trigram index: finds a word inside a compound ("undersökning" in "hälsoundersökningar").
-- It costs ten times less built in bulk than row by row, so it may lag behind: it holds exactly
-- the clauses with id <= meta 'trigram_upto' (see write.sync_trigram_index).
CREATE VIRTUAL TABLE clauses_tri USING fts5(
    text, content='clauses', content_rowid='id', tokenize='trigram'
);
-- Document frequency of every indexed word: search picks the telling words of a passage with it.
CREATE VIRTUAL TABLE clauses_vocab USING fts5vocab('clauses_fts', 'row');
CREATE TRIGGER clauses_ai AFTER INSERT ON clauses BEGIN
    INSERT INTO clauses_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER clauses_ad AFTER DELETE ON clauses BEGIN
    INSERT INTO clauses_fts(clauses_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER clauses_ad_tri AFTER DELETE ON clauses
WHEN old.id <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'trigram_upto') BEGIN
    INSERT INTO clauses_tri(clauses_tri, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TABLE parties (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    canonical   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    page        INTEGER,
    start       INTEGER,
    "end"       INTEGER
);
CREATE INDEX parties_document ON parties(document_id);
CREATE INDEX parties_canonical ON parties(canonical);

CREATE TABLE commitments (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    party       TEXT NOT NULL,
    text        TEXT NOT NULL,
    strength    TEXT NOT NULL,
    section     TEXT,
    page        INTEGER,
    start       INTEGER,
    "end"       INTEGER
);
CREATE INDEX commitments_document ON commitments(document_id);

CREATE TABLE goals (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    section     TEXT,
    page        INTEGER,
    start       INTEGER,
    "end"       INTEGER
);
CREATE INDEX goals_document ON goals(document_id);

-- Text reuse: the same (or an edited) clause in several documents. Recomputed after each batch.
CREATE TABLE reuse_clusters (
    id                  INTEGER PRIMARY KEY,
    method              TEXT NOT NULL,
    representative_text TEXT NOT NULL,
    n_members           INTEGER NOT NULL,
    n_documents         INTEGER NOT NULL,
    n_variants          INTEGER NOT NULL,
    computed_at         TEXT NOT NULL
);
CREATE TABLE cluster_members (
    cluster_id INTEGER NOT NULL REFERENCES reuse_clusters(id) ON DELETE CASCADE,
    clause_id  INTEGER NOT NULL REFERENCES clauses(id) ON DELETE CASCADE,
    score      REAL,
    PRIMARY KEY (cluster_id, clause_id)
);
CREATE INDEX cluster_members_clause ON cluster_members(clause_id);
-- The wordings of each cluster (by normalised text) and how widespread each is, for search.
CREATE TABLE cluster_variants (
    cluster_id  INTEGER NOT NULL REFERENCES reuse_clusters(id) ON DELETE CASCADE,
    norm_hash   TEXT NOT NULL,
    text        TEXT NOT NULL,
    n_documents INTEGER NOT NULL,
    n_members   INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, norm_hash)
);

-- The latest failure per file; a later successful ingest of the file removes it.
CREATE TABLE failures (
    path      TEXT PRIMARY KEY,
    sha256    TEXT,
    kind      TEXT NOT NULL,
    error     TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
"""


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    """Create the first schema in an empty database."""
    for statement in _split(_V1):
        conn.execute(statement)
    conn.execute("INSERT INTO meta(key, value) VALUES ('application', ?)", (APPLICATION_NAME,))
    conn.execute("INSERT INTO meta(key, value) VALUES ('trigram_upto', '0')")


_CURRENT_AND_SOURCES = """
-- Today's name of each party (the registry's successor of ``canonical``; equal to it when unchanged).
ALTER TABLE parties ADD COLUMN current TEXT;
-- Word and OpenDocument spans also name the paragraph they start in.
ALTER TABLE parties ADD COLUMN paragraph INTEGER;
ALTER TABLE goals ADD COLUMN paragraph INTEGER;
ALTER TABLE commitments ADD COLUMN paragraph INTEGER;
ALTER TABLE clauses ADD COLUMN paragraph INTEGER;
-- Which extractor made the stored extraction (store.extractor_version); NULL: made before it was kept.
ALTER TABLE documents ADD COLUMN extractor TEXT;
-- What the reader made of the file, so a document can be extracted again without it: the text
-- (UTF-8, zlib-compressed), page and paragraph boundaries and the reader's warnings as JSON lists.
CREATE TABLE document_sources (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    text_z      BLOB NOT NULL,
    pages       TEXT NOT NULL,
    paragraphs  TEXT NOT NULL DEFAULT '[]',
    warnings    TEXT NOT NULL DEFAULT '[]'
);
"""


def _keep_current_and_sources(conn: sqlite3.Connection) -> None:
    """Keep ``current`` for every party, paragraph spans, the extractor version and the read text.

    Parties stored before get ``current`` from the party registry by their canonical name and the
    document's county (see :mod:`rok_compare.store.today`), which is how extraction sets it. The
    text and the extractor version of documents stored before are unknown: they stay NULL/absent,
    and ``rok extract`` reads such a document from its file (or asks for it to be ingested again).
    """
    from rok_compare.store.today import TodayNames

    for statement in _split(_CURRENT_AND_SOURCES):
        conn.execute(statement)
    today = TodayNames()
    rows = conn.execute("SELECT p.id, p.canonical, d.county_code FROM parties p "
                        "JOIN documents d ON d.id = p.document_id").fetchall()
    conn.executemany("UPDATE parties SET current = ? WHERE id = ?",
                     [(today(canonical, county), party_id) for party_id, canonical, county in rows])


_REUSE_INDEX = """
-- The reuse index (store/reuse_index.py), so that an ingest or a prune updates the reuse clusters
-- from the changed documents' clauses instead of clustering the whole store again. A node is a
-- distinct normalised text (stems) of the clauses that count for reuse; its MinHash LSH band keys
-- find its candidates, the verified pairs are its edges, and the nodes of one connected component
-- (numbered by its smallest node id) make one cluster when their clauses span two documents.
CREATE TABLE reuse_nodes (
    id        INTEGER PRIMARY KEY,
    stems     TEXT NOT NULL UNIQUE,
    component INTEGER NOT NULL
);
CREATE INDEX reuse_nodes_component ON reuse_nodes(component);
CREATE TABLE reuse_node_clauses (
    clause_id   INTEGER PRIMARY KEY,
    node        INTEGER NOT NULL,
    document_id INTEGER NOT NULL
);
CREATE INDEX reuse_node_clauses_node ON reuse_node_clauses(node);
-- A bucket's members in chain order (tie: a hash of the node's stems), as LSH links large buckets.
CREATE TABLE reuse_bands (
    band INTEGER NOT NULL,
    key  INTEGER NOT NULL,
    tie  INTEGER NOT NULL,
    node INTEGER NOT NULL,
    PRIMARY KEY (band, key, tie, node)
) WITHOUT ROWID;
-- Verified pairs, both ways (a, b) and (b, a).
CREATE TABLE reuse_edges (
    a INTEGER NOT NULL,
    b INTEGER NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
-- Nodes whose clauses were deleted since the index was last updated.
CREATE TABLE reuse_dirty (
    node INTEGER PRIMARY KEY
);
CREATE TRIGGER reuse_clauses_ad AFTER DELETE ON clauses BEGIN
    INSERT OR IGNORE INTO reuse_dirty(node) SELECT node FROM reuse_node_clauses WHERE clause_id = old.id;
    DELETE FROM reuse_node_clauses WHERE clause_id = old.id;
END;
ALTER TABLE reuse_clusters ADD COLUMN component INTEGER;
CREATE INDEX reuse_clusters_component ON reuse_clusters(component);
"""


def _add_reuse_index(conn: sqlite3.Connection) -> None:
    """Create the (empty) reuse index. It holds no clause yet (no meta 'reuse_index_upto'): the next
    clustering builds it over the whole store once, and updates it from then on."""
    for statement in _split(_REUSE_INDEX):
        conn.execute(statement)


_REUSE_WORDINGS = """
-- How often each wording (exact text) occurs in each reuse cluster: the representative wording
-- (the medoid of the most frequent ones) is then found without reading a large cluster whole.
CREATE TABLE reuse_wordings (
    cluster_id INTEGER NOT NULL REFERENCES reuse_clusters(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, text)
) WITHOUT ROWID;
CREATE INDEX reuse_wordings_frequent ON reuse_wordings(cluster_id, n DESC, text);
-- The cluster members deleted since the clusters were last brought up to date (a clause's cluster
-- membership goes with it): the clustering subtracts them from their cluster's counts.
CREATE TABLE reuse_lost (
    cluster_id  INTEGER NOT NULL,
    clause_id   INTEGER NOT NULL,
    document_id INTEGER NOT NULL,
    text        TEXT NOT NULL,
    norm_hash   TEXT NOT NULL
);
CREATE TRIGGER reuse_clauses_bd BEFORE DELETE ON clauses BEGIN
    INSERT INTO reuse_lost(cluster_id, clause_id, document_id, text, norm_hash)
    SELECT m.cluster_id, old.id, old.document_id, old.text, old.norm_hash FROM cluster_members m
    WHERE m.clause_id = old.id;
END;
"""


def _add_reuse_wordings(conn: sqlite3.Connection) -> None:
    """Count the wordings of each reuse cluster; the next clustering rebuilds the reuse index (and
    with it the counts) over the whole store."""
    for statement in _split(_REUSE_WORDINGS):
        conn.execute(statement)
    conn.execute("DELETE FROM meta WHERE key = 'reuse_index_upto'")


def _index_clause_sections(conn: sqlite3.Connection) -> None:
    """Index the clauses by section. Deleting a document deletes its sections, and the foreign key
    ``clauses.section_id ... ON DELETE SET NULL`` then looks for the clauses of each: without this
    index a scan of every clause per section, so that pruning or replacing one document cost the
    size of the store."""
    conn.execute("CREATE INDEX IF NOT EXISTS clauses_section ON clauses(section_id)")


def _index_cluster_wordings(conn: sqlite3.Connection) -> None:
    """Index each cluster's wordings in the order search shows them (most widespread first). A search
    hit gathers its cluster's top wordings; without this index SQLite sorts all of them, and one
    cluster of a large store has tens of thousands (5-10 ms a page at 1M clauses)."""
    conn.execute("CREATE INDEX IF NOT EXISTS cluster_variants_top "
                 "ON cluster_variants(cluster_id, n_documents DESC, n_members DESC, norm_hash)")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_0_to_1, _keep_current_and_sources,
                                                         _add_reuse_index, _add_reuse_wordings,
                                                         _index_clause_sections, _index_cluster_wordings]
SCHEMA_VERSION = len(MIGRATIONS)


def _split(script: str) -> list[str]:
    """Split a DDL script into statements (``executescript`` would commit on its own)."""
    statements, current = [], []
    for line in script.splitlines():
        if line.strip().startswith("--") or not line.strip():
            continue
        current.append(line)
        joined = "\n".join(current)
        if line.rstrip().endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            current = []
    if current:
        statements.append("\n".join(current))
    return statements


def migrate(conn: sqlite3.Connection, from_version: int) -> int:
    """Bring the schema from ``from_version`` to :data:`SCHEMA_VERSION`, one transaction per step.

    The version is read again inside each transaction, so two processes opening a new store at
    once do not both create it.
    """
    version = from_version
    while version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                MIGRATIONS[version](conn)
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {version + 1}")
                version += 1
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite rolls back by itself after some errors (disk full)
                conn.execute("ROLLBACK")
            raise
    return version
