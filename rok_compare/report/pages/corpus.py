"""Cross-document pages: similarity heatmap, reuse clusters, revision timeline, search."""

from __future__ import annotations

import json
from collections import defaultdict

from rok_compare.report import charts
from rok_compare.report.analysis import CountySimilarity, Lineage, Pair, lineage_county
from rok_compare.report.data import AGREEMENT_TYPES, UNKNOWN_COUNTY, ReportData
from rok_compare.report.markup import Cell, Column, Markup, el, link, page, section, show_bidi, table
from rok_compare.report.pages.common import (
    TYPE_SHORT,
    compare_link,
    county_link,
    doc_cell,
    short_county,
)
from rok_compare.report.pages.lineage import lineage_section

TOP_PAIRS = 15
MEMBERS_SHOWN = 40


def similarity_page(data: ReportData, sim: CountySimilarity, vocabulary: CountySimilarity,
                    closest: dict[frozenset[str], Pair]) -> str:
    n = len(sim.labels)
    pairs = sorted(((float(sim.values[i, j]), sim.labels[i], sim.labels[j]) for i in range(n) for j in range(i + 1, n)),
                   reverse=True)
    top = [p for p in pairs if p[0] > 0][:TOP_PAIRS]
    rows = []
    for v, a, b in top:
        pair = closest.get(frozenset((a, b)))
        rows.append([Cell(county_link(data, a), csv=a), Cell(county_link(data, b), csv=b),
                     Cell(f"{v:.0%}", sort=v), _pair_cell(data, pair, a) if pair else ""])
    body = [
        section("Shared clauses", _heatmap(data, sim, "County similarity (% of clauses shared)", closest),
                note="Percent of a county's clauses that reappear, copied or edited, in the other county's documents "
                     "(mean of both directions), from the reuse clusters. Rows show the number of clauses. A cell "
                     "opens the two counties' most similar documents side by side, a name the county's page."),
        section("Most similar county pairs", table([Column("County"), Column("County"),
                                                    Column("Shared clauses", "number"), Column("Closest documents")],
                                                   rows, name="county-pairs")
                if rows else el("p", "No clause is shared between counties.")),
        section("Shared vocabulary", _heatmap(data, vocabulary, "County similarity (word cosine, %)", closest),
                note="Cosine similarity (in percent) of the words the counties use, over all their clauses "
                     "(Swedish stems, place names masked): related wording even where no clause is reused."),
    ]
    return page("Similarity between counties", body, active="similarity.html",
                subtitle="Which counties write the same clauses.")


def _pair_cell(data: ReportData, pair: Pair, first_county: str) -> Cell:
    """Two documents as one link to their comparison, labelled as documents are everywhere: short
    titles on the link, county, period and type of each below (two versions often share a title);
    the document of the row's first county first."""
    a, b = data.by_id[pair.a], data.by_id[pair.b]
    if a.county_label != first_county and b.county_label == first_county:
        a, b = b, a
    return Cell(el("span", compare_link(data, a.id, b.id, f"{a.short_title} ~ {b.short_title}"),
                   el("span", f"{a.place} ~ {b.place}", class_="sub"), class_="doc-cell"),
                csv=f"{a.label} ~ {b.label}")


def _heatmap(data: ReportData, sim: CountySimilarity, title: str, closest: dict[frozenset[str], Pair]) -> Markup:
    rows = [f"{short_county(c)} ({n})" for c, n in zip(sim.labels, sim.clauses, strict=True)]
    links = [[_cell_link(data, closest.get(frozenset((a, b)))) if sim.values[i][j] > 0 else None
              for j, b in enumerate(sim.labels)] for i, a in enumerate(sim.labels)]
    return charts.heatmap(rows, sim.values.tolist(), title, short=[short_county(c) for c in sim.labels], links=links,
                          row_links=[data.county_pages[c] for c in sim.labels])


def _cell_link(data: ReportData, pair: Pair | None) -> dict[str, object] | None:
    """What a county × county cell links to: its closest documents' comparison (see ``links.js``)."""
    if pair is None:
        return None
    page = data.comparisons.get(frozenset((pair.a, pair.b)))
    return {"href": page, "data_compare": f"{pair.a},{pair.b}", "class_": None if page else "no-compare",
            "title": f"closest documents: {data.by_id[pair.a].label} ~ {data.by_id[pair.b].label}"}


def reuse_page(data: ReportData) -> str:
    cards, overview = [], []
    for cluster in data.clusters:
        docs = sorted({m.document_id for m in cluster.members}, key=lambda k: data.by_id[k].label)
        counties = sorted({data.by_id[k].county_label for k in docs})
        members = [[doc_cell(data.by_id[m.document_id]),
                    Cell(data.by_id[m.document_id].county_label, values=(data.by_id[m.document_id].county_label,)),
                    Cell(f"{m.score:.2f}" if m.score is not None else "", sort=m.score),
                    el("span", m.text, class_="clause"),
                    link(f"{data.by_id[m.document_id].page}#clause-{m.clause_id}", "clause",
                         title="this clause in its document")] for m in cluster.members[:MEMBERS_SHOWN]]
        more = len(cluster.members) - MEMBERS_SHOWN
        variants = [el("li", el("span", v.text, class_="clause"), el("span", f" in {v.n_documents} document(s)",
                                                                    class_="muted")) for v in cluster.variants]
        cards.append(el(
            "article",
            el("div", el("span", f"#{cluster.id}", class_="muted"),
               el("span", f"{cluster.n_documents} documents · {len(counties)} counties · {cluster.n_members} clauses"
                          f" · {len(cluster.variants) or 1} wording(s)", class_="small"), class_="cluster-head"),
            el("blockquote", cluster.text),
            el("p", [county_link(data, c, text=short_county(c), class_="pill") for c in counties], class_="pills"),
            el("details", el("summary", "Wordings and documents"),
               el("ol", variants, class_="variants") if len(variants) > 1 else None,
               table([Column("Document"), Column("County", filter=True, key="county"), Column("Similarity", "number"),
                      Column("Clause"), Column("")], members, class_="data compact", name=f"cluster-{cluster.id}"),
               el("p", f"… and {more} more", class_="muted") if more > 0 else None),
            class_="cluster", id=f"cluster-{cluster.id}"))
        overview.append([Cell(link(f"#cluster-{cluster.id}", f"#{cluster.id}"), sort=cluster.id),
                         cluster.n_documents, len(counties), cluster.n_members, len(cluster.variants) or 1,
                         Cell(", ".join(short_county(c) for c in counties), values=tuple(counties)),
                         el("span", cluster.text, class_="clause")])
    note = ("Clauses that recur, copied or edited, in several documents. The quoted wording is the most typical "
            "one; open a cluster for its other wordings and who uses it. Sorted by number of documents.")
    body = [section(f"{len(data.clusters)} reuse clusters", table(
                [Column("Cluster", "number"), Column("Documents", "number"), Column("Counties", "number"),
                 Column("Clauses", "number"), Column("Wordings", "number"),
                 Column("In counties", filter=True, key="county"), Column("Typical wording")],
                overview, class_="data compact", name="reuse-clusters") if overview else None,
                note="A cluster number opens its wordings and the documents that use it."),
            section("Clusters", cards or el("p", "No reuse clusters in the store."), note=note)]
    return page("Reused wording", body, active="reuse.html", subtitle="Template clauses and who shares them.")


def timeline_page(data: ReportData, lineages: list[Lineage]) -> str:
    by_county = defaultdict(list)
    for doc in data.documents:
        if doc.period_start is not None and doc.county_label != UNKNOWN_COUNTY:
            by_county[doc.county_label].append(doc)
    dated = [c for c in data.counties if len({d.period_start for d in by_county.get(c, [])}) > 1]
    types = list(TYPE_SHORT)
    lanes = [(short_county(c), [(d.period_start, d.period_end or d.period_start, f"{d.type_label} {d.period}", d.page,
                                 types.index(d.doc_type) if d.doc_type in types else len(types))
                                for d in sorted(by_county[c], key=lambda d: (d.period_start, d.id))])
             for c in dated]
    lineages_of: dict[str, list[Lineage]] = defaultdict(list)
    for lineage in lineages:
        lineages_of[lineage_county(data, lineage)].append(lineage)
    blocks = [el("div", el("h3", county_link(data, county)), lineage_section(data, lineages_of[county]),
                 class_="county-block") for county in data.counties if lineages_of.get(county)]
    undated = sum(1 for d in data.documents if d.period_start is None and d.doc_type in AGREEMENT_TYPES)
    note = "Each bar is a document over its period of validity (one year when it states only one)."
    if undated:
        note += f" {undated} agreement(s), plan(s) or strategies state no period and are not shown."
    body = [section("Versions of the same agreement",
                    el("div", blocks, class_="county-grid") if blocks
                    else el("p", "No two documents are versions of one agreement."),
                    note="Each lineage links the versions of one agreement by what they share (title, parties, "
                         "clauses), oldest first; \"What changed\" opens the revision diff of two consecutive "
                         "versions."),
            section("Documents over the years", charts.timeline(lanes, "Documents per county over time"),
                    charts.legend([t.replace("_", " ") for t in types]), note=note) if dated
            else section("Documents over the years", el("p", "No county has documents from more than one year."))]
    return page("Revision timeline", body, active="timeline.html",
                subtitle="Versions of each agreement, county by county.")


def compare_index_page(data: ReportData, pairs: list[Pair], summaries: dict[Pair, dict[str, int]]) -> str:
    def rows(reason: str) -> list[list[object]]:
        out = []
        for p in pairs:
            if p.reason != reason:
                continue
            s = summaries[p]
            out.append([doc_cell(data.by_id[p.a]), doc_cell(data.by_id[p.b]),
                        Cell(link(p.page, "side by side", class_="nowrap"), csv=p.page),
                        s["identical"], s["edited"], s["related"], s["only_a"], s["only_b"]])
        return out

    headers = [Column("A"), Column("B"), Column(""), *[Column(h, "number") for h in
                                                       ("Identical", "Edited", "Related", "Only A", "Only B")]]
    sections = (("revision", "Revisions", "Consecutive versions of one agreement (see the timeline's lineages).",
                 "No two documents are versions of one agreement."),
                ("similar", "Most similar documents",
                 "Each document next to the one most like it (shared clauses first, then shared vocabulary).",
                 "No pairs of similar documents."),
                ("county", "Closest documents of two counties",
                 "For every two counties, their two most similar documents: what a similarity heatmap cell opens.",
                 "No two counties share wording."))
    body = [_pick_two(data, pairs)]
    for reason, title, note, empty in sections:
        found = rows(reason)
        body.append(section(f"{title} ({len(found)})", table(headers, found, name=f"comparisons-{reason}")
                            if found else el("p", empty), note=note))
    return page("Comparisons", body, active="compare.html",
                subtitle="Clause by clause, with word-level differences highlighted. With rok serve, any two "
                         "documents can be compared.")


def _pick_two(data: ReportData, pairs: list[Pair]) -> Markup:
    """A form to compare any two documents: ``/compare?a=&b=`` when served (``rok serve``); opened
    as files, ``links.js`` opens the precomputed page of the two when the report has one."""
    def choose(name: str, caption: str, selected: int | None) -> Markup:
        return el("label", caption, el("select", [el("option", d.label, value=d.id, selected=d.id == selected)
                                                  for d in data.documents], name=name))

    first = pairs[0] if pairs else None
    return section("Compare any two documents", el(
        "form", choose("a", "A", first.a if first else None), choose("b", "B", first.b if first else None),
        el("button", "Side by side", type="submit"), el("span", class_="pick-note muted", aria_live="polite"),
        method="get", action="/compare", class_="pick-two", id="pick-two",
        data_precomputed=" ".join(f"{p.a}-{p.b}" for p in pairs)),
        note="With rok serve, any two documents are aligned on request; opened as files, the report holds the "
             "comparisons listed below.")


def search_page(data: ReportData) -> str:
    def select(name: str, label: str) -> Markup:
        return el("label", label, el("select", el("option", "all", value=""), id=f"f-{name}", name=name))

    form = el("form", el("input", type="search", id="q", placeholder="Search clauses, e.g. hälsoundersökning",
                         autocomplete="off", aria_label="Search text"),
              select("county", "County"), select("kind", "Kind"), select("theme", "Theme"),
              class_="search-form", id="search-form")
    mode = el("p", "Opened as files, this page matches the words as typed (every word must occur). ",
              el("code", "rok serve"), " serves this report with the full Swedish-aware search of ",
              el("code", "rok search"),
              ": word forms (bostad finds bostäder), compound parts (bostadsförsörjning), \"exact phrases\" "
              "and prefix* queries.", id="search-mode", class_="search-mode")
    body = [form, mode, el("p", "Loading…", id="count", class_="muted", aria_live="polite"),
            el("ol", id="results", class_="results"),
            el("noscript", "The search needs JavaScript; every clause is also on its document's page.")]
    return page("Search clauses", body, active="search.html", scripts=["search-data.js", "search.js"],
                subtitle="Find clauses in every document of the corpus, with their county, year and type.")


def search_data(data: ReportData) -> str:
    """The clauses as a script that sets ``window.ROK_SEARCH`` (a <script src> works from file://).

    ``<``, ``>`` and ``&`` are written as JSON escapes, so the file holds no markup at all; the page
    inserts every string with textContent. Bidi controls become their visible "[U+202E]" labels.
    """
    docs = {str(d.id): {"label": d.label, "county": d.county_label, "title": d.title or d.name, "page": d.page}
            for d in data.documents}
    clauses = [[c.document_id, c.kind, c.themes, c.text, c.page, c.cluster_id, c.id]
               for d in data.documents for c in d.clauses]
    payload = show_bidi(json.dumps({"documents": docs, "clauses": clauses}, ensure_ascii=False, separators=(",", ":")))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        payload = payload.replace(raw, escaped)
    return f"window.ROK_SEARCH = {payload};\n"
