"""Render and write every page but the comparisons, in worker processes (:mod:`.pool`).

The corpus-wide pages (overview, reuse, search data, ...) are one task each, started first as
they are the longest; then a task per county, and the party and document pages a few at a time.
A task hands back the stamps of the files it wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rok_compare.align.lineage import Lineage
from rok_compare.report import analysis, pool
from rok_compare.report.analysis import Pair
from rok_compare.report.data import ReportData
from rok_compare.report.nearest import DocumentSimilarity
from rok_compare.report.writer import PageWriter, Written

PARTIES_PER_TASK = 16
DOCUMENTS_PER_TASK = 32
CORPUS_PAGES = ("reuse.html", "search-data.js", "documents.html", "similarity.html", "timeline.html",
                "parties.html", "index.html", "themes.html", "search.html")
"""The corpus-wide files, roughly longest first."""


@dataclass(slots=True)
class SiteInputs:
    """What the pages show besides the store's data."""

    lineages: list[Lineage]
    similarity: DocumentSimilarity
    county_pairs: dict[frozenset[str], Pair]
    stems: list[str]
    """Each document's clauses' stems (for the county vocabulary)."""
    by_doc: dict[int, list[Pair]]
    """The comparisons (not county ones) each document links to."""


Task = tuple[str, tuple[str | int, ...]]


def write_pages(data: ReportData, inputs: SiteInputs, writer: PageWriter, workers: int) -> None:
    """Write every page but the comparisons (which need ``data.comparisons`` set)."""
    tasks: list[Task] = [("corpus", (name,)) for name in CORPUS_PAGES]
    tasks += [("county", (county,)) for county in data.county_pages]
    parties = list(data.party_pages)
    tasks += [("party", tuple(parties[k:k + PARTIES_PER_TASK])) for k in range(0, len(parties), PARTIES_PER_TASK)]
    ids = [d.id for d in data.documents]
    tasks += [("doc", tuple(ids[k:k + DOCUMENTS_PER_TASK])) for k in range(0, len(ids), DOCUMENTS_PER_TASK)]
    pool.SHARED.update(data=data, inputs=inputs, writer=writer)
    try:
        for _, written in pool.run(_render, tasks, workers if len(tasks) > 1 else 1):
            writer.record(written)
    finally:
        pool.SHARED.clear()


def _render(task: Task) -> list[Written]:
    """Write the pages of one task (runs in a worker)."""
    from rok_compare.report.pages import documents, entities

    data: ReportData = pool.SHARED["data"]
    inputs: SiteInputs = pool.SHARED["inputs"]
    writer: PageWriter = pool.SHARED["writer"]
    kind, names = task
    if kind == "corpus":
        path = str(names[0])
        return [(path, writer.write(path, _corpus_page(data, inputs, path)))]
    if kind == "county":
        county = str(names[0])
        lineages = [lin for lin in inputs.lineages if lin.county == county]
        path = data.county_pages[county]
        return [(path, writer.write(path, entities.county_page(data, county, lineages, inputs.similarity)))]
    if kind == "party":
        return [(data.party_pages[str(p)], writer.write(data.party_pages[str(p)], entities.party_page(data, str(p))))
                for p in names]
    docs = [data.by_id[int(i)] for i in names]
    return [(d.page, writer.write(d.page, documents.document_page(data, d, inputs.by_doc.get(d.id, []))))
            for d in docs]


def _corpus_page(data: ReportData, inputs: SiteInputs, path: str) -> str:
    from rok_compare.report.pages import corpus, overview

    if path == "index.html":
        return overview.index_page(data)
    if path == "documents.html":
        return overview.documents_page(data)
    if path == "parties.html":
        return overview.parties_page(data)
    if path == "themes.html":
        return overview.themes_page(data)
    if path == "similarity.html":
        return corpus.similarity_page(data, analysis.county_similarity(data),
                                      analysis.county_vocabulary(data, inputs.stems), inputs.county_pairs)
    if path == "reuse.html":
        return corpus.reuse_page(data)
    if path == "timeline.html":
        return corpus.timeline_page(data, inputs.lineages)
    if path == "search.html":
        return corpus.search_page(data)
    if path == "search-data.js":
        return corpus.search_data(data)
    raise ValueError(f"{path}: not a corpus page")


def comparisons_by_document(pairs: Sequence[Pair]) -> dict[int, list[Pair]]:
    """The comparisons each document's page links to (county pairs are reached from the heatmap)."""
    by_doc: dict[int, list[Pair]] = {}
    for pair in pairs:
        if pair.reason != "county":
            by_doc.setdefault(pair.a, []).append(pair)
            by_doc.setdefault(pair.b, []).append(pair)
    return by_doc
