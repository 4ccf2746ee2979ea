"""Run the whole pipeline on one document: read, segment, extract."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from rok_compare.extract.attribution import without_attribution
from rok_compare.extract.clauses import build_clauses
from rok_compare.extract.commitments import find_commitments
from rok_compare.extract.doc_type import agreement_level, classify_doc_type
from rok_compare.extract.goals import goal_context_list, is_goal_block, is_goal_statement
from rok_compare.extract.metadata import detect_county, detect_period, detect_revision_date
from rok_compare.extract.organisations import (
    MentionIndex,
    OrgMention,
    assign_county,
    find_organisations,
    with_party_names,
)
from rok_compare.extract.parties import find_parties
from rok_compare.extract.party_candidates import PartyCandidate, party_candidates
from rok_compare.extract.party_model import PARTY_MODEL_FILE, choose_parties, party_scores, shipped_model
from rok_compare.extract.registry import PartyRegistry
from rok_compare.extract.sites import SiteIndex
from rok_compare.ingest import read_document
from rok_compare.model import (
    Agreement,
    BlockKind,
    County,
    DocType,
    Goal,
    Party,
    SegmentedDocument,
    SourceDocument,
)
from rok_compare.segment import segment


@dataclass(slots=True)
class PartyEvidence:
    """Everything the party decision looks at, for one document (also what training labels)."""

    doc: SegmentedDocument
    sites: SiteIndex
    mentions: MentionIndex
    furniture_mentions: list[OrgMention]
    county: County | None
    doc_type: DocType
    rule_parties: list[Party]
    candidates: list[PartyCandidate]


def party_evidence(source: SourceDocument) -> PartyEvidence:
    """Segment, find organisation mentions, county, document type, the cue rules' parties and the
    party candidates with their features."""
    registry = PartyRegistry.default()
    doc = segment(source)
    mentions, in_furniture = _document_mentions(doc, registry)
    county = detect_county(doc, mentions, registry)
    if county:
        assign_county(mentions, county)
    doc_type = classify_doc_type(doc)
    rule_parties = find_parties(doc, mentions, doc_type, furniture_mentions=in_furniture)
    heading_parties = find_commitments(doc, with_party_names(source.text, mentions, rule_parties),
                                       rule_parties).heading_parties
    known = {p.canonical.lower() for p in rule_parties}
    if any(m.canonical.lower() not in known for m in heading_parties):
        # parties named only by their commitment headings
        rule_parties = find_parties(doc, mentions, doc_type, heading_parties, in_furniture)
    sites = SiteIndex(doc)
    candidates = party_candidates(sites, mentions, in_furniture, doc_type, {p.canonical for p in rule_parties})
    return PartyEvidence(doc, sites, mentions, in_furniture, county, doc_type, rule_parties, candidates)


def decide_parties(evidence: PartyEvidence) -> list[Party]:
    """The parties by the shipped party model; by the cue rules when no model is shipped."""
    shipped = shipped_model(PARTY_MODEL_FILE)
    if shipped is None:
        return evidence.rule_parties
    model, threshold = shipped
    scores = party_scores(evidence.candidates, model)
    return choose_parties(evidence.doc.source, evidence.candidates, scores, threshold)


def extract(source: SourceDocument) -> Agreement:
    """Segment and extract an already read document."""
    evidence = party_evidence(source)
    doc, mentions, county = evidence.doc, evidence.mentions, evidence.county
    parties = decide_parties(evidence)
    doc_type = agreement_level(doc, evidence.doc_type, parties)
    mentions = with_party_names(source.text, mentions, parties)
    found = find_commitments(doc, mentions, parties)
    own = {(c.span.start, c.span.end) for c in found.commitments if c.party != "*"}
    goals = [g for g in find_goals(doc, set(found.party_sections)) if (g.span.start, g.span.end) not in own]
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


def _document_mentions(doc: SegmentedDocument, registry: PartyRegistry) -> tuple[MentionIndex, list[OrgMention]]:
    """Organisation mentions in the text, and those inside web furniture apart."""
    found = find_organisations(doc.source.text, registry, doc.source.path.name)
    furniture = sorted((b.span.start, b.span.end) for b in doc.furniture)
    starts = [start for start, _ in furniture]

    def in_furniture(mention: OrgMention) -> bool:
        index = bisect.bisect_right(starts, mention.start) - 1
        return index >= 0 and mention.start < furniture[index][1]

    inside = [m for m in found if in_furniture(m)]
    return MentionIndex([m for m in found if not in_furniture(m)]), inside


def find_goals(doc: SegmentedDocument, party_sections: set[tuple[int, int]]) -> list[Goal]:
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
                if (sentence.span.start, sentence.span.end) in party_sections:
                    continue
                if listed_goal or is_goal_statement(sentence, goal_section, in_list or _short_item(block)):
                    text, span = without_attribution(sentence.text, sentence.span)
                    goals.append(Goal(text, section.heading, span))
            if block.kind is not BlockKind.LIST_ITEM:
                previous = block
    return goals


def _short_item(block) -> bool:
    """A short paragraph without a full stop under a goal heading is a goal item ("Fler nya ...")."""
    return len(block.text) < 160 and not block.text.rstrip().endswith((".", ":"))


def extract_document(path: str | Path) -> Agreement:
    """Read and extract one file; raises :class:`~rok_compare.errors.InputError` on bad input."""
    return extract(read_document(path))
