"""Cross-document pages: similarity heatmap, reuse clusters, revision timeline, search."""

from __future__ import annotations

import json
from collections import defaultdict

from rok_compare.report import charts
from rok_compare.report.analysis import CountySimilarity, Pair
from rok_compare.report.data import AGREEMENT_TYPES, UNKNOWN_COUNTY, ReportData
from rok_compare.report.markup import Markup, el, link, page, section, show_bidi, table
from rok_compare.report.pages.common import TYPE_SHORT, doc_cell, doc_link, short_county

TOP_PAIRS = 15
MEMBERS_SHOWN = 40


def similarity_page(data: ReportData, sim: CountySimilarity, vocabulary: CountySimilarity) -> str:
    n = len(sim.labels)
    pairs = sorted(((float(sim.values[i, j]), sim.labels[i], sim.labels[j]) for i in range(n) for j in range(i + 1, n)),
                   reverse=True)
    top = [p for p in pairs if p[0] > 0][:TOP_PAIRS]
    rows = [[a, b, f"{v:.0%}"] for v, a, b in top]
    body = [
        section("Shared clauses", _heatmap(sim, "County similarity (% of clauses shared)"),
                note="Percent of a county's clauses that reappear, copied or edited, in the other county's documents "
                     "(mean of both directions), from the reuse clusters. Rows show the number of clauses."),
        section("Most similar county pairs", table(["County", "County", "Shared clauses"], rows, numeric=(2,))
                if rows else el("p", "No clause is shared between counties.")),
        section("Shared vocabulary", _heatmap(vocabulary, "County similarity (word cosine, %)"),
                note="Cosine similarity (in percent) of the words the counties use, over all their clauses "
                     "(Swedish stems, place names masked): related wording even where no clause is reused."),
    ]
    return page("Similarity between counties", body, active="similarity.html",
                subtitle="Which counties write the same clauses.")


def _heatmap(sim: CountySimilarity, title: str) -> Markup:
    rows = [f"{short_county(c)} ({n})" for c, n in zip(sim.labels, sim.clauses, strict=True)]
    return charts.heatmap(rows, sim.values.tolist(), title, short=[short_county(c) for c in sim.labels])


def reuse_page(data: ReportData) -> str:
    cards = []
    for cluster in data.clusters:
        docs = sorted({m.document_id for m in cluster.members}, key=lambda k: data.by_id[k].label)
        counties = sorted({data.by_id[k].county_label for k in docs})
        members = [[doc_link(data.by_id[m.document_id]), f"{m.score:.2f}" if m.score is not None else "",
                    el("span", m.text, class_="clause")] for m in cluster.members[:MEMBERS_SHOWN]]
        more = len(cluster.members) - MEMBERS_SHOWN
        variants = [el("li", el("span", v.text, class_="clause"), el("span", f" in {v.n_documents} document(s)",
                                                                    class_="muted")) for v in cluster.variants]
        cards.append(el(
            "article",
            el("div", el("span", f"#{cluster.id}", class_="muted"),
               el("span", f"{cluster.n_documents} documents · {len(counties)} counties · {cluster.n_members} clauses"
                          f" · {len(cluster.variants) or 1} wording(s)", class_="small"), class_="cluster-head"),
            el("blockquote", cluster.text),
            el("p", [el("span", short_county(c), class_="pill") for c in counties], class_="pills"),
            el("details", el("summary", "Wordings and documents"),
               el("ol", variants, class_="variants") if len(variants) > 1 else None,
               table(["Document", "Similarity", "Clause"], members, class_="data compact"),
               el("p", f"… and {more} more", class_="muted") if more > 0 else None),
            class_="cluster", id=f"cluster-{cluster.id}"))
    note = ("Clauses that recur, copied or edited, in several documents. The quoted wording is the most typical "
            "one; open a cluster for its other wordings and who uses it. Sorted by number of documents.")
    body = section(f"{len(data.clusters)} reuse clusters", cards or el("p", "No reuse clusters in the store."),
                   note=note)
    return page("Reused wording", body, active="reuse.html", subtitle="Template clauses and who shares them.")


def timeline_page(data: ReportData, revisions: list[Pair]) -> str:
    by_county = defaultdict(list)
    for doc in data.documents:
        if doc.period_start is not None and doc.county_label != UNKNOWN_COUNTY:
            by_county[doc.county_label].append(doc)
    counties = [c for c in data.counties if len({d.period_start for d in by_county.get(c, [])}) > 1]
    types = list(TYPE_SHORT)
    lanes = [(short_county(c), [(d.period_start, d.period_end or d.period_start, f"{d.type_label} {d.period}", d.page,
                                 types.index(d.doc_type) if d.doc_type in types else len(types))
                                for d in sorted(by_county[c], key=lambda d: (d.period_start, d.id))])
             for c in counties]
    revision_of = defaultdict(list)
    for pair in revisions:
        revision_of[data.by_id[pair.b].county_label].append(pair)
    blocks = []
    for county in counties:
        docs = sorted(by_county[county], key=lambda d: (d.period_start, d.id))
        items = [el("li", el("span", d.period, class_="year"), " ", doc_link(d, text=d.title or d.name), " ",
                     el("span", d.type_label, class_="muted")) for d in docs]
        diffs = [el("li", link(p.page, f"What changed: {data.by_id[p.a].period} → {data.by_id[p.b].period}"))
                 for p in revision_of.get(county, [])]
        blocks.append(el("div", el("h3", county), el("ul", items, class_="years"),
                         el("ul", diffs, class_="diffs") if diffs else None, class_="county-block"))
    undated = sum(1 for d in data.documents if d.period_start is None and d.doc_type in AGREEMENT_TYPES)
    note = "Each bar is a document over its period of validity (one year when it states only one)."
    if undated:
        note += f" {undated} agreement(s), plan(s) or strategies state no period and are not shown."
    if not counties:
        body: object = section("Documents over the years", el("p", "No county has documents from more than one year."),
                               note=note)
    else:
        body = [section("Documents over the years", charts.timeline(lanes, "Documents per county over time"),
                        charts.legend([t.replace("_", " ") for t in types]), note=note),
                section("Revisions", el("div", blocks, class_="county-grid"),
                        note="Agreements, plans and strategies of one county compared with the previous one.")]
    return page("Revision timeline", body, active="timeline.html",
                subtitle="Counties with documents from several years.")


def compare_index_page(data: ReportData, pairs: list[Pair], summaries: dict[Pair, dict[str, int]]) -> str:
    def rows(reason: str) -> list[list[object]]:
        out = []
        for p in pairs:
            if p.reason != reason:
                continue
            s = summaries[p]
            out.append([doc_cell(data.by_id[p.a]), doc_cell(data.by_id[p.b]),
                        link(p.page, "side by side", class_="nowrap"),
                        s["identical"], s["edited"], s["related"], s["only_a"], s["only_b"]])
        return out

    headers = ["A", "B", "", "Identical", "Edited", "Related", "Only A", "Only B"]
    revision_rows, similar_rows = rows("revision"), rows("similar")
    body = [
        section("Revisions", table(headers, revision_rows, numeric=(3, 4, 5, 6, 7)) if revision_rows
                else el("p", "No county has two dated agreements, plans or strategies."),
                note="Consecutive dated agreements, plans and strategies of one county."),
        section("Most similar documents", table(headers, similar_rows, numeric=(3, 4, 5, 6, 7)) if similar_rows
                else el("p", "No pairs of similar documents."),
                note="Each document next to the one most like it (shared clauses first, then shared vocabulary)."),
    ]
    return page("Comparisons", body, active="compare.html",
                subtitle="Clause by clause, with word-level differences highlighted.")


def search_page(data: ReportData) -> str:
    def select(name: str, label: str) -> Markup:
        return el("label", label, el("select", el("option", "all", value=""), id=f"f-{name}", name=name))

    form = el("form", el("input", type="search", id="q", placeholder="Search clauses, e.g. hälsoundersökning",
                         autocomplete="off", aria_label="Search text"),
              select("county", "County"), select("kind", "Kind"), select("theme", "Theme"),
              class_="search-form", id="search-form")
    body = [form, el("p", "Loading…", id="count", class_="muted", aria_live="polite"),
            el("ol", id="results", class_="results"),
            el("noscript", "The search needs JavaScript; every clause is also on its document's page.")]
    return page("Search clauses", body, active="search.html", scripts=["search-data.js", "search.js"],
                subtitle="Type to filter every clause of the corpus; all words must occur.")


def search_data(data: ReportData) -> str:
    """The clauses as a script that sets ``window.ROK_SEARCH`` (a <script src> works from file://).

    ``<``, ``>`` and ``&`` are written as JSON escapes, so the file holds no markup at all; the page
    inserts every string with textContent. Bidi controls become their visible "[U+202E]" labels.
    """
    docs = {str(d.id): {"label": d.label, "county": d.county_label, "title": d.title or d.name, "page": d.page}
            for d in data.documents}
    clauses = [[c.document_id, c.kind, c.themes, c.text, c.page, c.cluster_id]
               for d in data.documents for c in d.clauses]
    payload = show_bidi(json.dumps({"documents": docs, "clauses": clauses}, ensure_ascii=False, separators=(",", ":")))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        payload = payload.replace(raw, escaped)
    return f"window.ROK_SEARCH = {payload};\n"
