"""The static report the server shows at ``/``: built from the store into a cache folder, rebuilt
when the store changes.

The store's state is a fingerprint of what the report is made of (each document's id, content
hash and ingest time, and each reuse cluster), read through a read-only connection. It is kept
beside the built site, so a restart over an unchanged store serves the cached report at once.
A change is looked for at most every :data:`CHECK_EVERY` seconds, when a report page is asked
for; the rebuild runs in a background thread while the previous report is still served.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

from rok_compare.store.database import Store

CHECK_EVERY = 2.0
FINGERPRINT_FILE = ".rok-serve-fingerprint"


class SiteError(Exception):
    """The report cannot be built into the cache folder; ``str()`` is one line."""


def default_cache_dir(db: Path) -> Path:
    """``$XDG_CACHE_HOME/rok-compare/report-<hash of the store's path>`` (``~/.cache`` by default)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = hashlib.sha256(str(db.resolve()).encode()).hexdigest()[:16]
    return base / "rok-compare" / f"report-{key}"


def store_fingerprint(db: Path) -> str:
    """A digest of what the report shows: documents (id, content, ingest time) and reuse clusters."""
    digest = hashlib.sha256()
    with Store.open(db, readonly=True) as store:
        conn = store.conn
        conn.execute("BEGIN")
        try:
            for query in ("SELECT id, sha256, ingested_at FROM documents ORDER BY id",
                          "SELECT id, n_members, n_documents, computed_at FROM reuse_clusters ORDER BY id"):
                for row in conn.execute(query):
                    digest.update(repr(tuple(row)).encode())
                digest.update(b"|")
        finally:
            conn.execute("COMMIT")
    return digest.hexdigest()


class ReportSite:
    """The cache folder with the report of ``db``; :meth:`ensure` builds it when it is missing or stale."""

    def __init__(self, db: Path, folder: Path) -> None:
        self.db = db
        self.folder = folder
        self.builds = 0
        self._lock = threading.Lock()
        self._checked = 0.0
        self._worker: threading.Thread | None = None
        self.error: str | None = None
        """Why the last background rebuild failed (the old report is still served), else None."""

    @property
    def built_fingerprint(self) -> str | None:
        try:
            return (self.folder / FINGERPRINT_FILE).read_text(encoding="utf-8").strip() or None
        except OSError:
            return None

    def ensure(self) -> bool:
        """Build the report now if the store changed since it was built; True when it was built."""
        with self._lock:
            current = store_fingerprint(self.db)
            if current == self.built_fingerprint and (self.folder / "index.html").is_file():
                return False
            self._build(current)
            return True

    def _build(self, fingerprint: str) -> None:
        from rok_compare.report import ReportError, build_report

        try:
            build_report(self.db, self.folder, write_cache=False)  # the server never writes the store
            (self.folder / FINGERPRINT_FILE).write_text(fingerprint + "\n", encoding="utf-8")
        except ReportError as error:
            raise SiteError(f"cannot build the report into {self.folder}: {error}") from error
        except OSError as error:
            raise SiteError(f"{self.folder}: cannot write the report ({error.strerror or error})") from error
        except Exception as error:  # a bug in the report is one line, not a traceback
            raise SiteError(f"cannot build the report of {self.db}: internal error "
                            f"({type(error).__name__}: {error})") from error
        self.builds += 1
        self.error = None

    def refresh_soon(self) -> None:
        """Look for a change (at most every :data:`CHECK_EVERY` s) and rebuild in the background."""
        now = time.monotonic()
        if now - self._checked < CHECK_EVERY or (self._worker and self._worker.is_alive()):
            return
        self._checked = now
        self._worker = threading.Thread(target=self._refresh, name="rok-serve-report", daemon=True)
        self._worker.start()

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a background rebuild to finish (tests, shutdown)."""
        if self._worker is not None:
            self._worker.join(timeout)

    def _refresh(self) -> None:
        try:
            self.ensure()
        except Exception as error:  # the old report stays up; the error is shown, not raised in a thread
            self.error = str(error).splitlines()[0] if str(error) else type(error).__name__
