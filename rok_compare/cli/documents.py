"""The documents a command names: files, or documents in the store.

A name that is a file on disk whose content is stored (same sha256) is read from the store, with the
extraction made at ingest; a file not in the store is extracted; a name that is no file is looked up
in the store (an id, a stored path, or a unique file name), so a stored document can be compared after
its file has gone. ``rok extract`` (:func:`extract_items`) also asks that the stored extraction was
made by the extractor that runs now, since it prints the extraction itself."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rok_compare.align.corpus import CorpusDocument
from rok_compare.model import Clause


@dataclass(slots=True)
class NamedClauses:
    label: str
    clauses: list[Clause]
    stored: bool


class DocumentError(Exception):
    """One line for the user: the document could not be read or found."""


def clauses_of(name: str, db: Path | None) -> NamedClauses:
    path = Path(name)
    store_path = _store_path(db)
    if path.is_file():
        stored = _stored_by_content(path, store_path) if store_path else None
        if stored is not None:
            return NamedClauses(name, stored, True)
        return NamedClauses(name, _extracted(path), False)
    if store_path is None:
        return NamedClauses(name, _extracted(path), False)  # the reader says what is wrong with it
    from rok_compare.export.stored import DocumentNotFound, load, resolve
    from rok_compare.store.database import Store, StoreError

    try:
        with Store.open(store_path, readonly=True) as store:
            document = load(store, [resolve(store, name)])[0]
    except DocumentNotFound as error:
        if any(ch in name for ch in "/\\") or path.suffix:  # meant as a file: say what is wrong with it
            return NamedClauses(name, _extracted(path), False)
        raise DocumentError(str(error)) from None
    except StoreError as error:
        raise DocumentError(str(error)) from None
    return NamedClauses(document.document.path, document.document.clauses, True)


def _store_path(db: Path | None) -> Path | None:
    from rok_compare.store import default_db_path

    path = db or default_db_path()
    return path if path.is_file() else None


def _stored_by_content(path: Path, store_path: Path) -> list[Clause] | None:
    from rok_compare.store.database import Store, StoreError

    try:
        with Store.open(store_path, readonly=True) as store:
            document = _stored_document(store, path)
    except StoreError:
        return None  # an unusable store is no reason not to read the file itself
    return document.clauses if document else None


def _extracted(path: Path) -> list[Clause]:
    return _extracted_agreement(path).clauses


def corpus_documents(names: list[str], db: Path | None, on_error) -> list[CorpusDocument]:
    """The documents ``names`` stand for, as the reuse and similarity matrices need them: with no
    names every stored document; files and folders as ``ingest`` finds them (a stored file read from
    the store); other names looked up in the store. What cannot be had goes to ``on_error``."""
    from rok_compare.align.corpus import expand_paths
    from rok_compare.export.stored import DocumentNotFound, load, resolve
    from rok_compare.store.database import Store, StoreError

    store_path = _store_path(db)
    try:
        store = Store.open(store_path, readonly=True) if store_path else None
    except StoreError as error:
        on_error(str(error))
        store = None
    try:
        if not names:
            if store is None:
                on_error(f"no documents named and no store at {db or 'rok.db'} to read them from")
                return []
            return [stored.document for stored in load(store)]
        documents = []
        for name in names:
            path = Path(name)
            if not path.exists() and store is not None:
                try:
                    documents.append(load(store, [resolve(store, name)])[0].document)
                    continue
                except DocumentNotFound:
                    pass  # meant as a file: the reader says what is wrong with it
            for file in expand_paths([path], on_error):
                document = _stored_document(store, file) if store is not None and file.is_file() else None
                if document is None:
                    try:
                        document = CorpusDocument.from_agreement(_extracted_agreement(file))
                    except DocumentError as error:
                        on_error(str(error))
                        continue
                documents.append(document)
        return documents
    finally:
        if store is not None:
            store.close()


def _stored_document(store, path: Path) -> CorpusDocument | None:
    from rok_compare.export.stored import load
    from rok_compare.store.ingest import file_sha256

    try:
        digest = file_sha256(path)
    except OSError:
        return None  # the reader says what is wrong with it
    row = store.conn.execute("SELECT id FROM documents WHERE sha256 = ? ORDER BY id LIMIT 1", (digest,)).fetchone()
    if row is None:
        return None
    document = load(store, [int(row[0])])[0].document
    document.path = str(path)  # shown as the user named it
    return document


def _extracted_agreement(path: Path):
    import rok_compare.extract as extraction  # looked up at call time (tests replace it)
    from rok_compare.errors import InputError

    try:
        return extraction.extract_document(path)
    except InputError as error:
        raise DocumentError(str(error)) from None
    except Exception as error:  # a bug on one file is one line, not a traceback
        raise DocumentError(f"{path}: internal error ({type(error).__name__}: {error})") from None


@dataclass(slots=True)
class ExtractItem:
    """One document ``rok extract`` prints, in the order named: a stored ``agreement`` ready to print,
    a ``file`` to extract, or an ``error``; ``note`` says why a stored document is extracted again."""

    label: str
    agreement: object | None = None
    file: Path | None = None
    error: str | None = None
    note: str | None = None


def extract_items(names: list[str], db: Path | None, on_error, *, stored_files: bool = True) -> list[ExtractItem]:
    """What ``rok extract NAME...`` prints for each name, each document once.

    A file on disk is extracted, unless its content is stored by the extractor that runs now
    (``stored_files``): then the stored extraction is printed, with the file's path as named. A folder
    is searched as ``ingest`` searches it (files left out go to ``on_error``). Any other name is a
    stored document (id, stored path or unique file name): its stored extraction, or, when another
    extractor version made it, an extraction of its file or of the stored text, with a note (see
    :mod:`rok_compare.store.agreements`). A store that cannot be read is named in the error of each
    name that had to be looked up in it; files are extracted all the same."""
    from rok_compare.align.corpus import expand_paths
    from rok_compare.store.database import Store, StoreError
    from rok_compare.store.extractor_version import extractor_version

    store, store_error = None, None
    store_path = db or _store_path(None)
    if store_path is not None:
        try:
            store = Store.open(store_path, readonly=True)
        except StoreError as error:
            store_error = str(error)
    version = extractor_version() if store is not None else ""
    try:
        items: dict[str, ExtractItem] = {}
        for name in names:
            for file in expand_paths([Path(name)], on_error):
                label = str(file)
                if label not in items:
                    items[label] = _extract_item(label, file, store, store_error, version, stored_files)
        return list(items.values())
    finally:
        if store is not None:
            store.close()


def _extract_item(label: str, file: Path, store, store_error: str | None, version: str,
                  stored_files: bool) -> ExtractItem:
    """One name of ``rok extract``: a file (from the store when its content is stored by ``version``)
    or a stored document."""
    if file.exists() or store is None:
        if store is None and store_error and not file.exists() and not _looks_like_a_file(label):
            return ExtractItem(label, error=f"{label}: no such file, and not looked up in the store ({store_error})")
        if store is not None and stored_files and file.is_file():
            return _stored_file_item(label, file, store, version)
        return ExtractItem(label, file=file)
    from rok_compare.export.stored import DocumentNotFound, resolve
    from rok_compare.store.agreements import StaleExtraction, stored_extraction

    try:
        document_id = resolve(store, label)
    except DocumentNotFound as error:
        if _looks_like_a_file(label):
            return ExtractItem(label, file=file)  # meant as a file: the reader says what is wrong with it
        return ExtractItem(label, error=str(error))
    try:
        found = stored_extraction(store, document_id, version, label)
    except StaleExtraction as error:
        return ExtractItem(label, error=str(error))
    except Exception as error:  # a bug on one document is one line, not a traceback
        return ExtractItem(label, error=f"{label}: internal error ({type(error).__name__}: {error})")
    return ExtractItem(label, agreement=found.agreement, file=found.file, note=found.note)


def _stored_file_item(label: str, file: Path, store, version: str) -> ExtractItem:
    """A file on disk: its stored extraction when its content is stored by ``version``, else the file."""
    import sqlite3

    from rok_compare.store.agreements import document_by_content, load_agreement
    from rok_compare.store.ingest import file_sha256

    try:
        document_id = document_by_content(store, file_sha256(file), version)  # hashed in chunks
        if document_id is not None:
            return ExtractItem(label, agreement=load_agreement(store, document_id, file))
    except (OSError, sqlite3.Error):
        pass  # the reader says what is wrong with the file; a store that fails is no reason not to read it
    return ExtractItem(label, file=file)


def _looks_like_a_file(name: str) -> bool:
    return any(ch in name for ch in "/\\") or bool(Path(name).suffix)
