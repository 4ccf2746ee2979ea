"""Quotes in news reports: ", säger Anna Berg, enhetschef" after what someone said.

The attribution is not part of the goal or undertaking the quote states, and a "vi" inside a quote is
the speaker's organisation, not the parties of the agreement.
"""

from __future__ import annotations

import re

from rok_compare.model import Span

_ATTRIBUTION = re.compile(
    r"[,–-]\s*(?:säger|sa|berättar|menar|konstaterar|förklarar|understryker|betonar|framhåller)\s+"
    r"(?:han|hon|[A-ZÅÄÖ][^.!?]{0,150})[.!?]?\s*$"
)
_TRIGGERS = ("säger", "sa ", "berättar", "menar", "konstaterar", "förklarar", "understryker", "betonar", "framhåller")


def is_quoted(text: str) -> bool:
    """Whether the sentence ends with a speaker's attribution."""
    lowered = text.lower()
    return any(t in lowered for t in _TRIGGERS) and bool(_ATTRIBUTION.search(text))


def without_attribution(text: str, span: Span) -> tuple[str, Span]:
    """The quoted statement alone, its span shortened by as much as the text was."""
    if not is_quoted(text):
        return text, span
    match = _ATTRIBUTION.search(text)
    kept = text[: match.start()].rstrip(" ,–-”\"")
    if len(kept) < 15:
        return text, span
    return kept, Span(span.page, span.start, max(span.start + 1, span.end - (len(text) - len(kept))))
