"""One page per document, and side-by-side comparisons of two documents."""

from __future__ import annotations

from collections.abc import Sequence

from rok_compare.align.model import Alignment
from rok_compare.align.revisions import Change, RevisionEntry, document_order
from rok_compare.align.worddiff import DiffOp
from rok_compare.report.analysis import Pair
from rok_compare.report.data import DocumentInfo, ReportData
from rok_compare.report.markup import Markup, badge, el, esc, link, page, section, stat_cards, table
from rok_compare.report.pages.common import (
    doc_link,
    doc_title,
    page_ref,
    strength_badge,
    themes_text,
    type_badge,
)

ROOT = "../"


def document_page(data: ReportData, doc: DocumentInfo, pairs: Sequence[Pair]) -> str:
    meta = el("dl", [el("div", el("dt", k), el("dd", v)) for k, v in (
        ("County", f"{doc.county_label}{f' ({doc.county_code})' if doc.county_code else ''}"),
        ("Period", doc.period or "not stated"), ("Type", type_badge(doc.doc_type)),
        ("Revision date", doc.revision_date or "not stated"), ("Format", f"{doc.format}, {doc.n_pages} page(s)"),
        ("Source", el("code", doc.path)))], class_="meta")
    compare = [el("li", link(ROOT + p.page, "What changed" if p.reason == "revision" else "Side by side"), " with ",
                  doc_link(data.by_id[p.b if p.a == doc.id else p.a], ROOT),
                  el("span", " (revision)" if p.reason == "revision" else " (most similar)", class_="muted"))
               for p in pairs]
    parties = table(["Name in the text", "Canonical", "Kind", "Page"],
                    [[p.name, p.canonical, badge(p.kind.replace("_", " "), "kind"), page_ref(p.page)]
                     for p in doc.parties])
    goals = el("ol", [el("li", g.text, el("span", f" {page_ref(g.page)}", class_="muted")) for g in doc.goals],
               class_="goals")
    commitments = table(["Party", "Strength", "Commitment", "Page"],
                        [[c.party if c.party != "*" else "all parties jointly", strength_badge(c.strength),
                          el("span", c.text, class_="clause"), page_ref(c.page)] for c in doc.commitments])
    clauses = table(["#", "Kind", "Themes", "Text", "Page", "Reuse"],
                    [[c.key, badge(c.kind, f"kind-{c.kind}"), themes_text(c.themes),
                      el("span", c.text, class_="clause"),
                      page_ref(c.page), link(f"{ROOT}reuse.html#cluster-{c.cluster_id}", f"#{c.cluster_id}")
                      if c.cluster_id is not None else ""] for c in doc.clauses], class_="data compact")
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
        section(f"Clauses ({len(doc.clauses)})", el("details", el("summary", "Show all clauses"), clauses)
                if doc.clauses else el("p", "No clauses.")),
    ]
    if doc.warnings:
        body.append(section("Extraction warnings", el("ul", [el("li", w) for w in doc.warnings])))
    return page(doc_title(doc), body, root=ROOT, active="documents.html", subtitle=doc.label)


def _side(diff: list[DiffOp], keep: str) -> Markup:
    """One side of a word diff: A keeps "-" (struck out), B keeps "+" (marked as inserted)."""
    tag = "del" if keep == "-" else "ins"
    return Markup("".join(el(tag, text) if sign == keep else esc(text)
                          for sign, text in diff if sign in ("=", keep)))


def _row(entry: RevisionEntry) -> Markup:
    if entry.change is Change.ADDED:
        return el("tr", el("td", class_="empty"), el("td", el("span", f"{entry.new.id} · only in B", class_="cmeta"),
                                                    entry.new.text), class_="added")
    if entry.change is Change.REMOVED:
        return el("tr", el("td", el("span", f"{entry.old.id} · only in A", class_="cmeta"), entry.old.text),
                  el("td", class_="empty"), class_="removed")
    relation = "identical" if entry.change is Change.UNCHANGED else f"{entry.relation} {entry.score:.2f}"
    flags = "".join([f" · {entry.shape}" if str(entry.shape) != "1:1" else "", " · moved" if entry.moved else ""])
    diff = entry.diff or [("=", entry.new.text)]
    return el("tr", el("td", el("span", f"{entry.old.id} · {relation}{flags}", class_="cmeta"), _side(diff, "-")),
              el("td", el("span", entry.new.id, class_="cmeta"), _side(diff, "+")),
              class_="same" if entry.change is Change.UNCHANGED else "edited")


def compare_page(data: ReportData, pair: Pair, alignment: Alignment) -> str:
    a, b = data.by_id[pair.a], data.by_id[pair.b]
    s = alignment.summary
    rows = [_row(entry) for entry in document_order(alignment)]
    head = el("tr", el("th", "A: ", doc_link(a, ROOT)), el("th", "B: ", doc_link(b, ROOT)))
    body = [
        stat_cards([("identical", s.identical), ("edited", s.edited), ("related", s.related), ("moved", s.moved),
                    ("only in A", s.only_a), ("only in B", s.only_b)]),
        el("p", el("span", "removed words", class_="legend-del"), " ", el("span", "added words", class_="legend-ins"),
           " · clauses in B's order; a clause only in A stands after its nearest predecessor.", class_="note"),
        el("div", el("table", el("thead", head), el("tbody", rows), class_="sxs"), class_="table-wrap"),
    ]
    kind = "Revision" if pair.reason == "revision" else "Comparison"
    return page(f"{kind}: {a.label} ~ {b.label}", body, root=ROOT, active="compare.html",
                subtitle=f"{doc_title(a)} ~ {doc_title(b)}")
