"""Organisation names in a list that the mention finder does not know, and the test that a stretch
of text holds nothing but names.

"Örebro kommun, Örebrohem och Region Örebro län": a list goes on past a name the registry lacks, so
its items are looked up fuzzily in the registry (OCR and spelling variants) or taken as names of
their own when their form shows an organisation ("Föreningen Nya Vänner", "X ek. för.") or they
stand in the list right beside a known name; their kind comes from that form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

from rok_compare.extract.organisations import OrgMention
from rok_compare.model import PartyKind

_DATA = Path(__file__).parent / "data"
_SPACE = re.compile(r"\s+")

_LIST_SEPARATOR = re.compile(r",\s*|\s+och\s+|\s+samt\s+|\s*&\s*|\s*;\s*")
_NAME_LOWER = {"i", "för", "av", "län", "läns", "kommun", "stad", "stift", "landsting", "universitet", "högskola",
               "tekniska", "kyrkan", "samordningsförbund", "kommunalförbund", "ek", "ab", "upa"}


@cache
def _organisation_word() -> re.Pattern[str]:
    words = [w.strip() for w in (_DATA / "organisation_words.txt").read_text(encoding="utf-8").splitlines()
             if w.strip() and not w.startswith("#")]
    return re.compile("|".join(re.escape(w) for w in words), re.I)


def listed_organisations(text: str, start: int, end: int, known: list[OrgMention]) -> list[OrgMention]:
    """Names in a comma/"och" list that the mention finder did not know: looked up fuzzily in the
    registry (OCR and spelling variants such as "Arbetsfinnedlingen"), or, when the name has an
    organisation word ("Föreningen Nya Vänner") or stands in the list right beside a known name
    ("Örebro kommun, Örebrohem och Region Örebro län"), reported with a kind from its form."""
    found = []
    position = start
    ends = {m.end for m in known}
    starts = {m.start for m in known}
    for separator in [*_LIST_SEPARATOR.finditer(text, start, end), None]:
        item_end = separator.start() if separator else end
        name = _leading_name(text, position, item_end)
        beside_known = (position - 1 > start and _separated_from(ends, text, start, position)) or \
            (separator is not None and separator.end() in starts)
        if name is None and beside_known:  # "det kommunägda bostadsbolaget Örebrohem": the words before are no name
            described = _DESCRIBED_NAME.match(text, position, item_end)
            name = _leading_name(text, described.start(1), item_end) if described else None
        position = separator.end() if separator else end
        if name is None or any(m.start < name[1] and name[0] < m.end for m in known):
            continue
        surface = _SPACE.sub(" ", text[name[0] : name[1]]).strip(" .")
        if len(surface) < 4:
            continue
        match = _lookup(surface)
        if match is not None:
            found.append(OrgMention(name[0], name[1], surface, match.predecessor or match.canonical, match.kind,
                                    match.county_code, current=match.canonical if match.predecessor else None))
        elif _organisation_word().search(surface) and " " in surface or _organisation_word().search(surface[-12:]) \
                or (beside_known and name[1] >= item_end - 1 and " " not in surface):  # one word: no person
            found.append(OrgMention(name[0], name[1], surface, surface, kind_from_form(surface), known=False))
    return found


def _separated_from(ends: set[int], text: str, start: int, item_start: int) -> bool:
    """Whether a known name ends right before the separator that opens the item at ``item_start``."""
    match = _LIST_SEPARATOR_BEFORE.search(text, max(start, item_start - 8), item_start)
    return match is not None and match.start() in ends


_DESCRIBED_NAME = re.compile(r"\s*(?:[a-zåäöé-]+\s+){1,4}([A-ZÅÄÖ])")
_LIST_SEPARATOR_BEFORE = re.compile(r"(?:,\s*|\s+och\s+|\s+samt\s+|\s*&\s*|\s*;\s*)$")


@cache
def _organisation_forms() -> list[tuple[PartyKind, re.Pattern[str]]]:
    forms = []
    for line in (_DATA / "organisation_forms.csv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith(("#", "kind,")):
            kind, pattern = line.split(",", 1)
            forms.append((PartyKind(kind), re.compile(pattern, re.I)))
    return forms


def kind_from_form(name: str) -> PartyKind:
    """The kind of an organisation the registry lacks, from the form of its name ("Föreningen X":
    civil society, "X ek. för.": business, "X församling": faith community), else other."""
    return next((kind for kind, pattern in _organisation_forms() if pattern.search(name)), PartyKind.OTHER)


@lru_cache(maxsize=4096)
def _lookup(name: str):
    """Registry lookup (fuzzy, so not cheap) of a listed name, remembered across a batch."""
    from rok_compare.extract.registry import PartyRegistry

    return PartyRegistry.default().lookup(name)


def _leading_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The capitalised name at the start of a list item ("Länsstyrelsen i Jämtlands län" of
    "Länsstyrelsen i Jämtlands län om att ..."); None when the item does not start with one."""
    while start < end and text[start].isspace():
        start += 1
    if start >= end or not text[start].isupper():
        return None
    last = start
    for word in re.finditer(r"\S+", text[start:end]):
        token = word.group().strip(",.;:()")
        if token[:1].isupper() or token.lower() in _NAME_LOWER:
            last = start + word.end()
            continue
        break
    return (start, last) if last > start else None


_NAME_JOINERS = {"och", "samt", "&"}


def joiners_only(text: str) -> bool:
    """Whether what is left between names is only commas, "och", "samt" or "&"."""
    return all(word in _NAME_JOINERS for word in text.replace(",", " ").split())


def only_names(text: str, start: int, end: int, inside: Sequence[OrgMention]) -> bool:
    """Whether ``text[start:end]`` holds nothing but the names ``inside`` it, joined: "X, Y och Z"."""
    rest, position = [], start
    for mention in inside:
        rest.append(text[position : mention.start])
        position = max(position, mention.end)
    rest.append(text[position:end])
    return joiners_only(" ".join(rest))
