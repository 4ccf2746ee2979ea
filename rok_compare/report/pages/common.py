"""Pieces several pages share: links to documents, short county names, heat tables."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from rok_compare.extract.strength import strength_level
from rok_compare.report.charts import heat, ink
from rok_compare.report.data import DocumentInfo, ReportData
from rok_compare.report.markup import Cell, Markup, badge, el, link

TYPE_SHORT = {"regional_agreement": "RÖK", "local_agreement": "LÖK", "action_plan": "plan",
              "strategy": "strategy", "news": "news", "other": "other"}


def short_county(name: str) -> str:
    """"Västra Götalands län" -> "Västra Götaland": the registry's short name, for column headers."""
    return _short_county_names().get(name, name.removesuffix(" län"))


@cache
def _short_county_names() -> dict[str, str]:
    from rok_compare.extract.registry import PartyRegistry

    return {county.name: county.short_name for county in PartyRegistry.default().counties()}


def doc_link(doc: DocumentInfo, root: str = "", text: object = None, clause: int | None = None) -> Markup:
    """A link to the document's page (to one clause's anchor when ``clause`` is its store id)."""
    anchor = f"#clause-{clause}" if clause is not None else ""
    return link(root + doc.page + anchor, text if text is not None else doc.label,
                title=f"{doc.label} ({doc.name})")


def doc_cell(doc: DocumentInfo, root: str = "", place: bool = True) -> Cell:
    """A document in a table: its short title as the link, county, period and type below (unless
    the table has columns for them, ``place=False``); the whole label in CSV and the tooltip."""
    sub = " · ".join(x for x in (doc.place if place else "", doc.tag) if x)
    return Cell(el("span", link(root + doc.page, doc.short_title, title=doc.label),
                   el("span", sub, class_="sub") if sub else None, class_="doc-cell"), csv=doc.label)


def compare_link(data: ReportData, a: int, b: int, text: object, root: str = "", **attrs: object) -> Markup:
    """A link to the comparison of documents ``a`` and ``b``: the precomputed page when there is one,
    and (by ``links.js``) the server's ``/compare?a=&b=`` when the report is served."""
    page = data.comparisons.get(frozenset((a, b)))
    title = f"{data.by_id[a].label} ~ {data.by_id[b].label}"
    if page is None:
        title += " (side by side with rok serve)"
    return el("a", text, href=root + page if page else None, data_compare=f"{a},{b}", title=title,
              class_=None if page else "no-compare", **attrs)


def county_link(data: ReportData, county: str, root: str = "", text: object = None, **attrs: object) -> Markup:
    return link(root + data.county_pages[county], text if text is not None else county, title=county, **attrs)


def party_link(data: ReportData, party: str, root: str = "", text: object = None) -> Markup:
    if party not in data.party_pages:
        return el("span", text if text is not None else party)
    return link(root + data.party_pages[party], text if text is not None else party)


def doc_title(doc: DocumentInfo) -> str:
    return doc.title or doc.name


def type_badge(doc_type: str) -> Markup:
    return badge(doc_type.replace("_", " "), f"type-{doc_type}")


def strength_badge(strength: str) -> Markup:
    level = strength_level(strength)
    return el("span", strength, class_=f"badge strength s{level}", title=f"strength {level} of 5")


def themes_text(themes: Sequence[str]) -> str:
    return ", ".join(t.replace("_", " ") for t in themes)


def heat_table(row_labels: Sequence[object], columns: Sequence[object], values: Sequence[Sequence[float]],
               shown: Sequence[Sequence[object]], titles: Sequence[Sequence[str]], corner: str = "",
               peak: float | None = None, name: str = "matrix", column_titles: Sequence[str] | None = None,
               row_sort: Sequence[str] | None = None) -> Markup:
    """A table whose cells are coloured by value (0..peak) with rotated column headers; sortable by
    any column (``tables.js``). ``shown`` may hold links (drill-down); ``column_titles`` are the
    columns' names as plain text when ``columns`` are links."""
    top = peak if peak is not None else max((v for row in values for v in row), default=0.0)
    top = top or 1.0
    names = column_titles or [str(c) for c in columns]
    head = el("tr", el("th", corner, class_="corner", data_type="text"),
              [el("th", el("span", column), class_="rot", title=title, data_type="number")
               for column, title in zip(columns, names, strict=True)])
    rows = []
    for k, (label, row, texts, tips) in enumerate(zip(row_labels, values, shown, titles, strict=True)):
        cells = []
        for value, text, tip in zip(row, texts, tips, strict=True):
            share = value / top
            style = f"background:{heat(share)};color:{ink(share)}" if value else None
            cells.append(el("td", text if value else "", style=style, title=tip, class_="hcell",
                            data_sort=f"{value:g}"))
        sort = row_sort[k] if row_sort else None
        rows.append(el("tr", el("th", label, class_="rowhead", data_sort=sort), cells))
    return el("div", el("table", el("thead", head), el("tbody", rows), class_="heat", data_table=name),
              class_="table-wrap")


def page_ref(page: int | None) -> str:
    return f"p. {page}" if page else ""
