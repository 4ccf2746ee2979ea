"""Party candidates and what speaks for each: the evidence the party model decides on.

Every organisation mention is a candidate: registry names, groups ("länets kommuner"), and names the
registry lacks that stand in a list with known ones ("Föreningen Sörmlandsnätet, Nyköpings kommun
och ..."). A candidate is described by its surroundings, not by its name: the words of its sentence
and of the heading above, the words right before and after it, the line that leads into its list,
how many organisations share the sentence and what joins them, where in the document it stands,
and the document type. The hand-written cue rules add a few features of their own (prefix ``r:``);
they carry weight only as far as the annotated documents bear them out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rok_compare.extract.listed_names import listed_organisations, only_names
from rok_compare.extract.organisations import MentionIndex, OrgMention
from rok_compare.extract.parties import cues_in, party_list_heading
from rok_compare.extract.sites import (
    FURNITURE,
    HEADING,
    Site,
    SiteIndex,
    bin_of,
    heading_features,
    lead_in_features,
    stems,
)
from rok_compare.model import DocType
from rok_compare.segment import split_numbering

_GAP_WORDS = re.compile(r"[a-zåäöéü]+|[,:;&()/–-]", re.I)
_ROLE_TITLES = Path(__file__).parent / "data" / "role_titles.txt"
_DESCRIBED_ITEM = re.compile(
    r"\s*(?:,|\boch\b|\bsamt\b)\s*(?:(?!(?:som|är|har|ska|skall|kommer|var|blir|vill)\s)[a-zåäö-]+\s+){1,3}")
"""The next item of a list, with a few lower-case words describing it: ", det kommunägda
bostadsbolaget Örebrohem", " samt representanter för Landstinget"; not a clause (", som ansvarar
för X", ", är X")."""
_MAX_NAME_WORDS = 4
"""Words of an organisation's own name left out of its sentence's bag of words (they say what it
is, which the kind feature says already, not whether it is a party)."""


@dataclass(slots=True)
class PartyCandidate:
    mention: OrgMention
    site: Site | None
    features: dict[str, float] = field(default_factory=dict)
    chain: tuple[int, int] | None = None
    """(site, chain) of the list of names it stands in, when the list has two names or more."""


def party_candidates(sites: SiteIndex, mentions: MentionIndex, furniture_mentions: Sequence[OrgMention],
                     doc_type: DocType, rule_parties: set[str] = frozenset()) -> list[PartyCandidate]:
    """Every organisation mention of the document with its features, in document order.

    ``rule_parties`` are the canonical names the cue rules chose (a feature, not a verdict)."""
    text = sites.doc.source.text
    by_site: dict[int, list[OrgMention]] = {}
    for mention in [*mentions, *furniture_mentions]:
        site = sites.at(mention.start)
        by_site.setdefault(site.index if site else -1, []).append(mention)
    for index, inside in list(by_site.items()):
        if index < 0 or len(inside) < 1:
            continue
        site = sites.sites[index]
        if site.kind != FURNITURE and (len(inside) > 1 or "," in site.text or " och " in site.text):
            extra = listed_organisations(text, site.span.start, site.span.end, sorted(inside, key=lambda m: m.start))
            inside.extend(extra)
        inside.sort(key=lambda m: m.start)
    frequency = Counter(m.canonical for m in mentions)
    candidates = []
    for index, inside in sorted(by_site.items()):
        site = sites.sites[index] if index >= 0 else None
        shared = _site_features(sites, site, inside, doc_type) if site else {"nosite": 1.0}
        chains, chain_of = _chain_features(text, site, inside)
        for position, mention in enumerate(inside):
            if not mention.known and is_role_title(mention.name):
                continue  # a title in a signature line links its neighbours in the list, but is no party
            features = dict(shared)
            features.update(_mention_features(text, sites, site, inside, position, frequency))
            features.update(chains[position])
            features[f"dt_k={doc_type.value}|{mention.kind.value}"] = 1.0
            if mention.canonical in rule_parties:
                features["r:rule_party"] = 1.0
            chain = (index, chain_of[position]) if chain_of[position] is not None else None
            candidates.append(PartyCandidate(mention, site, features, chain))
    return candidates


def is_role_title(name: str) -> bool:
    """A person's title ("Kommundirektör", "Landshövding"), which a signature block "Name, Title,
    Organisation" sets right beside an organisation's name: no organisation itself."""
    words = " ".join(name.lower().split())
    exact, prefixes = _role_titles()
    return words in exact or words.startswith(prefixes)


@cache
def _role_titles() -> tuple[frozenset[str], tuple[str, ...]]:
    lines = [line.strip().lower() for line in _ROLE_TITLES.read_text(encoding="utf-8").splitlines()]
    titles = [line for line in lines if line and not line.startswith("#")]
    return (frozenset(t for t in titles if not t.endswith("*")),
            tuple(t.rstrip("*") for t in titles if t.endswith("*")))


def _site_features(sites: SiteIndex, site: Site, inside: list[OrgMention], doc_type: DocType) -> dict[str, float]:
    """What every candidate of one line shares: its words, heading, lead-in line and shape."""
    text = sites.doc.source.text
    features: dict[str, float] = {f"dt={doc_type.value}": 1.0, f"site={site.kind}": 1.0}
    own = _mask_mentions(text, site.span.start, site.span.end, inside)
    words = stems(own)
    for stem in set(words):
        features[f"s:{stem}"] = 1.0
    features[f"len={bin_of(len(words), (0, 3, 8, 20, 40))}"] = 1.0
    features[f"orgs={bin_of(len(inside), (1, 2, 3, 5, 8))}"] = 1.0
    if inside and only_names(text, site.span.start, site.span.end, inside):
        features["names_only"] = 1.0
    heading = site.section.heading if site.section and site.kind != HEADING else None
    features.update(heading_features(heading))
    if heading and party_list_heading().fullmatch(split_numbering(heading.strip())[1]):
        features["r:party_list_heading"] = 1.0
    features.update(lead_in_features(sites, site, 12))
    lead = sites.lead_in(site)
    if lead is not None:
        features[f"lead_site={lead.kind}"] = 1.0
    if site.text.rstrip().endswith(":"):
        features["colon_end"] = 1.0
    position = site.span.start / sites.length
    features[f"pos={bin_of(position, (0.0, 0.05, 0.15, 0.35, 0.65))}"] = 1.0
    if site.span.start < 600:
        features["opening"] = 1.0
    for cue in cues_in(site.text):
        features[f"r:cue_{cue.side}"] = 1.0
    return features


def _mention_features(text: str, sites: SiteIndex, site: Site | None, inside: list[OrgMention], position: int,
                      frequency: Counter) -> dict[str, float]:
    """What sets one candidate apart from the others on its line."""
    mention = inside[position]
    features: dict[str, float] = {f"k={mention.kind.value}": 1.0}
    if mention.generic:
        features["generic"] = 1.0
    if mention.bare_place:
        features["bare_place"] = 1.0
    if not mention.known:
        features["unknown_name"] = 1.0
    features[f"freq={bin_of(frequency.get(mention.canonical, 0), (0, 1, 2, 4, 8))}"] = 1.0
    start = site.span.start if site else 0
    end = site.span.end if site else len(text)
    previous_end = inside[position - 1].end if position else start
    following_start = inside[position + 1].start if position + 1 < len(inside) else end
    before = _GAP_WORDS.findall(text[max(start, mention.start - 60) : mention.start].lower())
    after = _GAP_WORDS.findall(text[mention.end : min(end, mention.end + 60)].lower())
    before_stems = [_stem_or_mark(w) for w in before[-3:]]
    after_stems = [_stem_or_mark(w) for w in after[:3]]
    for i, stem in enumerate(reversed(before_stems), 1):
        features[f"b{i}:{stem}"] = 1.0
    for i, stem in enumerate(after_stems, 1):
        features[f"a{i}:{stem}"] = 1.0
    if not before:
        features["line_start"] = 1.0
    if not after:
        features["line_end"] = 1.0
    features[f"gap_b={_joiner(text[previous_end : mention.start], bool(position))}"] = 1.0
    features[f"gap_a={_joiner(text[mention.end : following_start], position + 1 < len(inside))}"] = 1.0
    return features


def _chain_features(text: str, site: Site | None, inside: list[OrgMention],
                    ) -> tuple[list[dict[str, float]], list[int | None]]:
    """The words around the chain of names a mention stands in ("X, Y och Z har tecknat ..."), the
    same for every name of the chain: the verb frame of a list, wherever the name stands in it; and
    the number of each mention's chain (None for a name standing alone)."""
    start = site.span.start if site else 0
    end = site.span.end if site else len(text)
    chains: list[list[int]] = []
    for position, mention in enumerate(inside):
        gap = text[inside[position - 1].end : mention.start] if position else ""
        if chains and (_joiner(gap, True) in ("list", "space") or _DESCRIBED_ITEM.fullmatch(gap)):
            chains[-1].append(position)
        else:
            chains.append([position])
    out: list[dict[str, float]] = [{} for _ in inside]
    chain_of: list[int | None] = [None for _ in inside]
    for number, chain in enumerate(chains):
        first, last = inside[chain[0]], inside[chain[-1]]
        before = [_stem_or_mark(w) for w in _GAP_WORDS.findall(text[max(start, first.start - 80) : first.start])]
        after = [_stem_or_mark(w) for w in _GAP_WORDS.findall(text[last.end : min(end, last.end + 80)])]
        features = {f"chain={bin_of(len(chain), (1, 2, 3, 5))}": 1.0}
        for i, stem in enumerate(reversed(before[-3:]), 1):
            features[f"cb{i}:{stem}"] = 1.0
        for i, stem in enumerate(after[:3], 1):
            features[f"ca{i}:{stem}"] = 1.0
        if len(before) >= 2:
            features[f"cb12:{before[-2]}_{before[-1]}"] = 1.0
        if len(after) >= 2:
            features[f"ca12:{after[0]}_{after[1]}"] = 1.0
        for position in chain:
            out[position] = features
            if len(chain) > 1:
                chain_of[position] = number
    return out, chain_of


def _joiner(gap: str, between_names: bool) -> str:
    """How a name is joined to its neighbour: a comma, "och"/"samt", nothing, or other words."""
    words = gap.replace(",", " , ").split()
    if not between_names:
        return "edge"
    if not words:
        return "space"
    if all(w in (",", "och", "samt", "&", "/", "-", "–") for w in words):
        return "list"
    return "words" if len(words) > 3 else "few"


def _stem_or_mark(word: str) -> str:
    if not word[0].isalpha():
        return word
    return (stems(word) or [word])[0]


def _mask_mentions(text: str, start: int, end: int, inside: list[OrgMention]) -> str:
    """The line with its organisation names cut out, so that its words are the context."""
    pieces, position = [], start
    for mention in inside:
        if mention.start >= position:
            pieces.append(text[position : mention.start])
            position = mention.end
    pieces.append(text[position:end])
    return " ".join(pieces)
