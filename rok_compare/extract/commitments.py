"""Commitments: who undertakes what.

Three places hold them:
1. per-party sections: a heading that names a party ("Arbetsförmedlingen", "Kommunens ansvar")
   inside a commitments part ("Parters åtaganden") or naming a party of the agreement; every
   statement under it is that party's, also when a transcript ran the heading into the text
   ("Länsstyrelsen Verka för att ...");
2. sentences whose subject is a party or the parties jointly ("Arbetsförmedlingen ska ...",
   "Parterna marknadsför ...", "vi som kommuner ska ..."), or impersonal undertakings
   ("Uppföljningen ska ske ...", "Årliga handlingsplaner utarbetas ...") for all parties;
3. action-plan tables with a responsible column (see :mod:`action_tables`).
Statements of what an agency does by law ("Kommunen ansvarar för ...") outside such sections are
not commitments of the agreement, so outside them a commitment needs binding wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rok_compare.extract.action_tables import labelled_actions, table_commitments
from rok_compare.extract.attribution import is_quoted, without_attribution
from rok_compare.extract.goals import is_goal_block, is_goal_section, is_goal_statement
from rok_compare.extract.listed_names import only_names
from rok_compare.extract.organisations import MentionIndex, OrgMention
from rok_compare.extract.sentence_roles import (
    ALL,
    BARE_MUNICIPALITIES,
    JOINT_ANYWHERE,
    JOINT_SUBJECT,
    NOT_BINDING_FOLDED,
    PROCESS_START,
    RECEPTION,
    SIGNATURE_LINE,
    SIGNED,
    agent_of,
    binds,
    municipal_holder,
    municipalities_bound,
    names_only,
    process_subject,
    role_holder,
    signature_or_signing,
    sole_municipality,
    subject_chain_size,
    subject_of,
)
from rok_compare.extract.strength import commitment_strength
from rok_compare.model import BlockKind, Commitment, Party, SegmentedDocument, Sentence, Span
from rok_compare.segment import split_numbering
from rok_compare.segment.folding import FoldedPattern, lowered

_DATA = Path(__file__).parent / "data"
_JOINT_ANYWHERE, _JOINT_SUBJECT, _RECEPTION = (FoldedPattern(p.pattern, p.flags & ~re.I)
                                               for p in (JOINT_ANYWHERE, JOINT_SUBJECT, RECEPTION))
"""The same patterns, searched where a sentence holds the words their matches need (see
:class:`~rok_compare.segment.folding.FoldedPattern`): most sentences hold none."""
_REGION_HEADING = re.compile(
    r"\b(åtagande\w*|ansvarsfördelning\w*|ansvar|roller|uppdrag|ansvarsområden|avsikter)\b", re.I)
_EXPLICIT_REGION = re.compile(r"\båtagande\w*\b", re.I)
_END_REGION_HEADING = re.compile(
    r"\b(kontakt\w*|bilag\w*|statistik|mottagande av flyktingar|underskrift\w*|uppföljning\w*|utvärdering\w*|"
    r"giltighet\w*|revidering\w*|tvist\w*|ändring\w*|avslutning|ikraftträdande|uppsägning\w*|förlängning\w*)\b",
    re.I,
)
"""Headings that close the parties' commitments: the agreement's own machinery and back matter."""
_COORDINATED_VERB = re.compile(r"^\s+(ska|skall|kommer att|åtar sig)\b", re.I)
_AFTER_HEADING_NAME = re.compile(r"(?:\s*/\s*[\wåäö]+(?:\s+[\wåäö]+)?)?\s+(?=[A-ZÅÄÖ])")
_POSSESSIVE_HEADING = re.compile(
    r"^(.+?)(:s|s)?\s+(ansvar|åtaganden|uppdrag|roll|ansvar och uppgifter|åtar sig|ska|skall|ansvarar för|"
    r"bidrar med|kommer att)\b",
    re.I,
)
_LIST_LEAD_IN = re.compile(
    r"\s*(åtar sig|ska|skall|ansvarar för|kommer att|bidrar med|erbjuder|förbinder sig)\b[^.]{0,80}(?::|\batt)$", re.I
)
"""A lead-in to a list of one party's undertakings: "Länsstyrelsen åtar sig att:" (colon or not)."""
_JOINT_LEAD_IN = re.compile(r"^(parterna|samtliga parter|alla parter|vi)\b", re.I)
_INVERTED_JOINT_LEAD_IN = re.compile(
    r"^(?:gemensamt|tillsammans|dessutom|vidare)\s+(?:åtar sig|ska|skall|kommer)\s+(?:de\s+)?(?:parterna|vi)\b"
    r"[^.]{0,60}(?::|\batt)$", re.I)
"""The same, inverted: "Gemensamt åtar sig parterna att"."""
_AGREED_LEAD_IN = re.compile(
    r"\bparterna\s+(?:kommit|är|varit)\s+överens\s+om\s+att:?$|\bparterna\s+enats\s+om\s+att:?$", re.I)
"""An agreement's joint undertakings listed after "... har parterna kommit överens om att:"."""


@cache
def _run_on_split() -> re.Pattern[str]:
    lines = (_DATA / "commitment_verbs.txt").read_text(encoding="utf-8").splitlines()
    verbs = "|".join(v.strip() for v in lines if v.strip() and not v.startswith("#"))
    return re.compile(rf"(?<=[a-zåäö0-9)])\s+(?=(?:{verbs})\b)")


@dataclass(slots=True)
class CommitmentResult:
    commitments: list[Commitment] = field(default_factory=list)
    heading_parties: list[OrgMention] = field(default_factory=list)
    party_sections: dict[tuple[int, int], str] = field(default_factory=dict)
    """Sentence spans under a party's heading, with the heading's name: commitments, not goals."""


@dataclass(slots=True)
class _Context:
    in_region: bool = False
    explicit_region: bool = False
    party: OrgMention | None = None
    region_depth: int | None = None
    """Numbering depth of the heading that opened the region ("4." → 1, "4.2" → 2), if numbered."""
    party_depth: int | None = None
    beside_party_heading: bool = False
    """The section before or after the current one is headed by a party too (per-party sections)."""

    def leave(self) -> None:
        """Out of the commitments part and out of any party's section."""
        self.in_region = self.explicit_region = False
        self.party = None
        self.region_depth = self.party_depth = None


def find_commitments(doc: SegmentedDocument, mentions: MentionIndex, parties: list[Party],
                     headings_only: bool = False) -> CommitmentResult:
    """The commitments, the parties' sections and the parties named by their section headings;
    ``headings_only``: the heading parties alone (no statement is classified), for the party rules."""
    party_names = {p.canonical.lower() for p in parties}
    result = CommitmentResult()
    context = _Context()
    text = doc.source.text
    owners = [_heading_party(section, mentions) for section in doc.sections]
    headed = [owner is not None and not SIGNATURE_LINE.search(section.heading or "")
              for owner, section in zip(owners, doc.sections, strict=True)]
    for index, section in enumerate(doc.sections):
        context.beside_party_heading = _beside_other_party(owners, headed, index)
        _enter_section(section, owners[index], party_names, context)
        lead_in: tuple[str, str] | None = None
        for block in section.blocks:
            if block.kind in (BlockKind.TABLE_ROW, BlockKind.HEADING):
                continue
            if block.kind is BlockKind.LIST_ITEM and lead_in:
                result.commitments += _listed_undertakings(block, lead_in)
                continue
            lead_in = _undertaking_lead_in(block, mentions, party_names)
            goal_section = is_goal_block(section, block)
            for sentence in block.sentences:
                units = _units(text, sentence, mentions, context, party_names, result)
                if headings_only:
                    continue
                if context.party is not None:
                    result.party_sections[(sentence.span.start, sentence.span.end)] = context.party.name
                for unit in units:
                    goal_like = goal_section or is_goal_statement(unit, goal_section, block.kind is BlockKind.LIST_ITEM)
                    commitment = _classify(unit, mentions, parties, party_names, context)
                    # a goal, unless a party, its subject, undertakes it ("Arbetsförmedlingen ska ..." under "Mål")
                    if commitment and (not goal_like or context.party or _party_leads(unit, mentions, commitment)):
                        result.commitments.append(commitment)
    if not headings_only:
        result.commitments += _from_tables(doc, mentions)
    return result


def _beside_other_party(owners: list[OrgMention | None], headed: list[bool], index: int) -> bool:
    """Whether a neighbouring heading names another party: per-party sections follow one another
    ("Arbetsförmedlingen", "Region X"); one name repeated (a web page's address block) opens none."""
    own = owners[index].canonical if owners[index] is not None else None
    return any(headed[other] and owners[other].canonical != own  # type: ignore[union-attr]
               for other in (index - 1, index + 1) if 0 <= other < len(owners))


def _party_leads(unit: Sentence, mentions: MentionIndex, commitment: Commitment) -> bool:
    """The committing party opens the sentence: "Arbetsförmedlingen ska erbjuda ...", or the
    municipalities do: "Kommunerna åtar sig ..." (see :func:`municipal_holder`)."""
    first = next(iter(mentions.within(unit.span.start, unit.span.start + 3)), None)
    if first is None:
        return BARE_MUNICIPALITIES.match(unit.text) is not None
    return commitment.party != ALL and first.canonical == commitment.party


def _undertaking_lead_in(block, mentions: MentionIndex, party_names: set[str]) -> tuple[str, str] | None:
    """(owner, wording) when a block ends with "<party> åtar sig att:" or "Parterna ska:"."""
    if not block.sentences:
        return None
    last = block.sentences[-1]
    if not last.text.endswith((":", " att")):
        return None
    _, unnumbered = split_numbering(last.text)  # "3.2.1 Länsstyrelsen åtar sig att:"
    skip = len(last.text) - len(unnumbered)
    joint = _JOINT_LEAD_IN.match(unnumbered)
    if joint and _LIST_LEAD_IN.match(unnumbered, joint.end()) or _INVERTED_JOINT_LEAD_IN.match(unnumbered) \
            or _AGREED_LEAD_IN.search(unnumbered):
        return ALL, last.text
    first = next(iter(mentions.within(last.span.start + skip, last.span.start + skip + 3)), None)
    if first and first.canonical.lower() in party_names:
        rest = last.text[first.end - last.span.start :]
        if _LIST_LEAD_IN.match(rest):
            return first.canonical, last.text
    return None


def _listed_undertakings(block, lead_in: tuple[str, str]) -> list[Commitment]:
    owner, wording = lead_in
    return [Commitment(owner, s.text.rstrip(" ,;"), commitment_strength(f"{wording.rstrip(':')} {s.text}"), s.span)
            for s in block.sentences if len(s.text) >= 4]


def _enter_section(section, owner: OrgMention | None, party_names: set[str], context: _Context) -> None:
    """Update the context at a heading; ``owner`` is the party the heading names (:func:`_heading_party`)."""
    heading = section.heading
    if heading is None:
        return
    if SIGNATURE_LINE.search(heading):  # "För Region X" over a signature: the end of the commitments
        context.leave()
        return
    depth = _numbering_depth(heading)
    if _REGION_HEADING.search(heading) and not owner:
        context.in_region, context.region_depth = True, depth
        context.explicit_region = bool(_EXPLICIT_REGION.search(heading))
        context.party = None
        return
    if owner and (context.explicit_region or owner.canonical.lower() in party_names) \
            and (context.in_region or context.beside_party_heading or _POSSESSIVE_HEADING.match(heading)):
        # a lone party name outside the commitments part (a logo on a cover page) opens no section
        context.in_region = True
        context.party, context.party_depth = owner, depth
        return
    # a numbered heading no deeper than the one that opened the region closes it ("5." after "4.")
    sibling_of_region = depth is not None and context.region_depth is not None and depth <= context.region_depth
    # a numbered heading after a section opened by unnumbered ones belongs to the document's outline
    outline_resumes = depth is not None and context.region_depth is None and context.party_depth is None
    if owner or is_goal_section(section) or _END_REGION_HEADING.search(heading) or not context.in_region \
            or sibling_of_region or outline_resumes:
        context.leave()
    elif depth is not None and context.party_depth is not None and depth <= context.party_depth:
        context.party = None  # "4.3 Kommunerna" after "4.2 Region X": a sibling that names no party


def _numbering_depth(heading: str) -> int | None:
    """How deep a numbered heading sits: "4 Åtaganden" and "4. Åtaganden" → 1, "4.2 Region X" → 2."""
    number, _ = split_numbering(heading)
    return number.count(".") + 1 if number else None


def _heading_party(section, mentions: list[OrgMention]) -> OrgMention | None:
    """The party a heading names, when the heading is (nearly) only that name."""
    span = section.heading_span
    inside = [m for m in mentions.within(span.start, span.end) if m.end <= span.end] if span else []
    if not inside:
        return None
    owner = inside[-1]
    heading = section.heading
    possessive = _POSSESSIVE_HEADING.match(heading)
    name_share = sum(len(m.name) for m in inside) / max(1, len(heading))
    return owner if possessive or name_share >= 0.6 else None


def _units(text, sentence: Sentence, mentions, context: _Context, party_names, result) -> list[Sentence]:
    """Split run-in party headings and run-on commitments off a sentence."""
    start, end = sentence.span.start, sentence.span.end
    if context.in_region:
        lead = next((m for m in mentions.within(start, start + 1) if m.end < end), None)
        after = _AFTER_HEADING_NAME.match(text, lead.end, end) if lead else None
        if lead and after and (context.explicit_region or lead.canonical.lower() in party_names):
            context.party = lead
            result.heading_parties.append(lead)
            start = after.end()
    pieces = _split_offsets(text, start, end, _run_on_split()) if context.in_region else [(start, end)]
    pieces = [piece for s, e in pieces for piece in _split_coordinated(text, s, e, mentions, party_names)]
    return [Sentence(" ".join(text[s:e].split()).rstrip(" ,"), Span(sentence.span.page, s, e)) for s, e in pieces]


def _split_coordinated(text: str, start: int, end: int, mentions, party_names) -> list[tuple[int, int]]:
    """ "X kommer att ... och Y ska ...": two parties' commitments in one sentence."""
    for mention in mentions.within(start + 16, end):
        if mention.canonical.lower() not in party_names:
            continue
        if _coordinated(text[start : mention.start]) and _COORDINATED_VERB.match(text[mention.end : end]):
            cut = text.rfind(" och ", start, mention.start)
            if only_names(text, start, cut, mentions.within(start, cut)):
                break  # "X och Y ska ...": one joint subject, not two clauses
            return [(start, cut), (mention.start, end)]
    return [(start, end)]


def _coordinated(before: str) -> bool:
    """Whether ``before`` ends with " och " (``\\s+och\\s+$``; white space as the engine's ``\\s``)."""
    stripped = before.rstrip()
    return len(stripped) < len(before) and stripped.endswith("och") and stripped[-4:-3].isspace()


def _split_offsets(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    pieces, position = [], start
    for match in pattern.finditer(text, start, end):
        if match.start() - position > 15:
            pieces.append((position, match.start()))
            position = match.end()
    pieces.append((position, end))
    return pieces


def _classify(unit: Sentence, mentions, parties: list[Party], party_names: set[str], context: _Context
              ) -> Commitment | None:
    """The commitment a unit states, if any (``party_names``: the parties' canonical names in lower case)."""
    text = unit.text
    if not text or text.endswith((":", " att")) or len(text) < 4:
        return None  # a lead-in to the list that holds the undertakings
    if signature_or_signing(text) or names_only(unit, mentions):
        return None  # "För Region X", "_____ Anna Berg", "... har ingåtts av X och Y", a list of parties
    subject = subject_of(unit, mentions)
    own = subject is not None and subject.canonical.lower() in party_names
    # the roles below are asked only where a rule needs them (each is a pure function of the unit)
    if process_subject(text) and not NOT_BINDING_FOLDED.search(text):
        agent = agent_of(unit, mentions, party_names)
        return _commitment(agent.canonical if agent else ALL, unit)
    if PROCESS_START.match(text):
        agent = agent_of(unit, mentions, party_names)
        if agent:
            return _commitment(agent.canonical, unit)
    if own:
        binding: bool | None = None
        if subject_chain_size(unit, mentions, party_names, subject) >= 2:
            binding = binds(unit, subject)
            if binding or SIGNED.search(text):
                return _commitment(ALL, unit)
        if context.in_region or (binds(unit, subject) if binding is None else binding):
            return _commitment(subject.canonical, unit)
    if municipalities_bound(unit, subject, own, context.in_region):
        holder = municipal_holder(parties)
        if holder:
            return _commitment(holder, unit)
    role = role_holder(unit, mentions, party_names)
    if role:
        return _commitment(role.canonical, unit)
    low = lowered(text)
    if _JOINT_ANYWHERE.search(text, low) or (_JOINT_SUBJECT.search(text, low) and not NOT_BINDING_FOLDED.search(text)
                                             and not is_quoted(text)):  # a quoted "vi" is the speaker's own
        return _commitment(ALL, unit)  # "Parterna ska ...", also inside one party's section
    if context.in_region and context.party is not None:
        return _commitment(context.party.canonical, unit)
    if _RECEPTION.search(text, low) and (party_names or context.in_region):
        return _commitment(subject.canonical if own else sole_municipality(parties) or ALL, unit)
    return None


def _commitment(party: str, unit: Sentence) -> Commitment:
    text, span = without_attribution(unit.text, unit.span)
    return Commitment(party, text, commitment_strength(text), span)


def _from_tables(doc: SegmentedDocument, mentions: list[OrgMention]) -> list[Commitment]:
    commitments = []
    for row in [*table_commitments(doc, mentions), *labelled_actions(doc, mentions)]:
        owners = list(dict.fromkeys(m.canonical for m in row.party_mentions)) or [ALL]
        for owner in owners:
            commitments.append(Commitment(owner, row.text, commitment_strength(row.text), row.span))
    return commitments
