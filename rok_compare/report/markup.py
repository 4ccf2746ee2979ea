"""A tiny HTML builder that escapes by default, and the site's page layout.

Every ``str`` handed to :func:`el` or :func:`esc` is escaped; only :class:`Markup` (HTML built by
these helpers) passes through as it is. Pages are therefore built from document text without any
chance of it turning into markup: the one way to emit raw HTML is to wrap it in ``Markup`` by
hand, which this package does only for its own fixed strings.

Bidirectional controls (U+202A–202E, U+2066–2069) in document text would reorder what a reader
sees ("invoice_fdp.exe" shown as "invoice_exe.pdf"); they are shown as a marked "[U+202E]" instead.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass


class Markup(str):
    """HTML that is safe to emit as it is."""

    __slots__ = ()


BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def bidi_label(char: str) -> str:
    """The visible stand-in for a bidirectional control character: "[U+202E]"."""
    return f"[U+{ord(char):04X}]"


def show_bidi(text: str) -> str:
    """Plain text with each bidi control replaced by its visible label (for attributes, titles, data)."""
    return BIDI_CONTROLS.sub(lambda m: bidi_label(m.group()), text)


def _bidi_span(match: re.Match[str]) -> str:
    return (f'<span class="bidi" title="bidirectional control character {bidi_label(match.group())[1:-1]}, '
            f'shown instead of applied">{bidi_label(match.group())}</span>')


_SPECIAL = re.compile("[&<>\"'\u202a-\u202e\u2066-\u2069]")
"""What escaping changes: a text without any of these is written as it is (most are)."""
_search = _SPECIAL.search


def esc(value: object) -> Markup:
    """``value`` as safe HTML: Markup unchanged, anything else escaped (None becomes nothing), with
    bidi controls shown as marked labels."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, str | int | float):
        text = str(value)
        if _SPECIAL.search(text) is None:
            return Markup(text)
        return Markup(BIDI_CONTROLS.sub(_bidi_span, html.escape(text, quote=True)))
    return Markup("".join([esc(item) for item in value]))  # type: ignore[attr-defined]


def esc_text(value: object) -> Markup:
    """Like :func:`esc` for places that hold text only (attribute values, ``<title>``): labels, no span."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, str | int | float):
        text = str(value)
        if _SPECIAL.search(text) is None:
            return Markup(text)
        return Markup(html.escape(show_bidi(text), quote=True))
    return Markup("".join([esc_text(item) for item in value]))  # type: ignore[attr-defined]


_ATTRIBUTE_NAMES: dict[str, str] = {}


def _attribute_name(key: str) -> str:
    name = _ATTRIBUTE_NAMES[key] = key.rstrip("_").replace("_", "-")
    return name


def _attribute(key: str, value: object) -> str:
    name = _ATTRIBUTE_NAMES.get(key) or _attribute_name(key)
    if value is True:
        return name
    if type(value) is str and _SPECIAL.search(value) is None:
        return f'{name}="{value}"'
    return f'{name}="{esc_text(value)}"'


def _content(children: Iterable[object]) -> str:
    """The children escaped and joined (what :func:`esc` does, without a Markup for each child)."""
    out: list[str] = []
    for item in children:
        kind = type(item)
        if kind is Markup:
            out.append(item)  # type: ignore[arg-type]
        elif kind is str:
            out.append(item if _SPECIAL.search(item) is None else esc(item))  # type: ignore[arg-type]
        elif item is None:
            continue
        elif kind is list or kind is tuple:
            out.append(_content(item))  # type: ignore[arg-type]
        else:
            out.append(esc(item))
    return "".join(out)


def el(tag: str, *children: object, **attrs: object) -> Markup:
    """``<tag attrs>children</tag>``; ``class_`` stands for ``class``, ``data_x`` for ``data-x``;
    an attribute that is None or False is left out, True is written bare."""
    if attrs:
        parts = []
        for key, value in attrs.items():  # what _attribute does, inline: a page makes a million of these
            if value is None or value is False:
                continue
            name = _ATTRIBUTE_NAMES.get(key) or _attribute_name(key)
            if value is True:
                parts.append(name)
            elif type(value) is str and _search(value) is None:
                parts.append(f'{name}="{value}"')
            else:
                parts.append(f'{name}="{esc_text(value)}"')
        opening = f"<{tag} {' '.join(parts)}>" if parts else f"<{tag}>"
    else:
        opening = f"<{tag}>"
    if tag in _VOID:
        return Markup(opening)
    if tag in _TEXT_ONLY:
        return Markup(f"{opening}{esc_text(children)}</{tag}>")
    if len(children) == 1:  # the common case, without building a list
        item = children[0]
        kind = type(item)
        if kind is Markup:
            return Markup(f"{opening}{item}</{tag}>")
        if kind is str and _search(item) is None:  # type: ignore[arg-type]
            return Markup(f"{opening}{item}</{tag}>")
    return Markup(f"{opening}{_content(children)}</{tag}>")


_TEXT_ONLY = {"title", "option", "textarea"}


_VOID = {"meta", "link", "input", "br", "hr", "img"}


def link(href: str, *children: object, **attrs: object) -> Markup:
    return el("a", *children, href=href, **attrs)


@dataclass(frozen=True, slots=True)
class Column:
    """A table column as ``tables.js`` works it: how it sorts, whether it gets a select filter.

    ``type`` is "text", "number" (right-aligned; first click sorts largest first; a cell's ``sort``
    value wins over its text), "rank" (as "number", not aligned: a strength by its level) or "year"
    (the first four-digit number in the cell).
    ``key`` names the select filter in a page's address (``party/x.html#county=Gotlands län``)."""

    name: object
    type: str = "text"
    filter: bool = False
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell with what the script needs besides its content: the sort value, the text
    written to CSV, and the categories a select filter matches (when the cell holds several)."""

    content: object
    sort: object = None
    csv: str | None = None
    values: tuple[str, ...] | None = None


CATEGORY_SEPARATOR = "\n"
"""Between a cell's categories in ``data-values`` (names and themes hold no line break)."""


def table(headers: Iterable[object], rows: Iterable[Iterable[object]], class_: str = "data",
          numeric: Iterable[int] = (), name: str = "table") -> Markup:
    """A table that ``tables.js`` makes sortable, filterable and downloadable as ``<name>.csv``.

    ``headers`` are :class:`Column` or plain names; a plain name's column is "number" when its
    index is in ``numeric``. Number columns are right-aligned."""
    columns = [h if isinstance(h, Column) else Column(h, "number" if k in set(numeric) else "text")
               for k, h in enumerate(headers)]
    head = el("thead", el("tr", [el("th", c.name, class_="num" if c.type == "number" else None, data_type=c.type,
                                    data_filter=c.filter or None, data_key=c.key) for c in columns]))
    body = el("tbody", [el("tr", [cell_td(cell, "num" if k < len(columns) and columns[k].type == "number" else None)
                                  for k, cell in enumerate(row)]) for row in rows])
    return el("div", el("table", head, body, class_=class_, data_table=name), class_="table-wrap")


def cell_td(cell: object, class_: str | None = None, tag: str = "td", **attrs: object) -> Markup:
    """A ``<td>`` of a plain value or of a :class:`Cell` (with its data attributes)."""
    if not isinstance(cell, Cell):
        return el(tag, cell, class_=class_, **attrs)
    values = CATEGORY_SEPARATOR.join(" ".join(v.split()) for v in cell.values) if cell.values is not None else None
    return el(tag, cell.content, class_=class_, data_sort=cell.sort, data_csv=cell.csv, data_values=values, **attrs)


@dataclass(frozen=True, slots=True)
class NavItem:
    href: str
    label: str


NAV = [NavItem("index.html", "Overview"), NavItem("documents.html", "Documents"),
       NavItem("parties.html", "Parties"), NavItem("themes.html", "Themes"),
       NavItem("similarity.html", "Similarity"), NavItem("reuse.html", "Reuse"),
       NavItem("compare.html", "Comparisons"), NavItem("timeline.html", "Timeline"),
       NavItem("search.html", "Search")]


SCRIPTS = ("tables.js", "links.js")
"""Scripts on every page: working tables; compare links and clause anchors."""


def page(title: str, body: object, *, root: str = "", active: str = "", scripts: Iterable[str] = (),
         subtitle: object = None) -> str:
    """A whole page: head, nav bar (``active`` marks the current item), heading and body.

    ``root`` is the way back to the site root from the page ("" or "../").
    """
    nav = el("nav", el("div", link(f"{root}index.html", "RÖK compare", class_="brand"),
                       el("ul", [el("li", link(root + item.href, item.label,
                                               class_="active" if item.href == active else None))
                                 for item in NAV]), class_="nav-inner"))
    head = Markup('<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">')
    header = el("header", el("h1", title), el("p", subtitle, class_="subtitle") if subtitle else None)
    script_tags = [el("script", src=root + src) for src in [*scripts, *SCRIPTS]]
    return "<!DOCTYPE html>\n" + el(
        "html",
        el("head", head, el("title", f"{title} · RÖK compare"), el("link", rel="stylesheet", href=f"{root}style.css")),
        el("body", nav, el("main", header, body),
           el("footer", "Generated by rok-compare from the corpus store. Document texts are shown as "
                        "extracted; nothing on these pages loads from the network."),
           script_tags),
        lang="en") + "\n"


def badge(text: object, kind: str = "") -> Markup:
    return el("span", text, class_=f"badge {kind}".strip())


def section(title: object, *children: object, id_: str | None = None, note: object = None) -> Markup:
    return el("section", el("h2", title), el("p", note, class_="note") if note else None, *children, id=id_)


def stat_cards(items: Iterable[tuple[str, object]]) -> Markup:
    return el("div", [el("div", el("div", value, class_="value"), el("div", label, class_="label"), class_="card")
                      for label, value in items], class_="cards")
