"""Build the static report site: ``build_report(db_path, out_dir) -> ReportSummary``.

    >>> from rok_compare.report import build_report
    >>> build_report("rok.db", "site").index
    PosixPath('site/index.html')

The site is plain files that work opened from disk (file://) with nothing loaded from the
network: HTML pages, one stylesheet, and the clause search (a script with the data, loaded with
``<script src>``, and a small script that filters it). A rebuild removes the files that the
earlier build wrote (listed in its manifest, see :mod:`.manifest`) and this one did not, so a
rebuilt site holds no pages of deleted documents; nothing else in the folder is ever deleted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rok_compare.report import analysis, nearest
from rok_compare.report.aligning import AlignStats, align_pairs
from rok_compare.report.data import ReportData, load
from rok_compare.report.manifest import (
    ManifestError,
    Stamp,
    content_digest,
    previous_files,
    previous_stamps,
    remove_stale,
    stamp,
    unchanged,
    write_atomic,
    write_manifest,
)
from rok_compare.report.pages import corpus, documents, entities, overview
from rok_compare.store.alignment_cache import AlignmentCache

STATIC = ("style.css", "search.js", "tables.js", "links.js")


class ReportError(Exception):
    """The report cannot be written (e.g. the output path is a file). ``str()`` is one line."""


@dataclass(frozen=True, slots=True)
class ReportSummary:
    out_dir: Path
    index: Path
    pages: int
    documents: int
    comparisons: int
    seconds: float
    aligned: int = 0
    """Comparisons aligned in this build (the others came from the store's alignment cache)."""
    cached: int = 0
    """Comparisons read from the store's alignment cache."""
    align_cpu_seconds: float = 0.0
    """CPU time spent aligning, in this process and its workers."""
    phases: dict[str, float] = field(default_factory=dict)
    """Wall seconds of each part of the build: reading the store, lineages, similarity, comparisons
    (aligning and their pages), the other pages."""


def build_report(db_path: str | Path | None, out_dir: str | Path, *, force: bool = False,
                 workers: int | None = None) -> ReportSummary:
    """Read the store at ``db_path`` and write the site into ``out_dir`` (created if needed).

    ``workers`` processes align the side-by-side comparisons (default: one per core, at most 4;
    1 aligns in this process). Comparisons aligned before, of unchanged documents by the same
    aligner, are read from the store's alignment cache; new ones are added to it when the store
    can be written.

    A non-empty ``out_dir`` that holds no earlier report is refused unless ``force``; either way
    only files that this or an earlier build wrote are ever replaced or deleted.
    """
    started = time.perf_counter()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out}: exists and is not a directory")
    try:
        previous = previous_files(out, force=force)
    except ManifestError as error:
        raise ReportError(str(error)) from error
    clock = _Clock()
    data = load(db_path)
    clock.lap("read")
    lineages = analysis.lineages(data, db_path)
    clock.lap("lineages")
    writer = _Writer(out)
    stems = analysis.document_stems(data)
    similarity = nearest.document_similarity(data, stems)
    county_pairs = nearest.county_pairs(data, similarity)
    near = nearest.nearest_pairs(data, similarity)
    clock.lap("similarity")
    stats = AlignStats()
    pairs = _write_comparisons(data, writer, analysis.comparison_pairs(
        analysis.lineage_pairs(lineages), near, county_pairs), workers, stats)
    clock.lap("comparisons")
    data.comparisons = {frozenset((p.a, p.b)): p.page for p in pairs}
    by_doc: dict[int, list[analysis.Pair]] = {}
    for pair in pairs:
        if pair.reason != "county":
            by_doc.setdefault(pair.a, []).append(pair)
            by_doc.setdefault(pair.b, []).append(pair)
    for doc in data.documents:
        writer.write(doc.page, documents.document_page(data, doc, by_doc.get(doc.id, [])))
    writer.write("index.html", overview.index_page(data))
    writer.write("documents.html", overview.documents_page(data))
    writer.write("parties.html", overview.parties_page(data))
    writer.write("themes.html", overview.themes_page(data))
    writer.write("similarity.html", corpus.similarity_page(data, analysis.county_similarity(data),
                                                           analysis.county_vocabulary(data, stems), county_pairs))
    writer.write("reuse.html", corpus.reuse_page(data))
    writer.write("timeline.html", corpus.timeline_page(data, lineages))
    writer.write("search.html", corpus.search_page(data))
    writer.write("search-data.js", corpus.search_data(data))
    for party, path in data.party_pages.items():
        writer.write(path, entities.party_page(data, party))
    for county, path in data.county_pages.items():
        writer.write(path, entities.county_page(data, county, [lin for lin in lineages if lin.county == county],
                                                similarity))
    static = resources.files("rok_compare.report").joinpath("static")
    for name in STATIC:
        writer.write(name, static.joinpath(name).read_text(encoding="utf-8"))
    writer.finish(previous)
    clock.lap("pages")
    return ReportSummary(out, out / "index.html", writer.pages, len(data.documents), len(pairs),
                         time.perf_counter() - started, stats.aligned, stats.cached, stats.cpu_seconds, clock.laps)


def _write_comparisons(data: ReportData, writer: _Writer, pairs: list[analysis.Pair],
                       workers: int | None, stats: AlignStats) -> list[analysis.Pair]:
    """Align every pair shown side by side (consecutive versions of each lineage, each document's
    nearest, the closest documents of every two counties), write its page and the index of comparisons."""
    summaries, kept = {}, []
    cache = AlignmentCache.open(data.db_path)
    try:
        for pair, alignment in zip(pairs, align_pairs(data, pairs, workers, cache, stats), strict=True):
            if pair.reason != "revision" and not alignment.pairs:
                continue  # near by vocabulary only, without a single clause in common: nothing to show
            kept.append(pair)
            summaries[pair] = alignment.summary.to_dict()
            writer.write(pair.page, documents.compare_page(data, pair, alignment))
    finally:
        if cache is not None:
            cache.close()
    writer.write("compare.html", corpus.compare_index_page(data, kept, summaries))
    return kept


class _Clock:
    """Wall seconds between laps, by name."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 3)
        self._last = now


class _Writer:
    """Writes UTF-8 files under the output folder and remembers them; a file an earlier build wrote
    with the same content, untouched since, is left as it is."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.written: set[Path] = set()
        self.previous = previous_stamps(out)
        self.stamps: dict[str, Stamp] = {}

    @property
    def pages(self) -> int:
        return sum(1 for p in self.written if p.suffix == ".html")

    def write(self, relative: str, text: str) -> None:
        path = self.out / relative
        data = text.encode("utf-8")
        digest = content_digest(data)
        try:
            if not unchanged(path, self.previous.get(relative), digest):
                write_atomic(path, data)
            self.stamps[relative] = stamp(path, digest)
        except OSError as error:
            raise ReportError(f"{path}: cannot write ({error.strerror or error})") from error
        self.written.add(path)

    def finish(self, previous: set[str]) -> None:
        """Record what was written, then delete what the earlier build wrote and this one did not.

        The manifest first lists both, so a build stopped while deleting still knows every file it owns."""
        written = {path.relative_to(self.out).as_posix() for path in self.written}
        try:
            if previous - written:
                write_manifest(self.out, previous | written, self.stamps)
                remove_stale(self.out, previous, written)
            write_manifest(self.out, written, self.stamps)
        except OSError as error:
            raise ReportError(f"{self.out}: cannot finish the report ({error.strerror or error})") from error
