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
_TRIGGER = re.compile("|".join(_TRIGGERS))


def _attribution(text: str) -> re.Match[str] | None:
    lowered = text.lower()
    return _ATTRIBUTION.search(text) if _TRIGGER.search(lowered) else None


def is_quoted(text: str) -> bool:
    """Whether the sentence ends with a speaker's attribution."""
    return _attribution(text) is not None


def without_attribution(text: str, span: Span) -> tuple[str, Span]:
    """The quoted statement alone, its span shortened by as much as the text was."""
    match = _attribution(text)
    if match is None:
        return text, span
    kept = text[: match.start()].rstrip(" ,–-”\"")
    if len(kept) < 15:
        return text, span
    return kept, Span(span.page, span.start, max(span.start + 1, span.end - (len(text) - len(kept))))
