"""Today's name of a stored party, from the party registry, for rows stored before the store kept it.

Extraction gives each party a ``canonical`` name (the registry row its name matched) and, when
that body has since merged or been renamed, ``current`` (the end of the row's ``successor`` links).
Stores made before ``current`` was kept have only ``canonical``; the migration that adds the
column fills it here by following the same links from the row named ``canonical``, preferring the
row of the document's county when several rows share the name (as extraction's own lookup does).
A name the registry does not hold is its own today's name.
"""

from __future__ import annotations

from functools import cached_property

from rok_compare.extract.party_records import RegistryEntry
from rok_compare.extract.registry import PartyRegistry


class TodayNames:
    """``canonical`` (and the document's county) → today's name, per the bundled party registry."""

    def __init__(self, registry: PartyRegistry | None = None) -> None:
        self.registry = registry or PartyRegistry.default()

    @cached_property
    def _rows(self) -> dict[str, list[RegistryEntry]]:
        rows: dict[str, list[RegistryEntry]] = {}
        for entry in self.registry.entries():
            rows.setdefault(entry.canonical, []).append(entry)
        return rows

    def __call__(self, canonical: str, county_code: str | None = None) -> str:
        rows = self._rows.get(canonical)
        if not rows:
            return canonical
        same_county = [row for row in rows if row.county_code == county_code]
        return self.registry.match_of((same_county or rows)[0]).canonical
