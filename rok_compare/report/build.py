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
from rok_compare.report.aligning import AlignStats, compare_pairs
from rok_compare.report.data import load
from rok_compare.report.manifest import ManifestError, previous_files
from rok_compare.report.pool import default_workers, in_background
from rok_compare.report.rendering import SiteInputs, comparisons_by_document, write_pages
from rok_compare.report.writer import PageWriter, ReportError

__all__ = ["ReportError", "ReportSummary", "build_report"]

STATIC = ("style.css", "search.js", "tables.js", "links.js")


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
    phases_cpu: dict[str, float] = field(default_factory=dict)
    """CPU seconds of each part, in this process (the workers' are not counted)."""


def build_report(db_path: str | Path | None, out_dir: str | Path, *, force: bool = False,
                 workers: int | None = None, write_cache: bool = True) -> ReportSummary:
    """Read the store at ``db_path`` and write the site into ``out_dir`` (created if needed).

    ``workers`` processes align the side-by-side comparisons and render the pages (default: one
    per core, at most 4; 1 does everything in this process). Comparisons aligned before, of
    unchanged documents by the same aligner, are read from the store's alignment cache; new ones
    are added to it when the store can be written and ``write_cache`` (``rok serve`` passes False:
    it never writes the store).

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
    workers = default_workers() if workers is None else max(1, workers)
    clock = _Clock()
    stored_lineages = in_background(analysis.stored_lineages, db_path, workers=workers)  # while this reads
    data = load(db_path)
    clock.lap("read")
    writer = PageWriter(out)
    stems = analysis.document_stems(data)
    similarity = nearest.document_similarity(data, stems)
    shared = similarity.shared_pairs()  # documents × documents, sparse: made once for both, then let go
    county_pairs = nearest.county_pairs(data, similarity, shared)
    near = nearest.nearest_pairs(data, similarity, shared)
    del shared
    clock.lap("similarity")
    lineages = analysis.shown_lineages(data, stored_lineages())
    clock.lap("lineages")
    stats = AlignStats()
    pairs, summaries = compare_pairs(data, analysis.comparison_pairs(analysis.lineage_pairs(lineages), near,
                                                                     county_pairs), writer, workers, stats,
                                     write_cache=write_cache)
    from rok_compare.report.pages import corpus

    writer.write("compare.html", corpus.compare_index_page(data, pairs, summaries))
    clock.lap("comparisons")
    data.comparisons = {frozenset((p.a, p.b)): p.page for p in pairs}
    write_pages(data, SiteInputs(lineages, similarity, county_pairs, stems, comparisons_by_document(pairs)),
                writer, workers)
    static = resources.files("rok_compare.report").joinpath("static")
    for name in STATIC:
        writer.write(name, static.joinpath(name).read_text(encoding="utf-8"))
    writer.finish(previous)
    clock.lap("pages")
    return ReportSummary(out, out / "index.html", writer.pages, len(data.documents), len(pairs),
                         time.perf_counter() - started, stats.aligned, stats.cached, stats.cpu_seconds, clock.laps,
                         clock.cpu)


class _Clock:
    """Wall and CPU seconds (this process) between laps, by name."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._last = time.perf_counter()
        self._last_cpu = time.process_time()

    def lap(self, name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.laps[name] = round(now - self._last, 3)
        self.cpu[name] = round(cpu - self._last_cpu, 3)
        self._last, self._last_cpu = now, cpu
