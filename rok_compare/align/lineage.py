"""Revision lineages: which stored documents are versions of one agreement.

A county holds many documents that are not versions of each other (a 2014 local agreement of five
municipalities and the 2019 regional agreement share the county and nothing else), and one
agreement is published in several texts (the 2017 and 2019 pages on Koordination Norrort). Two
documents are linked when what they share adds up, as independent pieces of evidence combined
like a noisy-OR (``1 - prod(1 - e)``), each capped below certainty:

* shared clauses: reuse clusters (:func:`rok_compare.align.reuse.cluster_clauses`, the store's own
  clusters) that both documents have a member in, as a share of the smaller document's clauses;
* title: IDF-weighted Jaccard of the titles' stems, the IDF taken over the documents' whole
  vocabulary, so "Integration" against "Integration" counts nothing and "Koordination Norrort" a lot;
* parties: Jaccard of the canonical party names, scaled down while fewer than ``PARTIES_FULL``
  are shared (two documents of "Kalix kommun" and "Arbetsförmedlingen" are not one agreement);
* vocabulary: IDF-weighted Jaccard of the documents' stem sets (the names of a cooperation, its
  bodies and places, which a revision keeps even when every sentence is rewritten);
* time: the same stated period, or a period that starts when the other ends (a revision).

Evidence against halves the score: periods with a gap of more than one year between them (unless the
two share a clause: shared wording is read from the text, a period is extracted and may be misread,
as "Handlingsplan 2010-2011" inside Borås' programme 2002-2013), a local
against a regional agreement (an agreement does not change level between versions), and
municipal signatories on both sides with none in common (the same template signed by other
municipalities). Only documents of the same county are compared (or with a county unknown).
Linked pairs form lineages (connected components); the links reported are a maximum spanning
tree, so each link is the strongest evidence that joins its two documents.

The weights were set by hand on the 83 documents of the seeds and the shared dev and train sets
(``tests/test_lineage.py``), whose metadata name the versions of one agreement: every same-county
pair sharing a clause there is a true version pair (Koordination Norrort 2017/2019, Vägen in
2015/later, Östersund's strategy, Borås' programme 2002/2014), so one shared clause in eight is
enough; Blekinge's RÖK 2016-2018/2019-2021, Västervik's strategy 2018-2022/2023-2027 and the
Kronoberg SÖK 2019-2025 (two texts) share no clause and are found by period plus parties or
vocabulary; no single weak signal (time, title, parties) reaches ``LINK_MIN`` on its own.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from rok_compare.align.corpus import CorpusDocument
from rok_compare.align.lineage_data import (
    LineageDocument,
    TermIndex,
    WeightedJaccard,
    document_year,
    read_documents,
)
from rok_compare.store.database import Store

__all__ = ["Lineage", "LineageLink", "document_year", "find_lineages", "lineage_groups"]

W_CLAUSES = 0.9
"""Evidence of shared clauses at ``CLAUSE_SHARE_FULL`` or more: enough alone."""
CLAUSE_SHARE_FULL = 0.125
"""Share of the smaller document's clauses in shared clusters that counts in full (one in eight;
the weakest true pair, Borås 2002/2014, shares two of 13 = 0.15)."""
W_TITLE = 0.45
"""Identical distinctive titles; below ``LINK_MIN`` alone (web pages share titles like "Hoppa till
innehåll")."""
W_PARTIES = 0.55
"""The same parties (Jaccard 1) with at least ``PARTIES_FULL`` of them shared: enough alone (the six
municipalities of Umeåregionen's successive agreements share 0.86)."""
PARTIES_FULL = 3
W_VOCABULARY = 0.6
"""Vocabulary overlap at ``VOCABULARY_FULL`` or more."""
VOCABULARY_FLOOR = 0.05
"""IDF-weighted Jaccard of the 145 same-county pairs of the 83 documents that are no versions of one
agreement: median 0.043, 90th percentile 0.073, at most 0.119; so vocabulary alone never links."""
VOCABULARY_FULL = 0.30
"""Versions that keep most of their text: 0.36 (Vägen in) and 0.58 (Koordination Norrort); the
other eight version pairs score 0.07-0.18 and need other evidence too."""
TIME_SAME = 0.45
"""The same stated period (2019-2025 and 2019-2025): strong, but two municipalities' local
agreements can share a period, so not enough alone."""
TIME_SUCCESSIVE = 0.45
"""One period starts the year the other ends or the year after (2016-2018, then 2019-2021)."""
TIME_OVERLAP = 0.2
"""Overlapping periods: a strategy 2016-2020 and a regional agreement 2015-2020 are often apart."""
PENALTY = 0.5
"""Factor for each piece of evidence against (period gap, local vs regional, other municipalities)."""
SUCCESSION_GAP = 1
"""Years allowed between one period's end and the next one's start."""
LINK_MIN = 0.5
"""Pairs scoring at least this are versions of one agreement."""

_LEVELS = frozenset({"local_agreement", "regional_agreement"})
_COLLECTIVE = re.compile(r"\bkommuner(?:na)?\b", re.IGNORECASE)


@dataclass(frozen=True)
class LineageLink:
    """Evidence that ``new_id`` is a later version of the agreement in ``old_id``."""

    old_id: int
    new_id: int
    shared_clauses: int
    """Reuse clusters both documents have a clause in."""
    title_similarity: float
    party_overlap: float
    """Jaccard of the two documents' canonical party names."""
    score: float


@dataclass(frozen=True)
class Lineage:
    """Documents that are versions of one agreement (a single document is a lineage of one)."""

    id: int
    county: str | None
    document_ids: tuple[int, ...]
    """Oldest first (see :func:`document_year`); undated documents last, by id."""
    links: tuple[LineageLink, ...]
    years: tuple[int | None, ...] = ()
    """The year each version is dated from (as ``document_ids``; :func:`document_year`, which also
    reads the text), so that a view names the versions by the years that ordered them."""


def find_lineages(store: Store | str | Path) -> list[Lineage]:
    """Every stored document in exactly one lineage, lineages by county and oldest document."""
    if isinstance(store, Store):
        documents = read_documents(store)
    else:
        with Store.open(store, readonly=True) as opened:
            documents = read_documents(opened)
    return _group(documents)


def lineage_groups(documents: Sequence[CorpusDocument], store: Store | str | Path) -> tuple[list[Hashable], list[str]]:
    """The lineage of each document, for :func:`rok_compare.align.reuse.find_reuse`'s ``groups``:
    a stored document is found by its stored path, or by its file's content; any other document is
    a lineage of its own. Also the paths of those not in the store."""
    if not isinstance(store, Store):
        with Store.open(store, readonly=True) as opened:
            return lineage_groups(documents, opened)
    from rok_compare.align.stored_keys import stored_ids

    lineage_of = {doc: lineage.id for lineage in find_lineages(store) for doc in lineage.document_ids}
    groups: list[Hashable] = []
    unstored: list[str] = []
    for k, (document, doc_id) in enumerate(zip(documents, stored_ids(documents, store), strict=True)):
        if doc_id is None:
            unstored.append(str(document.path))
            groups.append(("unstored", k))
        else:
            groups.append(lineage_of[doc_id])
    return groups, unstored


def _group(documents: Sequence[LineageDocument]) -> list[Lineage]:
    """Link the documents and group them (the part of :func:`find_lineages` after reading)."""
    candidates = _links(documents)
    by_id = {d.id: d for d in documents}
    parent = {d.id: d.id for d in documents}

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    tree: list[LineageLink] = []
    for link in sorted(candidates, key=lambda x: (-x.score, x.old_id, x.new_id)):  # Kruskal, strongest first
        a, b = root(link.old_id), root(link.new_id)
        if a != b:
            parent[max(a, b)] = min(a, b)
            tree.append(link)
    groups: dict[int, list[LineageDocument]] = defaultdict(list)
    for d in documents:
        groups[root(d.id)].append(d)
    links: dict[int, list[LineageLink]] = defaultdict(list)
    for link in tree:
        links[root(link.old_id)].append(link)
    out = []
    for key, members in groups.items():
        members.sort(key=_age)
        order = {d.id: k for k, d in enumerate(members)}
        counties = Counter(d.county for d in members if d.county)
        out.append(Lineage(0, counties.most_common(1)[0][0] if counties else None,
                           tuple(d.id for d in members),
                           tuple(sorted(links[key], key=lambda x: (order[x.old_id], order[x.new_id]))),
                           tuple(d.year for d in members)))
    out.sort(key=lambda lin: (lin.county is None, lin.county or "", _age(by_id[lin.document_ids[0]])))
    return [Lineage(k + 1, lin.county, lin.document_ids, lin.links, lin.years) for k, lin in enumerate(out)]


def _age(document: LineageDocument) -> tuple[bool, int, int]:
    return (document.year is None, document.year or 0, document.id)


def _links(documents: Sequence[LineageDocument]) -> list[LineageLink]:
    """Every link reaching ``LINK_MIN`` between documents of one county (or of an unknown county)."""
    vocabularies = [d.vocabulary for d in documents]
    terms = TermIndex.of(vocabularies)
    vocabulary = WeightedJaccard(vocabularies, vocabularies, terms)
    titles = WeightedJaccard(vocabularies, [d.title_stems for d in documents], terms)
    by_county: dict[str, list[int]] = defaultdict(list)
    unknown: list[int] = []
    for k, d in enumerate(documents):
        county = d.county_code or d.county
        (by_county[county] if county else unknown).append(k)
    blocks = [(rows, rows) for rows in by_county.values()]
    if unknown:
        blocks.append((unknown, list(range(len(documents)))))
    bound = _LinkBound(documents)
    links = []
    seen: set[tuple[int, int]] = set()
    for left, right in blocks:
        words, heads = vocabulary.block(left, right), titles.block(left, right)
        rows, cols = np.nonzero(bound.block(left, right, heads, words) >= LINK_MIN - 1e-9)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            a, b = left[i], right[j]
            if a == b or (min(a, b), max(a, b)) in seen:
                continue
            seen.add((min(a, b), max(a, b)))
            old, new = sorted((documents[a], documents[b]), key=_age)
            if (link := _link(old, new, float(heads[i, j]), float(words[i, j]))) is not None:
                links.append(link)
    return links


class _LinkBound:
    """An upper bound of :func:`_link`'s score for a whole block of pairs at once (numpy and sparse
    products, no Python per pair): the same evidence, with the time evidence at its largest where
    both are dated and no penalty. Only pairs whose bound reaches ``LINK_MIN`` are scored exactly;
    at 10,000 generated documents that is one pair in ten, and the links are the same."""

    def __init__(self, documents: Sequence[LineageDocument]) -> None:
        self.clusters = _incidence([d.clusters for d in documents])
        self.parties = _incidence([d.parties for d in documents])
        self.party_counts = np.asarray([len(d.parties) for d in documents], dtype=float)
        self.clause_counts = np.asarray([d.clauses for d in documents], dtype=float)
        self.dated = np.asarray([d.period is not None for d in documents])

    def block(self, left: Sequence[int], right: Sequence[int], title: np.ndarray, vocabulary: np.ndarray,
              ) -> np.ndarray:
        a, b = np.asarray(left, dtype=np.intp), np.asarray(right, dtype=np.intp)
        shared = (self.clusters[a] @ self.clusters[b].T).toarray()
        common = (self.parties[a] @ self.parties[b].T).toarray()
        smaller = np.maximum(1.0, np.minimum.outer(self.clause_counts[a], self.clause_counts[b]))
        union = np.add.outer(self.party_counts[a], self.party_counts[b]) - common
        parties = np.divide(common, union, out=np.zeros_like(common), where=union > 0)
        evidence = (
            W_CLAUSES * np.minimum(1.0, shared / smaller / CLAUSE_SHARE_FULL),
            W_TITLE * title,
            W_PARTIES * parties * np.minimum(1.0, common / PARTIES_FULL),
            W_VOCABULARY * np.clip((vocabulary - VOCABULARY_FLOOR) / (VOCABULARY_FULL - VOCABULARY_FLOOR), 0.0, 1.0),
            np.where(np.logical_and.outer(self.dated[a], self.dated[b]),
                     max(TIME_SAME, TIME_SUCCESSIVE, TIME_OVERLAP), 0.0),
        )
        against = np.ones_like(title)
        for value in evidence:
            against *= 1.0 - value
        return 1.0 - against


def _incidence(sets: Sequence[frozenset]) -> sparse.csr_matrix:
    """Rows of 0/1 membership: which items each document holds."""
    index: dict[object, int] = {}
    rows, cols = [], []
    for row, items in enumerate(sets):
        for item in items:
            rows.append(row)
            cols.append(index.setdefault(item, len(index)))
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), max(1, len(index))))


def _link(old: LineageDocument, new: LineageDocument, title: float, vocabulary: float) -> LineageLink | None:
    """The evidence that ``old`` and ``new`` are versions of one agreement, if it reaches ``LINK_MIN``
    (``title`` and ``vocabulary``: their IDF-weighted Jaccard similarities)."""
    shared = len(old.clusters & new.clusters)
    smaller = max(1, min(old.clauses, new.clauses))
    union = old.parties | new.parties
    common = old.parties & new.parties
    parties = len(common) / len(union) if union else 0.0
    evidence = [
        W_CLAUSES * min(1.0, shared / smaller / CLAUSE_SHARE_FULL),
        W_TITLE * title,
        W_PARTIES * parties * min(1.0, len(common) / PARTIES_FULL),
        W_VOCABULARY * min(1.0, max(0.0, (vocabulary - VOCABULARY_FLOOR) / (VOCABULARY_FULL - VOCABULARY_FLOOR))),
        _time_evidence(old.period, new.period),
    ]
    score = 1.0 - math.prod(1.0 - e for e in evidence)
    score *= PENALTY ** _evidence_against(old, new, shared)
    if score < LINK_MIN:
        return None
    return LineageLink(old.id, new.id, shared, round(title, 4), round(parties, 4), round(score, 4))


def _time_evidence(a: tuple[int, int | None] | None, b: tuple[int, int | None] | None) -> float:
    if a is None or b is None:
        return 0.0
    if a == b:
        return TIME_SAME
    (first, second) = sorted((a, b), key=lambda p: (p[0], p[1] if p[1] is not None else 9999))
    if first[1] is None:  # open-ended ("gäller tills vidare"): whatever comes later overlaps it
        return TIME_OVERLAP
    end = first[1]
    if second[0] > first[0] and 0 <= second[0] - end <= SUCCESSION_GAP:
        return TIME_SUCCESSIVE
    return TIME_OVERLAP if second[0] < end else 0.0


def _evidence_against(old: LineageDocument, new: LineageDocument, shared: int) -> int:
    count = 0
    if old.period is not None and new.period is not None and not shared:
        (first, second) = sorted((old.period, new.period), key=lambda p: p[0])
        end = first[1] if first[1] is not None else math.inf
        count += second[0] - end > SUCCESSION_GAP
    count += old.doc_type in _LEVELS and new.doc_type in _LEVELS and old.doc_type != new.doc_type
    count += _other_municipalities(old.municipalities, new.municipalities)
    return count


def _other_municipalities(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both name municipalities, none the same, and neither names them all ("kommunerna i Blekinge län")."""
    if not a or not b or a & b:
        return False
    return not any(_COLLECTIVE.search(name) for name in a | b)


