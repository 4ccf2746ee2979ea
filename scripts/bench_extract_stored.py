#!/usr/bin/env python3
"""Benchmark ``rok extract`` of stored documents against extracting their files, and what keeping
the read text costs the store.

The documents (corpus/seeds, ../shared/corpus/dev and ../shared/pdf/real when present, read in
place) are ingested into a fresh store. Then, in this one process and run:

- baseline: extracting every file (``extract_document``), as ``rok extract FILE`` does;
- stored: the stored extraction of every document read back (``stored_extraction``), as
  ``rok extract ID`` does when the extractor is unchanged;
- stale: every document extracted again from its stored text, as ``rok extract ID`` does when
  another extractor version made it and the file is gone;
- lookup: hashing each file and finding its stored extraction, as ``rok extract FILE`` does
  for a file whose content is stored.

Each is checked to give the same JSON as the baseline. Also reported: the store's size, and the
share of it that the kept text (``document_sources``) takes.

    .venv/bin/python scripts/bench_extract_stored.py

Results go to scripts/results/bench_extract_stored.json and .md.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "scripts" / "results"
SHARED = ROOT.parent / "shared"
SOURCES = [ROOT / "corpus" / "seeds", SHARED / "corpus" / "dev", SHARED / "pdf" / "real"]


def _timed(function, items):
    started = time.perf_counter()
    out = [function(item) for item in items]
    return time.perf_counter() - started, out


def main() -> None:
    from rok_compare.extract import extract, extract_document
    from rok_compare.serialize import agreement_to_dict
    from rok_compare.store import Store, ingest
    from rok_compare.store.agreements import document_by_content, load_agreement, stored_source
    from rok_compare.store.extractor_version import code_digest, extractor_version
    from rok_compare.store.scan import scan_paths

    folders = [folder for folder in SOURCES if folder.is_dir()]
    files = scan_paths(folders).files
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "rok.db"
        report = ingest(folders, db, workers=2)
        version = extractor_version()
        with Store.open(db, readonly=True) as store:
            conn = store.conn
            by_path = {Path(path).resolve(): int(i) for i, path in conn.execute("SELECT id, path FROM documents")}
            files = [file for file in files if file.resolve() in by_path]
            ids = [by_path[file.resolve()] for file in files]
            baseline_s, fresh = _timed(lambda f: agreement_to_dict(extract_document(f.resolve())), files)
            stored_s, stored = _timed(lambda i: agreement_to_dict(load_agreement(store, i)), ids)
            stale_s, again = _timed(lambda i: agreement_to_dict(extract(stored_source(store, i))), ids)

            def lookup(file: Path) -> dict:
                digest = hashlib.sha256(file.read_bytes()).hexdigest()
                return agreement_to_dict(load_agreement(store, document_by_content(store, digest, version),
                                                       file.resolve()))

            lookup_s, looked_up = _timed(lookup, files)
            code_digest.cache_clear()  # ingest computed it already: time a cold call
            version_s, _ = _timed(lambda _: extractor_version(), [None])
            text_bytes = conn.execute("SELECT SUM(LENGTH(text_z)) FROM document_sources").fetchone()[0]
            raw_chars = sum(len(stored_source(store, i).text) for i in ids)
        size = db.stat().st_size + sum(p.stat().st_size for p in db.parent.glob("rok.db-*"))
    result = {
        "documents": len(files), "failed_at_ingest": report.failed,
        "formats": sorted({file.suffix for file in files}),
        "baseline_extract_s": round(baseline_s, 3),
        "stored_read_s": round(stored_s, 3),
        "stale_extract_from_text_s": round(stale_s, 3),
        "file_lookup_s": round(lookup_s, 3),
        "extractor_version_first_call_s": round(version_s, 4),
        "speedup_stored_vs_extract": round(baseline_s / stored_s, 1),
        "speedup_lookup_vs_extract": round(baseline_s / lookup_s, 1),
        "ratio_from_text_vs_extract": round(stale_s / baseline_s, 2),
        "same_json_stored": sum(a == b for a, b in zip(fresh, stored, strict=True)),
        "same_json_lookup": sum(a == b for a, b in zip(fresh, looked_up, strict=True)),
        "same_json_from_text": sum(a == b for a, b in zip(fresh, again, strict=True)),
        "store_bytes": size, "kept_text_bytes_compressed": text_bytes, "kept_text_chars": raw_chars,
        "kept_text_share_of_store": round(text_bytes / size, 3),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_extract_stored.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    lines = ["# rok extract: stored documents against extracting the file", "",
             f"{result['documents']} documents ({', '.join(result['formats'])}), one process, same run.", "",
             "| what | seconds | vs extracting the files |", "| --- | --- | --- |",
             f"| extract every file (baseline) | {baseline_s:.2f} | 1 |",
             f"| read every stored extraction | {stored_s:.2f} | {result['speedup_stored_vs_extract']}x faster |",
             f"| hash each file, read its stored extraction | {lookup_s:.2f} | "
             f"{result['speedup_lookup_vs_extract']}x faster |",
             f"| extract again from the stored text | {stale_s:.2f} | "
             f"{result['ratio_from_text_vs_extract']} of the time |",
             "", f"Same JSON as the baseline: stored {result['same_json_stored']}, file lookup "
             f"{result['same_json_lookup']}, from the stored text {result['same_json_from_text']} of {len(files)}.",
             "", f"Working out the extractor version (hashing the extraction's code and models): "
             f"{version_s * 1000:.0f} ms.",
             "", f"Store {size / 1e6:.2f} MB; the kept text ({raw_chars / 1e6:.2f} M characters, zlib) takes "
             f"{text_bytes / 1e6:.2f} MB = {result['kept_text_share_of_store']:.0%} of it."]
    (RESULTS / "bench_extract_stored.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
