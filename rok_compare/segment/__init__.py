"""Segment stage: headings, sections, list items, table rows and sentences of a document.

    >>> from rok_compare.ingest import read_document
    >>> from rok_compare.segment import segment
    >>> doc = segment(read_document("corpus/seeds/004_053ccb9634956e56.txt"))
    >>> [s.heading for s in doc.sections][:3]
"""

from __future__ import annotations

from rok_compare.model import BlockKind, SegmentedDocument, SourceDocument
from rok_compare.segment.blocks import build_blocks
from rok_compare.segment.furniture import furniture_mask
from rok_compare.segment.lines import split_lines
from rok_compare.segment.sections import group_sections, to_block
from rok_compare.segment.sentences import split_sentences
from rok_compare.segment.text_utils import split_numbering

__all__ = ["segment", "split_numbering", "split_sentences"]


def segment(source: SourceDocument) -> SegmentedDocument:
    lines = split_lines(source)
    raw_blocks, raw_furniture = build_blocks(source.text, lines, furniture_mask(lines))
    blocks = [to_block(source, raw) for raw in raw_blocks]
    furniture = [to_block(source, raw) for raw in raw_furniture]
    sections = group_sections(blocks)
    return SegmentedDocument(source=source, title=_title(blocks), sections=sections, furniture=furniture)


def _title(blocks) -> str | None:
    """The first block when it is a heading or a short line; else the first heading near the top,
    with a following "om ..." line joined on."""
    if blocks and blocks[0].kind is BlockKind.PARAGRAPH and len(blocks[0].text) <= 160 \
            and len(blocks[0].sentences) <= 2 and not blocks[0].text.endswith((".", "!", "?")):
        return blocks[0].text
    for index, block in enumerate(blocks[:6]):
        if block.kind is not BlockKind.HEADING:
            continue
        title = block.text
        for following in blocks[index + 1 : index + 3]:
            if following.kind is BlockKind.HEADING and following.text[:1].islower():
                title = f"{title} {following.text}"
            else:
                break
        return title
    for block in blocks[:3]:
        if block.kind is BlockKind.PARAGRAPH and len(block.text) <= 200:
            return block.text
    return None
