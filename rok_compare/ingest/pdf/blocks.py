"""Blocks from lines: where a paragraph, heading or list item starts and ends.

A new block starts at a larger vertical gap than the page's usual line pitch, at a change to or
from heading style (bold or larger than body text), at a list marker, at a first-line indent,
and after a line that ended early (the next line's first word would have fitted on it). A
paragraph carries on into the next column when its last line stops mid-sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rok_compare.ingest.pdf.hyphenation import ends_with_break_hyphen
from rok_compare.ingest.pdf.layout import Flow, Line
from rok_compare.ingest.pdf.measure import LocalMeasure
from rok_compare.ingest.pdf.tables import FoundTable

HEADING, PARAGRAPH, ITEM, TABLE = "heading", "paragraph", "item", "table"
HEADING_SIZE = 1.12
"""A line this many times taller than body text is a heading."""
TITLE_SIZE = 1.3
"""A title is set at least this many times taller than body text (a section heading smaller)."""
LIST_MARKER = re.compile(
    r"^(?:[•●▪■◦○·\-–—*➢►✓]\s|\(?\d{1,2}[.)]\s|\d{1,2}(?:\.\d{1,2})+\.?\s|\(?[a-zåäö]\)\s|[a-zåäö]\.\s(?=[A-ZÅÄÖ]))"
)
"""A list item's start. A letter and a full stop start an item only before a capital: "a. Mål"
is an item, "f. 92" (född) in a register is not."""
LEADER = re.compile(r"(?:\.{4,}|…{2,}|(?:\. ){4,}|_{4,})\s*\S{1,20}$")
"""A table-of-contents or register line: dot leaders and a page number or a code at the end.
Each such line is an entry of its own, never part of a paragraph."""

LABEL = re.compile(r"^[^\W\d][\w.\-/ ]{0,28}:(?:\s|$)")
"""A line led by a label and a colon: a field of a key-value list."""

SECTION_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[IVX]{1,4}\.|[A-Z]\.)\s+\S")
"""A numbered heading: "3", "3.2", "3.2.1.", "IV.", "B."."""
PHRASE_GOES_ON = frozenset({
    "och", "eller", "samt", "i", "om", "för", "av", "till", "med", "på", "inom", "från", "vid",
    "under", "mellan", "kring", "mot", "efter", "hos", "genom", "över", "utan", "en", "ett", "den",
    "det", "de", "att", "som", "beträffande", "avseende", "rörande", "gällande",
})
"""Words a heading line does not end on unless it goes on in the next line."""


@dataclass(slots=True)
class Block:
    kind: str
    lines: list[Line] = field(default_factory=list)
    table: FoundTable | None = None
    right: float = 0.0
    """The right edge of the column its last line stands in."""


def line_kind(line: Line, body_height: float) -> str:
    if (line.bold or line.height >= HEADING_SIZE * body_height) and len(line.text) <= 200:
        return HEADING
    text = line.text
    if line.entry or LIST_MARKER.match(text) or (".." in text or "…" in text or "__" in text) and LEADER.search(text):
        return ITEM
    return PARAGRAPH


def page_blocks(flows: list[Flow], body_height: float) -> list[Block]:
    """The page's blocks in reading order. A box (a one-column table, see ``boxes``) is read
    as a flow of its own where it stands: nothing runs into it or out of it."""
    boxes = [Flow(item.x0, item.x1, list(item.lines), apart=True) for flow in flows for item in flow.items
             if isinstance(item, FoundTable) and item.lines is not None]
    pitch = typical_pitch([*flows, *boxes])
    blocks: list[Block] = []
    markers: set[str] = set()  # the list markers seen on the page so far ("1", "2.1", "b")
    for flow in flows:
        _flow_blocks(flow, body_height, pitch, blocks, markers)
    return blocks


def _flow_blocks(flow: Flow, body_height: float, pitch: float, blocks: list[Block], markers: set[str]) -> None:
    """The blocks of one flow, added to ``blocks``."""
    previous: Line | None = None
    after_box = False
    edges = _LocalEdges(flow)
    measure = LocalMeasure(flow)
    for item in flow.items:
        if isinstance(item, FoundTable):
            if item.lines is not None:
                if item.lines:
                    _flow_blocks(Flow(item.x0, item.x1, list(item.lines), apart=True), body_height, pitch,
                                 blocks, markers)
                after_box = True
            else:
                blocks.append(Block(TABLE, table=item))
            previous = None
            continue
        kind = line_kind(item, body_height)
        marker = _marker(item.text) if kind == ITEM and not item.entry and LIST_MARKER.match(item.text) else None
        if previous is None:
            joins = bool(blocks) and not flow.apart and not after_box \
                and _continues_across(blocks[-1], item, kind, pitch)
        else:
            around = edges.flow(flow, previous) if edges.index else flow
            if item.text[:1].islower() and around.right - previous.x1 >= 2 * previous.height \
                    and abs(item.x0 - previous.x0) <= 1.5 and not previous.text.endswith((".", "!", "?", ":", ";")) \
                    and _ended_early(previous, item, around.right):
                around = measure.around(around, previous)  # the sentence goes on below it, short of the edge
            joins = not _starts_block(previous, item, kind, blocks[-1].kind, around, pitch) or (
                marker is not None and _sentence_goes_on(previous, item, marker, markers, around, pitch)) or (
                kind == ITEM and (marker is None or _predecessor(marker) not in markers)
                and _phrase_goes_on(previous, item, around, pitch)) \
                or _entry_goes_on(previous, item, pitch)
        if marker is not None:
            markers.add(marker)
        if joins:
            blocks[-1].lines.append(item)
        else:
            blocks.append(Block(kind, [item]))
        blocks[-1].right = flow.right
        previous = item
        after_box = False


class _LocalEdges:
    """The right edge of the body text of a flow: where the lines that start at the flow's left
    edge end (the second-widest of them: one odd line does not count, and a list of short
    names with a long title or two among them keeps the titles' edge). A letterhead or an
    address block standing further right and reaching past the body then does not make every
    body line look like it "ended early"."""

    def __init__(self, flow: Flow) -> None:
        lines = [item for item in flow.items if isinstance(item, Line)]
        self.left = Counter(round(line.x0) for line in lines).most_common(1)[0][0] if lines else flow.left
        body = sorted(line.x1 for line in lines if abs(line.x0 - self.left) <= 3 * line.height)
        self.index = len(lines) >= 8 and len(body) >= 5 and len(body) < len(lines)
        self.right = min(flow.right, body[-2]) if self.index else flow.right
        self.narrowed = Flow(flow.left, self.right)

    def flow(self, flow: Flow, line: Line) -> Flow:
        """``flow`` with the body's right edge, for a line of the body (one that starts at the
        body's left edge, the most common one)."""
        if abs(line.x0 - self.left) > 3 * line.height or self.right >= flow.right:
            return flow
        return self.narrowed


def title_first(blocks: list[Block], body_height: float) -> list[Block]:
    """A first page's blocks with the title first: when one of the first blocks is set in a
    title's size and clearly larger than the short lines above it (a logo text or an
    organisation's name, a date), it is the title, and it is read first. The lines it jumps
    stay, right after it."""
    lead = blocks[:4]
    if len(lead) < 2 or any(block.kind == TABLE or not block.lines for block in lead):
        return blocks
    sizes = [max(line.height for line in block.lines) for block in lead]
    index = sizes.index(max(sizes))
    title = lead[index]
    words = " ".join(line.text for line in title.lines).split()
    if index == 0 or sizes[index] < TITLE_SIZE * body_height or len(words) < 2 \
            or not any(c.isalpha() for c in words[0] + words[1]):
        return blocks
    before = lead[:index]
    if any(len(block.lines) > 2 or sum(len(line.text) for line in block.lines) > 80
           or size * 1.2 > sizes[index] for block, size in zip(before, sizes, strict=False)):
        return blocks
    return [title, *before, *blocks[index + 1 :]]


def typical_pitch(flows: list[Flow]) -> float:
    """The usual distance between baselines on this page, in line heights: a low quantile of
    the distances, since on a short page of short paragraphs set with space between them
    (minutes: "Utdrag ...", "Närvarande: ...", "Föredragande: ...") half of them are
    paragraph gaps."""
    ratios = []
    for flow in flows:
        lines = [item for item in flow.items if isinstance(item, Line)]
        for above, below in zip(lines, lines[1:], strict=False):
            if abs(above.height - below.height) <= 0.1 * above.height:
                ratios.append((above.middle - below.middle) / max(above.height, 1.0))
    if len(ratios) < 3:
        return 1.2
    ratios.sort()
    return min(2.0, max(0.9, ratios[len(ratios) // 3]))


def _starts_block(previous: Line, line: Line, kind: str, block_kind: str, flow: Flow,
                  pitch: float) -> bool:
    height = max(previous.height, line.height, 1.0)
    distance = (previous.middle - line.middle) / height
    if distance > pitch * 1.25 + 0.1 or distance < 0 or _is_entry(previous) and _opens_entry(line.text):
        return True  # a gap; or a contents entry ended by its page number (a synonym or code goes on)
    if kind != block_kind and (kind == HEADING or block_kind == HEADING):
        return True
    if kind == HEADING:  # a heading wrapped onto several lines goes on in the same size
        return abs(previous.height - line.height) > 0.1 * height or not _heading_goes_on(previous, line, flow.right)
    if kind == ITEM or ":" in line.text[:30] and LABEL.match(line.text) and (
            LABEL.match(previous.text) or _whole_label(line.text) and _ends_sentence(previous.text, line.text)):
        return True  # a list item; a line of a key-value list ("DATUM: ...", "MÖTESTID: ..."); a label
        # line of its own after a sentence ends ("... miljö." / "Kompetensprofil konsult:")
    if block_kind == PARAGRAPH and previous.x0 != line.x0 and (  # an indent, or the end of one
            _indented(previous, line, flow) and not _hanging(previous, line, flow) or _outdented(previous, line, flow)):
        return True
    return _ended_early(previous, line, flow.right)


def _whole_label(text: str) -> bool:
    """The line is a label and nothing else ("Kompetensprofil konsult:")."""
    return text.endswith(":") and len(text) <= 30


_NUMBERED = re.compile(r"^\(?(\d{1,2}(?:\.\d{1,2})*|[a-zåäö])[.)]?\s")


def _marker(text: str) -> str | None:
    """The number or letter of a numbered list item ("2.2", "n"), or None (a bullet, a dash)."""
    match = _NUMBERED.match(text)
    return match.group(1) if match else None


def _predecessor(marker: str) -> str | None:
    """The marker of the item before ("2.2" -> "2.1", "3" -> "2", "c" -> "b"); None for a
    first item ("1", "3.1", "a")."""
    if marker.isalpha():
        return None if marker == "a" else chr(ord(marker) - 1)
    head, _, last = marker.rpartition(".")
    number = int(last)
    if number <= 1:
        return None
    return f"{head}.{number - 1}" if head else str(number - 1)


def _sentence_goes_on(previous: Line, line: Line, marker: str, seen: set[str], flow: Flow, pitch: float) -> bool:
    """A number or letter that only happens to open a line inside a sentence ("... i enlighet
    med" / "2.2 i anbudsinbjudan.", "... för alla" / "n. Räkna upp"): the line above is full and
    stops mid-sentence, this line starts where it starts, and no item before it on the page
    bears the number before (an item "2.2" follows a "2.1"; a first item always starts one)."""
    predecessor = _predecessor(marker)
    if predecessor is None or predecessor in seen:
        return False
    height = max(previous.height, line.height, 1.0)
    distance = (previous.middle - line.middle) / height
    return 0 < distance <= pitch * 1.25 + 0.1 and abs(previous.x0 - line.x0) < 0.5 * height \
        and previous.text[-1:].isalpha() \
        and not _ended_early(previous, line, flow.right)


def _phrase_goes_on(previous: Line, line: Line, flow: Flow, pitch: float) -> bool:
    """A sign or a number that only happens to open a line inside a sentence ("... operationerna
    + och" / "* och parenteser", "... 8.5.1 och" / "9.5.1 femte stycket"): the line above is
    full, ends on a word a phrase does not end on ("och", "i", "av"), and this line starts
    where it starts or under its hanging indent."""
    height = max(previous.height, line.height, 1.0)
    distance = (previous.middle - line.middle) / height
    return 0 < distance <= pitch * 1.25 + 0.1 and -0.5 * height < line.x0 - previous.x0 < 3 * height \
        and previous.text.rsplit(" ", 1)[-1] in PHRASE_GOES_ON and not _ended_early(previous, line, flow.right)


def _is_entry(line: Line) -> bool:
    """A table-of-contents or register line: dot leaders, or a page number set apart at its end."""
    text = line.text
    return line.entry or (".." in text or "…" in text or "__" in text) and bool(LEADER.search(text))


def _opens_entry(text: str) -> bool:
    """The line could open a contents entry: a capital, or a number before words ("4 Identifierade
    ..."), not a code of digits alone or a synonym in brackets going on from the entry above."""
    first = text[:1]
    return first.isupper() or first.isdigit() and any(c.isalpha() for c in text)


def _entry_goes_on(previous: Line, line: Line, pitch: float) -> bool:
    """A contents entry wrapped onto a second line ("3. Identifierad samhällsviktig verksamhet
    inom kommunens" / "geografiska område ....... 8"): the line ends with its page number and
    goes on in lower case from a line that has none, right below it."""
    if not line.text[:1].islower() or not _is_entry(line) or _is_entry(previous) or previous.bold > line.bold:
        return False  # (a bold line above is a list's heading: "Cancerframkallande ämnen  CAS-nr")
    height = max(previous.height, line.height, 1.0)
    distance = (previous.middle - line.middle) / height
    return 0 < distance <= pitch * 1.25 + 0.1 and line.x0 > previous.x0 - 0.5 * height


def _heading_goes_on(previous: Line, line: Line, right: float) -> bool:
    """A heading line wrapped onto the next: it stops mid-phrase ("... för", "... och", ","), or
    it is full (the next line's first word would not have fitted) and the next line is not a
    numbered heading of its own. A short complete heading ("3.2 Parternas åtaganden") followed
    by a subheading of the same size ("Länsstyrelsen", "3.2.1 Länsstyrelsen") is two headings."""
    text = previous.text
    if text.endswith((",", "–", "-", "&")) or text.rsplit(" ", 1)[-1].lower() in PHRASE_GOES_ON:
        return True
    if SECTION_NUMBER.match(line.text) or _new_sentence_case_heading(text, line.text):
        return False
    return not _ended_early(previous, line, right)


def _new_sentence_case_heading(text: str, following: str) -> bool:
    """A heading set in sentence case (its words after the first in lower case: "5.5 Störningar
    i teknisk infrastruktur") goes on in lower case; a next line opening with a capital is a
    heading of its own ("Störningar i elförsörjningen")."""
    words = [word for word in text.split()[1:] if word[:1].isalpha()]
    return following[:1].isupper() and len(words) >= 2 and all(word[:1].islower() for word in words[1:])


def _indented(previous: Line, line: Line, flow: Flow) -> bool:
    """A first-line indent: this line starts well right of the column edge, the last did not."""
    return line.x0 - flow.left > line.height and previous.x0 - flow.left < 0.3 * line.height


def _outdented(previous: Line, line: Line, flow: Flow) -> bool:
    """The end of an entry set with a hanging indent (a register, a bibliography): the line
    above is indented and closes a sentence, this one starts back at the column's edge."""
    height = max(line.height, 1.0)
    return previous.x0 - flow.left > 0.6 * height and line.x0 - flow.left < 0.3 * height \
        and (previous.text.endswith(")") or _ends_sentence(previous.text, line.text))


def _hanging(previous: Line, line: Line, flow: Flow) -> bool:
    """A hanging indent (a term and its definition, a label before its text): the line above
    runs full to the column's edge without ending a sentence, so the indented line goes on
    with it; a first-line indent follows a line that ended early or with a full stop."""
    return not _ends_sentence(previous.text, line.text) and not _ended_early(previous, line, flow.right)


def _ends_sentence(text: str, following: str) -> bool:
    """``text`` ends a sentence: with a full stop (or "!", "?", ":") that closes it. A full
    stop inside an open bracket ("53 (adr.") or before a line that starts in lower case or
    with a number ("f." / "81; 48") ends an abbreviation, and the sentence goes on."""
    if not text.endswith((".", "!", "?", ":")):
        return False
    if text.count("(") > text.count(")"):
        return False
    first = following[:1]
    return not (first.islower() or first.isdigit() and not LIST_MARKER.match(following))


def _ended_early(previous: Line, line: Line, right: float) -> bool:
    """The next line's first word would have fitted on ``previous``: the break was meant."""
    if ends_with_break_hyphen(previous.text) or not line.text:
        return False
    text = line.text
    char_width = (line.x1 - line.x0) / len(text)
    space = text.find(" ")
    first_word = len(text) if space < 0 else space
    if 0 < space < 5 and text[:space].isdigit():  # "10 mars", "5 procent": kept together by a
        following = text.find(" ", space + 1)    # no-break space, which the text no longer shows
        first_word = len(text) if following < 0 else following
    # the average character width underestimates a word of wide letters ("omprövas"): be generous
    return right - previous.x1 > (1.3 * first_word + 2) * char_width


def _continues_across(block: Block, line: Line, kind: str, pitch: float) -> bool:
    """A paragraph goes on in the next column when its last line stops mid-sentence or is full;
    a heading goes on when its next line stands right below it (a title wider than a column)."""
    if block.kind != kind or kind not in (PARAGRAPH, HEADING) or not block.lines:
        return False
    last = block.lines[-1]
    if kind == HEADING:
        height = max(last.height, line.height, 1.0)
        distance = (last.middle - line.middle) / height
        return abs(last.height - line.height) <= 0.1 * height and 0 < distance <= pitch * 1.25 + 0.1 \
            and _heading_goes_on(last, line, block.right)
    text = last.text
    if ends_with_break_hyphen(text) or text[-1:].isalpha() and text[-1:].islower() or text[-1:] == ",":
        return True
    return not _ended_early(last, line, block.right)  # a full last line: the paragraph goes on
