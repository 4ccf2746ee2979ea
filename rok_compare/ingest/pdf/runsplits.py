"""Second looks at a page's runs, word by word, where PDFium ran two things into one run: a
label at the right margin beside a heading (sparse runs), a label in the left margin beside a
body line, a row whose labels were written before its values (interleaved runs), and a line of
each of two columns written row by row (hidden gutters). Each splits runs in place.
"""

from __future__ import annotations

import re
from collections import Counter
from operator import attrgetter

from rok_compare.ingest.pdf.chars import Chars
from rok_compare.ingest.pdf.runs import Fragment, clean, split_words

_X1 = attrgetter("x1")
_MIDDLE = attrgetter("middle")

SPARSE = 1.4
"""A run this many times wider per character than the page's usual run may hold a wide gap (a
heading and a running label at the right margin, on one baseline, run together by PDFium): it is
looked at word by word, and split where a gap is wider than ``WORD_GAP``. Fonts differ too much
for one absolute width (0.3 to 0.8 line heights a character), so the page is its own measure."""
LABEL_CHARS = 24
"""A label split off a sparse run at the right margin is at most this long ("NFS 2007:10")."""
GUTTER_GAP = 1.0
"""A gap between columns is at least this many line heights wide."""


def split_sparse(fragments: list[Fragment], runs: list[tuple[int, int, int]], spread: list[float], text: str,
                 chars: Chars) -> None:
    """Runs much wider per character than the page's median run (``spread``, one a run) whose
    last word group, after a wide gap, is a short label at the page's right margin: the label
    split off (in place; ``runs`` is updated to the fragments' new places, the split ones left
    out). Only at the margin: a form's "Namn:   IT-konsulttjänster" stays one run."""
    measured = sorted(filter(None, spread))
    if len(measured) < 5:
        return
    limit = SPARSE * measured[len(measured) // 2]
    right = max(map(_X1, fragments))
    sparse = []
    if measured[-1] > limit:  # runs spread out: a label at the margin, or one whose second line stands there
        for run, ratio in zip(runs, spread, strict=True):
            fragment = fragments[run[0]]
            if ratio > limit and " " in fragment.text and (
                    right - fragment.x1 < 2 * max(fragment.height, 1.0) or _label_goes_on(fragment, fragments, right)):
                sparse.append(run)
    edge = _usual_right_edge(fragments)
    heights = sorted(f.height for f in fragments[:: max(1, len(fragments) // 15)])
    height = 2 * max(1.0, heights[len(heights) // 2])  # two line heights
    if right - edge > height:  # the body ends short of the margin: runs reaching past its edge to the margin
        chosen = {run[0] for run in sparse}
        sparse += [run for run in runs if run[0] not in chosen and fragments[run[0]].x0 < edge - height
                   and right - fragments[run[0]].x1 < height and " " in fragments[run[0]].text]
    if not sparse:
        return
    replaced = {}
    for index, start, end in sparse:
        pieces = split_words(text, start, end, chars)
        label = pieces[-1]
        if len(pieces) > 1 and len(label.text) <= LABEL_CHARS and (
                right - label.x1 < max(label.height, 1.0) or _label_goes_on(label, fragments, right)):
            whole = fragments[index]  # the text before the label stays one fragment
            replaced[index] = [Fragment(clean(text[start : pieces[-2].end]), whole.x0, pieces[-2].x1, whole.bottom,
                                        whole.top, whole.bold, start, pieces[-2].end), label]
    if not replaced:
        return
    moved: dict[int, int] = {}
    result: list[Fragment] = []
    for index, fragment in enumerate(fragments):
        if index in replaced:
            result += replaced[index]
        else:
            moved[index] = len(result)
            result.append(fragment)
    fragments[:] = result
    runs[:] = [(moved[index], start, end) for index, start, end in runs if index in moved]


_LETTERS = re.compile(r"[^\W\d_]{2}")
"""A label holds a word ("NFS 2007:10", "Bilaga 1"); a heading's number in the margin ("§ 4.",
"2.1") holds none and stays with its heading; a key ending in a colon stays with its value."""
LEFT_EDGE_LINES = 3
"""Lines that start at one place, at least, for it to be where the page's lines start."""


def split_left_labels(fragments: list[Fragment], text: str, chars: Chars) -> None:
    """A short label in the left margin that PDFium ran into the body line beside it ("NFS
    2007:10      Viltskadecenter för ..."): split off at the wide gap (in place), when the label
    stands wholly left of where the page's lines start and the rest starts there or further
    right. The usual page, whose leftmost start is shared by several lines, is left at once."""
    if len(fragments) < 2 * LEFT_EDGE_LINES:
        return
    leftmost = min(f.x0 for f in fragments)
    if sum(1 for f in fragments if f.x0 < leftmost + 1.0) >= LEFT_EDGE_LINES:
        return
    starts = Counter(round(f.x0) for f in fragments)
    edge = min((x for x, count in starts.items() if count >= LEFT_EDGE_LINES), default=None)
    if edge is None:
        return
    replaced: dict[int, list[Fragment]] = {}
    for index, fragment in enumerate(fragments):
        height = max(fragment.height, 1.0)
        if fragment.x0 > edge - 2 * height or fragment.x1 < edge or fragment.start < 0 or " " not in fragment.text:
            continue
        pieces = split_words(text, fragment.start, fragment.end, chars)
        if len(pieces) < 2:
            continue
        label, rest = pieces[0], pieces[1]
        if len(label.text) <= LABEL_CHARS and _LETTERS.search(label.text) and not label.text.endswith(":") \
                and label.x1 < edge - height \
                and rest.x0 >= edge - 1.5:
            replaced[index] = [label, Fragment(clean(text[rest.start : fragment.end]), rest.x0, fragment.x1,
                                               fragment.bottom, fragment.top, fragment.bold, rest.start, fragment.end)]
    if replaced:
        fragments[:] = [piece for index, fragment in enumerate(fragments) for piece in replaced.get(index, [fragment])]


def split_interleaved(fragments: list[Fragment], text: str, chars: Chars) -> None:
    """A run with another run of its line standing inside one of its gaps: PDFium wrote a row's
    labels first and its values after ("Från:  Till:", then "Dold", "Alla"), so one run spans
    both labels. It is split at its wide gaps (in place), and the row reads left to right."""
    if len(fragments) < 2:
        return
    order = sorted(fragments, key=_MIDDLE)
    replaced: dict[int, list[Fragment]] = {}
    tried: set[int] = set()
    count = len(order)
    for position in range(count):
        lower = order[position]
        for following in range(position + 1, count):
            upper = order[following]
            if upper.middle - lower.middle >= 0.4 * min(lower.height, upper.height):
                break
            for wide, inner in ((lower, upper), (upper, lower)):
                if wide.x0 < inner.x0 and inner.x1 <= wide.x1 + 1.0 and id(wide) not in tried \
                        and wide.start >= 0 and " " in wide.text:
                    tried.add(id(wide))
                    pieces = split_words(text, wide.start, wide.end, chars)
                    if len(pieces) > 1:
                        replaced[id(wide)] = pieces
    if replaced:
        fragments[:] = [piece for fragment in fragments for piece in replaced.get(id(fragment), [fragment])]


def _usual_right_edge(fragments: list[Fragment]) -> float:
    """Where the lines of the page's body end: a high percentile of the long lines' ends (a
    sample), so that a line or two reaching further out do not count."""
    ends = sorted(f.x1 for f in fragments[:: max(1, len(fragments) // 40)] if len(f.text) > 20)
    return ends[int(0.9 * (len(ends) - 1))] if ends else max(map(_X1, fragments))


def _label_goes_on(label: Fragment, fragments: list[Fragment], right: float) -> bool:
    """The label's second line stands right below it, starting where it starts and ending at
    the page's right margin ("Prop." over "2022/23:105" beside a title)."""
    height = max(label.height, 1.0)
    return any(label.x0 - 1.5 < f.x0 < label.x1
               and (abs(f.x0 - label.x0) < 1.5 or label.x1 - f.x0 < 0.4 * (label.x1 - label.x0))
               and right - f.x1 < height and len(f.text) <= LABEL_CHARS
               and label.bottom - 1.5 * height < f.top <= label.bottom + 0.5 * height for f in fragments)


def split_hidden_gutters(fragments: list[Fragment], runs: list[tuple[int, int, int]], text: str,
                         chars: Chars) -> None:
    """When columns are written row by row, PDFium joins a line of each column into one run.

    Sample wide runs across the page; when several of them have a wide gap at the same place
    near the middle (a gutter, not the stretched spaces of justified text), split every wide
    run at the gap that crosses that place.
    """
    if len(fragments) < 4:
        return
    left = min(f.x0 for f in fragments)
    right = max(f.x1 for f in fragments)
    width = right - left
    wide = [run for run in runs if fragments[run[0]].width > 0.55 * width and " " in fragments[run[0]].text]
    if len(wide) < 3:  # two rows run together (a header and a footer, say) show no columns
        return
    sample = wide[:: max(1, len(wide) // 8)][:8]
    gaps = []
    for _, start, end in sample:
        pieces = split_words(text, start, end, chars)
        gaps += [(a.x1, b.x0) for a, b in zip(pieces, pieces[1:], strict=False)
                 if b.x0 - a.x1 > GUTTER_GAP * max(a.height, 1.0)
                 and left + 0.2 * width < (a.x1 + b.x0) / 2 < right - 0.2 * width]
    gutter = _common_strip(gaps, needed=3)
    if gutter is None:
        return
    replaced = {index: split_words(text, start, end, chars, gutter) for index, start, end in wide}
    fragments[:] = [piece for index, fragment in enumerate(fragments)
                    for piece in replaced.get(index, [fragment])]


def _common_strip(gaps: list[tuple[float, float]], needed: int) -> tuple[float, float] | None:
    """The strip shared by at least ``needed`` of the gaps, if there is one."""
    for start, end in gaps:
        shared = [(a, b) for a, b in gaps if a < end and b > start]
        if len(shared) >= needed:
            return max(a for a, _ in shared), min(b for _, b in shared)
    return None
