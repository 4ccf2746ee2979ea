"""Organisation mentions in running text: :class:`MentionFinder`.

The finder scans a text once with three sources of candidates:

1. registry names (canonicals and aliases), matched word by word through an index keyed by the
   first word, with a genitive -s allowed on the last word ("Arbetsförmedlingens"). Case rule: an
   alias whose first word is capitalised needs a capital there in the text; an alias written in
   lower case ("länsstyrelsen", "arbetsförmedlingen") matches in any case; abbreviations (two or
   more capitals: "LO", "SKR", "LiU") must match exactly; other words match in any case. A national
   body's name takes a following qualifier into its span ("Försäkringskassan i Värmland",
   "Arbetsförmedlingen arbetsmarknadsområde Växjö", "Svenska kyrkan/Luleå stift", "Företagarna
   Norrbotten"), and any name a capitalised parenthetical ("Röda Korset (Region Norra Norrland)",
   "... (IFS)").
2. productive patterns (``name_patterns.py``, shared with name lookup: "X kommun", "Landstinget i X",
   "Samordningsförbundet X", "X idrottsförbund", ...), so that bodies missing from the registry are
   still found, with ``match.entry=None`` and the kind the pattern implies.
3. bare municipality names ("Umeå", "Tingsryds"), reported with ``bare_place=True``; not before
   "län"/"stift"/"landsting" ("Stockholms län"), nor as the first word of a longer proper name
   ("Umeå Energi"), and a few that are also ordinary words ("Mark", "Vara", "Berg", "Bilda",
   "Vision", "Kommunal") not at the start of a sentence or line.

Candidates are chosen longest first without overlaps, registry names before patterns before bare
places. Groups and context-dependent names (canonical in lower case: "kommunen", "kommunerna",
"landstinget", "regionen", "civilsamhället", and groups like "de halländska kommunerna") are only
reported with ``generic=True``; a caller that resolves "kommunen" to the document's municipality
itself leaves them off.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import accumulate, compress
from typing import TYPE_CHECKING

from rok_compare.extract.name_patterns import (
    CAP_WORD,
    PREFIXES,
    SUFFIXES,
    collective_match,
    collective_regex,
    match_collective,
    match_pattern,
    pattern_regexes,
    resolve_pattern,
)
from rok_compare.extract.party_records import Mention, PartyMatch, RegistryEntry
from rok_compare.model import PartyKind

if TYPE_CHECKING:
    from rok_compare.extract.registry import PartyRegistry

__all__ = [
    "MentionFinder",
    # the pattern functions lived here before name_patterns.py: re-exported for code that imports them from here
    "PREFIXES", "SUFFIXES", "collective_match", "match_collective", "match_pattern", "resolve_pattern",
]

# Capitalised words that start a sentence before "kommun", "universitet", ... without naming a place.
_STOP = frozenset({
    "Varje", "Vår", "Vårt", "Våra", "Din", "Ditt", "Er", "Ert", "Denna", "Detta", "Dessa", "Den", "Det", "De",
    "En", "Ett", "Annan", "Annat", "Andra", "Egen", "Eget", "Egna", "Hela", "Alla", "Samma", "Mottagande",
    "Anvisande", "Aktuell", "Aktuella", "Berörd", "Berörda", "Respektive", "Någon", "Något", "Ingen", "Inget",
    "Vilken", "Vilket", "Båda", "Övriga", "Flera", "Nästa", "Sin", "Sitt", "Sina", "Vars", "Svensk",
    "Svenska", "Ny", "Nya", "Närmaste", "Angränsande", "Enskild", "Enskilda", "Större", "Mindre", "Och",
    "Eller", "Samt", "Sveriges", "Europas", "Nordens", "Landets",
})
# Registry names that are also ordinary words: not taken at the start of a sentence or line.
_AMBIGUOUS = frozenset({"mark", "vara", "berg", "kil", "eda", "nora", "mora", "sala", "boden", "lund",
                        "salem", "ale", "bilda", "vision", "kommunal", "unionen", "ledarna", "famna"})
_NOT_AFTER_PLACE = frozenset({"län", "läns", "stift", "landsting", "landstinget", "församling", "pastorat"})
_TOKEN = re.compile(r"\w+|[^\w\s]")
_POSTCODE_BEFORE = re.compile(r"(?<!\d)\d{3} ?\d{2}[ \t]+$")
_TOKEN_SPLIT = re.compile(rf"({_TOKEN.pattern})")
_PAREN_Q = re.compile(r"[ \t]*\((?!\s*(?:se|jfr|bilaga|nedan|härefter|fortsättningsvis)\b)"
                      r"[A-ZÅÄÖ][^()\n]{0,60}\)")
_STIFT_Q = re.compile(r"[ \t]*/[ \t]*[\w-]+(?:[ \t]+[\w-]+)?[ \t]+stift\b", re.I)
_AREA_Q = re.compile(r"[ \t]+(?:arbetsmarknadsområde|marknadsområde|lokalkontor|kontor|distrikt|region)"
                     rf"[ \t]+{CAP_WORD}(?P<second>[ \t]+{CAP_WORD})?")
_LIST_NEXT = re.compile(r"[ \t]*(?:,|och|samt|&)[ \t]*(?:och[ \t]+)?([A-ZÅÄÖ][\w-]{4,})(?![\w-])")
_LIST_PREV = re.compile(r"(?<![\w-])([A-ZÅÄÖ][\w-]{4,})[ \t]*(?:,|och|samt|&)[ \t]*$")
_KOMMUNER = re.compile(r"kommuner", re.I)
_REFERENCE = re.compile(r"[-/]\d")


class _Tokens:
    """The words of a text (``_TOKEN``: a run of word characters or one other non-space character) and
    where each starts and ends, found by one split (a match object per word cost more than the search)."""

    __slots__ = ("words", "_offsets")

    def __init__(self, text: str) -> None:
        parts = _TOKEN_SPLIT.split(text)  # space, word, space, word, ..., space
        self.words: list[str] = parts[1::2]
        self._offsets = list(accumulate(map(len, parts), initial=0))

    def start(self, i: int) -> int:
        return self._offsets[2 * i + 1]

    def end(self, i: int) -> int:
        return self._offsets[2 * i + 2]


@dataclass(frozen=True, slots=True)
class _Alias:
    words: tuple[str, ...]
    exact: tuple[tuple[int, str], ...]
    first_cap: bool
    entry: RegistryEntry
    bare: bool
    generic: bool
    """``entry.generic``, looked up once."""


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    match: PartyMatch
    bare: bool = False


class MentionFinder:
    """Finds organisation mentions in a text with an index built once from a registry."""

    def __init__(self, registry: PartyRegistry) -> None:
        self._registry = registry
        self._index: dict[str, list[_Alias]] = {}
        self._base_matches: dict[int, PartyMatch] = {}
        self._pattern_lookups: dict[str, PartyMatch | None] = {}
        """``registry.match_of(entry)`` by ``id(entry)`` (the registry holds every row)."""
        bare_forms = {form for form, _ in registry.forms() if registry.is_bare_place(form)}
        for form, entry in registry.forms():
            self._add(form, entry, form in bare_forms)
        for aliases in self._index.values():
            aliases.sort(key=lambda a: len(a.words), reverse=True)
        # the same aliases, also by their second word (None: one-word aliases), longest first:
        # most tokens that start an alias are followed by a word that rules out all but a few
        self._by_second: dict[str, dict[str | None, list[_Alias]]] = {}
        for first, aliases in self._index.items():
            groups: dict[str | None, list[_Alias]] = {}
            for alias in aliases:
                groups.setdefault(alias.words[1] if len(alias.words) > 1 else None, []).append(alias)
            self._by_second[first] = groups
        places = set(bare_forms)
        for county in registry.counties():
            places.update(f for f in (county.name, county.short_name, *county.aliases) if f[:1].isupper())
        places = {p for p in places if not re.fullmatch(r"[A-Z]{1,2} län", p)}
        alternation = "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))
        self._place_q = re.compile(
            rf"[ \t]+(?:(?:i|på)[ \t]+)?(?:{alternation})(?:[ \t]+län)?(?![\w-])"
            r"(?![ \t]+(?:kommuns?|stad|läns?|landsting|universitet|högskola|stift)\b)"
        )
        self._patterns = pattern_regexes(0)

    def _add(self, form: str, entry: RegistryEntry, bare: bool) -> None:
        words = _TOKEN.findall(form)
        if not words:
            return
        exact = tuple((i, w) for i, w in enumerate(words)  # (a word in lower case has no capital to count)
                      if not w.islower() and sum(map(str.isupper, w)) >= 2)
        folded = tuple(w.casefold() for w in words)
        variants = [folded]
        last = folded[-1]
        if last.isalpha() and len(last) >= 3 and not last.endswith(("s", "x", "z")) and not exact:
            variants.append((*folded[:-1], last + "s"))
        for variant in variants:
            alias = _Alias(variant, exact, words[0][:1].isupper(), entry, bare, entry.generic)
            self._index.setdefault(variant[0], []).append(alias)

    def find(self, text: str, *, generic: bool = False) -> list[Mention]:
        tiers: list[list[_Candidate]] = [self._registry_names(text, _Tokens(text), generic), [], []]
        tiers[1] = self._pattern_names(text)
        if generic:
            tiers[0] += self._collectives(text)
        tiers[2] = [c for c in tiers[0] if c.bare]
        tiers[0] = [c for c in tiers[0] if not c.bare]
        chosen = _choose(tiers)
        scan = chosen
        for _ in range(3):  # a misspelt name may stand next to another misspelt one
            # only the names added last can propose new neighbours: the others' proposals were
            # weighed already (and lost to an overlapping name, which they would again)
            listed = self._listed_places(text, scan, {(c.start, c.end) for c in chosen})
            chosen, scan = _add_listed(chosen, listed)
            if not scan:
                break
        return [
            Mention(c.start, c.end, text[c.start : c.end], c.match, c.bare,
                    bool(c.match.entry and c.match.entry.generic))
            for c in chosen
        ]

    def _registry_names(self, text: str, tokens: _Tokens, generic: bool) -> list[_Candidate]:
        folded = _casefolded(tokens.words)
        out = []
        last = len(folded) - 1
        by_second = self._by_second
        for i in compress(range(len(folded)), map(by_second.__contains__, folded)):  # words that start a name
            word = folded[i]
            groups = by_second[word]
            following = groups.get(folded[i + 1], []) if i < last else []
            for alias in [*following, *groups.get(None, ())]:
                n = len(alias.words)
                if n > 1 and tuple(folded[i : i + n]) != alias.words or not self._case_ok(alias, tokens, i):
                    continue
                if alias.generic and not generic:
                    break
                if alias.bare and not self._bare_ok(text, tokens, folded, i):
                    break
                if n == 1 and word in _AMBIGUOUS and _starts_sentence(text, tokens.start(i)):
                    break
                if _REFERENCE.match(text, tokens.end(i + n - 1)):
                    break  # a file number such as "Dnr Af-2014/1234", not a mention
                out.append(self._extend(text, tokens.start(i), tokens.end(i + n - 1), alias))
                break
        return out

    @staticmethod
    def _case_ok(alias: _Alias, tokens: _Tokens, i: int) -> bool:
        words = tokens.words
        if alias.first_cap and not words[i][:1].isupper():
            return False
        return all(words[i + j] == word for j, word in alias.exact)

    def _bare_ok(self, text: str, tokens: _Tokens, folded: list[str], i: int) -> bool:
        if folded[i] in _AMBIGUOUS and _starts_sentence(text, tokens.start(i)):
            return False
        start, end = tokens.start(i), tokens.end(i)
        if (text[end : end + 1] == "-" and text[end + 1 : end + 2].isalpha()) or \
                (text[start - 1 : start] == "-" and text[start - 2 : start - 1].isalpha()):
            return False  # a place inside a compound name: "Falun-Borlänge Regionen"
        if _POSTCODE_BEFORE.search(text, max(0, start - 10), start):
            return False  # a postal address: "871 86 Härnösand"
        if i + 1 < len(folded):
            if folded[i + 1] in _NOT_AFTER_PLACE:
                return False
            gap = text[tokens.end(i) : tokens.start(i + 1)]
            if gap == " " and tokens.words[i + 1][:1].isupper() and folded[i + 1] not in self._index:
                return False
        return True

    def _extend(self, text: str, start: int, end: int, alias: _Alias) -> _Candidate:
        """Take a qualifier after a national body's name, and a parenthetical, into the span."""
        entry = alias.entry
        base = self._base_matches.get(id(entry))
        if base is None:  # the registry's match of a row never changes: made once per row
            base = self._base_matches[id(entry)] = self._registry.match_of(entry)
        if alias.bare:
            return _Candidate(start, end, base, bare=True)
        new_end = end
        if entry.county_code is None and not entry.generic:
            for pattern in (_STIFT_Q, _AREA_Q, self._place_q):
                found = pattern.match(text, end)
                if found:
                    second = found.groupdict().get("second")
                    place_next = second and self._registry.county_code_of_place(second)
                    new_end = found.start("second") if place_next else found.end()
                    break
        paren = _PAREN_Q.match(text, new_end)
        if paren:
            new_end = paren.end()
        if new_end == end:
            return _Candidate(start, end, base)
        match = self._registry.lookup(text[start:new_end])
        keep = match is not None and (match.canonical == base.canonical or match.kind is base.kind)
        return _Candidate(start, new_end, match if keep and match else base)

    def _listed_places(self, text: str, chosen: list[_Candidate], taken: set[tuple[int, int]]) -> list[_Candidate]:
        """Misspelt municipality names in a list next to known ones of ``chosen`` ("Umeå, Robetsfors och
        Vännäs"); ``taken``: the spans of every name chosen so far (it is updated)."""
        out = []
        for cand in chosen:
            entry = cand.match.entry
            if cand.match.kind is not PartyKind.MUNICIPALITY or entry is None or entry.generic:
                continue
            after = _LIST_NEXT.match(text, cand.end)
            before = _LIST_PREV.search(text, max(0, cand.start - 40), cand.start)
            for found in (after, before):
                if found is None or (found.start(1), found.end(1)) in taken:
                    continue
                hit = self._registry.fuzzy_key(found.group(1).casefold(), bare_only=True)
                if hit:
                    match = self._registry.match_of(hit[0], hit[1] / 100)
                    out.append(_Candidate(found.start(1), found.end(1), match, bare=True))
                    taken.add((found.start(1), found.end(1)))
        return out

    def _pattern_names(self, text: str) -> list[_Candidate]:
        out = []
        for pattern, table, suffix in self._patterns:
            for found in pattern.finditer(text):
                place = found.group("place")
                role, kind = table[found.group("kw").casefold()]
                if suffix and place.split()[0] in _STOP:
                    continue
                if suffix and role == "surface" and _starts_sentence(text, found.start()) \
                        and not self._registry.county_code_of_place(place):
                    continue
                surface = found.group()
                match = self._pattern_lookups.get(surface, self)
                if match is self:  # the registry's answer for a name never changes: asked once per name
                    if len(self._pattern_lookups) > 100_000:
                        self._pattern_lookups.clear()
                    match = self._pattern_lookups[surface] = self._registry.lookup(surface)
                if match is not None and not (match.entry and match.entry.generic):
                    out.append(_Candidate(found.start(), found.end(), match))
        return out

    def _collectives(self, text: str) -> list[_Candidate]:
        """Groups of municipalities, searched only around the word "kommuner" (the regex is slow)."""
        pattern = collective_regex(self._registry)
        out, seen = [], set()
        for word in _KOMMUNER.finditer(text):
            for found in pattern.finditer(text, max(0, word.start() - 40), word.end() + 80):
                if found.start() <= word.start() < found.end() and found.span() not in seen:
                    seen.add(found.span())
                    match = collective_match(self._registry, found)
                    if match:
                        out.append(_Candidate(found.start(), found.end(), match))
        return out


def _casefolded(words: list[str]) -> list[str]:
    """``[w.casefold() for w in words]`` in one call: the words joined by NUL, folded and split again
    (case folding maps each character on its own and never makes a NUL); one by one when a word is a NUL."""
    folded = "\x00".join(words).casefold().split("\x00")
    return folded if len(folded) == len(words) else [word.casefold() for word in words]


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence, a line or a list item."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in ".!?:;\n\r\f•*-–—\"”(["


def _add_listed(chosen: list[_Candidate], listed: list[_Candidate]) -> tuple[list[_Candidate], list[_Candidate]]:
    """``_choose([chosen, listed])`` for ``chosen`` that is already chosen (in text order, no
    overlaps), and the names of ``listed`` it took, in text order."""
    if not listed:
        return chosen, []
    added = _take(listed, [c.start for c in chosen], [c.end for c in chosen])
    added.sort(key=lambda c: c.start)
    return (sorted([*chosen, *added], key=lambda c: c.start) if added else chosen), added


def _choose(tiers: list[list[_Candidate]]) -> list[_Candidate]:
    """Longest first within each tier, earlier tiers first, no overlaps; in text order."""
    starts: list[int] = []
    ends: list[int] = []
    chosen: list[_Candidate] = []
    for tier in tiers:
        chosen += _take(tier, starts, ends)
    return sorted(chosen, key=lambda c: c.start)


def _take(candidates: list[_Candidate], starts: list[int], ends: list[int]) -> list[_Candidate]:
    """The ``candidates`` that overlap none of the spans ``starts``/``ends`` (sorted, disjoint) nor
    one another, longest first; their spans are added to ``starts``/``ends``."""
    taken: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.start - c.end, c.start)):
        i = bisect.bisect_left(starts, cand.start)
        if (i > 0 and ends[i - 1] > cand.start) or (i < len(starts) and starts[i] < cand.end):
            continue
        starts.insert(i, cand.start)
        ends.insert(i, cand.end)
        taken.append(cand)
    return taken
