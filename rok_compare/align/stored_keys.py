"""Which stored document a corpus document is, for facts the comparison commands need from the
store (lineage, document type) but :class:`~rok_compare.align.corpus.CorpusDocument` does not carry.

A document is found by its stored path, else by the content of the file at its path (sha256), the
two ways ``rok reuse`` and ``rok similarity`` name stored documents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from rok_compare.align.corpus import CorpusDocument
from rok_compare.store.database import Store


def stored_ids(documents: Sequence[CorpusDocument], store: Store) -> list[int | None]:
    """The store's id of each document, None for one not in the store."""
    by_path = {path: int(i) for i, path in store.conn.execute("SELECT id, path FROM documents")}
    out: list[int | None] = []
    for document in documents:
        doc_id = by_path.get(str(document.path))
        path = Path(document.path)
        if doc_id is None and path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            row = store.conn.execute("SELECT id FROM documents WHERE sha256 = ? ORDER BY id LIMIT 1",
                                     (digest,)).fetchone()
            doc_id = int(row[0]) if row else None
        out.append(doc_id)
    return out


def document_types(documents: Sequence[CorpusDocument], store: Store | str | Path | None) -> list[str | None]:
    """Each document's type (``regional_agreement``, ``news``, ...): from the store when it holds the
    document, else from extracting its file again; None when neither can say."""
    if store is not None and not isinstance(store, Store):
        with Store.open(store, readonly=True) as opened:
            return document_types(documents, opened)
    ids = stored_ids(documents, store) if store is not None else [None] * len(documents)
    types = dict(store.conn.execute("SELECT id, doc_type FROM documents")) if store is not None else {}
    return [types.get(i) if i is not None else _extracted_type(Path(d.path))
            for d, i in zip(documents, ids, strict=True)]


def _extracted_type(path: Path) -> str | None:
    from rok_compare.errors import InputError
    from rok_compare.extract import extract_document

    if not path.is_file():
        return None
    try:
        return str(extract_document(path).doc_type)
    except (InputError, OSError):
        return None
