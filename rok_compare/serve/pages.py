"""The comparison pages: any two stored documents side by side, and the revision diff of two versions.

``/compare`` shows what ``rok align --format html`` shows (clauses in B's order, pairs identical,
edited or related, moved ones and splits and merges flagged, clauses only in A or only in B), with
two document pickers above it. ``/diff`` shows what ``rok diff`` shows: the change list from the
older version to the newer one and how much of the text stayed, changed, came and went.
"""

from __future__ import annotations

from urllib.parse import urlencode

from rok_compare.align.model import Alignment
from rok_compare.align.revisions import Change, RevisionDiff, RevisionEntry, document_order
from rok_compare.align.worddiff import DiffOp
from rok_compare.report.markup import Markup, el, esc, link, stat_cards
from rok_compare.serve.catalog import DocumentEntry, StoredClauses
from rok_compare.serve.layout import doc_link, document_picker, served_page


def compare_url(a: int, b: int) -> str:
    return "/compare?" + urlencode({"a": a, "b": b})


def diff_url(old: int, new: int) -> str:
    return "/diff?" + urlencode({"a": old, "b": new})


def picker_form(entries: list[DocumentEntry], a: int | None, b: int | None) -> Markup:
    return el("form", document_picker("a", "Document A", entries, a), document_picker("b", "Document B", entries, b),
              el("button", "Align", type="submit", id="align"), action="/compare", method="get", class_="picker",
              id="compare-form")


def picker_page(entries: list[DocumentEntry], a: int | None = None, b: int | None = None) -> str:
    """The two pickers alone (``a`` or ``b`` preset when given)."""
    note = el("p", f"Pick any two of the {len(entries)} stored documents to line their clauses up.", class_="note")
    return served_page("Compare two documents", [picker_form(entries, a, b), note], active="compare.html")


def compare_page(entries: list[DocumentEntry], a: StoredClauses, b: StoredClauses, alignment: Alignment,
                 versions: tuple[int, int] | None = None) -> str:
    """The pickers, and below them the alignment of ``a`` and ``b``. ``versions`` (old id, new id)
    adds the link to their revision diff."""
    s = alignment.summary
    actions = el("p", link(compare_url(b.entry.id, a.entry.id), "⇄ swap A and B", id="swap"),
                 link(diff_url(a.entry.id, b.entry.id), "A → B as a revision diff", id="as-diff")
                 if versions is None else None, class_="actions")
    body: list[object] = [picker_form(entries, a.entry.id, b.entry.id), actions]
    if versions is not None:
        body.append(el("p", "These read as two versions of one agreement: ",
                       link(diff_url(*versions), "see what changed from the older to the newer", id="diff-link"),
                       ".", class_="callout"))
    body += [
        stat_cards([("identical", s.identical), ("edited", s.edited), ("related", s.related), ("moved", s.moved),
                    ("only in A", s.only_a), ("only in B", s.only_b)]),
        _legend("Clauses in B's order; a clause only in A stands after its nearest predecessor."),
        _table(a, b, [_alignment_row(entry, a, b) for entry in document_order(alignment)], id_="alignment"),
    ]
    return served_page(f"Compare: {a.entry.short} ~ {b.entry.short}", body, active="compare.html",
                       subtitle=el("span", "A: ", doc_link(a.entry), " · B: ", doc_link(b.entry)))


def diff_page(old: StoredClauses, new: StoredClauses, revision: RevisionDiff) -> str:
    """The revision diff: every clause of the newer version and the removed ones, in its order."""
    s = revision.summary
    shares = [("unchanged", s.share_unchanged), ("edited", s.share_edited), ("added", s.share_added),
              ("removed", s.share_removed)]
    bar = _share_bar(shares)
    body = [
        el("p", link(compare_url(old.entry.id, new.entry.id), "← pick other documents"), class_="note"),
        stat_cards([("unchanged", s.unchanged), ("edited", s.edited), ("added", s.added), ("removed", s.removed),
                    ("moved", s.moved)]),
        el("p", "Text:", [[" ", el("i", class_=f"s-{name}"), f"{name} {share:.0%}"] for name, share in shares],
           class_="note shares", id="shares"),
        bar,
        _legend("Clauses in the newer version's order; a removed clause stands after the clause it followed."),
        _table(old, new, [_revision_row(entry, old, new) for entry in revision.entries], id_="revision",
               heads=("Older: ", "Newer: ")),
    ]
    return served_page(f"What changed: {old.entry.short} → {new.entry.short}", body, active="timeline.html",
                       subtitle=el("span", "older: ", doc_link(old.entry), " · newer: ", doc_link(new.entry)))


def _share_bar(shares: list[tuple[str, float]]) -> Markup:
    """The shares of the text as one bar (SVG: attributes, not inline styles, which the pages' policy forbids)."""
    rects, x = [], 0.0
    for name, share in shares:
        rects.append(el("rect", el("title", f"{name} {share:.0%} of the text"), x=f"{x:.1f}", y="0",
                        width=f"{share * 1000:.1f}", height="10", class_=f"s-{name}"))
        x += share * 1000
    return el("svg", rects, viewBox="0 0 1000 10", preserveAspectRatio="none", class_="share-bar", role="img",
              aria_label="shares of the text")


def _legend(text: str) -> Markup:
    return el("p", el("span", "removed words", class_="legend-del"), " ",
              el("span", "added words", class_="legend-ins"), " ", el("span", "moved", class_="flag"),
              el("span", "split / merge", class_="flag split"), " · ", text, class_="note")


def _table(a: StoredClauses, b: StoredClauses, rows: list[Markup], id_: str,
           heads: tuple[str, str] = ("A: ", "B: ")) -> Markup:
    head = el("tr", el("th", heads[0], doc_link(a.entry)), el("th", heads[1], doc_link(b.entry)))
    return el("div", el("table", el("thead", head), el("tbody", rows), class_="sxs", id=id_), class_="table-wrap")


def _clause_ref(side: StoredClauses, ref) -> Markup:
    """The clause's id, linked to its anchor on the document's report page."""
    store_id = side.clause_ids[ref.index] if 0 <= ref.index < len(side.clause_ids) else None
    return link(f"{side.entry.page}#clause-{store_id}", ref.id) if store_id is not None else esc(ref.id)


def _side(diff: list[DiffOp], keep: str) -> Markup:
    """One side of a word diff: A keeps "-" (struck out), B keeps "+" (marked as inserted)."""
    tag = "del" if keep == "-" else "ins"
    return Markup("".join(el(tag, text) if sign == keep else esc(text)
                          for sign, text in diff if sign in ("=", keep)))


def _flags(entry: RevisionEntry) -> list[Markup]:
    flags = [el("span", "moved", class_="flag moved")] if entry.moved else []
    if str(entry.shape) != "1:1":
        flags.append(el("span", str(entry.shape), class_=f"flag {entry.shape}"))
    return flags


def _row_class(entry: RevisionEntry) -> str:
    return " ".join(x for x in (str(entry.change), "moved" if entry.moved else "",
                                str(entry.shape) if str(entry.shape) != "1:1" else "") if x)


def _alignment_row(entry: RevisionEntry, a: StoredClauses, b: StoredClauses) -> Markup:
    return _row(entry, a, b, {Change.ADDED: "only in B", Change.REMOVED: "only in A", Change.UNCHANGED: "identical"})


def _revision_row(entry: RevisionEntry, old: StoredClauses, new: StoredClauses) -> Markup:
    return _row(entry, old, new, {Change.ADDED: "added", Change.REMOVED: "removed", Change.UNCHANGED: "unchanged"})


def _row(entry: RevisionEntry, a: StoredClauses, b: StoredClauses, words: dict[Change, str]) -> Markup:
    if entry.change is Change.ADDED:
        meta = el("span", _clause_ref(b, entry.new), f" · {words[Change.ADDED]}", class_="cmeta")
        return el("tr", el("td", class_="empty"), el("td", meta, entry.new.text), class_="added")
    if entry.change is Change.REMOVED:
        meta = el("span", _clause_ref(a, entry.old), f" · {words[Change.REMOVED]}", class_="cmeta")
        return el("tr", el("td", meta, entry.old.text), el("td", class_="empty"), class_="removed")
    relation = words[Change.UNCHANGED] if entry.change is Change.UNCHANGED else f"{entry.relation} {entry.score:.2f}"
    if entry.change is Change.UNCHANGED or not entry.diff:
        old_text, new_text = esc(entry.old.text), esc(entry.new.text)
    else:
        old_text, new_text = _side(entry.diff, "-"), _side(entry.diff, "+")
    left = el("span", _clause_ref(a, entry.old), f" · {relation}", _flags(entry), class_="cmeta")
    right = el("span", _clause_ref(b, entry.new), class_="cmeta")
    return el("tr", el("td", left, old_text), el("td", right, new_text), class_=_row_class(entry))
