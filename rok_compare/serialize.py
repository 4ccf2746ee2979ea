"""The JSON contract of ``rok extract --format json`` (see DESIGN.md), version 1."""

from __future__ import annotations

from typing import Any

from rok_compare.model import Agreement, Span

SCHEMA_VERSION = 1


def _span(span: Span | None) -> dict[str, int] | None:
    return span.to_dict() if span else None


def agreement_to_dict(agreement: Agreement) -> dict[str, Any]:
    """A plain-data view of an :class:`Agreement`, ready for ``json.dumps``."""
    source = agreement.source
    return {
        "schema_version": SCHEMA_VERSION,
        "source": {
            "path": str(source.path),
            "sha256": source.sha256,
            "format": str(source.format),
            "pages": len(source.pages),
            "encoding": source.encoding,
        },
        "title": agreement.title,
        "county": {"name": agreement.county.name, "code": agreement.county.code} if agreement.county else None,
        "period": {"start": agreement.period.start, "end": agreement.period.end} if agreement.period else None,
        "revision_date": agreement.revision_date,
        "doc_type": str(agreement.doc_type),
        "parties": [
            {"name": p.name, "canonical": p.canonical, "current": p.current or p.canonical,
             "kind": str(p.kind), "span": _span(p.span)}
            for p in agreement.parties
        ],
        "goals": [{"text": g.text, "section": g.section, "span": _span(g.span)} for g in agreement.goals],
        "commitments": [
            {"party": c.party, "text": c.text, "strength": c.strength, "section": c.section,
             "span": _span(c.span)}
            for c in agreement.commitments
        ],
        "clauses": [
            {"id": c.id, "section": c.section, "kind": str(c.kind), "themes": list(c.themes),
             "text": c.text, "span": _span(c.span)}
            for c in agreement.clauses
        ],
        "warnings": list(agreement.warnings),
    }
