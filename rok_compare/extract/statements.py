"""Goals and commitments decided sentence by sentence by a model trained on the annotations.

Every sentence, list item and table cell of the body is a candidate. The goal and commitment rules
(:mod:`goals`, :mod:`commitments`) still run: their verdicts, and the party they attribute, become
features and defaults, and the model decides goal / commitment / neither from the sentence's words,
its opening, its subject, the heading above and the line leading into its list. "ska" with an
abstract subject reads as a goal, "ska" with a named party and a concrete action as a commitment;
the weights come from the annotated documents, not from a hand-set order of rules.

A commitment names its party: the rule's attribution when a rule found it, else the sentence's
subject when that is a party, else the party whose section it stands in, else ``*`` (all parties).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from rok_compare.extract.attribution import without_attribution
from rok_compare.extract.listed_names import joiners_only
from rok_compare.extract.organisations import MentionIndex, OrgMention
from rok_compare.extract.sentence_roles import agent_of, signature_or_signing, subject_of
from rok_compare.extract.sites import (
    FURNITURE,
    HEADING,
    Site,
    SiteIndex,
    bin_of,
    heading_features,
    lead_in_features,
    stems,
)
from rok_compare.extract.strength import commitment_strength
from rok_compare.model import Commitment, DocType, Goal, Party, Sentence
from rok_compare.segment.folding import FoldedPattern

GOAL, COMMITMENT, NEITHER = "goal", "commitment", "neither"
_JOINT = re.compile(r"^\W*(parterna|samtliga parter|alla parter|vi|tillsammans|gemensamt)\b", re.I)
_JOINTLY = FoldedPattern(
    r"\b(tillsammans(?!\s+med)|gemensam(t|ma)?|respektive|parterna|samtliga parter|alla parter|styrgrupp(en)?)\b")
"""Words that bind the parties together: a sentence with no named subject that holds one is all parties'."""
_FIRST_WORDS = re.compile(r"[a-zåäöéü]+", re.I)
_NUMBER = re.compile(r"\d")


@dataclass(slots=True)
class StatementCandidate:
    site: Site
    rule_goals: list[Goal] = field(default_factory=list)
    rule_commitments: list[Commitment] = field(default_factory=list)
    _party: str | None = None
    compute_features: Callable[[StatementCandidate], dict[str, float]] | None = None
    _features: dict[str, float] | None = None
    compute_party: Callable[[StatementCandidate], str] | None = None

    @property
    def party(self) -> str:
        """Whose commitment it is when it is one and no rule said; worked out when first asked for
        (only for the sentences the model scores: the others' verdicts come from the rules)."""
        if self._party is None:
            self._party = self.compute_party(self) if self.compute_party else "*"
        return self._party

    @party.setter
    def party(self, value: str) -> None:
        self._party = value

    @property
    def features(self) -> dict[str, float]:
        """The model's features, computed when first asked for: extraction scores only the sentences
        the rules left open, so most candidates' features are never needed there."""
        if self._features is None:
            self._features = self.compute_features(self) if self.compute_features else {}
        return self._features


def statement_candidates(
    sites: SiteIndex, mentions: MentionIndex, parties: Sequence[Party], doc_type: DocType,
    rule_goals: Sequence[Goal], rule_commitments: Sequence[Commitment],
) -> list[StatementCandidate]:
    """The body's sentences with their features and the rules' verdicts, in document order."""
    candidates: dict[int, StatementCandidate] = {}
    subjects: dict[int, OrgMention | None] = {}  # each sentence's subject, for its owner and its features
    party_names = {p.canonical.lower(): p.canonical for p in parties}

    def subject(site: Site) -> OrgMention | None:
        if site.index not in subjects:
            subjects[site.index] = subject_of(Sentence(site.text, site.span), mentions)
        return subjects[site.index]

    def party(candidate: StatementCandidate) -> str:
        return _attributed(candidate.site, subject(candidate.site), mentions, party_names)

    for site in sites.sites:
        if site.kind in (HEADING, FURNITURE) or not site.text.strip() or _names_only(site, mentions):
            continue
        candidates[site.index] = StatementCandidate(site, compute_party=party)
    for goal in rule_goals:
        site = sites.at(goal.span.start)
        if site is not None and site.index in candidates:
            candidates[site.index].rule_goals.append(goal)
    for commitment in rule_commitments:
        site = sites.at(commitment.span.start)
        if site is not None and site.index in candidates:
            candidates[site.index].rule_commitments.append(commitment)
    def compute(candidate: StatementCandidate) -> dict[str, float]:
        return _features(sites, candidate, subject(candidate.site), mentions, party_names, doc_type)

    for candidate in candidates.values():
        candidate.compute_features = compute
    return list(candidates.values())


def _names_only(site: Site, mentions: MentionIndex) -> bool:
    """Whether a site is nothing but organisation names ("Danderyds kommun", "X, Y och Z"): a list of
    members or signatories, which states no goal and binds no one."""
    inside = mentions.within(site.span.start, site.span.end)
    if not inside:
        return False
    rest, position = [], site.span.start
    for mention in inside:
        rest.append(site.text[position - site.span.start : mention.start - site.span.start])
        position = max(position, mention.end)
    rest.append(site.text[position - site.span.start :])
    return joiners_only(re.sub(r"[.;:•\-–()]", " ", " ".join(rest)))


def _attributed(site: Site, subject: OrgMention | None, mentions: MentionIndex, party_names: dict[str, str]) -> str:
    """The party a sentence binds: its subject (``subject``, from :func:`subject_of`), the agent of a
    passive ("leds av X"), the party its heading names, the one party of a document that has one;
    else all parties."""
    unit = Sentence(site.text, site.span)
    if subject is not None and subject.canonical.lower() in party_names:
        return party_names[subject.canonical.lower()]
    agent = agent_of(unit, mentions, party_names.keys())
    if agent is not None:
        return party_names[agent.canonical.lower()]
    if _JOINTLY.search(site.text):  # "kommer tillsammans att", "Respektive huvudman", "Styrgruppen träffas"
        return "*"
    heading = site.section.heading_span if site.section else None
    if heading is not None:
        for mention in mentions.within(heading.start, heading.end):
            if mention.canonical.lower() in party_names:
                return party_names[mention.canonical.lower()]
    if len(party_names) == 1:
        return next(iter(party_names.values()))
    return "*"


def _features(sites: SiteIndex, candidate: StatementCandidate, subject: OrgMention | None, mentions: MentionIndex,
              party_names: dict[str, str], doc_type: DocType) -> dict[str, float]:
    site = candidate.site
    text = site.text
    features: dict[str, float] = {f"dt={doc_type.value}": 1.0, f"site={site.kind}": 1.0}
    words = stems(text)
    for stem in set(words):
        features[f"s:{stem}"] = 1.0
    for a, b in zip(words, words[1:], strict=False):
        features[f"s2:{a}_{b}"] = 0.5
    opening = [w.lower() for w in _FIRST_WORDS.findall(text[:60])[:3]]
    for i, word in enumerate(opening, 1):
        features[f"f{i}:{word}"] = 1.0
    if len(opening) >= 2:
        features[f"f12:{opening[0]}_{opening[1]}"] = 1.0
    features[f"len={bin_of(len(words), (0, 4, 8, 15, 30, 60))}"] = 1.0
    if _NUMBER.search(text):
        features["digit"] = 1.0
    if text.rstrip().endswith(":"):
        features["colon_end"] = 1.0
    if text.rstrip().endswith("?"):
        features["question"] = 1.0
    if '"' in text or "”" in text:
        features["quote"] = 1.0
    if not site.first_in_block:
        features["not_first"] = 1.0
    inside = mentions.within(site.span.start, site.span.end)
    features[f"orgs={bin_of(len(inside), (0, 1, 2, 4))}"] = 1.0
    if any(m.canonical.lower() in party_names for m in inside):
        features["names_party"] = 1.0
    if subject is not None:
        features["subj_org"] = 1.0
        features[f"subj={subject.kind.value}"] = 1.0
        if subject.canonical.lower() in party_names:
            features["subj_party"] = 1.0
    if _JOINT.match(text):
        features["subj_joint"] = 1.0
    if signature_or_signing(text):
        features["signing"] = 1.0
    if candidate.party != "*":
        features["owner_party"] = 1.0
    elif _JOINTLY.search(text):  # bound to all parties ("Respektive huvudman utser ...")
        features["owner_party"] = features["owner_joint"] = 1.0
    heading = site.section.heading if site.section else None
    features.update(heading_features(heading) if heading else {"no_heading": 1.0})
    lead = lead_in_features(sites, site, 10) if site.kind != "paragraph" else {}
    features.update(lead)
    features[f"pos={bin_of(site.span.start / sites.length, (0.0, 0.1, 0.3, 0.6))}"] = 1.0
    features.update(_class_features(_stem_classes(words), _heading_classes(heading) if heading else frozenset(),
                                    _key_classes_of(lead)))
    if candidate.rule_goals:
        features["r:goal"] = 1.0
    if candidate.rule_commitments:
        features["r:commitment"] = 1.0
        if any(c.party != "*" for c in candidate.rule_commitments):
            features["r:commitment_named"] = 1.0
    return features


@cache
def _word_classes() -> list[tuple[str, re.Pattern[str]]]:
    lines = (Path(__file__).parent / "data" / "statement_word_classes.tsv").read_text(encoding="utf-8").splitlines()
    return [(name, re.compile(pattern)) for name, pattern in
            (line.split("\t") for line in lines if line.strip() and not line.startswith("#"))]


@lru_cache(maxsize=65536)
def _classes_of(stem: str) -> frozenset[str]:
    return frozenset(name for name, pattern in _word_classes() if pattern.match(stem))


_PLACES = ("s:", "h:", "lead:")
_KEY_CLASSES: dict[str, tuple[int, frozenset[str]] | None] = {}
"""For a feature name: the place of its stem (index in :data:`_PLACES`) and the stem's word classes;
None for a name of no place or a stem of no class (remembered: the same names recur)."""


def _key_classes(key: str) -> tuple[int, frozenset[str]] | None:
    where, colon, stem = key.partition(":")
    place = where + colon
    if place not in _PLACES:
        return None
    classes = _classes_of(stem)
    return (_PLACES.index(place), classes) if classes else None


def _stem_classes(stems_: Sequence[str]) -> frozenset[str]:
    """The word classes of any of ``stems_``."""
    return frozenset().union(*map(_classes_of, set(stems_)))


@lru_cache(maxsize=4096)
def _heading_classes(heading: str) -> frozenset[str]:
    """The word classes of the stems of a heading's ``h:`` features (remembered: a section's lines
    share it)."""
    return frozenset().union(*(_classes_of(key[2:]) for key in heading_features(heading)))


def _key_classes_of(features: dict[str, float]) -> frozenset[str]:
    """The word classes of the stems of ``lead:`` features."""
    return frozenset().union(*(_classes_of(key[5:]) for key in features if key.startswith("lead:")))


def _class_features(*names_at: frozenset[str]) -> dict[str, float]:
    """``<class>_<where>`` for the classes found in the sentence's, the heading's and the lead-in's
    stems, in the file's order per place (what :func:`_word_class_features` makes of the keys)."""
    found: dict[str, float] = {}
    for where, names in zip(_PLACES, names_at, strict=True):
        if names:
            for name, _ in _word_classes():
                if name in names:
                    found[f"{name}_{where}"] = 1.0
    return found


def _word_class_features(features: dict[str, float]) -> dict[str, float]:
    """``<class>_<where>`` for each word class (:file:`data/statement_word_classes.tsv`) that a stem of
    the sentence (``s:``), its heading (``h:``) or its list's lead-in (``lead:``) belongs to."""
    names_at: tuple[set[str], ...] = (set(), set(), set())
    known = _KEY_CLASSES
    if len(known) > 200_000:
        known.clear()
    for key in features:  # one pass over the keys, each put with its place by its prefix
        hit = known.get(key, False)
        if hit is False:
            hit = known[key] = _key_classes(key)
        if hit is not None:
            names_at[hit[0]].update(hit[1])
    found: dict[str, float] = {}
    for where, names in zip(_PLACES, names_at, strict=True):
        if names:
            for name, _ in _word_classes():  # in the file's order
                if name in names:
                    found[f"{name}_{where}"] = 1.0
    return found


def choose_statements(candidates: Sequence[StatementCandidate], labels: Sequence[str],
                      keep_rules: bool = False, fill_only: Sequence[str] = (GOAL, COMMITMENT),
                      ) -> tuple[list[Goal], list[Commitment]]:
    """Goals and commitments from the decided candidates: the rules' own items where a rule found
    the sentence (their text, span and party), else the whole sentence.

    With ``keep_rules``, what the rules found stands as it is; for the kinds in ``fill_only`` the
    model speaks only where the rules found none of that kind in the document (on documents they were
    not written against the rules are precise where they fire at all, and miss whole documents'
    goals or commitments)."""
    rules_found = {GOAL: GOAL in fill_only and any(c.rule_goals for c in candidates),
                   COMMITMENT: COMMITMENT in fill_only and any(c.rule_commitments for c in candidates)}
    goals: list[Goal] = []
    commitments: list[Commitment] = []
    for candidate, label in zip(candidates, labels, strict=True):
        if keep_rules:
            if candidate.rule_commitments:
                label = COMMITMENT
            elif candidate.rule_goals:
                label = GOAL
            elif label in rules_found and rules_found[label]:
                label = NEITHER
        site = candidate.site
        section = site.section.heading if site.section else None
        if label == GOAL:
            if candidate.rule_goals:
                goals.extend(candidate.rule_goals)
            else:
                text, span = without_attribution(site.text, site.span)
                goals.append(Goal(text, section, span))
        elif label == COMMITMENT:
            if candidate.rule_commitments:
                commitments.extend(candidate.rule_commitments)
            elif not signature_or_signing(site.text):  # who signed is no undertaking (the annotation rule)
                commitments.append(Commitment(candidate.party, site.text, commitment_strength(site.text), site.span,
                                              section))
    return goals, commitments
