"""Organisation mentions in a document: registry names, named groups and "kommunen".

The registry finds named organisations; this module adds what a registry cannot hold: groups
named with a determiner or a place ("alla kommunerna", "skånska kommuner", "civila
organisationer"), the pronoun-like "kommunen" (the document's own municipality), and the
qualifiers that belong to a name ("Försäkringskassan i Värmland", "Svenska kyrkan (Luleå stift)").
"""

from __future__ import annotations

import bisect
import re
from bisect import bisect_left as _bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ahocorasick

from rok_compare.extract.party_records import CountyInfo
from rok_compare.extract.registry import PartyRegistry
from rok_compare.model import County, PartyKind
from rok_compare.segment.folding import FoldedPattern, lowered

_DATA = Path(__file__).parent / "data"
_PARENTHETICAL = re.compile(r"\s*\(([A-ZÅÄÖ][^()\n]{0,40})\)")
_PLACE_QUALIFIER = re.compile(r"\s+i\s+[A-ZÅÄÖ][\wåäö-]+(?:s?\s+län|s?\s+stift)?")
_KOMMUNEN = re.compile(r"(?=[Kk])(?<![\wåäö])[Kk]ommunen(?:s)?(?![\wåäö])")
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class OrgMention:
    start: int
    end: int
    name: str
    canonical: str
    kind: PartyKind
    county_code: str | None = None
    bare_place: bool = False
    generic: bool = False
    """A group or "kommunen": a party only where a cue or a list says so."""
    current: str | None = None
    """Today's body when ``canonical`` has since merged into another."""
    known: bool = True
    """False for a name in a list that the registry lacks (its kind comes from its form)."""


class MentionIndex(Sequence[OrgMention]):
    """Mentions in document order, with the mentions inside a span found by bisection."""

    def __init__(self, mentions: list[OrgMention]) -> None:
        self._mentions = sorted(mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self._mentions]

    def __getitem__(self, index):  # type: ignore[override]
        return self._mentions[index]

    def __len__(self) -> int:
        return len(self._mentions)

    def __iter__(self) -> Iterator[OrgMention]:
        return iter(self._mentions)

    def within(self, start: int, end: int) -> list[OrgMention]:
        """Mentions that start in ``start:end`` (asked tens of thousands of times per long document)."""
        starts = self._starts
        return self._mentions[_bisect_left(starts, start) : _bisect_left(starts, end)]


@cache
def _group_patterns() -> list[tuple[PartyKind, str, re.Pattern[str]]]:
    groups, macros = [], {}
    for line in (_DATA / "party_groups.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, canonical, pattern = line.split("\t")
        if kind == "define":
            macros[canonical] = pattern
            continue
        for name, value in macros.items():
            pattern = pattern.replace(name, value)
        groups.append((PartyKind(kind), canonical, re.compile(pattern, re.I)))
    return groups


def find_organisations(text: str, registry: PartyRegistry, path_hint: str = "") -> list[OrgMention]:
    """All organisation mentions in ``text``, in order, without overlaps.

    ``path_hint`` (the file's path) names the document's own municipality when the text only
    says "kommunen" and never which one."""
    mentions = _without_overlaps([_from_registry(text, m) for m in registry.find_mentions(text)])
    taken = _Taken([(m.start, m.end) for m in mentions])
    windows = _group_windows(text)
    for kind, canonical, pattern in _group_patterns():
        for match in (m for start, end in windows for m in pattern.finditer(text, start, end)):
            if taken.overlaps(match.start(), match.end()):
                continue
            name = _SPACE.sub(" ", match.group())
            place = re.search(r"i (.+ län)$", name)
            full = f"kommunerna i {place.group(1)}" if place else canonical
            if "{place}" in canonical:  # "Hallands kommuner" → "kommunerna i Hallands län"
                county = _county_named(registry, match.group("place"))
                if county is None:
                    continue  # "Sveriges kommuner" is no county's
                full = f"kommunerna i {county.name}"
            mentions.append(OrgMention(match.start(), match.end(), name, full, kind, generic=True))
            taken.add(match.start(), match.end())
    for start, end in _kommunen_spans(text):
        if not taken.overlaps(start, end):
            mentions.append(OrgMention(start, end, "kommunen", "kommunen", PartyKind.MUNICIPALITY, generic=True))
    _resolve_home(mentions, _municipality_in_path(path_hint, registry))
    mentions.sort(key=lambda m: m.start)
    _name_coordinated_places(text, mentions)
    return mentions


def _kommunen_spans(text: str) -> list[tuple[int, int]]:
    """The matches of :data:`_KOMMUNEN` ("kommunen", "Kommunens" as a word), found from the
    occurrences of "ommunen" (a substring search, many times faster than the pattern's scan)."""
    spans = []
    position = text.find("ommunen", 1)
    while position != -1:
        start, end = position - 1, position + 7
        if text[start] in "Kk" and _word_edge(text, start - 1):
            if text[end : end + 1] == "s":
                if _word_edge(text, end + 1):
                    spans.append((start, end + 1))
            elif _word_edge(text, end):
                spans.append((start, end))
        position = text.find("ommunen", position + 1)
    return spans


_GROUP_WORDS = ("kommuner", "organisationer", "föreningar", "sektor", "civilsamhäll")
_GROUP_WORD = FoldedPattern("|".join(_GROUP_WORDS))


def _group_word_spans(text: str) -> list[tuple[int, int]]:
    """Where :data:`_GROUP_WORD` matches, in order: each word's occurrences in the lower-cased text
    (no word overlaps itself or another), found by substring search; by the pattern where lower-casing
    is not safe (see :func:`~rok_compare.segment.folding.lowered`)."""
    low = lowered(text)
    if low is None:
        return [match.span() for match in _GROUP_WORD.finditer(text, low)]
    spans = []
    for word in _GROUP_WORDS:
        position = low.find(word)
        while position != -1:
            spans.append((position, position + len(word)))
            position = low.find(word, position + len(word))
    return sorted(spans)


def _without_overlaps(mentions: list[OrgMention]) -> list[OrgMention]:
    """Drop a mention inside the qualifier of the one before ("Kalmar stift" in "Svenska kyrkan i
    Kalmar stift")."""
    kept: list[OrgMention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def _county_named(registry: PartyRegistry, name: str) -> CountyInfo | None:
    """The county a place name stands for: "Skåne", "Hallands" without its s, "Sörmland" (an alias)."""
    for county in registry.counties():
        names = {county.short_name, county.name.removesuffix(" län").removesuffix("s"), *county.aliases}
        if name in names or name + "s" in names:
            return county
    return None



_BEFORE, _AFTER = 70, 40


def _group_windows(text: str) -> list[tuple[int, int]]:
    """The stretches that can hold a named group: each group pattern ends at or just after one of
    these words ("alla kommunerna", "kommunerna i Hallands län"), so a few words around it."""
    windows: list[tuple[int, int]] = []
    for word_start, word_end in _group_word_spans(text):
        start = text.rfind(" ", 0, max(0, word_start - _BEFORE)) + 1
        end = min(len(text), word_end + _AFTER)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _name_coordinated_places(text: str, mentions: list[OrgMention]) -> None:
    """"Tranemo och Svenljunga kommun": the bare "Tranemo" is "Tranemo kommun" too."""
    for mention, following in zip(mentions, mentions[1:], strict=False):
        if not mention.bare_place or following.kind is not PartyKind.MUNICIPALITY:
            continue
        if re.fullmatch(r"\s+och\s+", text[mention.end : following.start]) and following.name.endswith(" kommun"):
            mention.name = f"{mention.name} kommun"


def _municipality_in_path(path: str, registry: PartyRegistry) -> OrgMention | None:
    for word in re.findall(r"[A-Za-zÅÄÖåäöéü]{4,}", path):
        if registry.is_bare_place(word):
            match = registry.lookup(word)
            if match and match.kind is PartyKind.MUNICIPALITY:
                return OrgMention(0, 0, match.canonical, match.canonical, match.kind, match.county_code)
    return None


def _resolve_home(mentions: list[OrgMention], path_home: OrgMention | None) -> None:
    """"kommunen" is the document's own municipality."""
    home = home_municipality(mentions) or path_home
    for mention in mentions:
        if mention.canonical == "kommunen" and home:
            mention.canonical, mention.current = home.canonical, home.current


def assign_county(mentions: Sequence[OrgMention], county: County) -> None:
    """A group without a place ("alla kommunerna") is the document's county's municipalities."""
    for mention in mentions:
        if mention.canonical == "kommunerna":
            mention.canonical = f"kommunerna i {county.name}"


def _from_registry(text: str, mention) -> OrgMention:
    match = mention.match
    end = mention.end
    parenthetical = _PARENTHETICAL.match(text, end)
    if parenthetical and not parenthetical.group(1).lower().startswith("nedan"):
        end = parenthetical.end()
    elif match.kind is not PartyKind.MUNICIPALITY:
        qualifier = _PLACE_QUALIFIER.match(text, end)
        if qualifier:
            end = qualifier.end()
    name = _single_spaced(text[mention.start : end]).strip()
    canonical = match.predecessor or match.canonical
    current = match.canonical if match.predecessor else None
    return OrgMention(mention.start, end, name, canonical, match.kind, match.county_code,
                      bare_place=mention.bare_place, generic=mention.generic, current=current)


def _single_spaced(text: str) -> str:
    """Runs of white space as one space (as ``_SPACE.sub``); a text whose only white space is single
    ASCII spaces is returned as it is (every other white-space character is unprintable)."""
    return text if text.isprintable() and "  " not in text else _SPACE.sub(" ", text)


class _Taken:
    """Character ranges already claimed by a mention (non-overlapping, kept sorted)."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self._ranges = sorted(ranges)

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self._ranges, (start, start))
        neighbours = self._ranges[max(0, index - 1) : index + 1]
        return any(start < t_end and t_start < end for t_start, t_end in neighbours)

    def add(self, start: int, end: int) -> None:
        bisect.insort(self._ranges, (start, end))


def home_municipality(mentions: list[OrgMention]) -> OrgMention | None:
    """The municipality a document is most about, by how often it is named; None on a tie."""
    named = [m for m in mentions if m.kind is PartyKind.MUNICIPALITY and not m.generic
             and m.canonical.endswith((" kommun", " stad", "Region Gotland"))]
    explicit = [m for m in named if not m.bare_place]
    named = explicit or named
    if not named:
        return None
    counts = Counter(m.canonical for m in named).most_common(2)
    if len(counts) == 2 and counts[0][1] == counts[1][1]:
        return None  # several municipalities named as often (a regional agreement): no home
    best = counts[0][0]
    explicit = [m for m in named if m.canonical == best and not m.bare_place]
    return (explicit or [m for m in named if m.canonical == best])[0]


def with_party_names(text: str, mentions: MentionIndex, parties) -> MentionIndex:
    """Add every occurrence of a party name the mention finder missed ("Arbetsfinnedlingen",
    an organisation the registry lacks), and the words that stand for the one party of a kind
    ("Landstinget ska ...", "Kommunstyrelsen ansvarar ..."; ``data/party_roles.csv``), so that the
    party's commitments are found too."""
    extra: list[OrgMention] = []
    taken = _Taken([])

    def add(start: int, end: int, party) -> None:
        nearby = mentions.within(start - 80, end)
        if any(m.start < end and start < m.end for m in nearby) or taken.overlaps(start, end):
            return
        extra.append(OrgMention(start, end, text[start:end], party.canonical, party.kind, current=party.current))
        taken.add(start, end)

    occurrences = name_occurrences(text, [party.name for party in parties if len(party.name) >= 4])
    for party in parties:
        if len(party.name) >= 4:
            for start in occurrences[party.name]:
                add(start, start + len(party.name), party)
    for kind, word, pattern in _party_roles():
        of_kind = [p for p in parties if p.kind is kind and not p.canonical[:1].islower() and word in p.canonical]
        if len(of_kind) == 1:
            for match in pattern.finditer(text):
                add(match.start(), match.end(), of_kind[0])
    return MentionIndex([*mentions, *extra]) if extra else mentions


def name_occurrences(text: str, names: Sequence[str]) -> dict[str, list[int]]:
    """Where each name stands in ``text`` as a whole word (no word character right before or after),
    in text order: what ``re.finditer`` of each name between word boundaries would find, names that
    overlap one another included, in one Aho-Corasick pass over the text for all names together
    (one regex per name cost a scan of the whole text per party)."""
    found: dict[str, list[int]] = {name: [] for name in names}
    if not found:
        return found
    automaton = ahocorasick.Automaton()
    for name in found:
        automaton.add_word(name, name)
    automaton.make_automaton()
    free_from: dict[str, int] = {}  # like finditer, a name's next match starts after its last one
    for last, name in automaton.iter(text):
        start, end = last - len(name) + 1, last + 1
        if start < free_from.get(name, 0) or not _word_edge(text, start - 1) or not _word_edge(text, end):
            continue
        found[name].append(start)
        free_from[name] = end
    return found


def _word_edge(text: str, index: int) -> bool:
    """Whether ``text[index]`` is no word character (as the regex ``\\w``; outside the text counts)."""
    if index < 0 or index >= len(text):
        return True
    char = text[index]
    return not (char.isalnum() or char == "_")


@cache
def _party_roles() -> list[tuple[PartyKind, str, re.Pattern[str]]]:
    roles = []
    for line in (_DATA / "party_roles.csv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, word, pattern = line.split(",", 2)
            roles.append((PartyKind(kind), word, re.compile(rf"(?<![\wåäö]){pattern}(?![\wåäö])")))
    return roles
