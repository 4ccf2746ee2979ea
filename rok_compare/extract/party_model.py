"""The party decision: which candidates are the agreement's parties, by a trained decider.

Each candidate gets a probability from :class:`LinearDecider`; a list of names is decided as a whole
(each name in it gets the list's best score: "is this list the parties?" is one question, the words
around a list border only its first and last names, and a name's own kind, which the model also
weighs, says little about the list it stands in); an organisation
is a party when its best-scored mention reaches the threshold, and it is named as written there. The model and
its threshold are fitted by ``scripts/train.py`` on the annotated documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from rok_compare.extract.decider import LinearDecider
from rok_compare.extract.party_candidates import PartyCandidate
from rok_compare.model import Party, PartyKind, SourceDocument


def party_scores(candidates: Sequence[PartyCandidate], model: LinearDecider) -> list[float]:
    positive = model.classes_[-1]
    scores = [p[positive] for p in model.predict_proba([c.features for c in candidates])]
    return list_scores(candidates, scores)


def list_scores(candidates: Sequence[PartyCandidate], scores: Sequence[float]) -> list[float]:
    """Each name of a list scored as the list: the best score of its names. (Leave-one-county-out on
    the 44 train documents, parties F1 0.826 with the list's mean as a floor, 0.846 with its best.)"""
    by_chain: dict[tuple[int, int], float] = defaultdict(float)
    for candidate, score in zip(candidates, scores, strict=True):
        if candidate.chain is not None:
            by_chain[candidate.chain] = max(by_chain[candidate.chain], score)
    return [by_chain[c.chain] if c.chain is not None else score for c, score in zip(candidates, scores, strict=True)]


def choose_parties(source: SourceDocument, candidates: Sequence[PartyCandidate], scores: Sequence[float],
                   threshold: float, rule_parties: Sequence[Party] = ()) -> list[Party]:
    """One party per organisation whose best mention scores ``threshold`` or more, in document order
    of that mention, named as written there; with ``rule_parties`` (the precise cue rules) added as
    they name them."""
    ruled = {p.canonical.lower(): p for p in rule_parties}
    best: dict[str, tuple[float, PartyCandidate]] = {}
    for candidate, score in zip(candidates, scores, strict=True):
        key = candidate.mention.canonical.lower()
        held = best.get(key)
        if held is None or score > held[0] + 1e-9:
            best[key] = (score, candidate)
    chosen = sorted((c for s, c in best.values() if s >= threshold and c.mention.canonical.lower() not in ruled),
                    key=lambda c: c.mention.start)
    parties = list(rule_parties)
    for candidate in chosen:
        mention = candidate.mention
        kind = mention.kind if isinstance(mention.kind, PartyKind) else PartyKind(mention.kind)
        parties.append(Party(mention.name, mention.canonical, kind, source.span(mention.start, mention.end),
                             current=mention.current))
    return sorted(parties, key=lambda p: p.span.start)
