"""``/search``: the clause search form and its results, each labelled by its document and linked
to the clause's anchor on the document's report page, a page of hits at a time."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from rok_compare.model import ClauseKind
from rok_compare.report.markup import Markup, el, link
from rok_compare.search import SearchHit
from rok_compare.serve.catalog import DocumentEntry
from rok_compare.serve.layout import served_page
from rok_compare.serve.searching import SearchRequest, SearchResult, clause_url

LIMITS = (20, 50, 100, 200)
"""The choices of how many hits to show at once (20 is ``rok search``'s default)."""
OTHER_PLACES = 6
"""Other documents listed under a hit that recurs; the rest are counted."""
HELP = ('Words find their Swedish forms and compounds (bostad: bostäder, bostadsförsörjning); "an exact phrase", '
        "prefix*, OR, -word; or a filter alone.")


def search_page(request: SearchRequest, result: SearchResult, entries: Sequence[DocumentEntry],
                parties: Sequence[str], themes: Sequence[str], error: str | None = None) -> str:
    body: list[object] = [_form(request, entries, parties, themes)]
    if error:
        body.append(el("p", error, class_="error", id="message"))
    elif request.asked:
        body.append(el("p", _count(result, request), class_="muted", id="count", data_count=str(len(result.hits)),
                       data_total=str(result.total)))
        body.append(el("ol", [_hit(hit) for hit in result.hits], class_="results", id="results",
                       start=str(request.offset + 1)))
        body.append(_pages(request, result))
    else:
        body.append(el("p", HELP, class_="note", id="count", data_count="0"))
    title = f"Search: {request.q}" if request.q else "Search clauses"
    return served_page(title, body, active="search.html")


def _count(result: SearchResult, request: SearchRequest) -> str:
    if not result.hits:
        return "no matching clauses" + (f" after the first {request.offset}" if request.offset else "")
    first, last = request.offset + 1, request.offset + len(result.hits)
    if not result.families:  # a query matching very many clauses: its clauses counted by the word index
        return (f"{first}–{last} of {'more than ' if result.more else ''}{result.total:,} matching clauses "
                "(copies counted apart)")
    shown = f"{first}–{last}" if first != 1 or last != result.total else "all"
    return f"{shown} of {result.total} matching clause{'s' if result.total != 1 else ''} (copies counted once)"


def _pages(request: SearchRequest, result: SearchResult) -> Markup | None:
    """Links to the previous and next page of hits."""
    links = []
    if request.offset > 0:
        previous = max(0, request.offset - request.limit)
        links.append(link("/search?" + urlencode(request.params(offset=previous)), "← previous", id="previous"))
    if request.offset + len(result.hits) < result.total or result.more:
        following = request.offset + len(result.hits)
        links.append(link("/search?" + urlencode(request.params(offset=following)), "next →", id="next"))
    return el("p", links, class_="actions") if links else None


def _form(request: SearchRequest, entries: Sequence[DocumentEntry], parties: Sequence[str],
          themes: Sequence[str]) -> Markup:
    counties = sorted({(e.county_code or "99", e.county) for e in entries if e.county})
    types = sorted({e.doc_type for e in entries})
    fields = [
        el("input", type="search", name="q", id="q", value=request.q, autofocus=True,
           placeholder="Search clauses, e.g. bostad", aria_label="Search words", title=HELP),
        el("button", "Search", type="submit", id="search"),
        el("div", class_="break"),
        _select("county", "County", [(name, name) for _, name in counties], request.county),
        _select("type", "Document type", [(t, t.replace("_", " ")) for t in types], request.type),
        _select("kind", "Clause kind", [(k.value, k.value) for k in ClauseKind], request.kind),
        _select("theme", "Theme", [(t, t.replace("_", " ")) for t in themes], request.theme),
        el("label", "Party", el("input", type="text", name="party", id="f-party", value=request.party,
                                list="party-names", placeholder="e.g. Arbetsförmedlingen")),
        el("datalist", [el("option", value=name) for name in parties], id="party-names"),
        el("label", "Valid in", el("input", type="text", name="year", id="f-year", value=request.year,
                                   placeholder="2019, 2017-2019", size="10")),
        _select("limit", "Show", [(str(n), f"{n} at a time") for n in LIMITS], str(request.limit), everything=None),
    ]
    return el("form", fields, action="/search", method="get", class_="search-form", id="search-form")


def _select(name: str, caption: str, choices: Sequence[tuple[str, str]], selected: str,
            everything: str | None = "all") -> Markup:
    """A select of ``choices`` (value, shown), first an option for no filter unless ``everything`` is None."""
    first = [el("option", everything, value="")] if everything is not None else []
    options = first + [el("option", shown, value=value, selected=value == selected) for value, shown in choices]
    return el("label", caption, el("select", options, name=name, id=f"f-{name}"))


def _hit(hit: SearchHit) -> Markup:
    o = hit.occurrence
    meta = [link(clause_url(o.document_id, o.clause_id), o.label, class_="doc", title=o.path),
            el("span", f"§ {o.section}") if o.section else None,
            el("span", f"p. {o.page}") if o.page else None,
            el("span", hit.kind, class_="badge"),
            el("span", ", ".join(t.replace("_", " ") for t in hit.themes)) if hit.themes else None,
            el("span", f"score {hit.score:.2f}")]
    return el("li", el("div", meta, class_="rmeta"), el("div", marked(hit.text, hit.highlights), class_="rtext"),
              _elsewhere(hit),
              data_clause_id=str(o.clause_id), data_document_id=str(o.document_id))


def marked(text: str, words: Sequence[str]) -> list[object]:
    """``text`` with each occurrence of ``words`` (the forms the search matched, as
    :attr:`SearchHit.highlights` lists them) in a ``<mark>``, the longest word first where several
    start at one place; the pieces stay text, escaped by :func:`el`."""
    folded = text.casefold()
    wanted = sorted({w.casefold() for w in words if w}, key=len, reverse=True)
    if not wanted or len(folded) != len(text):  # a fold that changes lengths would misplace the marks
        return [text]
    parts: list[object] = []
    at = start = 0
    while at < len(text):
        word = next((w for w in wanted if folded.startswith(w, at)), None)
        if word is None:
            at += 1
            continue
        parts += [text[start:at], el("mark", text[at:at + len(word)])]
        at = start = at + len(word)
    parts.append(text[start:])
    return [p for p in parts if p]


def _elsewhere(hit: SearchHit) -> Markup | None:
    """The other documents that carry this clause or a variant of it."""
    if hit.n_documents <= 1 and hit.n_variants <= 1:
        return None
    seen = {hit.occurrence.document_id}
    places = []
    for variant in hit.variants:
        for o in variant.occurrences:
            if o.document_id not in seen:
                seen.add(o.document_id)
                places.append(link(clause_url(o.document_id, o.clause_id), o.label))
    shown = places[:OTHER_PLACES]
    more = hit.n_documents - 1 - len(shown)
    others = hit.n_documents - 1
    parts: list[object] = [f"Also in {others} other document{'s' if others != 1 else ''}"
                           f" ({hit.n_variants} wording{'s' if hit.n_variants != 1 else ''}): "]
    for k, place in enumerate(shown):
        parts += [" · " if k else "", place]
    if more > 0:
        parts.append(f" and {more} more")
    return el("p", parts, class_="also")
