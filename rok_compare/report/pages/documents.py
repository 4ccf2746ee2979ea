"""One page per document, and side-by-side comparisons of two documents."""

from __future__ import annotations

from collections.abc import Sequence

from rok_compare.align.model import Alignment
from rok_compare.align.revisions import Change, RevisionEntry, document_order
from rok_compare.align.worddiff import DiffOp
from rok_compare.extract.strength import strength_level
from rok_compare.report.analysis import Pair
from rok_compare.report.data import DocumentInfo, ReportData
from rok_compare.report.markup import Cell, Column, Markup, badge, el, esc, link, page, section, stat_cards, table
from rok_compare.report.pages.common import (
    county_link,
    doc_link,
    doc_title,
    page_ref,
    party_link,
    strength_badge,
    themes_text,
    type_badge,
)

ROOT = "../"


def document_page(data: ReportData, doc: DocumentInfo, pairs: Sequence[Pair]) -> str:
    meta = el("dl", [el("div", el("dt", k), el("dd", v)) for k, v in (
        ("County", el("span", county_link(data, doc.county_label, ROOT),
                      f" ({doc.county_code})" if doc.county_code else "")),
        ("Period", doc.period or "not stated"), ("Type", type_badge(doc.doc_type)),
        ("Revision date", doc.revision_date or "not stated"), ("Format", f"{doc.format}, {doc.n_pages} page(s)"),
        ("Source", el("code", doc.path)))], class_="meta")
    compare = [el("li", link(ROOT + p.page, _compare_text(p)), " with ",
                  doc_link(data.by_id[p.b if p.a == doc.id else p.a], ROOT),
                  el("span", " (next version)" if p.reason == "revision" and p.a == doc.id else
                     " (previous version)" if p.reason == "revision" else " (most similar)", class_="muted"))
               for p in pairs]
    name = f"doc-{doc.id}"
    parties = table([Column("Name in the text"), Column("Canonical"), Column("Kind", filter=True, key="kind"),
                     Column("Page")],
                    [[p.name, party_link(data, p.canonical, ROOT), Cell(badge(p.kind.replace("_", " "), "kind"),
                                                                        csv=p.kind), page_ref(p.page)]
                     for p in doc.parties], name=f"{name}-parties")
    goals = el("ol", [el("li", g.text, el("span", f" {page_ref(g.page)}", class_="muted")) for g in doc.goals],
               class_="goals")
    commitments = table([Column("Party", filter=True, key="party"), Column("Strength", "rank", filter=True,
                                                                           key="strength"),
                         Column("Commitment"), Column("Page")],
                        [[Cell(party_link(data, c.party, ROOT) if c.party != "*" else "all parties jointly",
                               csv=c.party if c.party != "*" else "all parties jointly"),
                          Cell(strength_badge(c.strength), sort=strength_level(c.strength), csv=c.strength),
                          el("span", c.text, class_="clause"), page_ref(c.page)] for c in doc.commitments],
                        name=f"{name}-commitments")
    clauses = _clause_table(doc, name)
    body = [
        stat_cards([("parties", len(doc.parties)), ("goals", len(doc.goals)), ("commitments", len(doc.commitments)),
                    ("clauses", len(doc.clauses)),
                    ("reused clauses", sum(1 for c in doc.clauses if c.cluster_id is not None))]),
        section("About", meta, el("ul", compare, class_="compare-links") if compare else None),
        section(f"Parties ({len(doc.parties)})", parties if doc.parties else el("p", "No parties found.")),
        section(f"Goals ({len(doc.goals)})", goals if doc.goals else el("p", "No goals found.")),
        section(f"Commitments ({len(doc.commitments)})", commitments if doc.commitments
                else el("p", "No commitments found."),
                note="Strength: how binding the wording is, from guarantee (5) and shall (4) down to should (0)."),
        section(f"Clauses ({len(doc.clauses)})",
                el("details", el("summary", "Clauses in reading order"), clauses, open=True) if doc.clauses
                else el("p", "No clauses."), id_="clauses",
                note="Each clause has an address of its own: this page followed by #clause- and its number in the "
                     "store (the # column links to it)."),
    ]
    if doc.warnings:
        body.append(section("Extraction warnings", el("ul", [el("li", w) for w in doc.warnings])))
    return page(doc_title(doc), body, root=ROOT, active="documents.html",
                subtitle=" · ".join(x for x in (doc.place, doc.tag) if x))


def _compare_text(pair: Pair) -> str:
    return "What changed" if pair.reason == "revision" else "Side by side"


def _clause_table(doc: DocumentInfo, name: str) -> Markup:
    """Every clause, each row with the stable anchor ``clause-<store id>``."""
    head = el("thead", el("tr", [el("th", h, data_type=t, data_filter=f or None, data_key=k,
                                    class_="num" if t == "number" else None) for h, t, f, k in (
        ("#", "number", False, None), ("Kind", "text", True, "kind"), ("Themes", "text", True, "theme"),
        ("Text", "text", False, None), ("Page", "number", False, None), ("Reuse", "number", False, None))]))
    rows = []
    for c in doc.clauses:
        themes = tuple(t.replace("_", " ") for t in c.themes)
        rows.append(el(
            "tr", el("td", link(f"#clause-{c.id}", c.key, title="this clause's address"), data_sort=c.id,
                     data_csv=c.key, class_="num"),
            el("td", badge(c.kind, f"kind-{c.kind}"), data_csv=c.kind),
            el("td", themes_text(c.themes), data_values="\n".join(themes) if themes else None),
            el("td", el("span", c.text, class_="clause")),
            el("td", page_ref(c.page), data_sort=c.page if c.page else None, class_="num"),
            el("td", link(f"{ROOT}reuse.html#cluster-{c.cluster_id}", f"#{c.cluster_id}")
               if c.cluster_id is not None else "", data_sort=c.cluster_id, class_="num"),
            id=f"clause-{c.id}", data_clause_key=c.key))
    return el("div", el("table", head, el("tbody", rows), class_="data compact", data_table=f"{name}-clauses"),
              class_="table-wrap")


def _side(diff: list[DiffOp], keep: str) -> Markup:
    """One side of a word diff: A keeps "-" (struck out), B keeps "+" (marked as inserted)."""
    tag = "del" if keep == "-" else "ins"
    return Markup("".join(el(tag, text) if sign == keep else esc(text)
                          for sign, text in diff if sign in ("=", keep)))


class _Anchors:
    """Links from a clause key of A or B to the clause's anchor on its document's page."""

    def __init__(self, a: DocumentInfo, b: DocumentInfo) -> None:
        self.pages = {"a": a.page, "b": b.page}
        self.ids = {"a": {c.key: c.id for c in a.clauses}, "b": {c.key: c.id for c in b.clauses}}

    def __call__(self, side: str, key: str, text: str) -> Markup:
        clause_id = self.ids[side].get(key)
        if clause_id is None:
            return el("span", text, class_="cmeta")
        return el("span", link(f"{ROOT}{self.pages[side]}#clause-{clause_id}", key), text, class_="cmeta")


def _row(entry: RevisionEntry, anchor: _Anchors) -> Markup:
    if entry.change is Change.ADDED:
        return el("tr", el("td", "only in B", class_="chg"), el("td", class_="empty"),
                  el("td", anchor("b", entry.new.id, " · only in B"), entry.new.text), class_="added")
    if entry.change is Change.REMOVED:
        return el("tr", el("td", "only in A", class_="chg"),
                  el("td", anchor("a", entry.old.id, " · only in A"), entry.old.text),
                  el("td", class_="empty"), class_="removed")
    relation = "identical" if entry.change is Change.UNCHANGED else f"{entry.relation} {entry.score:.2f}"
    flags = "".join([f" · {entry.shape}" if str(entry.shape) != "1:1" else "", " · moved" if entry.moved else ""])
    diff = entry.diff or [("=", entry.new.text)]
    change = "identical" if entry.change is Change.UNCHANGED else str(entry.relation)
    return el("tr", el("td", change + (" (moved)" if entry.moved else ""), class_="chg",
                       data_values="\n".join([change, *(["moved"] if entry.moved else [])])),
              el("td", anchor("a", entry.old.id, f" · {relation}{flags}"), _side(diff, "-")),
              el("td", anchor("b", entry.new.id, ""), _side(diff, "+")),
              class_="same" if entry.change is Change.UNCHANGED else "edited")


def compare_page(data: ReportData, pair: Pair, alignment: Alignment) -> str:
    a, b = data.by_id[pair.a], data.by_id[pair.b]
    s = alignment.summary
    anchors = _Anchors(a, b)
    rows = [_row(entry, anchors) for entry in document_order(alignment)]
    head = el("tr", el("th", "Change", class_="chg", data_type="text", data_filter=True, data_key="change"),
              el("th", "A: ", doc_link(a, ROOT), data_type="text"),
              el("th", "B: ", doc_link(b, ROOT), data_type="text"))
    body = [
        stat_cards([("identical", s.identical), ("edited", s.edited), ("related", s.related), ("moved", s.moved),
                    ("only in A", s.only_a), ("only in B", s.only_b)]),
        el("p", el("span", "removed words", class_="legend-del"), " ", el("span", "added words", class_="legend-ins"),
           " · clauses in B's order; a clause only in A stands after its nearest predecessor.", class_="note"),
        el("div", el("table", el("thead", head), el("tbody", rows), class_="sxs",
                     data_table=f"compare-{pair.a}-{pair.b}"), class_="table-wrap"),
    ]
    kind = "Revision" if pair.reason == "revision" else "Comparison"
    return page(f"{kind}: {a.short_title} ~ {b.short_title}", body, root=ROOT, active="compare.html",
                subtitle=el("span", "A: ", a.label, el("br"), "B: ", b.label))
