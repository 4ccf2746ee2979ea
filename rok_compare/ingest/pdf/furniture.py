"""Running headers, footers and page numbers: found by repetition across pages, then dropped.

A line near the top or bottom edge of a page is furniture when the same text (digits
normalised, so "Sida 2 av 5" and "Sida 3 av 5" are one text; near-same texts grouped by fuzzy
similarity) stands near the same edge on many pages, or when it is a bare page number
("3", "- 3 -", "Sida 3 av 12", "3 (12)", "s. 3"). A running header whose text changes (the
chapter's title) is found by its place instead: a plain line (not bold, not larger than body
text) standing apart from the body at the same height on at least half the pages. Lines are
judged from the edge inwards and judging stops at the first body line. Nothing here knows any
particular document. In a document of one or two pages, where neither works, a page-top line set
smaller than body text and standing apart above a title (``TITLE_SIZE``) is a header too.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from rok_compare.ingest.pdf.blocks import TITLE_SIZE
from rok_compare.ingest.pdf.bodykeys import repeated_in_body
from rok_compare.ingest.pdf.fragments import Fragment
from rok_compare.ingest.pdf.pagefragments import PageFragments, line_text, physical_lines
from rok_compare.ingest.pdf.pagenumbers import (
    digits_read_as_letters,
    drop_numbered_edges,
    furniture_key,
    is_page_number,
)

__all__ = ["PageFragments", "digits_read_as_letters", "furniture_key", "is_page_number", "physical_lines",
           "remove_furniture"]

EDGE_BAND = 0.12
"""Share of the page height at the top and at the bottom where furniture may stand."""
LABEL_CHARS = 30
"""A running label beside other text on its line is at most this long."""
EDGE_LINES = 3
"""At most this many lines from each edge are candidates."""
_WORDS = re.compile(r"[^\W\d_]{3,}")


@dataclass(slots=True)
class _EdgeBlock:
    """The lines at one edge of a page, from the edge inwards."""

    side: str
    lines: list[list[Fragment]]
    separated: bool
    """The block ended at a wide vertical gap: it stands apart from the body."""


def _edge_blocks(page: PageFragments) -> list[_EdgeBlock]:
    """The top and bottom blocks of a page. A block ends at the first wide vertical gap (headers
    and footers stand apart from the body), at the edge band's limit, or after ``EDGE_LINES``."""
    band = EDGE_BAND * (page.top - page.bottom)
    # one band more is read than may hold furniture: the line just past the band shows whether
    # the last line in it stands apart from the body or runs on into it
    high, low = page.top - 2 * band, page.bottom + 2 * band
    near_edges = [f for f in page.fragments if f.middle >= high or f.middle <= low]
    lines = physical_lines(near_edges)
    top = _block("top", lines, lambda line: line[0].middle >= page.top - band)
    bottom = _block("bottom", lines[::-1], lambda line: line[0].middle <= page.bottom + band)
    bottom.lines = [line for line in bottom.lines if not any(line is other for other in top.lines)]
    return [top, bottom]


def _block(side: str, lines: list[list[Fragment]], in_band) -> _EdgeBlock:
    block = _EdgeBlock(side, [], False)
    for line, following in zip(lines, [*lines[1:], None], strict=False):
        if len(block.lines) == EDGE_LINES or not in_band(line):
            break
        block.lines.append(line)
        if following is None:
            block.separated = True
            break
        height = max(f.height for f in line + following)
        if abs(line[0].middle - following[0].middle) - height > 0.6 * height:
            block.separated = True
            break
    return block


def remove_furniture(pages: list[PageFragments], body_height: float) -> int:
    """Drop headers, footers and page numbers from every page in place; return lines dropped."""
    numbered = drop_numbered_edges(pages)
    blocks = [_edge_blocks(page) for page in pages]
    keys = [[key for block in page for line in block.lines for key in _keys(line)] for page in blocks]
    repeated = _repeated_keys(keys, len(pages))
    slots = _furniture_slots(blocks, body_height)
    content = _content_keys(pages, blocks, keys)
    whole = set(repeated)
    repeated -= content
    dropped = 0
    for page, page_blocks in zip(pages, blocks, strict=True):
        drop: set[int] = set()
        for block in page_blocks:
            for line in block.lines:  # from the edge inwards; stop at the first line of body text
                if content and _is_content(line, content, whole):
                    break  # a record's heading that the body repeats, not a running header
                if block.separated and _in_slot(block.side, line, slots, body_height):
                    parts = {id(fragment) for fragment in line}
                else:
                    parts = _furniture_parts(line, repeated, body_height)
                if not parts:
                    break
                drop.update(parts)
                dropped += 1
        if len(pages) < 3:  # too few pages to find a header by repetition or place
            header = _header_over_title(page, page_blocks[0], drop, body_height)
            drop |= header
            dropped += bool(header)
        if drop:
            page.furniture += [f for f in page.fragments if id(f) in drop]
            page.fragments = [f for f in page.fragments if id(f) not in drop]
    return dropped + numbered



def _keys(line: list[Fragment]) -> list[str]:
    """The line's key, and its fragments' keys when it has several: a running label beside a
    heading on one baseline ("NFS 2007:10" right of "Sekretess") repeats by itself."""
    keys = [furniture_key(line_text(line))]
    if len(line) > 1:  # labels are short; a column's line beside another is no label
        keys += [furniture_key(fragment.text) for fragment in line if len(fragment.text) <= LABEL_CHARS]
    return keys


def _header_over_title(page: PageFragments, top: _EdgeBlock, drop: set[int], body_height: float) -> set[int]:
    """Ids of a page-top line set smaller than body text, standing apart above a title: a
    running header, known by its place alone."""
    if top.side != "top" or not top.separated or len(top.lines) != 1:
        return set()
    line = top.lines[0]
    if any(id(f) in drop for f in line) or not _plain(line, 0.95 * body_height):
        return set()
    bottom = min(f.bottom for f in line)
    below = [f for f in page.fragments if f.top <= bottom]
    if not below:
        return set()
    first = max(below, key=lambda f: f.middle)
    following = [f for f in below if abs(f.middle - first.middle) < 0.4 * first.height]
    if max(f.height for f in following) < TITLE_SIZE * body_height:
        return set()
    return {id(f) for f in line}


def _furniture_parts(line: list[Fragment], repeated: set[str], body_height: float) -> set[int]:
    """Ids of the fragments of ``line`` that are furniture (all of them, some, or none). Of two,
    a repeated text is furniture beside anything ("Sekretess   NFS 2007:10"); a bare number
    only beside a plain text ("4   Prop. 1999/2000:17"), not a heading ("2   Lagtext")."""
    text = line_text(line)
    if furniture_key(text) in repeated or is_page_number(text):
        return {id(fragment) for fragment in line}
    repeats = {id(f) for f in line if furniture_key(f.text) in repeated}
    parts = repeats | {id(f) for f in line if is_page_number(f.text)}
    if len(parts) == len(line):
        return parts
    if parts and len(line) == 2 and (repeats or _plain([f for f in line if id(f) not in parts], body_height)):
        return parts
    if repeats and repeats <= {id(line[0]), id(line[-1])} and _labels_apart(line, repeats):
        return repeats  # a repeated label at either end of a longer line ("NFS 2007:10   term   text")
    return set()


def _labels_apart(line: list[Fragment], labels: set[int]) -> bool:
    """Each label holds a word and stands two line heights or more from its neighbour: a
    running label in the margin, not a date after its "Datum:"."""
    for index, fragment in enumerate(line):
        if id(fragment) not in labels:
            continue
        neighbour = line[1] if index == 0 else line[index - 1]
        gap = neighbour.x0 - fragment.x1 if index == 0 else fragment.x0 - neighbour.x1
        if not _WORDS.search(fragment.text) or gap < 2 * max(fragment.height, 1.0):
            return False
    return True


def _plain(line: list[Fragment], body_height: float) -> bool:
    """Not bold and not larger than body text: how headers look, unlike headings."""
    return not all(f.bold for f in line) and max(f.height for f in line) <= 1.05 * body_height


def _furniture_slots(blocks: list[list[_EdgeBlock]], body_height: float) -> dict[str, list[tuple[float, set[str]]]]:
    """Positions (line middles) near an edge where a plain line standing apart from the body is
    found on at least half the pages: a running header whose text changes (a chapter title).
    Each with the words that repeat there."""
    needed = max(3, math.ceil(0.5 * len(blocks)))
    slots: dict[str, list[tuple[float, set[str]]]] = {"top": [], "bottom": []}
    for side in slots:
        lines = sorted((line[0].middle, line_text(line)) for page in blocks for block in page
                       if block.side == side and block.separated for line in block.lines if _plain(line, body_height))
        cluster: list[tuple[float, str]] = []
        for middle, text in [*lines, (math.inf, "")]:
            if cluster and middle - cluster[0][0] > 2.0:
                words = _repeating_words([t for _, t in cluster]) if len(cluster) >= needed else set()
                if words:
                    slots[side].append((sum(m for m, _ in cluster) / len(cluster), words))
                cluster = []
            cluster.append((middle, text))
    return slots


def _repeating_words(texts: list[str]) -> set[str]:
    """Lines at one place on many pages are furniture only when their texts repeat: the same
    words on several of them (a chapter's title on each of its pages, a document's name with
    changing dates). Body text that happens to start or end each page at the same height (a
    form's labels, the last line of every full page) differs from page to page."""
    words = Counter(word for text in texts for word in set(_WORDS.findall(furniture_key(text))))
    return {word for word, count in words.items() if count >= max(2, len(texts) // 3)}


def _in_slot(side: str, line: list[Fragment], slots: dict[str, list[tuple[float, set[str]]]],
             body_height: float) -> bool:
    """A plain line at a slot that shares a repeating word of it or is a page number: a body
    line that happens to stand there on one page (the sentence going on) shares none."""
    middle = line[0].middle
    if not _plain(line, body_height):
        return False
    near = [words for slot, words in slots[side] if abs(middle - slot) <= 2.0]
    if not near:
        return False
    text = line_text(line)
    own = set(_WORDS.findall(furniture_key(text)))
    return is_page_number(text) or any(own & words for words in near)


def _content_keys(pages: list[PageFragments], blocks: list[list[_EdgeBlock]], keys: list[list[str]]) -> set[str]:
    """Edge lines' keys that the body repeats away from the edges (see ``bodykeys``): each
    page's text without its edge lines, lower-cased, a fragment a line."""
    texts = []
    for page, page_blocks in zip(pages, blocks, strict=True):
        edge = {id(f) for block in page_blocks for line in block.lines for f in line}
        texts.append("\n".join([f.text for f in page.fragments if id(f) not in edge]).lower())
    return repeated_in_body(texts, keys)


def _is_content(line: list[Fragment], content: set[str], repeated: set[str]) -> bool:
    """The line reads as a key the body repeats, or it repeats as a whole and starts with one
    ("107 Publik fråga" before its date). A line with a page number is judged part by part."""
    if any(is_page_number(fragment.text) for fragment in line):
        return False
    key = furniture_key(line_text(line))
    return key in content or key in repeated and furniture_key(line[0].text) in content


def _repeated_keys(keys: list[list[str]], page_count: int) -> set[str]:
    """Keys (and fragment keys) found on enough pages to be furniture, near-same ones grouped."""
    pages_with: dict[str, set[int]] = {}
    for page_index, page_keys in enumerate(keys):
        for key in page_keys:
            if key:
                pages_with.setdefault(key, set()).add(page_index)
    needed = max(2, math.ceil(0.3 * page_count))
    if page_count < 2:
        return set()
    groups = _group_near_same(list(pages_with))
    repeated: set[str] = set()
    for group in groups:
        pages_seen = set().union(*(pages_with[key] for key in group))
        if len(pages_seen) >= needed:
            repeated.update(group)
    return repeated


def _group_near_same(keys: list[str]) -> list[list[str]]:
    """Cluster keys whose texts are near-same (a changed date, a typo) by fuzzy ratio."""
    if len(keys) > 400:  # unlikely; exact grouping is enough then
        return [[key] for key in keys]
    from rapidfuzz import fuzz

    groups: list[list[str]] = []
    for key in sorted(keys, key=len, reverse=True):
        for group in groups:
            head = group[0]
            if abs(len(head) - len(key)) <= max(3, len(head) // 8) and fuzz.ratio(head, key) >= 90:
                group.append(key)
                break
        else:
            groups.append([key])
    return groups
