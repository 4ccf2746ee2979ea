"""The records of the party registry, how its data files are read, and how names are normalised.

The value types and helpers that the registry (``registry.py``), the name patterns
(``name_patterns.py``) and the mention finder (``mentions.py``) all use; this module depends on
none of them.

Data (``data/``): ``counties.csv`` holds the 21 counties (code, name, short name, aliases such as
genitives, adjectives, demonyms and historic county names, the county board, the region, the seat);
``party_registry.csv`` holds one row per organisation: ``canonical,kind,county_code,aliases,successor``.

- ``canonical`` is the name reported. The 21 county administrative boards share the canonical
  "Länsstyrelsen" and differ by ``county_code``; one more such row without a county is what a bare
  "Länsstyrelsen"/"länsstyrelsen" resolves to.
- a body that was replaced by, or merged into, another keeps a row of its own whose ``successor``
  names today's body: landsting → region ("Norrbottens läns landsting" → "Region Norrbotten"),
  regionförbund → region, "Gotlands kommun" → "Region Gotland", "Malmö högskola" → "Malmö
  universitet", "Myndigheten för skolutveckling" → "Skolverket". A body only renamed, or used
  interchangeably with today's, is a plain alias: Länsarbetsnämnden, AMS, AMV → Arbetsförmedlingen;
  SKL, Svenska kommunförbundet, Landstingsförbundet → SKR; SIV → Migrationsverket;
  Riksförsäkringsverket → Försäkringskassan. Integrationsverket (closed 2007) has no successor: its
  tasks went to Migrationsverket, the county boards and others.
- a canonical in lower case is a group or a context-dependent name ("kommunerna", "kommunerna i
  Hallands län", "kommunen", "landstinget", "civilsamhället"): ``RegistryEntry.generic``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rok_compare.model import PartyKind

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class RegistryEntry:
    canonical: str
    kind: PartyKind
    county_code: str | None
    aliases: tuple[str, ...]
    successor: str | None

    @property
    def generic(self) -> bool:
        """A group or context-dependent name ("kommunerna", "kommunen"), not one named body."""
        return self.canonical[:1].islower()


@dataclass(frozen=True)
class PartyMatch:
    canonical: str
    kind: PartyKind
    county_code: str | None
    score: float
    entry: RegistryEntry | None
    """The row the name matched (the predecessor's row when ``successor`` links were followed)."""
    predecessor: str | None = None
    """The matched row's canonical when ``canonical`` was reached through ``successor`` links."""


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    match: PartyMatch
    bare_place: bool
    """A bare municipality name ("Umeå", "Tingsryds"): weaker evidence than "Umeå kommun"."""
    generic: bool = False
    """A group or context-dependent name (reported only by ``find_mentions(generic=True)``)."""


@dataclass(frozen=True)
class CountyInfo:
    code: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    cab_name: str
    region_name: str
    seat: str


_SOFT = re.compile("[\u00ad\u200b\ufeff]")
_SPACE = re.compile(r"\s+")
_EDGE = " \t\n\"'“”«»‘’.,;:*•-"
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-"})


def normalise(name: str) -> str:
    """NFC, no soft hyphens, one kind of dash, single spaces, no surrounding quotes or punctuation."""
    text = _SOFT.sub("", unicodedata.normalize("NFC", name)).translate(_DASHES)
    return _SPACE.sub(" ", text).strip(_EDGE)


def key_of(name: str) -> str:
    """The case-folded lookup key of a name."""
    return normalise(name).casefold()


def fold(text: str) -> str:
    """``text`` without diacritics ("försäkringskassan" → "forsakringskassan")."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def read_counties(counties_csv: Path) -> list[CountyInfo]:
    """The rows of a ``counties.csv``, in file order."""
    with counties_csv.open(encoding="utf-8", newline="") as f:
        return [CountyInfo(r["code"], r["name"], r["short_name"], _split(r["aliases"]), r["cab_name"],
                           r["region_name"], r["seat"]) for r in csv.DictReader(f)]


def read_entries(registry_csv: Path) -> list[RegistryEntry]:
    """The rows of a ``party_registry.csv``, in file order."""
    with registry_csv.open(encoding="utf-8", newline="") as f:
        return [RegistryEntry(r["canonical"], PartyKind(r["kind"]), r["county_code"] or None,
                              _split(r["aliases"]), r["successor"] or None) for r in csv.DictReader(f)]


def _split(aliases: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in aliases.split("|") if a.strip())
