"""Text fragments of one page: runs of characters on one line, with their box, size and weight.

PDFium's text page gives the characters in content-stream order with spaces and line breaks
(``\\r\\n``) already inserted; we keep its characters but not its idea of layout. Asking for the
box of every character is the slow part (one C call each), so a run between two of PDFium's
line breaks is placed by the boxes of its first and last characters only. It is broken into
words (two boxes per word) only when those two disagree (PDFium joined two lines) or when the
page turns out to hide a column gutter inside its runs (columns written row by row).

Coordinates are PDF user space: x to the right, y upwards.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from operator import attrgetter

import pypdfium2.raw as pdfium_c

from rok_compare.ingest.pdf.chars import ANGLE as _ANGLE
from rok_compare.ingest.pdf.chars import RECT as _RECT
from rok_compare.ingest.pdf.chars import TWO_RECTS as _TWO_RECTS
from rok_compare.ingest.pdf.chars import Chars as _Chars
from rok_compare.ingest.pdf.chars import page_text
from rok_compare.ingest.pdf.marks import blank_note_marks, separate_marks
from rok_compare.ingest.pdf.spacing import GLUED, WORD_STRETCH, few_spaces, invisible, space_glued

_RUNS = re.compile(r"[^\s\ufffe\x02](?:[^\r\n\ufffe\x02]*[^\s\ufffe\x02])?[\ufffe\x02]?")
"""A run of characters between PDFium's line breaks, without outer spaces. PDFium marks a hyphen
it found at a line end as U+FFFE (or 0x02) and joins the next line on: the mark ends a run."""
_WORDS = re.compile(r"\S+")
_X1 = attrgetter("x1")
_MIDDLE = attrgetter("middle")
_TALL = frozenset("()[]{}|/")
"""Glyphs whose boxes reach above and below a line's letters: a line starting and ending with
them would look set in a larger size."""
_UNSURE = 500
"""A weight from 500 to 599 is asked of the font's name too (see ``chars``)."""
_CLEAN = {**{code: " " for code in range(32)}, 0x02: "-", 0xFFFE: "-", 0xA0: " ",
          **dict.fromkeys((0xF0B7, 0xF0A7, 0xF0A8, 0xF076, 0xF0D8, 0xF0FC, 0xF06E, 0xF0FB), "•")}
"""Control characters as spaces; the bullets of Symbol and Wingdings fonts (private-use code
points in Word's PDFs) as the bullet they show."""
_LIGATURES = {0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st"}
_HAS_LIGATURE = re.compile("[\ufb00-\ufb06]")
_SPACES = re.compile(" {2,}")
_ACCENTS = {"¨": "\u0308", "˚": "\u030a", "´": "\u0301", "ˆ": "\u0302", "˜": "\u0303", "¸": "\u0327", "ˇ": "\u030c"}
_HAS_ACCENT = re.compile(f"[{''.join(_ACCENTS)}]")
_ACCENT_BEFORE = re.compile(f"([{''.join(_ACCENTS)}])([^\\W\\d_])")
_ACCENT_AFTER = re.compile(f"([^\\W\\d_])([{''.join(_ACCENTS)}])(?![^\\W\\d_])")
WORD_GAP = 0.8
"""A gap wider than this many line heights inside a run separates two fragments."""
SPARSE = 1.4
"""A run this many times wider per character than the page's usual run may hold a wide gap (a
heading and a running label at the right margin, on one baseline, run together by PDFium): it is
looked at word by word, and split where a gap is wider than ``WORD_GAP``. Fonts differ too much
for one absolute width (0.3 to 0.8 line heights a character), so the page is its own measure."""
LABEL_CHARS = 24
"""A label split off a sparse run at the right margin is at most this long ("NFS 2007:10")."""
GUTTER_GAP = 1.0
"""A gap between columns is at least this many line heights wide."""
class Line:
    """Text on one baseline within one column, left to right: one fragment (a fragment is a
    line), or fragments joined (``layout.group_lines``)."""

    __slots__ = ("text", "x0", "x1", "bottom", "top", "bold", "height", "middle", "entry")

    def __init__(self, text: str, x0: float, x1: float, bottom: float, top: float, bold: bool,
                 entry: bool = False) -> None:
        self.text, self.x0, self.x1, self.bottom, self.top, self.bold = text, x0, x1, bottom, top, bold
        self.height = top - bottom
        self.middle = (top + bottom) / 2
        self.entry = entry
        """A table-of-contents entry: text, a wide gap, and a page number at the end."""

    def __repr__(self) -> str:
        return f"Line({self.text!r}, x={self.x0:.1f}-{self.x1:.1f}, y={self.bottom:.1f}-{self.top:.1f})"


class Fragment(Line):
    """A run of text on one line: its box (loose glyph boxes), whether all of it is bold, and
    where its characters stand in the page's text (``start``/``end``, -1 when not from it)."""

    __slots__ = ("start", "end")

    def __init__(self, text: str, x0: float, x1: float, bottom: float, top: float,
                 bold: bool = False, start: int = -1, end: int = -1) -> None:
        self.text, self.x0, self.x1, self.bottom, self.top, self.bold = text, x0, x1, bottom, top, bold
        self.height = top - bottom
        self.middle = (top + bottom) / 2
        self.entry = False
        self.start, self.end = start, end

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def __repr__(self) -> str:
        return f"Fragment({self.text!r}, x={self.x0:.1f}-{self.x1:.1f}, y={self.bottom:.1f}-{self.top:.1f})"


def _turned(angle: float) -> bool:
    """A character's angle (radians, -1 when unknown) is not upright."""
    return 0.05 < angle < 6.23


def page_fragments(textpage: object, marks: set[str] | None = None,
                   rotated: list[str] | None = None) -> list[Fragment]:
    """All fragments of a page, in PDFium's order; the footnote marks dropped from the body
    text ("1", "2") go into ``marks`` when it is given. Runs of rotated text (a margin's
    vertical reference number, a stamp) go into ``rotated`` instead, when it is given and they
    are the lesser part of the page: they are not lines of the body."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    text = page_text(textpage, count)
    chars = _Chars(textpage)
    text, found = blank_note_marks(text, chars)
    if marks is not None:
        marks.update(found)
    box, bold = chars.box, chars.bold
    # the hot loop: two boxes and a weight a run, called straight (no method call between)
    loose, weigh, address = chars.loose, chars.weigh, chars.address
    fragments: list[Fragment] = []
    wide: list[tuple[int, int, int]] = []  # (fragment index, start, end) of runs to check for gutters
    runs = list(_RUNS.finditer(text))
    check_angle = rotated is not None and _ANGLE is not None
    turned: list[re.Match] = []  # runs of rotated text: only those that do not run left to right
    spread: list[float] = []  # per entry of ``wide``: width per character, in line heights
    append_fragment, append_wide, append_spread = fragments.append, wide.append, spread.append
    pair, second = chars.pair, chars.address + _RECT.size  # the run's first and last boxes, side by side
    unpack_pair = _TWO_RECTS.unpack_from
    for match in runs:
        start, end = match.span()
        loose(start, address)
        loose(end - 1, second)
        first_x0, first_top, _, first_bottom, last_x0, last_top, last_x1, last_bottom = unpack_pair(pair)
        # a capital with a ring or dots (Å, Ä, Ö) sticks out above the font's ascent: the
        # lower of the two boxes is the line's height; the bottoms (descent) agree on one line
        height = first_top - first_bottom
        if last_top - last_bottom < height:
            height = last_top - last_bottom
        length = end - start
        if length > 2 and text[start] in _TALL and text[end - 1] in _TALL:  # "(a) ... (2p)"
            _, inner_bottom, _, inner_top = box(start + 1)
            height = min(height, inner_top - inner_bottom)
        upright = abs(first_bottom - last_bottom) < 0.5 * (height if height > 1.0 else 1.0) \
            and last_x1 >= first_x0 - 1
        if check_angle and (not upright or length <= 2) and _turned(_ANGLE(chars.handle, start)):
            turned.append(match)
        elif upright:
            bottom = first_bottom if first_bottom < last_bottom else last_bottom
            weight = weigh(start)
            heavy = False if 0 < weight < _UNSURE else bold(start) and bold(end - 1)
            piece = match.group()
            if piece[-1] in "\ufffe\x02" or not piece.isprintable():
                piece = _clean(piece)
            append_wide((len(fragments), start, end))
            append_fragment(Fragment(piece, first_x0, last_x1, bottom, bottom + height, heavy, start, end))
            append_spread((last_x1 - first_x0) / (length * height) if height > 1.0 and length > 3 else 0.0)
        else:  # PDFium ran two lines together
            fragments.extend(_split_words(text, start, end, chars))
    if turned and rotated is not None and len(turned) < 0.5 * len(runs):
        rotated.extend(_clean(match.group()) for match in turned)
    else:  # most of the page is turned (a landscape sheet drawn rotated): read it as it is
        for match in turned:
            fragments.extend(_split_words(text, match.start(), match.end(), chars))
    _split_sparse(fragments, wide, spread, text, chars)
    _split_hidden_gutters(fragments, wide, text, chars)
    _split_left_labels(fragments, text, chars)
    _split_interleaved(fragments, text, chars)
    if invisible(fragments, chars) or few_spaces(text) and GLUED.search(text) \
            and space_glued(fragments, chars, GLUED, False):
        space_glued(fragments, chars, WORD_STRETCH)  # an OCR layer, or words run together
    if marks is not None:
        separate_marks(fragments, marks)
    if _HAS_LIGATURE.search(text):
        _expand_ligatures(fragments)
    if _HAS_ACCENT.search(text):
        for fragment in fragments:
            if _HAS_ACCENT.search(fragment.text):
                fragment.text = compose_accents(fragment.text)
    if found:
        for fragment in fragments:
            if "  " in fragment.text:
                fragment.text = _SPACES.sub(" ", fragment.text)
    return fragments


def compose_accents(text: str) -> str:
    """"f¨or" -> "för", "p˚a" -> "på": TeX writes a spacing accent, then the letter it goes on
    (pdftotext puts them together, and so do we)."""
    text = _ACCENT_BEFORE.sub(lambda m: m.group(2) + _ACCENTS[m.group(1)], text)
    text = _ACCENT_AFTER.sub(lambda m: m.group(1) + _ACCENTS[m.group(2)], text)
    return unicodedata.normalize("NFC", text)


def _clean(text: str) -> str:
    if text[-1] in "\ufffe\x02":  # the usual case: PDFium's mark of a hyphen at the line end
        text = text[:-1] + "-"
    return text if text.isprintable() else text.translate(_CLEAN)


def _expand_ligatures(fragments: list[Fragment]) -> None:
    """"ﬁ" -> "fi" and the like (after the boxes are read: one glyph, several letters)."""
    for fragment in fragments:
        fragment.text = fragment.text.translate(_LIGATURES)


def _split_words(text: str, start: int, end: int, chars: _Chars,
                 gutter: tuple[float, float] | None = None) -> list[Fragment]:
    """Break a run into fragments at line changes and backward jumps (slow path), and at gaps:
    wider than ``WORD_GAP`` line heights, or, when ``gutter`` is given, only at gaps across it."""
    groups: list[list] = []  # [first char, end char, x0, x1, bottom, height]
    ends = chars.ends
    for word in _WORDS.finditer(text, start, end):
        x0, top, x1, low, _, last_top, last_x1, last_low = ends(word.start(), word.end() - 1)
        bottom, height = min(low, last_low), min(top - low, last_top - last_low)
        if groups:
            group = groups[-1]
            gap = x0 - group[3]
            line_height = max(group[5], 1.0)
            if gutter is not None:
                wide_gap = group[3] <= gutter[1] and x0 >= gutter[0] and gap > 0
            else:
                wide_gap = gap > WORD_GAP * line_height
            if abs(bottom - group[4]) < 0.5 * line_height and gap >= -1.0 and not wide_gap:
                group[1], group[3], group[5] = word.end(), max(group[3], last_x1), min(group[5], height)
                continue
        groups.append([word.start(), word.end(), x0, max(x1, last_x1), bottom, height])
    return [Fragment(_clean(text[s:e]), x0, x1, bottom, bottom + height, chars.bold(s) and chars.bold(e - 1),
                     s, e) for s, e, x0, x1, bottom, height in groups]


def _split_sparse(fragments: list[Fragment], runs: list[tuple[int, int, int]], spread: list[float], text: str,
                  chars: _Chars) -> None:
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
        pieces = _split_words(text, start, end, chars)
        label = pieces[-1]
        if len(pieces) > 1 and len(label.text) <= LABEL_CHARS and (
                right - label.x1 < max(label.height, 1.0) or _label_goes_on(label, fragments, right)):
            whole = fragments[index]  # the text before the label stays one fragment
            replaced[index] = [Fragment(_clean(text[start : pieces[-2].end]), whole.x0, pieces[-2].x1, whole.bottom,
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


def _split_left_labels(fragments: list[Fragment], text: str, chars: _Chars) -> None:
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
        pieces = _split_words(text, fragment.start, fragment.end, chars)
        if len(pieces) < 2:
            continue
        label, rest = pieces[0], pieces[1]
        if len(label.text) <= LABEL_CHARS and _LETTERS.search(label.text) and not label.text.endswith(":") \
                and label.x1 < edge - height \
                and rest.x0 >= edge - 1.5:
            replaced[index] = [label, Fragment(_clean(text[rest.start : fragment.end]), rest.x0, fragment.x1,
                                               fragment.bottom, fragment.top, fragment.bold, rest.start, fragment.end)]
    if replaced:
        fragments[:] = [piece for index, fragment in enumerate(fragments) for piece in replaced.get(index, [fragment])]


def _split_interleaved(fragments: list[Fragment], text: str, chars: _Chars) -> None:
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
                    pieces = _split_words(text, wide.start, wide.end, chars)
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


def _split_hidden_gutters(fragments: list[Fragment], runs: list[tuple[int, int, int]], text: str,
                          chars: _Chars) -> None:
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
        pieces = _split_words(text, start, end, chars)
        gaps += [(a.x1, b.x0) for a, b in zip(pieces, pieces[1:], strict=False)
                 if b.x0 - a.x1 > GUTTER_GAP * max(a.height, 1.0)
                 and left + 0.2 * width < (a.x1 + b.x0) / 2 < right - 0.2 * width]
    gutter = _common_strip(gaps, needed=3)
    if gutter is None:
        return
    replaced = {index: _split_words(text, start, end, chars, gutter) for index, start, end in wide}
    fragments[:] = [piece for index, fragment in enumerate(fragments)
                    for piece in replaced.get(index, [fragment])]


def _common_strip(gaps: list[tuple[float, float]], needed: int) -> tuple[float, float] | None:
    """The strip shared by at least ``needed`` of the gaps, if there is one."""
    for start, end in gaps:
        shared = [(a, b) for a, b in gaps if a < end and b > start]
        if len(shared) >= needed:
            return max(a for a, _ in shared), min(b for _, b in shared)
    return None
