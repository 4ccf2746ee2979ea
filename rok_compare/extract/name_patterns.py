"""Productive name patterns: bodies named by a keyword and a place, and groups of municipalities.

Name lookup (:meth:`PartyRegistry.lookup`: a whole name, any case) and the mention finder
(``mentions.py``: running text, case as written) share these patterns, so they have a module of
their own.

- :data:`SUFFIXES` and :data:`PREFIXES` (``data/name_patterns.csv``): "X kommun", "Kronobergs läns
  landsting", "Landstinget i X", "Region X", "Samordningsförbundet X", "X idrottsförbund", ... A
  match names a registry row found through its place ("Landstinget i Värmland" → Region Värmland)
  or, for a body missing from the registry, itself, with ``entry=None`` and the kind the pattern
  implies (:func:`match_pattern`, :func:`resolve_pattern`).
- groups of municipalities ("de halländska kommunerna", "kommunerna i X län"): the county's
  "kommunerna" row, or the generic one (:func:`match_collective`, :func:`collective_match`).
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from rok_compare.extract.party_records import PartyMatch, key_of, normalise
from rok_compare.model import PartyKind

if TYPE_CHECKING:
    from rok_compare.extract.registry import PartyRegistry

_DATA = Path(__file__).parent / "data"
CAP_WORD = r"[A-ZÅÄÖÉÜ][\w-]*"
"""Regex of a capitalised word, as the patterns take one."""
_NAME = rf"{CAP_WORD}(?:[ \t]+{CAP_WORD}){{0,2}}(?:[ \t]+län)?"
_PRE = r"(?:(?:Östra|Västra|Norra|Södra|Lilla|Stora|Övre|Nedre|Mellersta|Centrala|Upplands)[ \t]+)?"
_PLACE = rf"{_PRE}{CAP_WORD}"


def _name_patterns(position: str) -> dict[str, tuple[str, PartyKind]]:
    """The productive patterns of ``data/name_patterns.csv`` for one position (suffix or prefix)."""
    lines = [line for line in (_DATA / "name_patterns.csv").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return {row["keyword"]: (row["role"], PartyKind(row["kind"]))
            for row in csv.DictReader(lines) if row["position"] == position}


SUFFIXES = _name_patterns("suffix")
"""Keyword after a place: "Umeå kommun", "Kronobergs läns landsting", "Luleå stift"."""
PREFIXES = _name_patterns("prefix")
"""Keyword before a name: "Region Halland", "Landstinget i Värmland", "Samordningsförbundet Värend"."""
_LOWER_OK = {"landsting", "landstinget", "länsstyrelsen", "stad", "handelskammare", "handelskammaren"}


def _keywords(words: dict[str, tuple[str, PartyKind]], capitalised: bool) -> str:
    """Alternation of keywords: capitalised in the text (prefixes) or lower case (suffixes)."""
    forms = []
    for word in words:
        cap = word[0].upper() + word[1:] if word != "lo-distriktet" else "LO-distriktet"
        cap = "RF-SISU" if word == "rf-sisu" else cap
        forms += [re.escape(cap)] if capitalised else [re.escape(word)]
        if word in _LOWER_OK:
            forms.append(re.escape(word if capitalised else cap))
    return "|".join(sorted(forms, key=len, reverse=True))


_SUFFIX = (rf"(?<![\w-])(?P<place>{_PLACE})\s+(?:(?:läns|tekniska)\s+)?(?P<kw>{_keywords(SUFFIXES, False)})"
           r"(?![\w-])")
_PREFIX = (rf"(?<![\w-])(?P<kw>{_keywords(PREFIXES, True)})[ \t]+(?:(?:i|på|för)[ \t]+)?(?P<place>{_NAME})"
           r"(?![\w-])")
_NEEDS_PLACE = {"municipality", "region", "landsting", "cab", "regionforbund"}
_DIRECTIONS = r"(?:(?:norra|södra|västra|östra|mellersta)\s+)?"


def _first_letters(forms: str) -> str:
    """A look-ahead for the first letters of an alternation of escaped keywords: it only restates what
    the pattern requires, and lets the regex engine skip to a place where a match may start (a
    pattern that opens with a look-behind is otherwise tried at every character)."""
    letters = sorted({form.lstrip("\\")[:1] for form in forms.split("|")})
    return f"(?=[{''.join(letters)}])"


@cache
def pattern_regexes(flags: int) -> list[tuple[re.Pattern[str], dict[str, tuple[str, PartyKind]], bool]]:
    """The suffix and prefix regexes, with their keyword tables and whether the place comes first."""
    suffix = "(?=[A-ZÅÄÖÉÜ])" + _SUFFIX  # every place starts with a capital (``_PLACE``)
    prefix = _first_letters(_keywords(PREFIXES, True)) + _PREFIX
    return [(re.compile(suffix, flags), SUFFIXES, True), (re.compile(prefix, flags), PREFIXES, False)]


def match_pattern(registry: PartyRegistry, name: str) -> PartyMatch | None:
    """The match of a whole name that fits a productive pattern (any case), or None."""
    for pattern, table, _ in pattern_regexes(re.I):
        found = pattern.fullmatch(name)
        if found:
            role, kind = table[found.group("kw").casefold()]
            return resolve_pattern(registry, role, kind, found.group("place"), found.group())
    return None


def resolve_pattern(registry: PartyRegistry, role: str, kind: PartyKind, place: str, surface: str
                    ) -> PartyMatch | None:
    """What a pattern match names: a registry row found through its place, or the name itself."""
    code = _place_code(registry, place)
    if role == "municipality":
        key = key_of(place)
        if registry.is_bare_place(key):
            return registry.lookup(key)
        found = registry.fuzzy_key(key, bare_only=True)
        return registry.match_of(found[0], found[1] / 100) if found else None
    if role in _NEEDS_PLACE:
        row = registry.row(role, code) if code else None
        if row is None and code and role == "landsting":
            row = registry.row("region", code)
        if row is not None:
            return registry.match_of(row, 0.9)
        if role == "regionforbund":
            return PartyMatch(normalise(surface), kind, code, 0.6, None)
        return None  # every county's board, landsting and region is known: an unknown place is no such body
    if role != "surface":
        base = registry.lookup(role)
        return registry.match_of(base.entry, 0.9, code) if base and base.entry else None
    return PartyMatch(normalise(surface), kind, code, 0.6, None)


def _place_code(registry: PartyRegistry, place: str) -> str | None:
    words = place.split()
    for n in range(len(words), 0, -1):
        code = registry.county_code_of_place(" ".join(words[:n]))
        if code:
            return code
    return None


@cache
def _collective(registry: PartyRegistry) -> tuple[re.Pattern[str], dict[str, str]]:
    """The regex of groups of municipalities ("de halländska kommunerna", "kommunerna i X län")."""
    codes: dict[str, str] = {}
    adjectives, names = [], []
    for county in registry.counties():
        for form in (county.name, county.short_name, *county.aliases):
            if len(form) < 4 or re.fullmatch(r"[A-Z]{1,2} län", form):
                continue
            codes.setdefault(form.casefold(), county.code)
            (adjectives if form.islower() and form.endswith("ska") else names).append(re.escape(form))
    alt = lambda forms: "|".join(sorted(set(forms), key=len, reverse=True))  # noqa: E731
    pattern = (
        r"(?<![\w-])(?:(?P<det>de|alla|samtliga|övriga|länets|respektive|berörda)\s+)?(?:"
        rf"(?P<adj>{alt(adjectives)})\s+kommuner(?:na)?"
        rf"|kommuner(?:na)?\s+i\s+{_DIRECTIONS}(?:(?P<place>{alt(names)})(?:\s+län)?|länet)"
        rf"|(?P<gen>{alt(names)})\s+kommuner(?:na)?"
        r"|kommuner(?P<definite>na)?)(?![\w-])"
    )
    return re.compile(pattern, re.I), codes


def collective_regex(registry: PartyRegistry) -> re.Pattern[str]:
    """The regex of groups of municipalities for ``registry``'s counties (compiled once)."""
    return _collective(registry)[0]


def collective_match(registry: PartyRegistry, found: re.Match[str]) -> PartyMatch | None:
    """The group a collective regex match names, or None for a plain "kommuner"."""
    _, codes = _collective(registry)
    det = (found.group("det") or "").casefold()
    county = found.group("adj") or found.group("place") or found.group("gen")
    if not county and not found.group("definite") and det not in {"alla", "samtliga", "länets", "övriga"}:
        return None
    if county:
        code = codes.get(county.casefold()) or registry.county_code_of_place(county)
        row = registry.row("kommunerna", code) if code else None
        if row:
            return registry.match_of(row)
    return registry.lookup("kommunerna")


def match_collective(registry: PartyRegistry, name: str) -> PartyMatch | None:
    """The group a whole name ("de halländska kommunerna") names, or None."""
    if "kommuner" not in name.lower():
        return None  # every form of the pattern has the word: no need to compile it for other names
    found = _collective(registry)[0].fullmatch(name)
    return collective_match(registry, found) if found else None
