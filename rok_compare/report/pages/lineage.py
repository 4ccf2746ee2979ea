"""A county's lineages as the timeline and county pages show them: versions oldest first, the
revision diff of each two consecutive versions one click away."""

from __future__ import annotations

from collections.abc import Sequence

from rok_compare.align.lineage import Lineage, LineageLink
from rok_compare.report.analysis import version_year
from rok_compare.report.data import ReportData
from rok_compare.report.markup import Markup, el, link
from rok_compare.report.pages.common import doc_link


def _why(link_: LineageLink) -> str:
    """What links two versions, in words (shared clauses, title, parties)."""
    parts = []
    if link_.shared_clauses:
        parts.append(f"{link_.shared_clauses} shared clause{'s' if link_.shared_clauses != 1 else ''}")
    if link_.title_similarity:
        parts.append(f"titles {link_.title_similarity:.0%} alike")
    if link_.party_overlap:
        parts.append(f"parties {link_.party_overlap:.0%} the same")
    return ", ".join(parts)


def lineage_block(data: ReportData, lineage: Lineage, root: str = "") -> Markup:
    """One lineage: each version with its label, and between two versions the link to what changed."""
    links = {(lk.old_id, lk.new_id): lk for lk in lineage.links}
    items = []
    ids = list(lineage.document_ids)
    years = dict(zip(ids, lineage.years, strict=True)) if lineage.years else {}
    for k, doc_id in enumerate(ids):
        doc = data.by_id[doc_id]
        step = None
        if k:
            lk = links.get((ids[k - 1], doc_id))
            page = data.comparisons.get(frozenset((ids[k - 1], doc_id)))
            text = (f"What changed: {version_year(data.by_id[ids[k - 1]], years.get(ids[k - 1]))} → "
                    f"{version_year(doc, years.get(doc_id))}")
            why = _why(lk) if lk is not None else ""
            step = el("span", "⇄ ", link(root + page, text, class_="revision-diff") if page else text,
                      f" ({why})" if why else "", class_="step")
        items.append(el("li", step, doc_link(doc, root)))
    newest = data.by_id[ids[-1]]
    return el("div", el("h3", newest.short_title, el("span", f" · {len(ids)} versions", class_="muted small")),
              el("ol", items, class_="versions"), class_="lineage", id=f"lineage-{lineage.id}")


def lineage_section(data: ReportData, lineages: Sequence[Lineage], root: str = "") -> Markup:
    return el("div", [lineage_block(data, lineage, root) for lineage in lineages])
