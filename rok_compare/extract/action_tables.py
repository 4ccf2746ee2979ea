"""Commitments from action-plan tables: each action in an "insats" column, owned by the parties
in its "Ansvarig" column.

An action cell often lists several actions (bullets "»", "•" or line breaks), and the
responsible cell of the same row plus the rows below it whose other cells are empty (cells split
in the source) give one responsible entry per action, in order. One entry for several actions
covers them all; a name repeated in one cell ("Arbetsförmedlingen Arbetsförmedlingen") is two
merged cells.

Line breaks inside a cell: the readers write a break the author meant as ``\v`` (a ``<br>`` in
an HTML cell; in a PDF a line that ended early or a list marker, see ``ingest.pdf.cells``) and
join a line that merely wrapped at the cell's edge with a space. So ``\v`` separates items and
entries; only a piece that starts in lower case after one that does not end a sentence
("Samhällsorientering för" / "alla nyanlända", "Region Jönköpings" / "län") is taken as the
same phrase going on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rok_compare.extract.organisations import MentionIndex, OrgMention
from rok_compare.model import Block, BlockKind, SegmentedDocument, Span, TableCell

_RESPONSIBLE_HEADER = re.compile(r"\b(ansvarig\w*|huvudansvar\w*|ansvar|vem)\b", re.I)
_ACTION_HEADER = re.compile(r"\b(insats\w*|åtgärd\w*|aktivitet\w*|uppdrag|vad)\b", re.I)
_ITEM_SPLIT = re.compile(r"\s*[»•▪●]\s*|\v+")
_ALL_PARTIES = re.compile(r"\b(samtliga|alla parter|alla)\b", re.I)


@dataclass(slots=True)
class TableCommitment:
    party_mentions: list[OrgMention]
    all_parties: bool
    text: str
    span: Span


def table_commitments(doc: SegmentedDocument, mentions: MentionIndex) -> list[TableCommitment]:
    found: list[TableCommitment] = []
    for table in _tables(doc):
        header = table[0].cells
        responsible = _column(header, _RESPONSIBLE_HEADER)
        if responsible is None:
            continue
        action = _action_column(header, responsible)
        if action is None:
            continue
        found += _rows(doc, table[1:], action, responsible, mentions)
    return found


def labelled_actions(doc: SegmentedDocument, mentions: MentionIndex) -> list[TableCommitment]:
    """Action plans written as labelled lines: "Insats: ...", then "Ansvarig: Länsstyrelsen"."""
    found = []
    for section in doc.sections:
        previous: Block | None = None
        for block in section.blocks:
            if block.label and _RESPONSIBLE_HEADER.fullmatch(block.label.strip()) and previous is not None:
                owners = [m for m in mentions.within(block.span.start, block.span.end) if m.end <= block.span.end]
                all_parties = bool(_ALL_PARTIES.search(block.text))
                if owners or all_parties:
                    found.append(TableCommitment(owners, all_parties and not owners, previous.text, previous.span))
                previous = None
                continue
            if block.kind is not BlockKind.HEADING and (block.label is None or _ACTION_HEADER.search(block.label)):
                previous = block
    return found


def _tables(doc: SegmentedDocument) -> list[list[Block]]:
    tables, current = [], []
    for section in doc.sections:
        for block in section.blocks:
            if block.kind is BlockKind.TABLE_ROW:
                current.append(block)
            elif current:
                tables.append(current)
                current = []
    if current:
        tables.append(current)
    return [t for t in tables if len(t) > 1]


def _column(header: list[TableCell], pattern: re.Pattern[str]) -> int | None:
    for index in range(len(header) - 1, -1, -1):
        if pattern.search(header[index].text):
            return index
    return None


def _action_column(header: list[TableCell], responsible: int) -> int | None:
    candidates = [i for i, cell in enumerate(header) if i != responsible and _ACTION_HEADER.search(cell.text)]
    left = [i for i in candidates if i < responsible]
    if left:
        return left[-1]
    return candidates[-1] if candidates else None


def _rows(doc, rows: list[Block], action: int, responsible: int, mentions) -> list[TableCommitment]:
    found = []
    index = 0
    while index < len(rows):
        row = rows[index]
        entries = _cell_entries(doc, _cell(row, responsible))
        index += 1
        while index < len(rows) and _is_continuation(rows[index], responsible):
            entries += _cell_entries(doc, _cell(rows[index], responsible))
            index += 1
        items = _cell_items(doc, _cell(row, action))
        if not items or not entries:
            continue
        for position, (text, span) in enumerate(items):
            start, end = entries[min(position, len(entries) - 1)] if len(entries) > 1 else entries[0]
            owners = [m for m in mentions.within(start, end) if m.end <= end]
            all_parties = bool(_ALL_PARTIES.search(doc.source.text[start:end]))
            if owners or all_parties:
                found.append(TableCommitment(owners, all_parties and not owners, text, span))
    return found


def _cell(row: Block, index: int) -> TableCell | None:
    return row.cells[index] if index < len(row.cells) else None


def _is_continuation(row: Block, responsible: int) -> bool:
    return all(not cell.text for i, cell in enumerate(row.cells) if i != responsible)


def _cell_entries(doc, cell: TableCell | None) -> list[tuple[int, int]]:
    """Character ranges of the responsible entries in one cell."""
    if cell is None or not cell.text:
        return []
    text = doc.source.text
    pieces = _split_offsets(text, cell.span.start, cell.span.end, re.compile(r"\v+|\n"))
    entries = []
    for start, end in pieces:
        repeated = re.fullmatch(r"\s*(.+?)\s+\1\s*", text[start:end])
        if repeated:  # two merged cells holding the same name
            middle = start + repeated.end(1)
            entries += [(start, middle), (middle, end)]
        else:
            entries.append((start, end))
    return entries


def _cell_items(doc, cell: TableCell | None) -> list[tuple[str, Span]]:
    """The actions in one cell; a lead-in ending with ':' is not an action."""
    if cell is None or not cell.text:
        return []
    text = doc.source.text
    items = []
    for start, end in _split_offsets(text, cell.span.start, cell.span.end, _ITEM_SPLIT):
        item = " ".join(text[start:end].split())
        if item and not item.endswith(":") and len(item) > 3:
            items.append((item, doc.source.span(start, end)))
    return items


def _split_offsets(text: str, start: int, end: int, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    """Ranges of the pieces between separators; a bare line break inside a phrase does not split."""
    pieces: list[tuple[int, int]] = []
    position, joins = start, False
    for match in [*separator.finditer(text, start, end), None]:
        piece = (position, end if match is None else match.start())
        if not text[piece[0] : piece[1]].strip():
            joins = False
        elif joins and pieces and _goes_on(text[pieces[-1][0] : pieces[-1][1]], text[piece[0] : piece[1]]):
            pieces[-1] = (pieces[-1][0], piece[1])
        else:
            pieces.append(piece)
        if match is not None:
            position, joins = match.end(), not match.group().strip()
    return pieces


def _goes_on(previous: str, following: str) -> bool:
    """``following`` (after a line break) continues the phrase of ``previous``."""
    return following.lstrip()[:1].islower() and not previous.rstrip().endswith((".", ":", ";", "!", "?"))
