"""What a document says about its own type, as features for the document-type model.

The title and first headings name most agreements, plans and strategies; news items carry dates,
bylines and quotes; minutes and staff reports carry case numbers and decision wording. The cue rules
of :mod:`doc_type` give their verdict as a feature (``r:``), weighted by how well it held on
documents the rules were not written against.
"""

from __future__ import annotations

import re

from rok_compare.extract.metadata import head_texts
from rok_compare.extract.sites import bin_of, stems
from rok_compare.model import DocType, Party, SegmentedDocument

_ISO_DATE = re.compile(r"\b(19|20)\d\d-[01]\d-[0-3]\d\b")
_NAMED_DATE = re.compile(r"\b\d{1,2}\s+(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|"
                         r"november|december)\s+(19|20)\d\d\b", re.I)
_WEEKDAY = re.compile(r"\b(måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(en)?\b", re.I)
_PUBLISHED = re.compile(r"\b(publicerad|uppdaterad|senast ändrad|pressmeddelande|nyhet)\w*", re.I)
_QUOTE = re.compile(r"\b(säger|berättar|menar|tycker)\b", re.I)
_PHOTO_CREDIT = re.compile(r"\bfoto\s*:", re.I)
_BYLINE = re.compile(r"^\W{0,3}[A-ZÅÄÖ][a-zåäö]+(?: [A-ZÅÄÖ][a-zåäö]+)+\s+[\w.-]+@[\w.-]+", re.M)
"""A reporter's name and address on a line of their own: "- Anna Berg anna.berg@tidningen.se"."""
_CASE_NUMBER = re.compile(r"\b(dnr|diarienummer|§\s*\d+|KS\s*\d{4})", re.I)
_HEAD_CHARS = 400


def doc_type_features(doc: SegmentedDocument, rule_type: DocType, parties: list[Party]) -> dict[str, float]:
    """Features of the whole document for its type."""
    text = doc.source.text
    head = text[:_HEAD_CHARS]
    features: dict[str, float] = {f"r:dt={rule_type.value}": 1.0}
    for index, heading in enumerate(head_texts(doc, count=3)):
        prefix = "t" if index == 0 else "hd"
        for stem in set(stems(heading)):
            features[f"{prefix}:{stem}"] = 1.0
    for stem in set(stems(head)):
        features[f"o:{stem}"] = 0.5
    words = stems(text)
    for stem in set(words):
        features[f"w:{stem}"] = 0.2
    features[f"size={bin_of(len(words), (0, 150, 400, 1000, 3000))}"] = 1.0
    features[f"parties={bin_of(len(parties), (0, 1, 2, 4, 8))}"] = 1.0
    for name, pattern, where in (("iso_head", _ISO_DATE, head), ("date_head", _NAMED_DATE, head),
                                 ("weekday", _WEEKDAY, head), ("published", _PUBLISHED, text),
                                 ("case_number", _CASE_NUMBER, text), ("photo_credit", _PHOTO_CREDIT, text),
                                 ("byline", _BYLINE, text)):
        if pattern.search(where):
            features[name] = 1.0
    quotes = len(_QUOTE.findall(text))
    features[f"quotes={bin_of(quotes, (0, 1, 3))}"] = 1.0
    return features
