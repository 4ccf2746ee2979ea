"""Group lines into blocks: headings, paragraphs, list items and table rows.

Web pages put a paragraph on one line; PDFs wrap it over several; transcripts of PDFs flatten
whole pages into one line with the headings, list bullets and page numbers run in. Lines are
joined into a paragraph while the sentence goes on, and flattened paragraphs are split again
where a bullet, a "Label:" lead or a known section heading stands inside them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from rok_compare.model import BlockKind
from rok_compare.segment.lines import Line
from rok_compare.segment.resources import heading_pattern
from rok_compare.segment.text_utils import clean, trim

_BULLET = re.compile(r"^(?:[•·▪◦●■□➢►»*–—-]|\d{1,2}[.)]|[a-z]\))\s+")
_INLINE_BULLET = re.compile(r"(?=[•·▪◦●■➢►»-])(?:(?<=\s)|^)(?:[•·▪◦●■➢►»]|(?<=[:.a-zåäö0-9]\s)-(?=\s+att\b))\s*")
_BULLET_CHAR = re.compile(r"[•·▪◦●■➢►»-]")
"""The characters a match of :data:`_INLINE_BULLET` starts with."""
_RUN_IN_LABEL = re.compile(r"([A-ZÅÄÖ][\wåäöÅÄÖ/-]*(?: [\wåäöÅÄÖ/-]+){0,3}): (?=\S)")
_TRAILING_PAGE_NUMBER = re.compile(r"(?<=[.!?:)a-zåäö])\s+\d{1,3}$")
_LEADING_PAGE_NUMBER = re.compile(r"^\d{1,3}\s+(?=[A-ZÅÄÖ])")
_LEADER_CHAIN = re.compile(r"\.(?=(\s?\.\s?\.\s?\.))")
"""Four dots, at most one space between them: where a table-of-contents leader ". . . . 12" starts."""
_LEADER_FILL = re.compile(r"[\s.]+")
_FILL_LOOK_BACK = 256
_REPEATED_HEADING = re.compile(r"([A-ZÅÄÖ][\wåäöÅÄÖ-]+(?: [\wåäöÅÄÖ-]+){0,3}) \1\b")
_SENTENCE_END = (".", "!", "?", ":", "”", '"', ";")
_VERB_CUES = re.compile(
    r"\b(är|ska|skall|har|kan|kommer|blir|var|finns|sker|bör|måste|innebär|gäller|ansvarar|erbjuder"
    r"|arbetar|samverkar|vill|behöver|får|tar|ger|gör|omfattar|bidrar|leder|utgör)\b"
)
_MAX_HEADING_CHARS = 110
_MAX_HEADING_WORDS = 14


@dataclass(slots=True)
class RawBlock:
    kind: BlockKind
    start: int
    end: int
    page: int
    label: tuple[int, int] | None = None
    """Offsets of a run-in label ("Mål" of "Mål: ..."); such a block is never a heading."""
    number_start: int | None = None
    """Where the number of a numbered list item ("2. ...") starts: it may be a numbered heading."""


def _is_heading_soup(text: str) -> bool:
    """A flattened table of contents: many capitalised words, no commas, no full stops."""
    words = text.split()
    if len(words) < 12 or "," in text or re.search(r"[.!?]\s", text.replace("...", " ") + " "):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised / len(words) >= 0.35


def build_blocks(text: str, lines: list[Line], furniture: list[bool]) -> tuple[list[RawBlock], list[RawBlock]]:
    """Blocks of the document and blocks of furniture, both in document order."""
    blocks: list[RawBlock] = []
    furniture_blocks: list[RawBlock] = []
    current: RawBlock | None = None
    shape = _Shape(0)
    leaders = _Leaders(text)
    after_gap = False
    for line, is_furniture in zip(lines, furniture, strict=True):
        if line.blank:
            after_gap = True
            continue
        if current is not None and after_gap and not _resumes_after_gap(current, shape, line):
            current = None
        after_gap = False
        if is_furniture:
            furniture_blocks.append(RawBlock(BlockKind.PARAGRAPH, line.start, line.end, line.page))
            current = None
            continue
        if "\t" in line.text:
            blocks.append(RawBlock(BlockKind.TABLE_ROW, line.start, line.end, line.page))
            current = None
            continue
        bullet = _BULLET.match(line.text)
        if bullet:
            current = RawBlock(BlockKind.LIST_ITEM, line.start + bullet.end(), line.end, line.page,
                               number_start=line.start if line.text[:1].isdigit() else None)
            blocks.append(current)
            shape = _Shape(current.start).extend(text, current.start, current.end)
            continue
        if current is not None and _continues(current, shape, line, leaders):
            shape.extend(text, current.end, line.end)
            current.end = line.end
            continue
        current = RawBlock(BlockKind.PARAGRAPH, line.start, line.end, line.page)
        blocks.append(current)
        shape = _Shape(current.start).extend(text, current.start, current.end)
    _numbered_headings(text, blocks)
    kept: list[RawBlock] = []
    for block in _refine(text, blocks, leaders):
        soup = block.kind is BlockKind.PARAGRAPH and _is_heading_soup(text[block.start : block.end])
        (furniture_blocks if soup else kept).append(block)  # a flattened table of contents is furniture
    furniture_blocks.sort(key=lambda b: b.start)
    return kept, furniture_blocks


def _numbered_headings(text: str, blocks: list[RawBlock]) -> None:
    """ "2. Parter" is a numbered heading, not a list item, when it reads as a heading and no numbered
    item stands next to it (the items of a numbered list follow one another; headings have text
    between them)."""
    def number(block: RawBlock | None) -> int | None:
        if block is None or block.number_start is None:
            return None
        digits = re.match(r"\d+", text[block.number_start : block.start])
        return int(digits.group()) if digits else None

    for index, block in enumerate(blocks):
        own = number(block)
        if own is None or not _looks_like_heading(clean(text[block.start : block.end])):
            continue
        before = number(blocks[index - 1]) if index else None
        after = number(blocks[index + 1]) if index + 1 < len(blocks) else None
        if before == own - 1 or after == own + 1:
            continue  # an item of a numbered list
        block.kind, block.start = BlockKind.HEADING, block.number_start


@dataclass(slots=True)
class _Shape:
    """What the joining rules ask of the growing block's text, kept up to date line by line.

    The rules used to look at the whole block text for every line added (its last character, its
    length, whether it reads as a heading, whether it ends in a table-of-contents leader), which
    made a paragraph of 100 KB of short lines quadratic; now each line is looked at once.
    """

    start: int
    end: int = -1
    """End of the block text without trailing whitespace."""
    last: str = ""
    words: list[str] | None = field(default_factory=list)
    """The block's words (as :func:`clean` gives them) while it is short enough to be a heading."""
    chars: int = -1
    heading: bool | None = None

    def extend(self, text: str, start: int, end: int) -> _Shape:
        piece = text[start:end]
        stripped = piece.rstrip()
        if stripped:
            self.end, self.last = start + len(stripped), stripped[-1]
        elif self.end < 0:
            self.end = self.start
        if self.words is not None:
            # the words :func:`clean` gives (it joins and splits again: the same words)
            new = piece.replace("\u00ad", "").replace("\u200b", " ").split()
            self.words += new
            self.chars += sum(map(len, new)) + len(new)
            if len(self.words) > _MAX_HEADING_WORDS or self.chars > _MAX_HEADING_CHARS:
                self.words = None  # too long for a heading, and it only grows (both counts only grow)
            self.heading = None
        return self

    @property
    def length(self) -> int:
        return self.end - self.start

    @property
    def stops(self) -> bool:
        return self.last in _SENTENCE_END and self.length > 0

    @property
    def reads_as_heading(self) -> bool:
        if self.words is None:
            return False
        if self.heading is None:
            self.heading = _looks_like_heading(" ".join(self.words))
        return self.heading


class _Leaders:
    """Finds table-of-contents leaders (". . . . 12" at the end of a text) in time linear in the
    document: the pattern ``\\s*(?:\\.\\s?){4,}[\\s.]*\\d{0,3}$`` it stands for took seconds on a line of
    1,000 dots, and was searched again for every line added to a paragraph."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.built = False
        self.chain_starts: list[int] = []
        self.chain_ends: list[int] = []
        self.fill_starts: list[int] | None = None
        """Where each run of spaces and dots starts, listed only once a run longer than
        ``_FILL_LOOK_BACK`` is asked for."""

    def _build(self) -> None:
        self.built = True
        if "." not in self.text:
            return
        for match in _LEADER_CHAIN.finditer(self.text):  # the chain's first dot, and the rest looked ahead
            self.chain_starts.append(match.start())
            self.chain_ends.append(match.end(1))

    def _fill_start(self, start: int, fill_end: int) -> int:
        """Where the run of spaces and dots that ends at ``fill_end`` starts (not before ``start``):
        looked back at directly when the run is short (the usual case), else found in the list of
        every run (made once, so a long run is never walked again)."""
        text, limit, position = self.text, max(start, fill_end - _FILL_LOOK_BACK), fill_end - 1
        while position > limit and (text[position - 1] == "." or text[position - 1].isspace()):
            position -= 1
        if position == limit > start and (text[limit - 1] == "." or text[limit - 1].isspace()):
            if self.fill_starts is None:
                self.fill_starts = [m.start() for m in _LEADER_FILL.finditer(self.text)]
            return max(start, self.fill_starts[bisect.bisect_right(self.fill_starts, fill_end - 1) - 1])
        return position

    def start(self, start: int, end: int) -> int | None:
        """Where the leader that ends ``text[start:end]`` begins (with the spaces before it), or None."""
        if not self.built:
            self._build()
        if not self.chain_starts:
            return None
        text, digits = self.text, 0
        while digits < 4 and end - digits > start and text[end - digits - 1].isdecimal():
            digits += 1
        fill_end = end - digits
        if digits == 4 or fill_end <= start or not _LEADER_FILL.match(text[fill_end - 1]):
            return None
        fill_start = self._fill_start(start, fill_end)
        index = bisect.bisect_left(self.chain_starts, fill_start)
        if index == len(self.chain_starts) or self.chain_ends[index] > fill_end:
            return None
        leader = self.chain_starts[index]
        while leader > fill_start and text[leader - 1].isspace():
            leader -= 1
        return leader


def _resumes_after_gap(block: RawBlock, shape: _Shape, line: Line) -> bool:
    """A sentence cut by a blank line or page break: no stop above, lower case below."""
    if block.kind is BlockKind.TABLE_ROW:
        return False
    return not shape.stops and line.text[:1].islower() and shape.length > 40 and not shape.reads_as_heading


def _continues(block: RawBlock, shape: _Shape, line: Line, leaders: _Leaders) -> bool:
    """Whether ``line`` goes on with the paragraph or list item above it."""
    first = line.text[:1]
    if leaders.start(shape.start, shape.end) is not None:
        return False  # one table-of-contents entry per line
    if line.page_break_before:
        return _resumes_after_gap(block, shape, line)
    if first.islower() or first in "(,–-":
        return True
    if shape.stops:
        return False
    # A short line without a stop above a capitalised line is a heading, not a wrapped line.
    return not shape.reads_as_heading


def _refine(text: str, blocks: list[RawBlock], leaders: _Leaders) -> list[RawBlock]:
    refined: list[RawBlock] = []
    for block in blocks:
        if block.kind is BlockKind.TABLE_ROW:
            refined.append(block)
            continue
        for part in _split_run_ins(text, block):
            part.start, part.end = _strip_page_numbers(text, part.start, part.end, leaders)
            if part.end <= part.start:
                continue
            if part.label or not any(ch.isalpha() for ch in text[part.start : part.end]):
                if part.label:
                    refined.append(part)
                continue
            if part.kind is not BlockKind.PARAGRAPH:  # only a paragraph can be a heading or its tail
                refined.append(part)
                continue
            part_text = clean(text[part.start : part.end])
            if _looks_like_heading(part_text):
                part.kind = BlockKind.HEADING
            elif refined and refined[-1].kind is BlockKind.HEADING and _heading_tail(part_text):
                refined[-1].end = part.end  # "REGIONAL ÖVERENSKOMMELSE" / "om introduktion för ..."
                continue
            refined.append(part)
    return refined


def _split_run_ins(text: str, block: RawBlock) -> list[RawBlock]:
    """Split a flattened paragraph at run-in labels, headings and inline bullets."""
    start, end = block.start, block.end
    parts: list[RawBlock] = []
    label = _RUN_IN_LABEL.match(text, start, end)
    label_span = None
    if label and block.kind is BlockKind.PARAGRAPH and len(label.group(1).split()) <= 4 \
            and not _VERB_CUES.search(label.group(1).lower()):  # "Parterna har undertecknat:" leads in
        label_span = (start, label.end(1))
        start = label.end()
    heading_cuts = _run_in_headings(text, start, end) if end - start > 60 else []
    pieces = _cut(start, end, heading_cuts)
    for piece_start, piece_end, is_heading in pieces:
        if is_heading:
            parts.append(RawBlock(BlockKind.HEADING, piece_start, piece_end, block.page))
            continue
        piece = RawBlock(block.kind, piece_start, piece_end, block.page, label=label_span)
        parts.extend(_split_bullets(text, piece))
        label_span = None
    return parts


def _run_in_headings(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Known section headings standing inside a paragraph, followed by a capitalised word."""
    pattern = heading_pattern()
    cuts = []
    for offset in _heading_starts(text[start:end]):
        position = start + offset
        heading = pattern.match(text, position, end) or _REPEATED_HEADING.match(text, position, end)
        if not heading:
            continue
        if heading.end() >= end - 1 and position > start:
            cuts.append((position, end))  # a heading that ends the (cut-off) text
            continue
        if heading.end() >= end:
            continue
        if heading.re is _REPEATED_HEADING:  # "Arbetsförmedlingen Arbetsförmedlingen ska ..."
            cuts.append((position, heading.end(1)))
            continue
        rest = text[heading.end() : heading.end() + 3]
        if rest[:1] == " " and rest[1:2].isupper():
            cuts.append((position, heading.end()))
    return cuts


_OPENING = re.compile(r"(?:\d{1,3}\s+)?(?=[A-ZÅÄÖ])")
_CAPITAL = re.compile(r"[A-ZÅÄÖ]")


def _heading_starts(chunk: str) -> list[int]:
    """Where a heading may start in ``chunk``: a capital at its start (after a number), or after a
    sentence's stop, or after a one- or two-digit number between spaces. The same places as
    ``re.finditer(r"(?:^(?:\\d{1,3}\\s+)?|(?<=[.!?]\\s)|(?<=\\s\\d\\s)|(?<=\\s\\d\\d\\s))(?=[A-ZÅÄÖ])", chunk)``
    (match ends), found from the capitals instead of trying the look-behinds at every character."""
    opening = _OPENING.match(chunk)
    starts = [opening.end()] if opening else []
    for capital in _CAPITAL.finditer(chunk, opening.end() + 1 if opening else 1):
        p = capital.start()
        if p >= 2 and chunk[p - 1].isspace() and (
                chunk[p - 2] in ".!?"
                or p >= 3 and chunk[p - 2].isdecimal() and chunk[p - 3].isspace()
                or p >= 4 and chunk[p - 2].isdecimal() and chunk[p - 3].isdecimal() and chunk[p - 4].isspace()):
            starts.append(p)
    return starts


def _cut(start: int, end: int, cuts: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    pieces, position = [], start
    for cut_start, cut_end in cuts:
        if cut_start > position:
            pieces.append((position, cut_start, False))
        pieces.append((cut_start, cut_end, True))
        position = cut_end
    if position < end:
        pieces.append((position, end, False))
    return pieces


def _split_bullets(text: str, block: RawBlock) -> list[RawBlock]:
    """Inline bullets ("» a » b", " - att ...") inside a paragraph become list items."""
    if _BULLET_CHAR.search(text, block.start, block.end) is None:
        return [block]  # every match starts at one of them: a character-set scan rules most blocks out
    matches = [m for m in _INLINE_BULLET.finditer(text, block.start, block.end) if m.end() < block.end]
    if not matches:
        return [block]
    parts = []
    if matches[0].start() > block.start:
        parts.append(RawBlock(block.kind, block.start, matches[0].start(), block.page))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        item_end = following.start() if following else block.end
        parts.append(RawBlock(BlockKind.LIST_ITEM, match.end(), item_end, block.page))
    parts[0].label = block.label
    return [p for p in parts if p.end > p.start]


def _strip_page_numbers(text: str, start: int, end: int, leaders: _Leaders) -> tuple[int, int]:
    start, end = trim(text, start, end)
    chunk = text[start:end]
    leader = leaders.start(start, end) if ("...." in chunk or ". . ." in chunk) else None
    if leader is not None:
        return trim(text, start, leader)
    if len(chunk) > 50:
        # a trailing number ends the chunk (trimmed: ``$`` is its end): search only then
        trailing = _TRAILING_PAGE_NUMBER.search(chunk) if chunk[-1].isdecimal() else None
        if trailing:
            end = start + trailing.start()
        leading = _LEADING_PAGE_NUMBER.match(chunk)
        if leading:
            start += leading.end()
    return trim(text, start, end)


_TAIL_START = re.compile(r"^(om|för|i|kring|mellan|och|inom|med|vid|till|av|på|avseende|gällande)\s")


def _heading_tail(text: str) -> bool:
    """A short line that completes the heading above it ("om samverkan för ..."); a lower-case
    photo caption under a headline ("flygfoto Hudiksvall") does not."""
    return len(text) < 100 and bool(_TAIL_START.match(text)) and not text.endswith(_SENTENCE_END)


def _looks_like_heading(text: str) -> bool:
    """Short, capitalised, no closing stop, and not a clause with a finite verb."""
    if not text or len(text) > _MAX_HEADING_CHARS or text.endswith((".", ",", ";", "!")) or text.count(",") >= 2:
        return False
    words = text.split()
    if len(words) > _MAX_HEADING_WORDS or not any(ch.isalpha() for ch in text):
        return False
    first = text.lstrip("0123456789.) ")[:1]
    if not first.isupper():
        return False
    if text.endswith((" att", " att:")):
        return False  # a lead-in: "Landstinget Dalarna åtar sig att"
    has_verb = bool(_VERB_CUES.search(text.lower()))
    if text.endswith(":") and (has_verb or len(words) > 3):
        return False  # a lead-in to a list ("Syftet med planen är:", "Följande parter ingår i överenskommelsen:")
    return not (len(words) > 5 and has_verb and not text.endswith("?"))
