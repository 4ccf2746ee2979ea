"""Turn raw blocks into typed blocks with sentences or cells, grouped under their headings."""

from __future__ import annotations

from rok_compare.model import Block, BlockKind, Section, Sentence, SourceDocument, Span, TableCell
from rok_compare.segment.blocks import RawBlock
from rok_compare.segment.sentences import split_sentences
from rok_compare.segment.text_utils import clean, trim


def to_block(source: SourceDocument, raw: RawBlock) -> Block:
    text = source.text
    span = source.span(raw.start, raw.end)
    block = Block(raw.kind, clean(text[raw.start : raw.end]), span)
    if raw.label:
        block.label = clean(text[raw.label[0] : raw.label[1]])
    if raw.kind is BlockKind.TABLE_ROW:
        block.cells = table_cells(source, raw.start, raw.end)
    elif raw.kind is not BlockKind.HEADING:
        offsets = split_sentences(text, raw.start, raw.end)
        if not source.paragraphs and source.page_at(raw.end - 1) == span.page:
            # a block on one page of a file without paragraphs: its sentences' spans are on that page
            page = span.page
            block.sentences = [Sentence(clean(text[s:e]), Span(page, s, e)) for s, e in offsets]
        else:
            block.sentences = [Sentence(clean(text[s:e]), source.span(s, e)) for s, e in offsets]
    return block


def table_cells(source: SourceDocument, start: int, end: int) -> list[TableCell]:
    """The tab-separated cells of a row; an empty cell keeps its place (empty text)."""
    cells, position = [], start
    for raw in source.text[start:end].split("\t"):
        cell_start, cell_end = trim(source.text, position, position + len(raw))
        cells.append(TableCell(clean(source.text[cell_start:cell_end]), source.span(cell_start, cell_end)))
        position += len(raw) + 1
    return cells


def group_sections(blocks: list[Block]) -> list[Section]:
    """A heading opens a section; a heading right under another heading is its subsection."""
    sections: list[Section] = []
    current = Section(heading=None, heading_span=None)
    for block in blocks:
        if block.kind is BlockKind.HEADING:
            parent = None
            if current.heading and not current.blocks:
                parent = current.heading
            elif current.parent and not current.blocks:
                parent = current.parent
            if current.heading or current.blocks:
                sections.append(current)
            current = Section(heading=block.text, heading_span=block.span, parent=parent)
            continue
        current.blocks.append(block)
    if current.heading or current.blocks:
        sections.append(current)
    return sections
