"""Pieces several pages share: links to documents, short county names, heat tables."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from rok_compare.extract.strength import strength_level
from rok_compare.report.charts import heat, ink
from rok_compare.report.data import DocumentInfo
from rok_compare.report.markup import Markup, badge, el, link

TYPE_SHORT = {"regional_agreement": "RÖK", "local_agreement": "LÖK", "action_plan": "plan",
              "strategy": "strategy", "news": "news", "other": "other"}


def short_county(name: str) -> str:
    """"Västra Götalands län" -> "Västra Götaland": the registry's short name, for column headers."""
    return _short_county_names().get(name, name.removesuffix(" län"))


@cache
def _short_county_names() -> dict[str, str]:
    from rok_compare.extract.registry import PartyRegistry

    return {county.name: county.short_name for county in PartyRegistry.default().counties()}


def doc_link(doc: DocumentInfo, root: str = "", text: object = None) -> Markup:
    return link(root + doc.page, text if text is not None else doc.label, title=doc.name)


def doc_cell(doc: DocumentInfo, root: str = "") -> Markup:
    """A document in a table: its title as the link, county, period and type below."""
    return el("span", link(root + doc.page, doc.title or doc.name, title=doc.name),
              el("span", doc.label, class_="sub"), class_="doc-cell")


def doc_title(doc: DocumentInfo) -> str:
    return doc.title or doc.name


def type_badge(doc_type: str) -> Markup:
    return badge(doc_type.replace("_", " "), f"type-{doc_type}")


def strength_badge(strength: str) -> Markup:
    level = strength_level(strength)
    return el("span", strength, class_=f"badge strength s{level}", title=f"strength {level} of 5")


def themes_text(themes: Sequence[str]) -> str:
    return ", ".join(t.replace("_", " ") for t in themes)


def heat_table(row_labels: Sequence[object], columns: Sequence[str], values: Sequence[Sequence[float]],
               shown: Sequence[Sequence[str]], titles: Sequence[Sequence[str]], corner: str = "",
               peak: float | None = None) -> Markup:
    """A table whose cells are coloured by value (0..peak) with rotated column headers."""
    top = peak if peak is not None else max((v for row in values for v in row), default=0.0)
    top = top or 1.0
    head = el("tr", el("th", corner, class_="corner"),
              [el("th", el("span", name), class_="rot", title=name) for name in columns])
    rows = []
    for label, row, texts, tips in zip(row_labels, values, shown, titles, strict=True):
        cells = []
        for value, text, tip in zip(row, texts, tips, strict=True):
            share = value / top
            style = f"background:{heat(share)};color:{ink(share)}" if value else None
            cells.append(el("td", text if value else "", style=style, title=tip, class_="hcell"))
        rows.append(el("tr", el("th", label, class_="rowhead"), cells))
    return el("div", el("table", el("thead", head), el("tbody", rows), class_="heat"), class_="table-wrap")


def page_ref(page: int | None) -> str:
    return f"p. {page}" if page else ""
