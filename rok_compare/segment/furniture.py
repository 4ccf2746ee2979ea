"""Recognise web-page and transcript furniture: text around an agreement that is not part of it.

Menus, related-document lists, publication dates, photo credits, cookie and weather banners,
contact blocks with names, phone numbers and e-mail addresses. Furniture is kept out of the
clauses (it is still kept in :attr:`SegmentedDocument.furniture`).
"""

from __future__ import annotations

import re
from functools import cache

import ahocorasick

from rok_compare.segment.folding import FoldedPattern, lowered, required_words
from rok_compare.segment.lines import Line
from rok_compare.segment.resources import furniture_sources

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|\bsnabel-?a\b|\w+ punkt \w+ snabela", re.I)
_PHONE = re.compile(r"(?=[+0])(?<!\d)(\+46|0)\d{1,3}[- ]?\d{2,3}[ -]?\d{2}[ -]?\d{2,3}(?!\d)")
_DIGIT = re.compile(r"\d")
"""A phone number has decimal digits: lines without one skip the phone pattern."""
_URL = re.compile(r"^(https?://|www\.)\S+$", re.I)
_FILE_LINK = re.compile(r"\b(pdf|docx?|xlsx?|pptx?)\s*,?\s*\(?\d+([.,]\d+)?\s*(kb|mb)\)?\.?\s*$", re.I)
_LIST_MARKERS = re.compile(r"^(relevanta|relaterade|liknande|andra|fler) (dokument|sidor|länkar|nyheter)\b", re.I)
_LIST_END = re.compile(r"^transkript:?$", re.I)
_CONTACT_HEAD = re.compile(r"^(kontakta oss|kontakt|kontaktpersoner?|kontaktuppgifter|"
                           r"arbetsgruppens medlemmar|övriga medlemmar|kontakta .{1,40})\b.{0,60}$", re.I)
_SHORT = 80
_LONG_PARAGRAPH = 300


@cache
def _any_furniture_pattern() -> FoldedPattern:
    """All patterns of ``data/furniture.txt`` as one (fullmatch tries each only at the start)."""
    return FoldedPattern("|".join(f"(?:{pattern})" for _, pattern in furniture_sources()))


class FurnitureLines:
    """Whether a whole line matches one of the patterns of ``data/furniture.txt``: the verdict of
    :func:`_any_furniture_pattern`, found by trying only the patterns whose required words
    (:func:`~rok_compare.segment.folding.required_words`) the line holds, picked in one
    Aho-Corasick pass; the patterns without such words are tried as one. The patterns that open
    with ``.{0,80}`` cost the engine every start position of every line."""

    def __init__(self, sources: list[str]) -> None:
        self._patterns: list[FoldedPattern] = []
        self._automaton = ahocorasick.Automaton()
        owners: dict[str, set[int]] = {}
        rest = []
        for source in sources:
            folded = FoldedPattern(f"(?:{source})")
            # a plain form exactly when the pattern is in lower case (asked so, it is compiled only
            # when a line first holds its words)
            words = required_words(source) if source == source.lower() else None
            if not words:
                rest.append(source)
                continue
            for word in words:
                owners.setdefault(word, set()).add(len(self._patterns))
            self._patterns.append(folded)
        for word, indexes in owners.items():
            self._automaton.add_word(word, tuple(sorted(indexes)))
        if owners:
            self._automaton.make_automaton()
        self._rest = FoldedPattern("|".join(f"(?:{source})" for source in rest)) if rest else None

    def fullmatch(self, text: str) -> bool:
        low = lowered(text)
        if self._rest is not None and self._rest.fullmatch(text, low):
            return True
        if low is None or not self._patterns:  # a text folding refuses: every pattern, as flagged
            return any(pattern.fullmatch(text, low) for pattern in self._patterns)
        candidates = {index for _, indexes in self._automaton.iter(low) for index in indexes}
        return any(self._patterns[index].fullmatch(text, low) for index in sorted(candidates))


@cache
def _furniture_lines() -> FurnitureLines:
    return FurnitureLines([pattern for _, pattern in furniture_sources()])


def _file_link(text: str) -> bool:
    """A link to a file with its size ("Rapport (pdf, 2 MB)"); the expression only where its unit is."""
    low = text.lower()
    return ("kb" in low or "mb" in low) and _FILE_LINK.search(text) is not None


def is_furniture_line(text: str, contact: bool | None = None) -> bool:
    """A single line that is furniture whatever surrounds it (a menu entry may be a list item).
    ``contact``: :func:`_has_contact` of the line when known (the list signs stripped here neither
    make nor break an address or a number)."""
    text = text.lstrip("•·▪◦●■➢►» ")
    if not text:
        return False
    if _furniture_lines().fullmatch(text):
        return True
    if _URL.match(text) or _file_link(text):
        return True
    if _has_email(text) and len(_EMAIL.findall(text)) >= 2:
        return True  # a list of contact addresses
    return len(text) < 120 and (_has_contact(text) if contact is None else contact) and text.count(".") <= 2


def _has_email(text: str) -> bool:
    return ("@" in text or "snabel" in text) and bool(_EMAIL.search(text))


def _has_contact(text: str) -> bool:
    """An e-mail address or a Swedish phone number (cheap checks before the expressions)."""
    return _has_email(text) or (_DIGIT.search(text) is not None and bool(_PHONE.search(text)))


def furniture_mask(lines: list[Line]) -> list[bool]:
    """For each line, whether it is furniture (blank lines are never furniture)."""
    contacts = [len(line.text) < 120 and _has_contact(line.text) for line in lines]
    mask = [is_furniture_line(line.text, contact if len(line.text) < 120 else None)
            for line, contact in zip(lines, contacts, strict=True)]
    _mark_related_lists(lines, mask)
    _mark_contact_blocks(lines, mask, contacts)
    return mask


def _mark_related_lists(lines: list[Line], mask: list[bool]) -> None:
    """A 'Relevanta dokument' heading and the titles after it, up to 'Transkript' or prose."""
    i = 0
    while i < len(lines):
        if not _LIST_MARKERS.match(lines[i].text):
            i += 1
            continue
        mask[i] = True
        j = i + 1
        while j < len(lines):
            text = lines[j].text
            if _LIST_END.match(text):
                mask[j] = True
                break
            if len(text) > _LONG_PARAGRAPH or "\t" in text:
                break
            mask[j] = mask[j] or bool(text)
            j += 1
        i = j + 1


def _mark_contact_blocks(lines: list[Line], mask: list[bool], contacts: list[bool]) -> None:
    """Short lines next to a phone number or e-mail address, or under a contact heading
    (``contacts``: whether each line is short and has an address or a number)."""
    for i, line in enumerate(lines):
        if not line.text:
            continue
        contact = contacts[i]
        heading = bool(_CONTACT_HEAD.match(line.text))
        if not (contact or heading):
            continue
        mask[i] = True
        _spread(lines, mask, i, step=1, limit=12 if heading else 4, cross_blank=heading)
        if contact:
            _spread(lines, mask, i, step=-1, limit=4, cross_blank=False)


def _spread(lines: list[Line], mask: list[bool], i: int, step: int, limit: int, cross_blank: bool) -> None:
    """Mark short, sentence-less lines next to line ``i`` as furniture too."""
    j, seen = i + step, 0
    while 0 <= j < len(lines) and seen < limit:
        text = lines[j].text
        if not text:
            if not cross_blank:
                return
            j += step
            continue
        if len(text) > _SHORT or text.endswith((".", "!", "?")) and len(text.split()) > 4 or "\t" in text:
            return
        mask[j] = True
        seen += 1
        j += step
