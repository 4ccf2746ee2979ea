"""What kind of document this is: agreement, plan, strategy, news or other.

Tried in this order, first hit wins: a news article (quotes attributed with "säger", a press
release), minutes of a meeting (other), then what the title says it is (plan, strategy, local or
regional agreement), then what the body is about (the regional agreement named in a heading or
in two sentences, local agreement wording), then weaker news wording ("i dag", "hittills") or a
dateline at the top ("Publicerad" with its date, a weekday date), else other.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from rok_compare.extract.metadata import head_texts
from rok_compare.model import BlockKind, DocType, Party, PartyKind, SegmentedDocument
from rok_compare.segment.folding import FoldedPattern, lowered

_CUES_FILE = Path(__file__).parent / "data" / "doc_types.json"


@cache
def _cues() -> dict[str, list[FoldedPattern]]:
    raw = json.loads(_CUES_FILE.read_text(encoding="utf-8"))
    return {key: [FoldedPattern(p, re.M) for p in patterns]
            for key, patterns in raw.items() if not key.startswith("_") and not key.endswith("_triggers")}


@cache
def _triggers() -> dict[str, tuple[str, ...]]:
    raw = json.loads(_CUES_FILE.read_text(encoding="utf-8"))
    return {key.removesuffix("_triggers"): tuple(words) for key, words in raw.items() if key.endswith("_triggers")}


_ORGANISATION_LINE = re.compile(
    r"(?:Region|Länsstyrelsen|Landstinget|Kommunförbundet|Regionförbundet)(?:\s+i)?(?:\s+[A-ZÅÄÖ]\S*){1,3}"
    r"|[A-ZÅÄÖ]\S*(?:\s+[A-ZÅÄÖ]\S*)?\s+(?:kommun|stad|län)"
)
"""A line that is only an organisation's name, as a logo or letterhead over the title."""
_DATELINE_WINDOW = 400
_JOIN = "\x00.\x00"
"""Between texts searched at once: no cue pattern matches across it."""


_Joined = dict[int, tuple[str, str, str | None]]
"""The texts joined, lower-cased and lowered for folded search (:func:`lowered`), by ``id`` of the
list of texts: one document's lists are asked about several cues."""


def _any(key: str, texts: list[str], joins: _Joined | None = None) -> bool:
    made = joins.get(id(texts)) if joins is not None else None
    if made is None:
        joined = _JOIN.join(texts)
        lower = joined.lower()
        made = (joined, lower, lowered(joined, lower))
        if joins is not None:
            joins[id(texts)] = made
    joined, lower, low = made
    triggers = _triggers().get(key)
    if triggers and not any(trigger in lower for trigger in triggers):
        return False
    return any(p.search(joined, low) for p in _cues()[key])


def _count_sentences(key: str, sentences: list[str], joins: _Joined | None = None) -> int:
    if not _any(key, sentences, joins):  # one pass over the whole text first: usually nothing to count
        return 0
    cues = _cues()[key]
    return sum(1 for s in sentences if _matches_any(cues, s))


def _matches_any(cues: list[FoldedPattern], text: str) -> bool:
    low = lowered(text)
    return any(p.search(text, low) for p in cues)


def classify_doc_type(doc: SegmentedDocument) -> DocType:
    heads = head_texts(doc, count=3)
    sentences = [s.text for sec in doc.sections for b in sec.blocks if b.kind is not BlockKind.TABLE_ROW
                 for s in b.sentences]
    headings = [sec.heading for sec in doc.sections if sec.heading]
    title = heads[:1]
    if heads and _ORGANISATION_LINE.fullmatch(heads[0]):
        title = list(dict.fromkeys(heads))[:2]  # a name over the title: "Region Gotland" / "Handlingsplan ..."
    joins: _Joined = {}  # the lists below live as long as this call
    if _count_sentences("news_strong", sentences, joins) >= 1 and not _any("action_plan_title", title):
        return DocType.NEWS
    if _any("minutes_body", [*headings, *sentences]):
        return DocType.OTHER
    for key, doc_type, where in (
        ("action_plan_title", DocType.ACTION_PLAN, title),
        ("strategy_title", DocType.STRATEGY, title),
        ("local_agreement_title", DocType.LOCAL_AGREEMENT, heads),
        ("regional_agreement_title", DocType.REGIONAL_AGREEMENT, heads),
    ):
        if _any(key, where):
            return doc_type
    if _any("regional_agreement_title", headings) or _count_sentences("regional_agreement_body", sentences, joins) >= 2:
        return DocType.REGIONAL_AGREEMENT
    if _count_sentences("local_agreement_body", sentences, joins) >= 1:
        return DocType.LOCAL_AGREEMENT
    if _count_sentences("news_weak", sentences, joins) >= 1 or _dateline(doc):
        return DocType.NEWS
    if has_generic_agreement_title(doc):
        return DocType.REGIONAL_AGREEMENT  # refined by its parties: see agreement_level
    return DocType.OTHER


def _dateline(doc: SegmentedDocument) -> bool:
    """A news item's dateline near the top ("Publicerad" with or without its date, a weekday date,
    "Pressmeddelande"); an info page that presents one agreement stays that agreement."""
    head = doc.source.text[:_DATELINE_WINDOW]
    return _matches_any(_cues()["news_dateline"], head)


_GENERIC_TITLE = re.compile(r"^(överenskommelse|avsiktsförklaring|avtal|samverkansavtal|samarbetsavtal)\b", re.I)
_REGIONAL_KINDS = {PartyKind.COUNTY_ADMINISTRATIVE_BOARD, PartyKind.REGIONAL_BODY}


def has_generic_agreement_title(doc: SegmentedDocument) -> bool:
    """A title that says agreement without saying regional or local ("Överenskommelse om ...")."""
    return bool(doc.title and _GENERIC_TITLE.match(doc.title.strip()))


def agreement_level(doc: SegmentedDocument, doc_type: DocType, parties: list[Party]) -> DocType:
    """For an agreement whose title does not say, its parties do: with the county board or the
    region it is regional, between municipalities and agencies only it is local."""
    if doc_type is not DocType.REGIONAL_AGREEMENT or not has_generic_agreement_title(doc) or not parties:
        return doc_type
    if any(p.kind in _REGIONAL_KINDS for p in parties):
        return DocType.REGIONAL_AGREEMENT
    return DocType.LOCAL_AGREEMENT


def type_from_scores(scores: dict[str, float], rule_type: DocType, threshold: float,
                     override: float | None = None) -> DocType:
    """The type model's reading against the rules'. Where the rules say only "other", the model's
    best type counts from ``threshold``; where they name a type, the model overrules them only from
    ``override`` (never when None): the weaker cues mislead on documents they were not written
    against, and the model, which sees the rules' verdict among its features, knows when."""
    best = max(scores, key=scores.__getitem__)
    least = threshold if rule_type is DocType.OTHER else override
    return DocType(best) if least is not None and scores[best] >= least else rule_type

