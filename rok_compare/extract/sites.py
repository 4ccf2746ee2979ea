"""The places in a document where evidence stands: every heading line, sentence, list item and table
cell, in reading order, with the section and block around it.

Both learned decisions (parties, and goal/commitment sentences) describe a candidate by its site:
the words of its sentence, the heading above it, the line before it, the kind of block.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, lru_cache

import Stemmer

from rok_compare.model import Block, BlockKind, Section, SegmentedDocument, Span

_WORD = re.compile(r"[a-zåäöéüA-ZÅÄÖÉÜ]+")
HEADING = "heading"
FURNITURE = "furniture"


@dataclass(slots=True)
class Site:
    """One line of evidence: a sentence (or a heading, or a furniture block) and where it stands."""

    index: int
    text: str
    span: Span
    kind: str
    """A :class:`BlockKind` value, ``"heading"`` or ``"furniture"``."""
    section: Section | None
    block: Block | None
    first_in_block: bool = True
    last_in_block: bool = True


class SiteIndex:
    """The document's sites in order, with the site holding an offset found by bisection."""

    def __init__(self, doc: SegmentedDocument) -> None:
        self.doc = doc
        self.sites = _sites(doc)
        self._starts = [s.span.start for s in self.sites]
        self.length = max(1, len(doc.source.text))

    def at(self, offset: int) -> Site | None:
        index = bisect.bisect_right(self._starts, offset) - 1
        if index >= 0 and offset < self.sites[index].span.end:
            return self.sites[index]
        return None

    def previous(self, site: Site) -> Site | None:
        """The line before ``site`` in the body (furniture left out)."""
        for index in range(site.index - 1, -1, -1):
            if self.sites[index].kind != FURNITURE:
                return self.sites[index]
        return None

    def lead_in(self, site: Site) -> Site | None:
        """The line that introduces ``site``'s list: the last sentence before a run of list items,
        table rows or name-only headings, else the line before."""
        index = site.index - 1
        while index >= 0 and self.sites[index].kind in (BlockKind.LIST_ITEM, BlockKind.TABLE_ROW, FURNITURE):
            index -= 1
        return self.sites[index] if index >= 0 else None


def _sites(doc: SegmentedDocument) -> list[Site]:
    sites: list[Site] = []

    def add(text: str, span: Span, kind: str, section: Section | None, block: Block | None,
            first: bool = True, last: bool = True) -> None:
        sites.append(Site(len(sites), text, span, kind, section, block, first, last))

    for section in doc.sections:
        if section.heading and section.heading_span is not None:
            add(section.heading, section.heading_span, HEADING, section, None)
        for block in section.blocks:
            if block.kind is BlockKind.HEADING:
                add(block.text, block.span, HEADING, section, block)
                continue
            sentences = block.sentences or []
            if not sentences:
                add(block.text, block.span, block.kind.value, section, block)
            for i, sentence in enumerate(sentences):
                add(sentence.text, sentence.span, block.kind.value, section, block, i == 0, i == len(sentences) - 1)
    body = [(s.span.start, s) for s in sites]
    for block in doc.furniture:
        body.append((block.span.start, Site(0, block.text, block.span, FURNITURE, None, block)))
    body.sort(key=lambda item: item[0])
    ordered = [site for _, site in body]
    for index, site in enumerate(ordered):
        site.index = index
    return ordered


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


def stems(text: str) -> list[str]:
    """Lower-case Swedish Snowball stems of the words in ``text`` (letters only)."""
    return list(_stems(text))


@lru_cache(maxsize=16384)
def _stems(text: str) -> tuple[str, ...]:
    """Remembered: the same sentence is described for its party candidates and as a statement."""
    words = [w.lower() for w in _WORD.findall(text)]
    return tuple(_stemmer().stemWords(words)) if words else ()


def bin_of(value: float, edges: tuple[float, ...]) -> str:
    """The bin ``value`` falls into, named by its lower edge ("0", "2", "5", ...)."""
    label = edges[0]
    for edge in edges:
        if value >= edge:
            label = edge
    return str(label)


def heading_features(heading: str | None) -> dict[str, float]:
    """The stems of the heading a line stands under (``h:``), numbering left out."""
    from rok_compare.segment import split_numbering

    return {f"h:{stem}": 1.0 for stem in set(stems(split_numbering(heading)[1]))} if heading else {}


def lead_in_features(sites: SiteIndex, site: Site, words: int) -> dict[str, float]:
    """The last ``words`` stems of the line leading into ``site``'s list (``lead:``), and whether it
    ends with a colon."""
    lead = sites.lead_in(site)
    if lead is None:
        return {}
    features = {f"lead:{stem}": 0.5 for stem in set(stems(lead.text)[-words:])}
    if lead.text.rstrip().endswith(":"):
        features["lead_colon"] = 1.0
    return features
