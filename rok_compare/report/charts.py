"""Hand-written inline SVG charts: stacked bars, column charts, heatmaps, timelines.

No chart library and nothing from the network: each function returns an ``<svg>`` element (as
:class:`~rok_compare.report.markup.Markup`) sized by its content, with ``<title>`` tooltips.
Every label goes through the escaping builder.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rok_compare.report.markup import Markup, el

PALETTE = ["#2f6f9f", "#e07b39", "#4e9a62", "#b3475d", "#7d5ba6", "#c9a227", "#3a9c9c", "#8c6d4f",
           "#d16ba5", "#6b7b8c"]
FONT = 12
LABEL_CHAR_WIDTH = 0.65 * FONT
"""Room a character of a column label takes, with the gap to the next label: labels that would touch
are thinned to every second (third, ...) column."""


def colour(k: int) -> str:
    return PALETTE[k % len(PALETTE)]


def heat(value: float) -> str:
    """A sequential white-to-blue colour for 0 <= value <= 1."""
    v = min(max(value, 0.0), 1.0)
    low, high = (247, 251, 255), (8, 69, 148)
    r, g, b = (round(lo + (hi - lo) * v ** 0.8) for lo, hi in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def ink(value: float) -> str:
    """Text colour readable on :func:`heat` of ``value``."""
    return "#fff" if value > 0.55 else "#1d2733"


def _svg(width: float, height: float, *children: object, label: str) -> Markup:
    return el("svg", el("title", label), *children, xmlns="http://www.w3.org/2000/svg", width=round(width),
              height=round(height), viewBox=f"0 0 {round(width)} {round(height)}", role="img", class_="chart")


def _text(x: float, y: float, text: object, anchor: str = "start", **attrs: object) -> Markup:
    return el("text", text, x=round(x, 1), y=round(y, 1), text_anchor=anchor, **attrs)


def legend(series: Sequence[str]) -> Markup:
    return el("div", [el("span", el("i", style=f"background:{colour(k)}"), name, class_="key")
                      for k, name in enumerate(series)], class_="legend")


def stacked_bars(labels: Sequence[str], series: Sequence[str], values: Sequence[Sequence[int]],
                 title: str, label_width: int = 170, width: int = 720,
                 links: Sequence[str | None] | None = None) -> Markup:
    """Horizontal bars, one per label, stacked by series (``values[label][series]``)."""
    bar, gap, top = 18, 6, 8
    total = max((sum(row) for row in values), default=0) or 1
    scale = (width - label_width - 40) / total
    rows = []
    for i, (label, row) in enumerate(zip(labels, values, strict=True)):
        y = top + i * (bar + gap)
        name = _text(label_width - 8, y + bar - 5, label, "end")
        if links and links[i]:
            name = el("a", name, href=links[i])
        x, parts = float(label_width), []
        for k, v in enumerate(row):
            if v:
                parts.append(el("rect", el("title", f"{label}: {series[k]} {v}"), x=round(x, 1), y=y,
                                width=round(v * scale, 1), height=bar, fill=colour(k), rx=2))
                x += v * scale
        rows.append(el("g", name, parts, _text(x + 5, y + bar - 5, sum(row), class_="value")))
    height = top * 2 + len(labels) * (bar + gap)
    return el("figure", _svg(width, height, rows, label=title), legend(series) if len(series) > 1 else None)


def columns(labels: Sequence[str], values: Sequence[int], title: str, width: int = 720, height: int = 200) -> Markup:
    """Vertical bars with a label under each (e.g. documents per year)."""
    if not labels:
        return Markup("")
    bottom, top = 34, 16
    step = (width - 20) / len(labels)
    bar = min(step * 0.7, 48)
    peak = max(values) or 1
    every = math.ceil(max(len(label) for label in labels) * LABEL_CHAR_WIDTH / step)
    parts = []
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        h = (height - bottom - top) * v / peak
        x = 10 + i * step + (step - bar) / 2
        y = height - bottom - h
        parts.append(el("g", el("rect", el("title", f"{label}: {v}"), x=round(x, 1), y=round(y, 1),
                                width=round(bar, 1), height=round(h, 1), fill=colour(0), rx=2),
                        _text(x + bar / 2, y - 4, v, "middle", class_="value") if v else None,
                        _text(x + bar / 2, height - bottom + 16, label, "middle") if i % every == 0 else None))
    axis = el("line", x1=10, x2=width - 10, y1=height - bottom, y2=height - bottom, class_="axis")
    return el("figure", _svg(width, height, axis, parts, label=title))


def heatmap(labels: Sequence[str], values: Sequence[Sequence[float]], title: str,
            short: Sequence[str] | None = None, cell: int = 30, label_width: int = 190,
            links: Sequence[Sequence[dict[str, object] | None]] | None = None,
            row_links: Sequence[str | None] | None = None) -> Markup:
    """A square matrix of shares (0..1, shown in percent; colour scaled to the largest off-diagonal
    value), row labels left and (short) column labels rotated on top; zeros are left blank.

    ``links[i][j]`` are the attributes of an ``<a>`` around cell (i, j) (drill-down), ``row_links``
    the targets of the row labels."""
    n = len(labels)
    if n == 0:
        return Markup("")
    short = short or labels
    peak = max((v for i, row in enumerate(values) for j, v in enumerate(row) if i != j), default=0.0) or 1.0
    head = 130
    width, height = label_width + n * cell + 90, head + n * cell + 10
    parts = []
    for j, name in enumerate(short):
        x = label_width + j * cell + cell / 2 + 4
        parts.append(_text(x, head - 6, name, transform=f"rotate(-55 {x:.1f} {head - 6})"))
    for i, name in enumerate(labels):
        y = head + i * cell
        row_label = _text(label_width - 8, y + cell / 2 + 4, name, "end")
        parts.append(el("a", row_label, href=row_links[i]) if row_links and row_links[i] else row_label)
        for j, v in enumerate(values[i]):
            fill = "#eef1f4" if i == j else heat(v / peak) if v > 0 else "#f6f7f9"
            shown = "" if i == j or round(v * 100) == 0 else f"{v * 100:.0f}"
            attrs = links[i][j] if links and i != j else None
            tip = f"{name} ~ {labels[j]}: {v:.0%}" + (f"; {attrs.get('title')}" if attrs else "")
            square = el("g", el("rect", el("title", tip),
                                x=label_width + j * cell, y=y, width=cell - 2, height=cell - 2, fill=fill, rx=3),
                        _text(label_width + j * cell + (cell - 2) / 2, y + cell / 2 + 3, shown, "middle",
                              style=f"fill:{ink(v / peak)}", class_="cell"))
            parts.append(el("a", square, **{k: val for k, val in attrs.items() if k != "title"})
                         if attrs else square)
    return el("figure", _svg(width, height, parts, label=title), class_="scroll")


def timeline(rows: Sequence[tuple[str, Sequence[tuple[int, int, str, str | None, int]]]], title: str,
             label_width: int = 170, width: int = 960) -> Markup:
    """One band per county, one lane per document: each item ``(start, end, label, href, colour index)``
    is a bar over its years (inclusive), labelled with ``label`` inside or beside it."""
    years = [y for _, items in rows for s, e, *_ in items for y in (s, e)]
    if not years:
        return Markup("")
    first, last = min(years), max(years) + 1  # bars end at the end of their last year
    scale = (width - label_width - 150) / max(last - first, 1)  # room for labels beside bars
    lane, top = 22, 28
    bottom = top + sum(len(items) * lane + 10 for _, items in rows)
    step = 1 if scale >= 34 else 2 if scale >= 17 else 5
    parts = []
    for year in range(first, last + 1):
        x = label_width + (year - first) * scale
        parts.append(el("line", x1=round(x, 1), x2=round(x, 1), y1=top - 6, y2=bottom, class_="grid"))
        if year < last and year % step == 0:
            parts.append(_text(x + scale / 2, top - 10, year, "middle", class_="year"))
    y = top
    for county, items in rows:
        parts.append(el("line", x1=0, x2=width, y1=y - 4, y2=y - 4, class_="axis"))
        parts.append(_text(label_width - 8, y + 15, county, "end", font_weight=600))
        for start, end, label, href, k in items:
            x = label_width + (start - first) * scale
            w = max((end + 1 - start) * scale - 2, 6)
            inside = len(label) * 6.5 < w - 8
            bar = el("g", el("rect", el("title", label), x=round(x + 1, 1), y=y + 2, width=round(w, 1),
                             height=lane - 6, fill=colour(k), rx=3),
                     _text(x + 6 if inside else x + w + 6, y + 14, label, style="fill:#fff" if inside else None,
                           class_=None if inside else "value"))
            parts.append(el("a", bar, href=href) if href else bar)
            y += lane
        y += 10
    return el("figure", _svg(width, y + 4, parts, label=title), class_="scroll")
