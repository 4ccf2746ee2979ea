"""Document metadata: county, period of validity and revision date.

County: every way the text names a county (its name, short name, adjectives, its county board
or region, its municipalities) votes for it, the title and first headings counting triple.
Period: a year span ("2019–2025") in the title or next to the word for the document
("överenskommelsen", "strategin", "RÖK") or, failing that, a year in the title; documents that
are not agreements, strategies or plans get no period, because a year on a news or info page is
rarely a period of validity.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

import ahocorasick

from rok_compare.extract.organisations import OrgMention
from rok_compare.extract.registry import PartyRegistry
from rok_compare.extract.year_patterns import (
    ADOPTED,
    DATE_SPAN,
    DOCUMENT_WORDS,
    LAW,
    NOT_VALIDITY,
    OPEN_VALIDITY,
    SINGLE_YEAR,
    SPAN_PATTERNS,
    THIS_DOCUMENT,
    YEAR,
    span_years,
)
from rok_compare.model import BlockKind, County, DocType, Period, SegmentedDocument
from rok_compare.segment.folding import lowered

_DIARY_NUMBER = re.compile(rf"\bdnr\.?\s*[A-Za-zÅÄÖåäö]*[- ]?({YEAR})[-/]", re.I)
_COMPACT_DATE = re.compile(rf"\b({YEAR})(0[1-9]|1[0-2])([0-3]\d)\b")
_MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december"]
_REVISED = re.compile(
    rf"\brevider\w*\s+(?:i\s+)?(?:den\s+)?(?:(\d{{1,2}})\s+)?({'|'.join(_MONTHS)})?[\s-]*({YEAR})"
    rf"|\brevider\w*\s+(?:den\s+)?({YEAR})-(\d\d)-(\d\d)",
    re.I,
)
_AGREEMENT_TYPES = {DocType.REGIONAL_AGREEMENT, DocType.LOCAL_AGREEMENT, DocType.STRATEGY, DocType.ACTION_PLAN}


OPENING_CHARS = 160
"""Without a title, the document's first words stand in for it: a flattened first line often starts
with the title ("Verksamhetsplan Etablering Södertörn 2019 1. Vad är ...")."""


def head_texts(doc: SegmentedDocument, count: int = 4) -> list[str]:
    """The title (else the opening words) and the first headings: where a document says what it is."""
    texts = [doc.title] if doc.title else _opening(doc)
    for section in doc.sections:
        if section.heading and len(texts) < count:
            texts.append(section.heading)
    return texts


def _opening(doc: SegmentedDocument) -> list[str]:
    for section in doc.sections:
        for block in section.blocks:
            text = block.text.strip()
            if len(text) > OPENING_CHARS:
                text = text[:OPENING_CHARS].rsplit(" ", 1)[0]
            return [text] if text else []
    return []


def body_texts(doc: SegmentedDocument) -> Iterable[str]:
    for section in doc.sections:
        if section.heading:
            yield section.heading
        for block in section.blocks:
            yield block.text


# -- county -------------------------------------------------------------------------------------




@cache
def _county_automaton(registry: PartyRegistry) -> ahocorasick.Automaton:
    """Every name, short name and alias of a county (case kept), mapped to (length, code)."""
    automaton = ahocorasick.Automaton()
    for county in registry.counties():
        for name in (county.name, county.short_name, *county.aliases):
            if name and len(name) > 2:
                automaton.add_word(name, (len(name), county.code))
    automaton.make_automaton()
    return automaton


def _county_mentions(text: str, registry: PartyRegistry) -> list[str]:
    """County codes of the county names in ``text`` (whole words), longest first, no overlaps."""
    found = []
    for last, (length, code) in _county_automaton(registry).iter(text):
        start, end = last - length + 1, last + 1
        if (start == 0 or not _is_word_char(text[start - 1])) and (end == len(text) or not _is_word_char(text[end])):
            found.append((start, -length, end, code))
    codes, covered = [], -1
    for start, _, end, code in sorted(found):
        if start >= covered:
            codes.append(code)
            covered = end
    return codes


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char in "-_"


_AUTHOR = re.compile(
    r"\b(?:kommunstyrelsen|kommunfullmäktige|socialnämnden|nämnden|arbetsutskott)\w*\s+(?:[\wåäö]+\s+){0,2}?"
    r"i\s+([A-ZÅÄÖ][\wåäö-]+)|^([A-ZÅÄÖ]+)\s+KOMMUN\b",
)
"""The body that wrote minutes: "kommunstyrelsens arbetsutskott i Falkenberg", "VALLENTUNA KOMMUN"."""
_AUTHOR_WORDS = ("KOMMUN", "arbetsutskott", "kommunfullmäktige", "kommunstyrelsen", "nämnden")
"""A match of :data:`_AUTHOR` holds one of these (it is case-sensitive)."""
_PATH_WORD = re.compile(r"[A-Za-zÅÄÖåäöéü]+")


def detect_county(doc: SegmentedDocument, mentions: list[OrgMention], registry: PartyRegistry) -> County | None:
    """The county the text points to most; failing that, one its file path names (a batch sorted
    into county or municipality folders, or files named after them). None when neither says."""
    votes = _county_votes(doc, mentions, registry)
    if not votes:
        votes = _path_votes(doc, registry)
        if votes:
            doc.source.warnings.append("county taken from the file path: the text names none")
    if not votes:
        return None
    code = votes.most_common(1)[0][0]
    county = next(c for c in registry.counties() if c.code == code)
    return County(county.name, county.code)


def _path_votes(doc: SegmentedDocument, registry: PartyRegistry) -> Counter[str]:
    votes: Counter[str] = Counter()
    for part in doc.source.path.resolve().parts[-3:]:
        words = _PATH_WORD.findall(part.rsplit(".", 1)[0])
        for word in words:
            code = registry.county_code_of_place(word) if len(word) > 3 else None
            if code:
                votes[code] += 1
    return votes


def _county_votes(doc: SegmentedDocument, mentions: list[OrgMention], registry: PartyRegistry) -> Counter[str]:
    votes: Counter[str] = Counter()
    body = list(body_texts(doc))
    joined_body = "\n".join(body)
    for weight, joined in ((3, "\n".join(head_texts(doc))), (1, joined_body)):
        for code in _county_mentions(joined, registry):
            votes[code] += weight
    for mention in mentions:
        code = mention.county_code
        if code:
            votes[code] += 0.5 if mention.bare_place else 1
    authors: Counter[str] = Counter()
    if not any(word in joined_body for word in _AUTHOR_WORDS):
        return +votes  # no text names a body that writes minutes: the expression would find nothing
    for text in body:
        for match in _AUTHOR.finditer(text):
            code = registry.county_code_of_place(match.group(1) or match.group(2).title())
            if code:
                authors[code] += 1
    return authors or +votes  # minutes are the author's, whatever places they discuss


# -- period and revision ------------------------------------------------------------------------


def detect_period(doc: SegmentedDocument, doc_type: DocType) -> Period | None:
    if doc_type is DocType.NEWS:
        return _span_near_document_word(doc)  # news about an agreement may say its period
    if doc_type not in _AGREEMENT_TYPES:
        return None
    heads = head_texts(doc)
    for text in heads:
        span = _first_span(text)
        if span:
            return span
    span = _validity_statement(doc) or _span_near_document_word(doc)
    if span:
        return span
    for text in heads:
        year = SINGLE_YEAR.search(text)
        if year:
            end = int(year.group(1))
            adopted = _adoption_year(doc)
            start = adopted if adopted and adopted < end else end
            return Period(start, end)
    for text in sentences_and_headings(doc):
        match = re.search(rf"\b(överenskommelsen|avtalet|planen|strategin) för ({YEAR})\b", text, re.I)
        if match:
            return Period(int(match.group(2)), int(match.group(2)))
    if doc_type in (DocType.REGIONAL_AGREEMENT, DocType.LOCAL_AGREEMENT):
        for text in sentences_and_headings(doc):
            diary = _DIARY_NUMBER.search(text)
            if diary:  # the year the agreement was registered
                return Period(int(diary.group(1)), int(diary.group(1)))
    return None


def _validity_statement(doc: SegmentedDocument) -> Period | None:
    """What the document says of its own validity ("Dokumentet gäller till och med 2023", "gäller
    tills vidare från 2019"): it outranks a span that merely stands near a document's name."""
    for text in sentences_and_headings(doc):
        open_ended = OPEN_VALIDITY.search(text)
        if open_ended and THIS_DOCUMENT.search(text) and not LAW.search(text) and not DATE_SPAN.search(text):
            year = int(open_ended.group(3))
            if open_ended.group(1):
                return Period(year, None)
            adopted = _adoption_year(doc)  # "gäller till och med 2023": from its adoption
            if adopted and adopted <= year:
                return Period(adopted, year)
    return None


def _span_near_document_word(doc: SegmentedDocument) -> Period | None:
    for text in sentences_and_headings(doc):
        if DOCUMENT_WORDS.search(text) and not NOT_VALIDITY.search(text):
            span = _first_span(text)
            if span:
                return span
    return None


def _first_span(text: str) -> Period | None:
    for match in [found for pattern in SPAN_PATTERNS for found in pattern.finditer(text)]:
        years = span_years(match)
        if years:
            return Period(*years)
    return None


def _adoption_year(doc: SegmentedDocument) -> int | None:
    for text in sentences_and_headings(doc):
        match = ADOPTED.search(text)
        if match:
            compact = _COMPACT_DATE.search(text[match.start() :])
            return int(compact.group(1)) if compact else int(match.group(2))
    return None


def sentences_and_headings(doc: SegmentedDocument) -> Iterable[str]:
    for section in doc.sections:
        if section.heading:
            yield section.heading
        for block in section.blocks:
            if block.kind is BlockKind.TABLE_ROW:
                continue
            sentences = [s.text for s in block.sentences]
            if block.label and sentences:  # "Giltighetstid: 2016–2018"
                sentences[0] = f"{block.label}: {sentences[0]}"
            yield from sentences


def detect_revision_date(doc: SegmentedDocument) -> str | None:
    """'2009-03' for "REVIDERAD Mars 2009", '2012-05-03' for "reviderad 2012-05-03"."""
    texts = [*head_texts(doc, 6), *sentences_and_headings(doc)]
    joined = "\n".join(texts)
    low = joined.lower()
    if "revider" not in low and lowered(joined, low) is not None:
        return None  # a match holds "revider" in some case; lowered() vouches that lower() shows it
    for text in texts:
        match = _REVISED.search(text)
        if not match:
            continue
        if match.group(4):
            return f"{match.group(4)}-{match.group(5)}-{match.group(6)}"
        year, month = match.group(3), match.group(2)
        if month:
            return f"{year}-{_MONTHS.index(month.lower()) + 1:02d}"
        return year
    return None
