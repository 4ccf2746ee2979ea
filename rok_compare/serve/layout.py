"""The frame of every served page: the report's layout and stylesheet, plus the server's own rules.

Pages are built with the report's escaping HTML builder (:mod:`rok_compare.report.markup`): every
``str`` is escaped, so document text cannot become markup. Links are absolute (``/doc/1.html``)
because served pages live at ``/compare``, ``/diff`` and ``/search`` beside the report's files.
"""

from __future__ import annotations

from collections.abc import Iterable

from rok_compare.report.markup import Markup, el, link, page
from rok_compare.serve.catalog import DocumentEntry

STYLESHEET = "/_serve/serve.css"
CSS = """
.picker { display: grid; grid-template-columns: 1fr 1fr auto; gap: .8rem; align-items: end;
  background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin: .5rem 0 1rem; }
.picker label { display: flex; flex-direction: column; gap: .2rem; font-size: .8rem; color: var(--muted);
  min-width: 0; }
.picker select, .search-form input { font-size: .95rem; padding: .45rem; border: 1px solid #c3ccd5;
  border-radius: 6px; background: #fff; width: 100%; }
.search-form input[type=search] { flex: 1 1 calc(100% - 8rem); }
.search-form .break { flex-basis: 100%; height: 0; }
.search-form input[type=number] { width: 6.5rem; }
.search-form input[name=party] { width: 14rem; }
button { font-size: .95rem; padding: .5rem 1.1rem; border: 0; border-radius: 6px; background: var(--accent);
  color: #fff; cursor: pointer; }
button:hover { background: var(--accent-dark); }
.flag { display: inline-block; font-size: .7rem; padding: 0 .4rem; border-radius: 8px; margin-left: .3rem;
  background: #fdebd0; color: #7a4a05; }
.flag.split, .flag.merge { background: #e4dcf5; color: #46307a; }
table.sxs tr.moved td { box-shadow: inset 3px 0 0 #e0a040; }
table.sxs th a, .cmeta a { color: inherit; }
.callout { background: #eef6ee; border: 1px solid #bcdcc0; border-radius: 8px; padding: .6rem .9rem;
  margin: .5rem 0 1rem; }
.error { background: #fdf1f1; border: 1px solid #e3a3a3; color: #8f1d1d; border-radius: 8px; padding: .6rem .9rem; }
.results .rmeta a.doc { font-weight: 600; }
.results .also { font-size: .8rem; color: var(--muted); margin: .3rem 0 0; }
svg.share-bar { display: block; width: 100%; max-width: 40rem; height: .7rem; border-radius: 4px;
  margin: .2rem 0 1rem; }
.s-unchanged { fill: #b8c2cc; background: #b8c2cc; } .s-edited { fill: #e0a040; background: #e0a040; }
.s-added { fill: #5bb26f; background: #5bb26f; } .s-removed { fill: #d9534f; background: #d9534f; }
.shares i { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin: 0 .3rem 0 .8rem;
  vertical-align: -1px; }
.actions { display: flex; gap: 1.2rem; margin: -.4rem 0 .8rem; font-size: .9rem; }
@media (max-width: 800px) { .picker { grid-template-columns: 1fr; } }
"""


def served_page(title: str, body: object, *, active: str = "", subtitle: object = None) -> str:
    """A whole page in the report's layout (its nav bar links back into the report)."""
    html = page(title, body, root="/", active=active, subtitle=subtitle)
    return html.replace("</head>", f'<link rel="stylesheet" href="{STYLESHEET}"></head>', 1)


def not_found_page(message: str, back: Markup | None = None) -> str:
    """The one line saying what was not found, and where to go instead."""
    return served_page("Not found", [el("p", message, class_="error", id="message"),
                                     el("p", back, class_="note") if back else None])


def document_picker(name: str, caption: str, entries: Iterable[DocumentEntry], selected: int | None) -> Markup:
    """A select of every stored document, grouped by county, each option its label."""
    groups: dict[str, list[DocumentEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.county or "unknown county", []).append(entry)
    options = [el("option", "— pick a document —", value="", selected=selected is None)]
    for county, members in groups.items():
        options.append(el("optgroup", [el("option", e.label, value=str(e.id), selected=e.id == selected)
                                       for e in members], label=county))
    return el("label", caption, el("select", options, name=name, id=f"pick-{name}", required=True))


def doc_link(entry: DocumentEntry, anchor: str = "", text: object = None) -> Markup:
    return link(entry.page + anchor, text if text is not None else entry.label, title=entry.path)
