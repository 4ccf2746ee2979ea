"""Name lookup against the registry of the Swedish bodies that sign regional agreements.

What the data files hold (counties, one row per organisation, ``successor`` links, generic names) is
described in ``party_records.py``, which reads them; this module indexes the rows and looks names up.

:meth:`PartyRegistry.lookup` returns today's body: ``PartyMatch.canonical`` follows ``successor``
links, ``PartyMatch.predecessor`` keeps the matched row's name ("Norrbottens läns landsting").
Steps: exact name (also without a genitive -s or diacritics) → without a parenthetical → groups
("de halländska kommunerna") → a known name plus a qualifier ("Försäkringskassan i Värmland",
"Svenska kyrkan/Luleå stift") → productive patterns ("Landstinget i X", "Samordningsförbundet X",
see ``name_patterns.py``) → fuzzy. A name that only fits a pattern comes back with ``entry=None`` and
the kind the pattern implies; any other unknown name gives None. :meth:`PartyRegistry.find_mentions`
hands running text to the finder of ``mentions.py``.

Fuzzy matching: ``rapidfuzz.fuzz.ratio`` (0–100) against names with the same first letter, cutoff
92 under 8 characters, 88 under 12, else 82: three wrong letters in 18 pass ("Arbetsfinnedlingen"
83), short names allow one edit ("Robetsfors" 95). Each word of 4+ letters must also match a word of
the candidate at 75+, so "Kommunförbundet Västerbotten" (83 overall, 62 for the place) does not
become "... Västernorrland". Strings under 5 characters are never fuzzy-matched.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

from rok_compare.extract.mentions import MentionFinder
from rok_compare.extract.name_patterns import match_collective, match_pattern
from rok_compare.extract.party_records import (
    DATA,
    CountyInfo,
    Mention,
    PartyMatch,
    RegistryEntry,
    fold,
    key_of,
    normalise,
    read_counties,
    read_entries,
)
from rok_compare.model import PartyKind

FUZZY_MIN_LENGTH = 5
FUZZY_WORD_CUTOFF = 75.0


def fuzzy_cutoff(length: int) -> float:
    """The rapidfuzz ratio a name of ``length`` characters must reach (see the module docstring)."""
    return 92.0 if length < 8 else 88.0 if length < 12 else 82.0


_PAREN = re.compile(r"\s*\([^()]*\)")
_BARE_WORDS = re.compile(r"\b(?:kommun|stad|region|regionen)\b")
_LOCAL_ROLES = {"Länsstyrelsen": "cab", "kommunerna": "kommunerna", "landstinget": "landsting",
                "regionen": "region"}


class PartyRegistry:
    """The party registry: exact, rule-based and fuzzy lookup, and mentions in running text."""

    def __init__(self, entries: list[RegistryEntry], counties: list[CountyInfo]) -> None:
        self._entries, self._counties = entries, sorted(counties, key=lambda c: c.code)
        self._by_key: dict[str, RegistryEntry] = {}
        self._by_canonical: dict[str, list[RegistryEntry]] = {}
        forms: dict[str, str] = {}
        for entry in entries:
            self._by_canonical.setdefault(entry.canonical, []).append(entry)
            for form in map(normalise, (entry.canonical, *entry.aliases)):
                key = form.casefold()
                if key and key not in self._by_key:
                    self._by_key[key], forms[key] = entry, form
                elif key and self._by_key[key] is entry and form[:1].islower():
                    forms[key] = form  # the lower-case form also matches capitalised text
        self._forms = [(form, self._by_key[key]) for key, form in forms.items()]
        self._bare = {k for k, e in self._by_key.items() if _is_municipality(e) and not _BARE_WORDS.search(k)}
        self._folded: dict[str, RegistryEntry | None] = {}
        self._fuzzy: dict[str, list[str]] = {}
        for form, entry in self._forms:
            key, folded = form.casefold(), fold(form.casefold())
            self._folded[folded] = entry if self._folded.get(folded, entry) is entry else None
            if len(key) >= FUZZY_MIN_LENGTH and not entry.generic and form != form.upper():
                self._fuzzy.setdefault(folded[0], []).append(key)
        self._place_county: dict[str, str] = {}
        self._row: dict[tuple[str, str], RegistryEntry] = {}
        self._index_counties()
        self._fuzzy_bare = {letter: [key for key in keys if key in self._bare] for letter, keys in self._fuzzy.items()}
        self._fuzzy_found: dict[tuple[str, bool], tuple[RegistryEntry, float] | None] = {}
        self._cache: dict[str, PartyMatch | None] = {}
        self._finder: MentionFinder | None = None

    def _index_counties(self) -> None:
        """Each county's rows by role (board, region, landsting, ...) and the county of each place name."""
        by_code = {c.code: c for c in self._counties}
        for county in self._counties:
            for name in (county.name, county.short_name, *county.aliases):
                self._place_county.setdefault(key_of(name), county.code)
        for entry in self._entries:
            county = by_code.get(entry.county_code or "")
            role = _role_of(entry, county) if county else None
            if county and role:
                self._row.setdefault((role, county.code), entry)
        for key in self._bare:
            self._place_county.setdefault(key, self._by_key[key].county_code or "")

    @classmethod
    def default(cls) -> PartyRegistry:
        """The registry of the bundled data files, loaded once."""
        return _default()

    @classmethod
    def from_files(cls, registry_csv: Path, counties_csv: Path) -> PartyRegistry:
        counties = read_counties(counties_csv)
        return cls(read_entries(registry_csv), counties)

    def entries(self) -> list[RegistryEntry]:
        """All rows, in file order."""
        return list(self._entries)

    def forms(self) -> list[tuple[str, RegistryEntry]]:
        """Every name (canonical or alias) once, with the row it resolves to."""
        return list(self._forms)

    def counties(self) -> list[CountyInfo]:
        """The 21 counties, by code."""
        return list(self._counties)

    def is_bare_place(self, name: str) -> bool:
        """Whether ``name`` is a bare municipality name ("Umeå", "Tingsryds")."""
        return key_of(name) in self._bare

    def county_code_of_place(self, name: str) -> str | None:
        """The county of a county or municipality name in any registered form ("Värmlands", "Kalix")."""
        key = key_of(name)
        return self._place_county.get(key) or self._place_county.get(key.removesuffix(" län")) or None

    def county_of(self, canonical: str) -> str | None:
        """The county code of a body, or None when it is national or not one county's."""
        entries = self._by_canonical.get(canonical)
        if entries:
            codes = {e.county_code for e in entries}
            return codes.pop() if len(codes) == 1 else None
        match = self.lookup(canonical)
        return match.county_code if match else None

    def row(self, role: str, county_code: str) -> RegistryEntry | None:
        """A county's row by role: "cab", "region", "landsting", "regionforbund" or "kommunerna"."""
        return self._row.get((role, county_code))

    def lookup(self, name: str, county_code: str | None = None) -> PartyMatch | None:
        """The body ``name`` refers to, or None. ``county_code`` (the document's county) resolves
        county-dependent names: a bare "Länsstyrelsen", "kommunerna", "landstinget", "regionen"."""
        text = normalise(name)
        if len(text) < 2:
            return None
        if text not in self._cache:
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[text] = self._resolve(text)
        match = self._cache[text]
        if match and county_code and match.entry and match.entry.county_code is None:
            return self._localise(match, county_code)
        return match

    def _resolve(self, text: str) -> PartyMatch | None:
        key, bare = text.casefold(), normalise(_PAREN.sub("", text))
        for candidate in dict.fromkeys((key, bare.casefold())):
            hit = self._exact(candidate)
            if hit and candidate != key and hit.county_code is None:  # "Svenska kyrkan (Luleå stift)"
                hit = replace(hit, county_code=self._county_in(" ".join(_PAREN.findall(key))))
            if hit:
                return hit
        found = match_collective(self, bare) or self._qualified(bare.casefold())
        if found:
            return found
        pattern = match_pattern(self, bare)
        if pattern and pattern.entry:
            return pattern
        return self._fuzzy_match(bare.casefold()) or pattern

    def _exact(self, key: str) -> PartyMatch | None:
        entry = self._by_key.get(key)
        if entry is None and key.endswith("s") and len(key) > 4:
            entry = self._by_key.get(key[:-1])
        if entry is not None:
            return self.match_of(entry)
        entry = self._folded.get(fold(key))
        return self.match_of(entry, 0.97) if entry else None

    def _qualified(self, key: str) -> PartyMatch | None:
        """A known name and a qualifier: "försäkringskassan i värmland", "lo-distriktet i värmland"."""
        for cut in reversed([m.start() for m in re.finditer(r"[ /,(-]", key)]):
            head, rest = key[:cut].rstrip(" ,/(-"), key[cut:]
            entry = self._by_key.get(head)
            if entry is None or entry.generic or head in self._bare:
                continue
            if entry.county_code is not None and not re.match(r"\s*[,/(-]", rest):
                continue
            code = self._county_in(rest)
            if entry.kind is PartyKind.COUNTY_ADMINISTRATIVE_BOARD and code:
                return self.match_of(self._row.get(("cab", code), entry), 0.95)
            return self.match_of(entry, 0.95, code)
        return None

    def _county_in(self, text: str) -> str | None:
        """The county of the first county or municipality name in ``text``."""
        words = re.findall(r"[\w-]+", text)
        for i in range(len(words)):
            for n in (3, 2, 1):
                code = self._place_county.get(" ".join(words[i : i + n]).casefold())
                if code:
                    return code
        return None

    def _fuzzy_match(self, key: str) -> PartyMatch | None:
        for query in dict.fromkeys((key, re.sub(r"\s+(?:i|på|för)\s+.*$", "", key))):
            found = self.fuzzy_key(query)
            if found:
                return self.match_of(found[0], found[1] / 100, self._county_in(key[len(query) :]))
        return None

    def fuzzy_key(self, query: str, *, bare_only: bool = False) -> tuple[RegistryEntry, float] | None:
        """The row whose name is closest to ``query`` (a case-folded key) and its score, if close enough."""
        if len(query) < FUZZY_MIN_LENGTH:
            return None
        remembered = self._fuzzy_found.get((query, bare_only), self)  # a list names the same places again
        if remembered is not self:
            return remembered  # type: ignore[return-value]
        choices = (self._fuzzy_bare if bare_only else self._fuzzy).get(fold(query[0]), [])
        cutoff = fuzzy_cutoff(len(query))
        found = None
        for choice, score, _ in process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=cutoff,
                                                limit=3):
            if _words_agree(query, choice):
                found = self._by_key[choice], score
                break
        if len(self._fuzzy_found) > 100_000:
            self._fuzzy_found.clear()
        self._fuzzy_found[(query, bare_only)] = found
        return found

    def match_of(self, entry: RegistryEntry, score: float = 1.0, county_code: str | None = None
                 ) -> PartyMatch:
        """A match for ``entry``, following ``successor`` links to today's body."""
        final, seen = entry, {entry.canonical}
        while final.successor and final.successor not in seen:
            rows = self._by_canonical.get(final.successor, [])
            same = [r for r in rows if r.county_code == final.county_code]
            if not rows:
                break
            final = (same or rows)[0]
            seen.add(final.canonical)
        return PartyMatch(final.canonical, final.kind, county_code or entry.county_code or final.county_code,
                          score, entry, entry.canonical if final is not entry else None)

    def _localise(self, match: PartyMatch, code: str) -> PartyMatch:
        """A county-dependent name ("Länsstyrelsen", "kommunerna") as the body of county ``code``."""
        role = _LOCAL_ROLES.get(match.entry.canonical if match.entry else "")
        row = self._row.get((role, code)) if role else None
        if row is None and role == "landsting":
            row = self._row.get(("region", code))
        return self.match_of(row, match.score) if row else match

    @property
    def finder(self) -> MentionFinder:
        """The compiled mention finder (built on first use)."""
        if self._finder is None:
            self._finder = MentionFinder(self)
        return self._finder

    def find_mentions(self, text: str, *, generic: bool = False) -> list[Mention]:
        """Every organisation named in ``text``, longest first and without overlaps, in text order.
        Groups and context-dependent names ("kommunen", "de halländska kommunerna") need ``generic``."""
        return self.finder.find(text, generic=generic)


def _role_of(entry: RegistryEntry, county: CountyInfo) -> str | None:
    """The role a row plays for its county, if it is one of the rows looked up by county."""
    if entry.kind is PartyKind.COUNTY_ADMINISTRATIVE_BOARD:
        return "cab"
    if entry.canonical == county.region_name:
        return "region"
    if entry.generic and entry.kind is PartyKind.MUNICIPALITY:
        return "kommunerna"
    if entry.kind is PartyKind.REGIONAL_BODY and entry.successor:
        return "landsting" if "landsting" in entry.canonical.casefold() else "regionforbund"
    return None


def _is_municipality(entry: RegistryEntry) -> bool:
    return entry.kind is PartyKind.MUNICIPALITY and entry.county_code is not None and not entry.generic


def _words_agree(query: str, choice: str) -> bool:
    """Every word of 4+ letters on either side has a close counterpart on the other."""
    pairs = ((query.split(), choice.split()), (choice.split(), query.split()))
    return all(max(fuzz.ratio(w, o) for o in others) >= FUZZY_WORD_CUTOFF
               for words, others in pairs for w in words if len(w) >= 4)


@cache
def _default() -> PartyRegistry:
    return PartyRegistry.from_files(DATA / "party_registry.csv", DATA / "counties.csv")
