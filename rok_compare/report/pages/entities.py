"""A page per party (its documents, commitments by strength, counties) and per county (its
lineages, documents, document × document similarity, parties, themes): where the corpus-wide
tables and heatmaps drill down to."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from rok_compare.extract.strength import strength_level, strength_rules
from rok_compare.report import charts
from rok_compare.report.analysis import Lineage
from rok_compare.report.data import DocumentInfo, ReportData
from rok_compare.report.markup import Cell, Column, Markup, badge, el, link, page, section, stat_cards, table
from rok_compare.report.nearest import DocumentSimilarity
from rok_compare.report.pages.common import (
    compare_link,
    county_link,
    doc_cell,
    doc_link,
    heat_table,
    page_ref,
    party_link,
    strength_badge,
    themes_text,
    type_badge,
)
from rok_compare.report.pages.lineage import lineage_section

ROOT = "../"
JOINTLY = "all parties jointly"
HEAD = 26
"""Characters of a short title kept in a rotated column header (the whole label is its tooltip)."""
MATRIX_DOCUMENTS = 40
"""Documents in a county's document × document table: a county with more shows its newest."""


def strengths() -> list[str]:
    """The strength labels, most binding first."""
    seen: dict[str, int] = {}
    for rule in strength_rules():
        seen.setdefault(rule.label, rule.level)
    return sorted(seen, key=lambda label: -seen[label])


def strength_cell(strength: str) -> Cell:
    return Cell(strength_badge(strength), sort=strength_level(strength), csv=strength)


def year_cell(doc: DocumentInfo) -> Cell:
    return Cell(doc.period or "undated", sort=doc.period_start if doc.period_start is not None else "")


def document_columns() -> list[Column]:
    return [Column("Document"), Column("County", filter=True, key="county"), Column("Year", "year"),
            Column("Type", filter=True, key="type")]


def document_cells(data: ReportData, doc: DocumentInfo) -> list[object]:
    return [doc_cell(doc, ROOT, place=False), Cell(county_link(data, doc.county_label, ROOT), csv=doc.county_label),
            year_cell(doc), Cell(type_badge(doc.doc_type), csv=doc.type_label)]


def party_page(data: ReportData, party: str) -> str:
    docs = [d for d in data.documents if any(p.canonical == party for p in d.parties)]
    kinds = Counter(p.kind for d in docs for p in d.parties if p.canonical == party)
    kind = kinds.most_common(1)[0][0].replace("_", " ") if kinds else "party"
    def binding_first(found: list) -> list:
        return sorted(found, key=lambda dc: -strength_level(dc[1].strength))

    own = binding_first([(d, c) for d in data.documents for c in d.commitments if c.party == party])
    joint = binding_first([(d, c) for d in docs for c in d.commitments if c.party == "*"])
    counties = Counter(d.county_label for d in docs)
    order = strengths()
    by_strength = Counter(c.strength for _, c in own)
    doc_rows = [[*document_cells(data, d), ", ".join(sorted({p.name for p in d.parties if p.canonical == party})),
                 sum(1 for c in d.commitments if c.party == party)] for d in docs]
    commitment_rows = [[strength_cell(c.strength), Cell("own" if c.party == party else "jointly"),
                        el("span", c.text, class_="clause"), doc_cell(d, ROOT),
                        Cell(county_link(data, d.county_label, ROOT), csv=d.county_label), year_cell(d),
                        page_ref(c.page)] for d, c in [*own, *joint]]
    county_rows = [[Cell(county_link(data, c, ROOT), csv=c), n,
                    sum(1 for d, _ in own if d.county_label == c)] for c, n in counties.most_common()]
    chart = charts.stacked_bars([s for s in order if by_strength[s]], ["commitments"],
                                [[by_strength[s]] for s in order if by_strength[s]],
                                f"Commitments of {party} by strength", label_width=120) if own else None
    body = [
        stat_cards([("documents", len(docs)), ("counties", len(counties)), ("own commitments", len(own)),
                    ("joint commitments", len(joint))]),
        section("Commitments by strength", chart,
                table([Column("Strength", "rank", filter=True, key="strength"),
                       Column("As", filter=True, key="as"), Column("Commitment"), Column("Document"),
                       Column("County", filter=True, key="county"), Column("Year", "year"), Column("Page")],
                      commitment_rows, name=f"commitments-{_stem(data, party)}")
                if commitment_rows else el("p", "No commitments name this party."),
                note="Own: commitments the party makes; jointly: commitments of all parties of a document it "
                     "signs. Strength, most binding first: " + " > ".join(order) + "."),
        section(f"Documents ({len(docs)})",
                table([*document_columns(), Column("Named in the text as"), Column("Commitments", "number")],
                      doc_rows, name=f"documents-{_stem(data, party)}") if doc_rows
                else el("p", "The party signs no document; it is named in commitments only.")),
        section(f"Counties ({len(counties)})",
                table([Column("County"), Column("Documents", "number"), Column("Own commitments", "number")],
                      county_rows, name=f"counties-{_stem(data, party)}") if county_rows else None),
    ]
    return page(party, body, root=ROOT, active="parties.html", subtitle=el(
        "span", badge(kind, "kind"), f" · signs {len(docs)} document(s) in {len(counties)} county(ies)"))


def _stem(data: ReportData, party: str) -> str:
    return data.party_pages[party].rsplit("/", 1)[-1].removesuffix(".html")


def county_page(data: ReportData, county: str, lineages: Sequence[Lineage], similarity: DocumentSimilarity) -> str:
    docs = [d for d in data.documents if d.county_label == county]
    clauses = [c for d in docs for c in d.clauses]
    parties: dict[str, set[int]] = defaultdict(set)
    kinds: dict[str, str] = {}
    for d in docs:
        for p in d.parties:
            parties[p.canonical].add(d.id)
            kinds.setdefault(p.canonical, p.kind)
    commitments = Counter(c.party for d in docs for c in d.commitments)
    themes = Counter(t for c in clauses for t in c.themes)
    doc_rows = []
    for d in docs:
        names = sorted({p.canonical for p in d.parties})
        doc_rows.append([*document_cells(data, d), len(d.clauses), len(d.commitments),
                         Cell(", ".join(names), values=tuple(names))])
    party_rows = [[party_link(data, p, ROOT), Cell(badge(kinds[p].replace("_", " "), "kind"), csv=kinds[p]),
                   len(ids), commitments.get(p, 0)]
                  for p, ids in sorted(parties.items(), key=lambda x: (-len(x[1]), x[0]))]
    theme_rows = [[link(f"{ROOT}search.html#theme={t}&county={county}", t.replace("_", " ")), n,
                   Cell(f"{n / len(clauses):.0%}", sort=n / len(clauses))] for t, n in themes.most_common()]
    code = next((d.county_code for d in docs if d.county_code), None)
    body = [
        stat_cards([("documents", len(docs)), ("clauses", len(clauses)),
                    ("commitments", sum(len(d.commitments) for d in docs)), ("parties", len(parties)),
                    ("lineages", len(lineages))]),
        section("Versions of the same agreement", lineage_section(data, lineages, ROOT) if lineages
                else el("p", "No two documents of this county are versions of one agreement."),
                note="Documents linked by what they share (title, parties, clauses), oldest first; "
                     "each step opens what changed."),
        section(f"Documents ({len(docs)})", table(
            [*document_columns(), Column("Clauses", "number"), Column("Commitments", "number"),
             Column("Parties", filter=True, key="party")], doc_rows, name=f"documents-{_county_stem(data, county)}")),
        section("Document × document", _document_matrix(data, _newest(docs), similarity),
                note="Word cosine (in percent) of two documents; a cell opens the two side by side "
                     "(when the report has that comparison, or always with rok serve)."
                     + (f" The {MATRIX_DOCUMENTS} newest of the county's {len(docs)} documents; "
                        "rok similarity --by document gives all." if len(docs) > MATRIX_DOCUMENTS else ""))
        if len(docs) > 1 else None,
        section(f"Parties ({len(parties)})", table(
            [Column("Party"), Column("Kind", filter=True, key="kind"), Column("Documents", "number"),
             Column("Commitments", "number")], party_rows, name=f"parties-{_county_stem(data, county)}")
            if party_rows else el("p", "No parties found.")),
        section("Themes", table([Column("Theme"), Column("Clauses", "number"), Column("Share", "number")], theme_rows,
                                name=f"themes-{_county_stem(data, county)}") if theme_rows
                else el("p", "No clause has a theme."), note="A theme opens its clauses in this county in the search."),
    ]
    return page(county, body, root=ROOT, active="documents.html",
                subtitle=f"County code {code} · {len(docs)} document(s)" if code else f"{len(docs)} document(s)")


def _county_stem(data: ReportData, county: str) -> str:
    return "county-" + data.county_pages[county].rsplit("/", 1)[-1].removesuffix(".html")


def _newest(docs: list[DocumentInfo]) -> list[DocumentInfo]:
    """The :data:`MATRIX_DOCUMENTS` documents with the latest periods (undated ones count as oldest), in
    the order given."""
    if len(docs) <= MATRIX_DOCUMENTS:
        return docs
    by_date = sorted(docs, key=lambda d: (d.period_start is not None, d.period_start or 0, d.id))
    chosen = {d.id for d in by_date[-MATRIX_DOCUMENTS:]}
    return [d for d in docs if d.id in chosen]


def _document_matrix(data: ReportData, docs: list[DocumentInfo], similarity: DocumentSimilarity) -> Markup:
    position = {d.id: k for k, d in enumerate(data.documents)}
    index = [position[d.id] for d in docs]
    cosine, shared = similarity.cosine(index, index), similarity.shared(index, index)
    values = [[0.0 if i == j else float(cosine[i, j]) for j in range(len(index))] for i in range(len(index))]
    shown = [[compare_link(data, a.id, b.id, f"{v:.0%}".rstrip("%"), ROOT) if a.id != b.id else ""
              for b, v in zip(docs, row, strict=True)] for a, row in zip(docs, values, strict=True)]
    titles = [[f"{a.label} ~ {b.label}: word cosine {v:.0%}, {int(shared[i, j])} shared reuse cluster(s)"
               for j, (b, v) in enumerate(zip(docs, row, strict=True))]
              for i, (a, row) in enumerate(zip(docs, values, strict=True))]
    heads = [d.short_title if len(d.short_title) <= HEAD else d.short_title[:HEAD - 1].rstrip() + "…" for d in docs]
    return heat_table([doc_link(d, ROOT, d.short_title) for d in docs], heads, values, shown,
                      titles, corner="document \\ document",
                      name=f"similarity-{_county_stem(data, docs[0].county_label)}",
                      column_titles=[d.label for d in docs], row_sort=[d.label for d in docs])


__all__ = ["JOINTLY", "county_page", "party_page", "strengths", "themes_text"]
