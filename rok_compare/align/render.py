"""Human-readable views of alignments, revision diffs and reuse: terminal text and HTML.

``rok diff`` calls a clause without a partner removed (only in the old version) or added (only
in the new one); ``rok align``, whose documents need not be versions of each other, says only in
A or only in B. Terminal text marks deletions ``[-like this-]`` and insertions ``{+like this+}``, or colours them
(red, green) when ``color`` is on. The HTML page is self-contained (inline CSS, no scripts) and
escapes every piece of document text.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from rok_compare.align.model import Alignment
from rok_compare.align.reuse import ReuseReport
from rok_compare.align.revisions import Change, RevisionDiff, RevisionEntry, document_order
from rok_compare.align.worddiff import DiffOp

Style = Callable[[str, str], str]
"""``style(text, kind)``: kind "del"/"ins" (changed words), "head", "removed"/"added" (headers)."""

_COLOURS = {"del": "red", "ins": "green", "head": "cyan", "removed": "red", "added": "green"}
_MARKS = {"del": ("[-", "-]"), "ins": ("{+", "+}")}


def terminal_style(color: bool) -> Style:
    """Colours through typer/click when ``color``, else plain marks around changes."""
    if color:
        import typer

        return lambda text, kind: typer.style(text, fg=_COLOURS[kind], bold=kind == "head")

    def plain(text: str, kind: str) -> str:
        left, right = _MARKS.get(kind, ("", ""))
        return f"{left}{text}{right}"

    return plain


def diff_text(diff: list[DiffOp], style: Style) -> str:
    parts = []
    for sign, text in diff:
        if sign == "=":
            parts.append(text)
        else:
            lead = text[: len(text) - len(text.lstrip())]
            parts.append(lead + style(text.lstrip(), "del" if sign == "-" else "ins"))
    return "".join(parts)


_PAIR_WORDS = {"added": "only in B", "removed": "only in A"}
"""Unpaired clauses of ``rok align``: A and B are two documents, neither older."""
_REVISION_WORDS = {"added": "added", "removed": "removed"}
"""Unpaired clauses of ``rok diff``: B is the newer version, so a clause is added or removed."""


def _entry_lines(entry: RevisionEntry, style: Style, words: dict[str, str]) -> list[str]:
    flags = "".join([" moved" if entry.moved else "", f" {entry.shape}" if str(entry.shape) != "1:1" else ""])
    if entry.change is Change.ADDED:
        return [style(f"+ {words['added']} [{entry.new.id}]", "added"), f"    {entry.new.text}"]
    if entry.change is Change.REMOVED:
        return [style(f"- {words['removed']} [{entry.old.id}]", "removed"), f"    {entry.old.text}"]
    label = "= identical" if entry.change is Change.UNCHANGED else f"~ {entry.relation} {entry.score:.2f}"
    head = style(f"{label} [{entry.old.id} ~ {entry.new.id}]{flags}", "head")
    body = entry.new.text if entry.change is Change.UNCHANGED else diff_text(entry.diff or [], style)
    return [head, f"    {body}"]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def alignment_text(alignment: Alignment, style: Style) -> str:
    """The alignment as a readable diff in B's order, with a closing summary in plain words."""
    lines = [style(f"A: {alignment.a_path}", "head"), style(f"B: {alignment.b_path}", "head"), ""]
    for entry in document_order(alignment):
        lines += _entry_lines(entry, style, _PAIR_WORDS)
    s = alignment.summary
    paired = s.identical + s.edited + s.related
    moved = f", {s.moved} of them out of order" if s.moved else ""
    lines += ["", f"{_count(paired, 'clause pair')}: {s.identical} identical, {s.edited} edited, "
                  f"{s.related} related{moved}; {_count(s.only_a, 'clause')} only in A, {s.only_b} only in B"]
    return "\n".join(lines) + "\n"


def revision_text(revision: RevisionDiff, style: Style) -> str:
    a = revision.alignment
    lines = [style(f"old: {a.a_path}", "head"), style(f"new: {a.b_path}", "head"), ""]
    for entry in revision.entries:
        if entry.change is Change.UNCHANGED and not entry.moved:
            continue
        lines += _entry_lines(entry, style, _REVISION_WORDS)
    s = revision.summary
    lines += ["", f"{s.unchanged} unchanged, {s.edited} edited, {s.added} added, {s.removed} removed, "
                  f"{s.moved} moved; text unchanged {s.share_unchanged:.0%}, edited {s.share_edited:.0%}, "
                  f"added {s.share_added:.0%}, removed {s.share_removed:.0%}"]
    return "\n".join(lines) + "\n"


def reuse_text(report: ReuseReport, limit: int = 3) -> str:
    """Clusters in plain words: where each wording recurs, since when, and how common it is."""
    n_docs = len(report.documents)
    lines = [f"{len(report.clusters)} reuse clusters (wordings found in more than one document) "
             f"in {_count(n_docs, 'document')}"]
    for cluster in report.clusters:
        first = f", first seen {cluster.first_year}" if cluster.first_year else ""
        lines.append(f"\n#{cluster.id} in {cluster.documents} of {n_docs} documents "
                     f"({_count(cluster.counties, 'county', 'counties')}){first}")
        lines.append(f"  {cluster.canonical}")
        for member in cluster.members[:limit]:
            where = ", ".join(str(x) for x in (member.county, member.year) if x)
            lines.append(f"  - {member.path} [{member.clause_id}]{f' ({where})' if where else ''}")
        if len(cluster.members) > limit:
            lines.append(f"  … {len(cluster.members) - limit} more")
    lines.append("\nClauses of each document found in no other document:")
    for doc in report.documents:
        lines.append(f"  {doc.path}: {len(doc.distinctive)} of {doc.clauses} clauses its own, "
                     f"{doc.shared} shared with other documents")
    return "\n".join(lines) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td,th{border-top:1px solid #ddd;padding:.4em .6em;vertical-align:top;text-align:left}
th{background:#f4f4f4}
del{background:#fdd;text-decoration:line-through}ins{background:#dfd;text-decoration:none}
.removed td:first-child{background:#fff0f0}.added td:last-child{background:#f0fff0}
.meta{font-size:.8em;color:#666;display:block}.moved{color:#a60}
"""


def _html_side(diff: list[DiffOp], keep: str) -> str:
    """One side of a word diff: "-" for A (deletions marked), "+" for B (insertions marked)."""
    tag = "del" if keep == "-" else "ins"
    out = []
    for sign, text in diff:
        if sign == "=":
            out.append(html.escape(text))
        elif sign == keep:
            out.append(f"<{tag}>{html.escape(text)}</{tag}>")
    return "".join(out)


def _html_row(entry: RevisionEntry) -> str:
    if entry.change is Change.ADDED:
        return (f'<tr class="added"><td></td><td><span class="meta">{html.escape(entry.new.id)} · only in B'
                f"</span>{html.escape(entry.new.text)}</td></tr>")
    if entry.change is Change.REMOVED:
        return (f'<tr class="removed"><td><span class="meta">{html.escape(entry.old.id)} · only in A</span>'
                f"{html.escape(entry.old.text)}</td><td></td></tr>")
    diff = entry.diff or []
    relation = "identical" if entry.change is Change.UNCHANGED else f"{entry.relation} {entry.score:.2f}"
    moved = ' · <span class="moved">moved</span>' if entry.moved else ""
    shape = f" · {entry.shape}" if str(entry.shape) != "1:1" else ""
    meta = f"{relation}{shape}{moved}"
    old_id = html.escape(entry.old.id)
    return (f'<tr><td><span class="meta">{old_id} · {meta}</span>{_html_side(diff, "-")}</td>'
            f'<td><span class="meta">{html.escape(entry.new.id)}</span>{_html_side(diff, "+")}</td></tr>')


def alignment_html(alignment: Alignment) -> str:
    """One self-contained page: A and B side by side, differences highlighted."""
    s = alignment.summary
    rows = "\n".join(_html_row(entry) for entry in document_order(alignment))
    a, b = html.escape(str(alignment.a_path)), html.escape(str(alignment.b_path))
    return (f'<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8"><title>{a} ~ {b}</title>'
            f"<style>{_CSS}</style></head><body>\n<h1>Clause alignment</h1>\n"
            f"<p>identical {s.identical} · edited {s.edited} · related {s.related} · moved {s.moved} · "
            f"only in A {s.only_a} · only in B {s.only_b}</p>\n"
            f"<table><thead><tr><th>A: {a}</th><th>B: {b}</th></tr></thead><tbody>\n{rows}\n"
            f"</tbody></table></body></html>\n")
