"""Corpus store: an SQLite database of extracted documents, written one whole document at a time.

    >>> from rok_compare.store import Store, ingest, status
    >>> report = ingest(["corpus/seeds"], "rok.db")
    >>> with Store.open("rok.db", readonly=True) as store:
    ...     status(store).documents
    >>> prune("rok.db", dry_run=True).removed  # stored documents whose files are gone
"""

from rok_compare.store.database import Store, StoreError, default_db_path
from rok_compare.store.executors import DEFAULT_TIMEOUT, IngestError
from rok_compare.store.ingest import FileOutcome, IngestInterrupted, IngestReport, Status, ingest
from rok_compare.store.prune import PrunedDocument, PruneReport, prune
from rok_compare.store.read import StoreStatus, failures, status
from rok_compare.store.schema import SCHEMA_VERSION
from rok_compare.store.write import WriteOutcome, write_agreement

__all__ = [
    "DEFAULT_TIMEOUT", "SCHEMA_VERSION", "FileOutcome", "IngestError", "IngestInterrupted", "IngestReport",
    "PruneReport", "PrunedDocument", "Status", "Store", "StoreError", "StoreStatus", "WriteOutcome",
    "default_db_path", "failures", "ingest", "prune", "status", "write_agreement",
]
