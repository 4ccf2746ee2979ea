"""Run the whole pipeline on one document: read, segment, extract."""

from __future__ import annotations

from pathlib import Path

from rok_compare.extract.clauses import build_clauses
from rok_compare.extract.commitments import find_commitments
from rok_compare.extract.doc_type import classify_doc_type
from rok_compare.extract.goals import goal_context_list, is_goal_block, is_goal_statement
from rok_compare.extract.metadata import detect_county, detect_period, detect_revision_date
from rok_compare.extract.organisations import OrgMention, find_organisations
from rok_compare.extract.parties import find_parties
from rok_compare.extract.registry import PartyRegistry
from rok_compare.ingest import read_document
from rok_compare.model import Agreement, BlockKind, Goal, SegmentedDocument, SourceDocument
from rok_compare.segment import segment


def extract(source: SourceDocument) -> Agreement:
    """Segment and extract an already read document."""
    registry = PartyRegistry.default()
    doc = segment(source)
    mentions = _document_mentions(doc, registry)
    county = detect_county(doc, mentions, registry)
    if county:  # groups like "alla kommunerna" are the county's municipalities
        mentions = _document_mentions(doc, registry, county)
    doc_type = classify_doc_type(doc)
    in_furniture = _furniture_mentions(doc, registry, county)
    parties = find_parties(doc, mentions, doc_type, furniture_mentions=in_furniture)
    found = find_commitments(doc, mentions, parties)
    if found.heading_parties:
        parties = find_parties(doc, mentions, doc_type, found.heading_parties, in_furniture)
        found = find_commitments(doc, mentions, parties)
    goals = find_goals(doc, found.party_sections)
    goal_spans = {(g.span.start, g.span.end) for g in goals}
    commitments = [c for c in found.commitments if (c.span.start, c.span.end) not in goal_spans]
    clauses = build_clauses(
        doc,
        goal_spans,
        {(c.span.start, c.span.end) for c in commitments},
    )
    return Agreement(
        source=source,
        title=doc.title,
        county=county,
        period=detect_period(doc, doc_type),
        revision_date=detect_revision_date(doc),
        doc_type=doc_type,
        parties=parties,
        goals=goals,
        commitments=commitments,
        clauses=clauses,
        warnings=list(source.warnings),
    )


def _document_mentions(doc: SegmentedDocument, registry: PartyRegistry, county=None) -> list[OrgMention]:
    """Organisation mentions outside web furniture."""
    mentions = find_organisations(doc.source.text, registry, county, doc.source.path.name)
    return [m for m in mentions if not _in_furniture(doc, m)]


def _furniture_mentions(doc: SegmentedDocument, registry: PartyRegistry, county=None) -> list[OrgMention]:
    return [m for m in find_organisations(doc.source.text, registry, county) if _in_furniture(doc, m)]


def _in_furniture(doc: SegmentedDocument, mention: OrgMention) -> bool:
    return any(b.span.start <= mention.start < b.span.end for b in doc.furniture)


def find_goals(doc: SegmentedDocument, party_sections: list[tuple[int, int]]) -> list[Goal]:
    """Goal statements, except in a party's own section, where statements are its commitments."""
    goals = []
    for section in doc.sections:
        previous = None
        for block in section.blocks:
            if block.kind in (BlockKind.TABLE_ROW, BlockKind.HEADING):
                continue
            goal_section = is_goal_block(section, block)
            in_list = block.kind is BlockKind.LIST_ITEM or block.label is not None
            listed_goal = in_list and goal_context_list(previous)
            for sentence in block.sentences:
                if any(s <= sentence.span.start < e for s, e in party_sections):
                    continue
                if listed_goal or is_goal_statement(sentence, goal_section, in_list or _short_item(block)):
                    goals.append(Goal(sentence.text, section.heading, sentence.span))
            if block.kind is not BlockKind.LIST_ITEM:
                previous = block
    return goals


def _short_item(block) -> bool:
    """A short paragraph without a full stop under a goal heading is a goal item ("Fler nya ...")."""
    return len(block.text) < 160 and not block.text.rstrip().endswith((".", ":"))


def extract_document(path: str | Path) -> Agreement:
    """Read and extract one file; raises :class:`~rok_compare.errors.InputError` on bad input."""
    return extract(read_document(path))
