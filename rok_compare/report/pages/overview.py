"""Corpus-wide tables: the overview, the documents table, parties by county, themes by county."""

from __future__ import annotations

from collections import Counter, defaultdict

from rok_compare.report import charts
from rok_compare.report.data import ReportData
from rok_compare.report.markup import Cell, Column, Markup, badge, el, link, page, section, stat_cards, table
from rok_compare.report.pages.common import (
    TYPE_SHORT,
    county_link,
    doc_cell,
    doc_link,
    heat_table,
    party_link,
    short_county,
    type_badge,
)

MAX_PARTY_ROWS = 60
NO_THEME = "(no theme)"


def _doc_types(data: ReportData) -> list[str]:
    counts = Counter(d.doc_type for d in data.documents)
    order = list(TYPE_SHORT)
    return sorted(counts, key=lambda t: (order.index(t) if t in order else len(order), t))


def index_page(data: ReportData) -> str:
    docs = data.documents
    counties = data.counties
    types = _doc_types(data)
    per_county = [[sum(1 for d in docs if d.county_label == c and d.doc_type == t) for t in types] for c in counties]
    years = Counter(d.period_start for d in docs if d.period_start is not None)
    year_range = list(range(min(years), max(years) + 1)) if years else []
    undated = sum(1 for d in docs if d.period_start is None)
    cards = stat_cards([
        ("documents", len(docs)), ("counties", len([c for c in counties if any(d.county for d in docs)])),
        ("clauses", sum(len(d.clauses) for d in docs)),
        ("distinct parties", len({p.canonical for d in docs for p in d.parties})),
        ("commitments", sum(len(d.commitments) for d in docs)), ("goals", sum(len(d.goals) for d in docs)),
        ("reuse clusters", len(data.clusters))])
    body = [
        cards,
        section("Documents by county", charts.stacked_bars([short_county(c) for c in counties],
                                                           [t.replace("_", " ") for t in types], per_county,
                                                           "Documents per county by type",
                                                           links=[data.county_pages[c] for c in counties]),
                note="Each bar is one county (a name opens its page); colours are document types."),
        section("Documents by first year of validity",
                charts.columns([str(y) for y in year_range], [years.get(y, 0) for y in year_range],
                               "Documents per first year") if year_range else el("p", "No document states a year."),
                note=f"{undated} document(s) state no period and are left out of this chart." if undated else None),
        section("County × year", _county_year_grid(data),
                note="Each link is one document (RÖK regional agreement, LÖK local agreement)."),
    ]
    return page("Corpus overview", body, active="index.html",
                subtitle=f"{len(docs)} documents from the store {data.db_path}, built {data.generated}")


def _county_year_grid(data: ReportData) -> Markup:
    years = sorted({d.period_start for d in data.documents if d.period_start is not None})
    columns: list[int | None] = [*years, None]
    grid: dict[tuple[str, int | None], list] = defaultdict(list)
    for doc in data.documents:
        grid[doc.county_label, doc.period_start].append(doc)
    rows = [[Cell(county_link(data, c), csv=c),
             *[Cell(el("span", [doc_link(d, text=TYPE_SHORT.get(d.doc_type, d.doc_type)) for d in grid[c, y]],
                       class_="chips"), sort=len(grid[c, y]) or None,
                    csv="; ".join(d.label for d in grid[c, y])) for y in columns]] for c in data.counties]
    return table([Column("County"), *[Column(str(y), "number") for y in years], Column("undated", "number")], rows,
                 class_="data grid", name="county-year")


def documents_page(data: ReportData) -> str:
    rows = []
    for d in data.documents:
        parties = sorted({p.canonical for p in d.parties})
        rows.append([doc_cell(d, place=False), Cell(county_link(data, d.county_label), csv=d.county_label),
                     d.county_code or "",
                     Cell(d.period or "undated", sort=d.period_start if d.period_start is not None else ""),
                     Cell(type_badge(d.doc_type), csv=d.type_label),
                     Cell(el("span", [el("span", party_link(data, p), ", " if k < len(parties) - 1 else "")
                                      for k, p in enumerate(parties)], class_="small"),
                          csv=", ".join(parties), values=tuple(parties)),
                     len(d.clauses), len(d.commitments), len(d.goals)])
    columns = [Column("Document"), Column("County", filter=True, key="county"), Column("Code"),
               Column("Year", "year"), Column("Type", filter=True, key="type"),
               Column("Parties", filter=True, key="party"), Column("Clauses", "number"),
               Column("Commitments", "number"), Column("Goals", "number")]
    body = section(f"{len(data.documents)} documents", table(columns, rows, name="documents"),
                   note="Ordered by county code and year; a header sorts, the boxes filter, the button downloads "
                        "the rows shown. Parties are shown by canonical name.")
    return page("Documents", body, active="documents.html")


def parties_page(data: ReportData) -> str:
    counties = data.counties
    in_county: dict[str, Counter[str]] = defaultdict(Counter)
    kinds: dict[str, str] = {}
    for doc in data.documents:
        for canonical in {p.canonical for p in doc.parties}:
            in_county[canonical][doc.county_label] += 1
        for p in doc.parties:
            kinds.setdefault(p.canonical, p.kind)
    commitments = Counter(c.party for d in data.documents for c in d.commitments)
    ranked = sorted(in_county, key=lambda p: (-sum(in_county[p].values()), -len(in_county[p]), p))
    shown = [p for p in ranked if sum(in_county[p].values()) > 1][:MAX_PARTY_ROWS] or ranked[:MAX_PARTY_ROWS]
    values = [[float(in_county[p][c]) for c in counties] for p in shown]
    matrix = heat_table(
        [el("span", party_link(data, p), " ", badge(kinds[p].replace("_", " "), "kind")) for p in shown],
        [county_link(data, c, text=short_county(c)) for c in counties], values,
        [[link(f"{data.party_pages[p]}#county={c}", str(int(v)), title=f"{p} in {c}") for v, c in
          zip(row, counties, strict=True)] for p, row in zip(shown, values, strict=True)],
        [[f"{p} in {c}: {int(v)} document(s)" for v, c in zip(row, counties, strict=True)]
         for p, row in zip(shown, values, strict=True)], corner="party \\ county", name="party-county",
        column_titles=counties, row_sort=shown)
    kind_docs = Counter(kinds[p] for p in ranked)
    kind_chart = charts.stacked_bars([k.replace("_", " ") for k, _ in kind_docs.most_common()], ["parties"],
                                     [[n] for _, n in kind_docs.most_common()], "Distinct parties by kind",
                                     label_width=220)
    every = table([Column("Party"), Column("Kind", filter=True, key="kind"), Column("Documents", "number"),
                   Column("Counties", "number"), Column("Commitments", "number"),
                   Column("In counties", filter=True, key="county")],
                  [[party_link(data, p), Cell(badge(kinds[p].replace("_", " "), "kind"), csv=kinds[p]),
                    sum(in_county[p].values()), len(in_county[p]), commitments.get(p, 0),
                    Cell(", ".join(short_county(c) for c in sorted(in_county[p])), values=tuple(in_county[p]))]
                   for p in ranked], name="parties")
    body = [
        section("Party × county", matrix,
                note="Number of each county's documents that the party signs; a cell opens the party's page "
                     "with that county's documents, a name the party's or county's page. "
                     + (f"Parties in more than one document ({len(shown)} of {len(ranked)})."
                        if len(shown) < len(ranked) else f"All {len(ranked)} parties.")),
        section(f"Every party ({len(ranked)})", every,
                note="Each party's page lists its documents, its commitments by strength and its counties."),
        section("Parties by kind", kind_chart),
    ]
    return page("Parties", body, active="parties.html", subtitle="Who signs the agreements, county by county.")


def themes_page(data: ReportData) -> str:
    counties = data.counties
    clauses_in: Counter[str] = Counter()
    themes: dict[str, Counter[str]] = defaultdict(Counter)
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in data.documents:
        for clause in doc.clauses:
            clauses_in[doc.county_label] += 1
            kinds[clause.kind][doc.county_label] += 1
            for theme in clause.themes or [NO_THEME]:
                themes[theme][doc.county_label] += 1
    theme_names = sorted((t for t in themes if t != NO_THEME), key=lambda t: -sum(themes[t].values()))
    kind_names = sorted(kinds, key=lambda k: -sum(kinds[k].values()))
    body = [
        section("Themes by county", _share_table(data, theme_names, themes, counties, clauses_in, "theme"),
                note="Share of each county's clauses that touch the theme (a clause can have several themes). A theme "
                     "or a cell opens those clauses in the search."),
        section("Clause kinds by county", _share_table(data, kind_names, kinds, counties, clauses_in, "kind"),
                note="Share of each county's clauses of each kind."),
        section("Clauses per county by kind", charts.stacked_bars(
            [short_county(c) for c in counties], kind_names,
            [[kinds[k][c] for k in kind_names] for c in counties], "Clauses per county by kind")),
    ]
    return page("Themes and clause kinds", body, active="themes.html",
                subtitle="What the documents talk about, county by county.")


def _share_table(data: ReportData, names: list[str], counts: dict[str, Counter[str]], counties: list[str],
                 totals: Counter[str], what: str) -> Markup:
    values = [[counts[n][c] / totals[c] if totals[c] else 0.0 for c in counties] for n in names]
    return heat_table(
        [link(f"search.html#{what}={n}", n.replace("_", " ")) for n in names],
        [county_link(data, c, text=short_county(c)) for c in counties],
        values, [[link(f"search.html#{what}={n}&county={c}", f"{v:.0%}") for v, c in zip(row, counties, strict=True)]
                 for n, row in zip(names, values, strict=True)],
        [[f"{n} in {c}: {counts[n][c]} of {totals[c]} clauses" for c in counties] for n in names],
        corner=f"{what} \\ county", peak=max((v for row in values for v in row), default=1.0),
        name=f"{what}-county", column_titles=counties, row_sort=names)
