"""Open the corpus store safely: refuse what is not ours, never write to it, then connect.

The checks run on the raw file before SQLite opens it for writing, so a foreign SQLite database
(also an empty one that another application marked with its ``user_version``), a corrupt file or
a file that is not a database at all stays byte-for-byte unchanged. The store runs in WAL mode
with a busy timeout: readers (``rok search``, ``rok status``, a notebook) keep working while
``rok ingest`` writes.

A store on read-only media (a read-only mount, a folder or file without write permission) is
opened for reading with SQLite's ``immutable`` flag when a plain read-only open fails (WAL mode
needs a writable ``-shm`` file beside the store otherwise). Errors say what happened in one line:
read-only, disk full, no such file, a symlink loop, a damaged file.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from rok_compare.store.integrity import enable_page_checks, store_problem
from rok_compare.store.schema import APPLICATION_ID, APPLICATION_NAME, SCHEMA_VERSION, migrate

_SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000
CACHE_KIB = 65_536
"""SQLite's page cache of a writable connection (SQLite's default is 2 MiB)."""
DEFAULT_DB = "rok.db"
DB_ENV = "ROK_DB"


class StoreError(Exception):
    """The store cannot be used: missing, foreign, corrupt or too new. ``str()`` is one line."""


def describe_error(path: str | Path, error: BaseException) -> str:
    """One line for an SQLite or OS error on the store at ``path``, saying what happened in plain words."""
    text = str(error)
    low = text.lower()
    if "disk is full" in low or getattr(error, "errno", None) == errno.ENOSPC:
        return (f"{path}: disk full ({text}); what was stored before is kept whole; "
                "free some space and run the same command again")
    if "readonly" in low or "read-only" in low or getattr(error, "errno", None) == errno.EROFS:
        return (f"{path}: the store is read-only ({text}); commands that read it (status, search, report, "
                "export) work, ingest and prune need it writable")
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return f"{path}: the store is damaged ({text}); restore it from a backup or start a new one"
    if "locked" in low or "busy" in low:
        return f"{path}: the store is busy ({text}); another process holds it, try again when it is done"
    return f"{path}: database error ({text})"


def writable(path: Path) -> bool:
    """Whether SQLite could write the store file and its journal beside it (False on read-only media)."""
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def default_db_path() -> Path:
    """``$ROK_DB`` if set, else ``rok.db`` in the working directory."""
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


class Store:
    """An open connection to a rok-compare store (autocommit; write through :meth:`transaction`)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, readonly: bool) -> None:
        self.conn = conn
        self.path = path
        self.readonly = readonly

    @classmethod
    def open(cls, path: str | Path | None = None, *, readonly: bool = False, check: bool = False) -> Store:
        """Open (and, when writable, create or migrate) the store at ``path``.

        ``check`` checks the file first (:mod:`rok_compare.store.integrity`: SQLite's ``quick_check``
        for a small store, a check of bounded cost for a large one): ingest uses it so that it never
        writes into a damaged file. Raises :class:`StoreError` with a one-line reason.
        """
        path = Path(path) if path is not None else default_db_path()
        state = inspect_file(path, readonly=readonly)
        if not readonly and not writable(path):
            raise StoreError(f"{path}: the store is read-only (no write permission, or a read-only file "
                             "system); commands that read it (status, search, report, export) work, "
                             "ingest and prune need it writable")
        try:
            if readonly:
                conn = connect_readonly(path)
            else:
                conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                       timeout=BUSY_TIMEOUT_MS / 1000)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            if readonly and state < SCHEMA_VERSION:
                conn.close()
                raise StoreError(f"{path}: the store is empty or has an older schema ({state} < "
                                 f"{SCHEMA_VERSION}); run `rok ingest` on it first")
            if check:
                _check(conn, path)
            if not readonly:
                enable_page_checks(conn)
                # A reuse update seeks the same band and edge pages many times: keep them (a cap, not an allocation).
                conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                migrate(conn, state)
        except sqlite3.DatabaseError as error:
            raise StoreError(describe_error(path, error)) from error
        return cls(conn, path, readonly)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or none of it."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:  # SQLite has rolled back itself after some errors (disk full)
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise


def _ro_uri(path: Path, immutable: bool = False) -> str:
    return f"file:{quote(os.fsencode(path.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection; on read-only media, where SQLite cannot create the WAL index file,
    an ``immutable`` one (nothing can change the file there while we read it)."""
    conn = sqlite3.connect(_ro_uri(path), uri=True, isolation_level=None, check_same_thread=False,
                           timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if writable(path):
            raise
    return sqlite3.connect(_ro_uri(path, immutable=True), uri=True, isolation_level=None,
                           check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)


def _check(conn: sqlite3.Connection, path: Path) -> None:
    result = store_problem(conn)
    if result is not None:
        raise StoreError(f"{path}: the store is corrupt ({result}); "
                         "restore it from a backup or start a new one")


def inspect_file(path: Path, *, readonly: bool) -> int:
    """Decide, without writing, whether ``path`` may be used as a store; return its schema version.

    0 means a new or empty file that the store may initialise. Raises :class:`StoreError` for a
    directory, a non-SQLite file, a foreign SQLite database, a corrupt one or one made by a newer
    version of rok-compare.
    """
    try:
        os.stat(path)
    except FileNotFoundError:
        if path.is_symlink():
            raise StoreError(f"{path}: a broken symlink (its target does not exist)") from None
        if readonly:
            raise StoreError(f"{path}: no store here (no such file; create one with "
                             f"`rok ingest PATH --db {path}`)") from None
        if not path.parent.exists():
            raise StoreError(f"{path}: directory {path.parent} does not exist") from None
        return 0
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise StoreError(f"{path}: a symlink loop, not a store file") from None
        raise StoreError(f"{path}: cannot be read ({error.strerror or error})") from None
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a store file")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise StoreError(f"{path}: cannot be read ({error.strerror or error})") from error
    if not header:
        if readonly:
            raise StoreError(f"{path}: the store is empty (run `rok ingest` first)")
        return 0
    if not header.startswith(_SQLITE_MAGIC) or len(header) < 100:
        raise StoreError(f"{path}: not a rok-compare store (not an SQLite database file); "
                         "refusing to touch it")
    app_id = int.from_bytes(header[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise StoreError(f"{path}: a foreign SQLite database (application id {app_id:#x}), "
                         "not a rok-compare store; refusing to touch it")
    version = _read_version(path, app_id)
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: made by a newer rok-compare (schema {version}, this one reads up to "
                         f"{SCHEMA_VERSION}); upgrade rok-compare")
    return version


def _read_version(path: Path, app_id: int) -> int:
    """Schema version of an SQLite file, read through a read-only connection."""
    try:
        conn = connect_readonly(path)
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: the file is corrupt or not a database ({error}); refusing to touch it") \
            from error
    try:
        names = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        ours = app_id == APPLICATION_ID
        if not ours and "meta" in names:
            row = conn.execute("SELECT value FROM meta WHERE key = 'application'").fetchone()
            ours = bool(row) and row[0] == APPLICATION_NAME
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path}: the file is corrupt or not a database ({error}); refusing to touch it") \
            from error
    finally:
        conn.close()
    if not ours and names:
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        raise StoreError(f"{path}: a foreign SQLite database (tables: {shown}), not a rok-compare store; "
                         "refusing to touch it")
    if not ours and version != 0:
        raise StoreError(f"{path}: an SQLite database of another application (user_version {version}), "
                         "not a rok-compare store; refusing to touch it")
    return version if ours else 0
