"""Run the whole pipeline on one document: read, segment, extract.

Extraction runs in two decisions, each first gathering its evidence with the rules and then deciding
with the trained deciders (:mod:`.deciders`; the rules alone when none are shipped):

1. :func:`party_evidence` (mentions, county, the rules' parties; candidates on demand) ->
   :func:`decide_parties`;
2. :func:`statement_evidence` (document type, the rules' goals and commitments; sentence candidates
   on demand) -> :func:`decide_statements`;
3. the period: the rules' reading, else the period decider's choice among every year and span the
   document states (:func:`decide_period`).

:func:`decide` ties them together (a party found only by its commitment heading sends the parties
round once more); :func:`extract` adds the clauses and the metadata.
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rok_compare.extract.attribution import without_attribution
from rok_compare.extract.clauses import build_clauses
from rok_compare.extract.commitments import find_commitments
from rok_compare.extract.deciders import Deciders, shipped_deciders
from rok_compare.extract.doc_type import agreement_level, classify_doc_type, type_from_scores
from rok_compare.extract.doc_type_features import doc_type_features
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
from rok_compare.extract.party_model import choose_parties, party_scores
from rok_compare.extract.period_candidates import choose_period, period_candidates
from rok_compare.extract.registry import PartyRegistry
from rok_compare.extract.sites import SiteIndex
from rok_compare.extract.statements import (
    COMMITMENT,
    GOAL,
    NEITHER,
    StatementCandidate,
    choose_statements,
    statement_candidates,
)
from rok_compare.ingest import read_document
from rok_compare.model import (
    Agreement,
    BlockKind,
    Commitment,
    County,
    DocType,
    Goal,
    Party,
    Period,
    SegmentedDocument,
    SourceDocument,
)
from rok_compare.segment import segment


@dataclass
class PartyEvidence:
    """Everything the party decision looks at, for one document (also what training labels).

    The candidates and their features are computed when first asked for: extraction needs them only
    where the rules found no party."""

    doc: SegmentedDocument
    sites: SiteIndex
    mentions: MentionIndex
    furniture_mentions: list[OrgMention]
    county: County | None
    doc_type: DocType
    rule_parties: list[Party]

    @cached_property
    def candidates(self) -> list[PartyCandidate]:
        return party_candidates(self.sites, self.mentions, self.furniture_mentions, self.doc_type,
                                {p.canonical for p in self.rule_parties})

    def with_heading_parties(self, heading_parties: list[OrgMention]) -> PartyEvidence | None:
        """The evidence again with the parties named only by their commitment headings added to the
        rules' ("Arbetsförmedlingen" over its own undertakings); None when they add none."""
        known = {p.canonical.lower() for p in self.rule_parties}
        if all(m.canonical.lower() in known for m in heading_parties):
            return None
        rule_parties = find_parties(self.doc, self.mentions, self.doc_type, heading_parties, self.furniture_mentions)
        return PartyEvidence(self.doc, self.sites, self.mentions, self.furniture_mentions, self.county, self.doc_type,
                             rule_parties)


def party_evidence(source: SourceDocument, heading_pass: bool = False) -> PartyEvidence:
    """Segment, find organisation mentions, county, document type and the cue rules' parties (with
    ``heading_pass``, also those named only by commitment headings, which extraction otherwise
    learns from its commitment pass: see :func:`decide`)."""
    registry = PartyRegistry.default()
    doc = segment(source)
    mentions, in_furniture = _document_mentions(doc, registry)
    county = detect_county(doc, mentions, registry)
    if county:
        assign_county(mentions, county)
    doc_type = classify_doc_type(doc)
    rule_parties = find_parties(doc, mentions, doc_type, furniture_mentions=in_furniture)
    evidence = PartyEvidence(doc, SiteIndex(doc), mentions, in_furniture, county, doc_type, rule_parties)
    if heading_pass:
        named = with_party_names(source.text, mentions, rule_parties)
        headings = find_commitments(doc, named, rule_parties, headings_only=True).heading_parties
        evidence = evidence.with_heading_parties(headings) or evidence
    return evidence


RULE_LIST_MIN = 1
"""Parties the cue rules recognise (one name or more: a list, or the owner of a plan) stand as they
are: on documents they were not written against the rules are precise but narrow (P 0.94, R 0.31),
so the model's task is the documents where they find none."""


def decide_parties(evidence: PartyEvidence, deciders: Deciders) -> list[Party]:
    """The parties by the party model (with the cue rules' when ``keep_rules``); the rules' alone
    without a model, or when they found a list of their own."""
    if deciders.party is None or (deciders.keep_rules and len(evidence.rule_parties) >= RULE_LIST_MIN):
        return evidence.rule_parties
    scores = party_scores(evidence.candidates, deciders.party) if evidence.candidates else []
    rules = evidence.rule_parties if deciders.keep_rules else ()
    return choose_parties(evidence.doc.source, evidence.candidates, scores, deciders.party_threshold, rules)


@dataclass
class StatementEvidence:
    """What the goal/commitment decision looks at, once the parties are known (the candidates are
    computed when first asked for)."""

    doc_type: DocType
    mentions: MentionIndex
    rule_goals: list[Goal]
    rule_commitments: list[Commitment]
    sites: SiteIndex
    parties: list[Party]
    heading_parties: list[OrgMention]

    @cached_property
    def candidates(self) -> list[StatementCandidate]:
        return statement_candidates(self.sites, self.mentions, self.parties, self.doc_type, self.rule_goals,
                                    self.rule_commitments)


def statement_evidence(evidence: PartyEvidence, parties: list[Party], deciders: Deciders) -> StatementEvidence:
    """The document type, the rules' goals and commitments, and every body sentence as a candidate
    with its features."""
    doc = evidence.doc
    doc_type = decide_doc_type(doc, agreement_level(doc, evidence.doc_type, parties), parties, deciders)
    mentions = with_party_names(doc.source.text, evidence.mentions, parties)
    found = find_commitments(doc, mentions, parties)
    own = {(c.span.start, c.span.end) for c in found.commitments if c.party != "*"}
    goals = [g for g in find_goals(doc, set(found.party_sections)) if (g.span.start, g.span.end) not in own]
    goal_spans = {(g.span.start, g.span.end) for g in goals}
    commitments = [c for c in found.commitments if (c.span.start, c.span.end) not in goal_spans]
    return StatementEvidence(doc_type, mentions, goals, commitments, evidence.sites, parties, found.heading_parties)


def decide_doc_type(doc: SegmentedDocument, rule_type: DocType, parties: list[Party], deciders: Deciders) -> DocType:
    """The type model's reading of the whole document where the rules say only "other"; where they
    name a type, it stands unless the model is surer than ``deciders.doc_type_override`` of another."""
    if deciders.doc_type is None or (rule_type is not DocType.OTHER and deciders.doc_type_override is None):
        return rule_type
    scores = deciders.doc_type.predict_proba([doc_type_features(doc, rule_type, parties)])[0]
    return type_from_scores(scores, rule_type, deciders.doc_type_threshold, deciders.doc_type_override)


def decide_statements(evidence: StatementEvidence, deciders: Deciders) -> tuple[list[Goal], list[Commitment]]:
    """Goals and commitments by the sentence model (with the rules' when ``keep_rules``); by the
    rules alone without a model."""
    fill_only = tuple(kind for kind in (GOAL, COMMITMENT) if kind not in deciders.sentence_everywhere)
    if deciders.sentence is None or (deciders.keep_rules and len(fill_only) == 2
                                     and evidence.rule_goals and evidence.rule_commitments):
        return evidence.rule_goals, evidence.rule_commitments  # the model would only fill in a kind they miss
    candidates = evidence.candidates
    # with keep_rules a sentence the rules decided keeps their verdict: only the others are scored
    # (each row's scores are its own, so the others' are the same as when all are scored)
    open_rows = [i for i, c in enumerate(candidates)
                 if not (deciders.keep_rules and (c.rule_goals or c.rule_commitments))]
    scores = deciders.sentence.predict_proba([candidates[i].features for i in open_rows]) if open_rows else []
    least = {GOAL: deciders.sentence_threshold if deciders.goal_threshold is None else deciders.goal_threshold}
    labels = [NEITHER] * len(candidates)  # the rules' verdict replaces it (see choose_statements)
    for row, s in zip(open_rows, scores, strict=True):
        label = max(s, key=s.__getitem__)
        labels[row] = label if s[label] >= least.get(label, deciders.sentence_threshold) else NEITHER
    return choose_statements(candidates, labels, deciders.keep_rules, fill_only)


def decide_period(doc: SegmentedDocument, doc_type: DocType, deciders: Deciders) -> Period | None:
    """The cue rules' period when they read one (precise where they fire); else the period model's
    choice among the years and spans the document states, or none below its threshold."""
    rule_period = detect_period(doc, doc_type)
    if rule_period is not None or deciders.period is None:
        return rule_period
    return choose_period(period_candidates(doc, doc_type), deciders.period, deciders.period_threshold)


StatementsOf = Callable[[PartyEvidence, list[Party], Deciders], StatementEvidence]


def decide(evidence: PartyEvidence, deciders: Deciders,
           statements_of: StatementsOf = statement_evidence) -> tuple[list[Party], StatementEvidence]:
    """The parties and the statement evidence for them. The commitment pass also finds parties named
    only by their section headings; when it does, the parties are decided again with them (rare:
    one commitment pass in the common case)."""
    parties = decide_parties(evidence, deciders)
    statements = statements_of(evidence, parties, deciders)
    settled = evidence.with_heading_parties(statements.heading_parties)
    if settled is not None:
        parties = decide_parties(settled, deciders)
        statements = statements_of(settled, parties, deciders)
    return parties, statements


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for one document: reference counting frees what
    extraction makes, and the collector would otherwise walk every live object (models, registries,
    the document) again and again while a long document's objects pile up (8-14 % of its CPU). The
    few cycles made are collected after, once it is on again."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def extract(source: SourceDocument, deciders: Deciders | None = None) -> Agreement:
    """Segment and extract an already read document, with the shipped deciders unless given others."""
    with collector_paused():
        return _extract(source, shipped_deciders() if deciders is None else deciders)


def _extract(source: SourceDocument, deciders: Deciders) -> Agreement:
    evidence = party_evidence(source)
    doc = evidence.doc
    parties, statements = decide(evidence, deciders)
    goals, commitments = decide_statements(statements, deciders)
    clauses = build_clauses(
        doc,
        {(g.span.start, g.span.end) for g in goals},
        {(c.span.start, c.span.end) for c in commitments},
    )
    return Agreement(
        source=source,
        title=doc.title,
        county=evidence.county,
        period=decide_period(doc, statements.doc_type, deciders),
        revision_date=detect_revision_date(doc),
        doc_type=statements.doc_type,
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
    with collector_paused():
        return extract(read_document(path))
