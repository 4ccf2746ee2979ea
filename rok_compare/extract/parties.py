"""Signatories: the organisations that are party to the agreement, not every one named.

Evidence, strongest first:
1. a party list: a section headed "Parter i överenskommelsen", "Ingående kommuner", "Aktörer";
2. a signing cue in a sentence ("X, Y och Z har tecknat en överenskommelse", "överenskommelsen
   har träffats mellan ...", "avtal med X"): the organisations standing next to the cue, joined
   only by commas, "och", "samt" (and the names of people representing them), are parties;
   others in the same sentence are not ("Samverkan ... kommer också att ske med ... såsom
   Svenskt näringsliv" names a partner for dialogue, not a party);
3. per-party commitment sections (found by the commitment extractor);
4. for a municipality's own strategy or plan, the municipality itself.
A group without determiner ("kommunerna") or "kommunen" counts only through a cue or a list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick

from rok_compare.extract.listed_names import listed_organisations, only_names
from rok_compare.extract.organisations import MentionIndex, OrgMention, home_municipality
from rok_compare.model import BlockKind, DocType, Party, PartyKind, SegmentedDocument, SourceDocument
from rok_compare.segment import split_numbering
from rok_compare.segment.folding import FoldedPattern, lowered

_DATA = Path(__file__).parent / "data"
_PERSON = r"(?:[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?(?:\s+[A-ZÅÄÖ][a-zåäöéü-]+){0,2})"
_SEPARATOR = re.compile(
    rf"^\s*(?:(?:,|och|samt|&|/|,\s*och|,\s*samt|,?\s*tillsammans\s+med|,?\s*liksom)\s*"
    rf"(?:{_PERSON}\s*(?:,|och)\s*)*)?\s*$"
)
_LEAD_IN = re.compile(rf"^\s*(?:de|den|det|en|ett|även|också|både)?\s*(?:{_PERSON}\s*(?:,|och)\s*)*$")
_EXCLUDING_PREFIX = re.compile(
    r"(adjungerad för|adjungerade|såsom|t\.ex\.|exempelvis|bland annat|som företräder|som representerar)\s*$", re.I)
_MEMBERS_AFTER = re.compile(r"\s+(?:[\wåäö]+\s+)?(kommuner|medlemmar|medlemskommuner|parter)\b", re.I)
_OWNER_TYPES = {DocType.STRATEGY, DocType.ACTION_PLAN}


@dataclass(frozen=True, slots=True)
class PartyCue:
    side: str
    triggers: tuple[str, ...]
    folded: FoldedPattern
    """The case-insensitive pattern (compiled when first used: :mod:`rok_compare.segment.folding`)."""

    @property
    def pattern(self) -> re.Pattern[str]:
        return self.folded.flagged


@cache
def party_cues() -> list[PartyCue]:
    cues = []
    for line in (_DATA / "party_cues.csv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith(("#", "side,")):
            side, trigger, pattern = line.split(",", 2)
            cues.append(PartyCue(side, tuple(trigger.split("|")), FoldedPattern(pattern)))
    return cues


@cache
def _cue_triggers() -> tuple[ahocorasick.Automaton, frozenset[int]]:
    """Every cue's triggers and the words its pattern needs (``FoldedPattern.needles``) in one
    automaton, each word with (the cues it triggers, the cues it is a needle of): the cues a sentence
    may match, in one pass over it. Also the cues without needles."""
    automaton = ahocorasick.Automaton()
    triggers: dict[str, set[int]] = {}
    needles: dict[str, set[int]] = {}
    without_needles = set()
    for index, cue in enumerate(party_cues()):
        for trigger in cue.triggers:
            triggers.setdefault(trigger, set()).add(index)
        words = cue.folded.needles
        if words is None:
            without_needles.add(index)
        for word in words or ():
            needles.setdefault(word, set()).add(index)
    for word in {*triggers, *needles}:
        automaton.add_word(word, (frozenset(triggers.get(word, ())), frozenset(needles.get(word, ()))))
    automaton.make_automaton()
    return automaton, frozenset(without_needles)


def cues_in(sentence: str) -> list[PartyCue]:
    """The cues whose pattern occurs in ``sentence``: those a trigger of which it holds, tried where
    it also holds one of the words the pattern needs (the pattern's own check, made for all cues in
    the one pass)."""
    lower = sentence.lower()
    automaton, without_needles = _cue_triggers()
    triggered: set[int] = set()
    needed: set[int] = set()
    for _, (trigger_of, needle_of) in automaton.iter(lower):
        triggered |= trigger_of
        needed |= needle_of
    if not triggered:
        return []
    cues, low = party_cues(), lowered(sentence, lower)
    if low is not None:  # (on text folding refuses the flagged patterns run, needles unchecked)
        triggered &= needed | without_needles
    return [cues[i] for i in sorted(triggered) if cues[i].folded.search(sentence, low)]


@cache
def party_list_heading() -> re.Pattern[str]:
    lines = (_DATA / "party_list_headings.txt").read_text(encoding="utf-8").splitlines()
    patterns = [p for p in lines if p.strip() and not p.startswith("#")]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


def find_parties(
    doc: SegmentedDocument,
    mentions: Sequence[OrgMention],
    doc_type: DocType,
    heading_parties: Sequence[OrgMention] = (),
    furniture_mentions: Sequence[OrgMention] = (),
) -> list[Party]:
    """The document's signatories, each once, in the order they are first named as parties.

    ``furniture_mentions`` are mentions inside web furniture: only a member list there counts
    ("Arbetsgruppens medlemmar" followed by names, titles and municipalities)."""
    source = doc.source
    found: list[OrgMention] = []
    found += _from_party_lists(doc, mentions)
    found += _from_member_contacts(doc, list(furniture_mentions))
    found += _from_list_lead_ins(doc, mentions)
    found += _from_signatures(doc, mentions)
    found += _from_cues(doc, mentions)
    found += list(heading_parties)
    # "Dalarnas kommunförbund, som företräder länets 15 kommuner": the förbund signs, not the municipalities
    found = [m for m in found if not _EXCLUDING_PREFIX.search(source.text[max(0, m.start - 30) : m.start])]
    if len({m.canonical for m in found}) < 2:  # one party makes no agreement ...
        if not (doc_type in _OWNER_TYPES or _about_own_strategy(doc)):
            found = []
        else:  # ... but a municipality's own strategy or plan is its own
            owner = home_municipality([m for m in mentions if not _in_quoted_title(source.text, m)])
            if owner and all(m.canonical != owner.canonical for m in found):
                found = [owner, *found]
    return _unique_parties(source, found, mentions)


_QUOTES = ('"', "”", "“", "«", "»")


def _in_quoted_title(text: str, mention: OrgMention) -> bool:
    """Whether a mention stands inside quotation marks on its line: a project or document named
    ”Integration Jämtland Härjedalen” is a thing's name, not the organisation that acts."""
    before = text[text.rfind("\n", 0, mention.start) + 1 : mention.start]
    return sum(before.count(quote) for quote in _QUOTES) % 2 == 1


def _from_party_lists(doc: SegmentedDocument, mentions: list[OrgMention]) -> list[OrgMention]:
    found = []
    pattern = party_list_heading()
    for index, section in enumerate(doc.sections):
        for block in section.blocks:  # "Parter: Länsstyrelsen, Region X och ..."
            if block.label and pattern.fullmatch(block.label.strip()):
                found += _within(mentions, block.span.start, block.span.end)
        if not section.heading or not pattern.fullmatch(split_numbering(section.heading.strip())[1]):
            continue
        for block in section.blocks:
            if block.kind is BlockKind.HEADING:
                break
            found += [m for m in _within(mentions, block.span.start, block.span.end) if not m.bare_place
                      or block.kind is BlockKind.LIST_ITEM or _is_list_like(block.text)]
        found += _names_as_headings(doc, index + 1, mentions)
    return found


def _names_as_headings(doc: SegmentedDocument, first: int, mentions: list[OrgMention]) -> list[OrgMention]:
    """A list of parties written one name per line, without bullets: each short line became a
    heading of its own. The names from section ``first`` on, while headings are names only."""
    found: list[OrgMention] = []
    misses = 0
    for section in doc.sections[first:]:
        span, heading = section.heading_span, section.heading or ""
        if span is None or split_numbering(heading)[0] or heading.endswith(":") or len(heading.split()) > 8:
            break
        inside = _within(mentions, span.start, span.end)
        if inside and only_names(doc.source.text, span.start, span.end, inside):
            found += inside
            misses = 0
        else:  # a name the registry does not know ("Studieförbunden i Sörmland"): go on, but not for long
            misses += 1
            if misses > 1:
                break
        if section.blocks:
            break
    return found


def _from_member_contacts(doc: SegmentedDocument, mentions: list[OrgMention]) -> list[OrgMention]:
    """Organisations in a contact list headed as members: the members are the parties."""
    pattern = party_list_heading()
    blocks = doc.furniture
    found = []
    for index, block in enumerate(blocks):
        if not pattern.fullmatch(block.text.strip()):
            continue
        for following in blocks[index + 1 :]:
            found += [m for m in _within(mentions, following.span.start, following.span.end) if not m.bare_place]
    return found


_SIGNATURE = re.compile(r"^(för|for)\s+", re.I)


def _from_signatures(doc: SegmentedDocument, mentions: Sequence[OrgMention]) -> list[OrgMention]:
    """Signature lines: "För Länsstyrelsen i Hallands län" standing alone (a name or date may follow)."""
    found = []
    for section in doc.sections:
        lines = [(section.heading, section.heading_span)] if section.heading else []
        lines += [(block.text, block.span) for block in section.blocks]
        for text, span in lines:
            if len(text) > 120:
                continue
            inside = _within(mentions, span.start, span.end)
            if _SIGNATURE.match(text):
                if inside and doc.source.text[span.start : inside[0].start].strip().lower() in ("för", "for"):
                    found.append(inside[0])
            elif inside and "." not in text and doc.source.text[inside[-1].end : span.end].strip() == "" \
                    and doc.source.text[span.start : inside[-1].start].endswith(" För "):
                # signatures side by side, read as one line: "Karin Ek Kommundirektör För Region Halland"
                found.append(inside[-1])
    return found


_FOLLOWING = re.compile(r"\bföljande\b", re.I)


def _from_list_lead_ins(doc: SegmentedDocument, mentions: list[OrgMention]) -> list[OrgMention]:
    """List items or table rows after a sentence such as "Följande 15 kommuner ingår:" or
    "Överenskommelsen har undertecknats av följande parter:"."""
    found = []
    for index, section in enumerate(doc.sections):
        lead_in = False
        for block in section.blocks:
            if block.kind in (BlockKind.LIST_ITEM, BlockKind.TABLE_ROW):
                if lead_in:
                    found += _within(mentions, block.span.start, block.span.end)
                continue
            last = block.sentences[-1].text if block.sentences else ""
            lead_in = _is_party_lead_in(last)
        if lead_in:
            found += _names_as_headings(doc, index + 1, mentions)
    return found


def _is_party_lead_in(sentence: str) -> bool:
    if not sentence.endswith(":"):
        return False
    return bool(party_list_heading().fullmatch(sentence.strip())) or \
        bool(_FOLLOWING.search(sentence) and (cues_in(sentence) or "parter" in sentence.lower()))


def _is_list_like(text: str) -> bool:
    return text.count(",") >= 1 and not text.rstrip().endswith(".")


def _from_cues(doc: SegmentedDocument, mentions: list[OrgMention]) -> list[OrgMention]:
    text = doc.source.text
    found = []
    for section in doc.sections:
        for block in section.blocks:
            if block.kind is BlockKind.TABLE_ROW:
                continue
            for sentence in block.sentences:
                chunk = text[sentence.span.start : sentence.span.end]
                cues = cues_in(chunk)
                if not cues:
                    continue
                inside = _within(mentions, sentence.span.start, sentence.span.end)
                inside = sorted(inside + listed_organisations(text, sentence.span.start, sentence.span.end, inside),
                                key=lambda m: m.start)
                if not inside:
                    continue
                for cue in cues:
                    for match in cue.pattern.finditer(chunk):
                        start, end = sentence.span.start + match.start(), sentence.span.start + match.end()
                        if cue.side in ("before", "both"):
                            found += _chain_before(text, inside, start)
                        if cue.side in ("after", "both"):
                            chain = _chain_after(text, inside, end)
                            found += chain
                            if chain and match.group().lower().endswith(" med"):
                                found += _partner_of(inside, start, chain[-1].end, text)
    return [m for m in found if not _EXCLUDING_PREFIX.search(text[max(0, m.start - 30) : m.start])]


def _chain_before(text: str, mentions: list[OrgMention], cue_start: int) -> list[OrgMention]:
    """Mentions right before the cue, joined by separators: "X, Y och Z har tecknat"."""
    before = [m for m in mentions if m.end <= cue_start]
    chain: list[OrgMention] = []
    boundary = cue_start
    for mention in reversed(before):
        gap = text[mention.end : boundary]
        if not (_SEPARATOR.match(gap) or (not chain and re.fullmatch(r"\s*,?\s*", gap))):
            break
        if chain and _qualifies(mention, chain[-1], gap):
            chain.pop()  # the place after it was its office
        chain.append(mention)
        boundary = mention.start
    return list(reversed(chain))


def _chain_after(text: str, mentions: list[OrgMention], cue_end: int) -> list[OrgMention]:
    """Mentions right after the cue, joined by separators: "träffats mellan X, Y och Z"."""
    chain: list[OrgMention] = []
    boundary = cue_end
    for mention in (m for m in mentions if m.start >= cue_end):
        gap = text[boundary : mention.start]
        fits = _LEAD_IN.match(gap) if not chain else _SEPARATOR.match(gap)
        if not fits:
            break
        if not (chain and _qualifies(chain[-1], mention, gap)):
            chain.append(mention)
        boundary = mention.end
    return chain


def _qualifies(previous: OrgMention, mention: OrgMention, gap: str) -> bool:
    """A bare place right after a body names its office, not a party: "Arbetsförmedlingen Falun/Borlänge"."""
    return mention.bare_place and not previous.bare_place and gap.strip() in ("", "/")


def _partner_of(mentions: list[OrgMention], cue_start: int, chain_end: int, text: str) -> list[OrgMention]:
    """The other side of "X ... i dialog med Y" / "I samarbete med Y är X:s roll": X.

    A possessor of members is not the actor: in "Umeåregionens sex kommuner har skrivit ett avtal
    med ..." the municipalities sign, not Umeåregionen."""
    before = [m for m in mentions if m.end <= cue_start and not _MEMBERS_AFTER.match(text, m.end)]
    if before:  # "X och Y har tillsammans med Z": the whole chain that ends nearest the cue
        return _chain_before(text, before, before[-1].end)
    after = [m for m in mentions if m.start >= chain_end]
    return after[:1]


def _within(mentions: Sequence[OrgMention], start: int, end: int) -> list[OrgMention]:
    if isinstance(mentions, MentionIndex):
        return [m for m in mentions.within(start, end) if m.end <= end]
    return [m for m in mentions if start <= m.start and m.end <= end]


def _about_own_strategy(doc: SegmentedDocument) -> bool:
    """A news page whose opening is about the municipality's own strategy or plan."""
    opening = [s.text for sec in doc.sections for b in sec.blocks for s in b.sentences][:3]
    heads = [doc.title or ""]
    return any(re.search(r"\b\w*(strategi|handlingsplan)\w*\b", t, re.I) for t in opening + heads)


def _unique_parties(
    source: SourceDocument, mentions: list[OrgMention], all_mentions: list[OrgMention]
) -> list[Party]:
    """One party per canonical name; an explicit name wins over "kommunen" or a bare place."""
    explicit = {m.canonical.lower(): m for m in reversed(all_mentions) if not m.generic and not m.bare_place}
    mentions = [explicit.get(m.canonical.lower(), m) if m.generic and m.name.lower().startswith("kommunen")
                else m for m in mentions]
    chosen: dict[str, OrgMention] = {}
    order: list[str] = []
    for mention in mentions:
        key = mention.canonical.lower()
        if key not in chosen:
            chosen[key] = mention
            order.append(key)
        elif _better_name(mention, chosen[key]):
            chosen[key] = mention
    parties = []
    for key in order:
        mention = chosen[key]
        kind = mention.kind if isinstance(mention.kind, PartyKind) else PartyKind(mention.kind)
        parties.append(Party(mention.name, mention.canonical, kind, source.span(mention.start, mention.end),
                             current=mention.current))
    return parties


def _better_name(candidate: OrgMention, current: OrgMention) -> bool:
    return current.generic and not candidate.generic
