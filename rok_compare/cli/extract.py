"""``rok extract``: one document in, parties, goals and commitments out."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rok_compare.cli.output import fail, report_failures
from rok_compare.errors import InputError
from rok_compare.extract import extract_document
from rok_compare.model import Agreement, Party
from rok_compare.serialize import agreement_to_dict


class ExtractFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)


def extract_command(
    files: Annotated[list[Path], typer.Argument(help="PDF, text or HTML files of agreements.")],
    output: Annotated[ExtractFormat, typer.Option("--format", "-f", help="text or json.")] = ExtractFormat.TEXT,
) -> None:
    """Extract county, period, parties, goals and commitments from each file.

    With --format json: one JSON object per document (JSON Lines for several files).
    A file that cannot be read is reported on stderr; the others still go through.
    """
    failures: list[str] = []
    for path in files:
        try:
            agreement = extract_document(path)
        except InputError as error:
            failures.append(fail(str(error)))
            continue
        except Exception as error:  # a bug on one file must not stop the batch
            failures.append(fail(f"{path}: internal error ({type(error).__name__}: {error})"))
            continue
        if output is ExtractFormat.JSON:
            indent = 2 if len(files) == 1 else None
            typer.echo(json.dumps(agreement_to_dict(agreement), ensure_ascii=False, indent=indent))
        else:
            typer.echo(summary(agreement))
    report_failures(failures)


def _party_line(party: Party) -> str:
    line = party.name + (f" → {party.canonical}" if party.canonical != party.name else "")
    if party.current and party.current != party.canonical:
        line += f" (today {party.current})"
    return f"{line} [{party.kind}]"


def summary(agreement: Agreement) -> str:
    """A short human-readable account of one extracted document."""
    county = f"{agreement.county.name} ({agreement.county.code})" if agreement.county else "unknown county"
    period = f", {agreement.period.label()}" if agreement.period else ""
    lines = [
        f"== {agreement.source.path}",
        f"{agreement.title or '(no title)'}",
        f"{agreement.doc_type} · {county}{period}",
        f"Parties ({len(agreement.parties)}):",
    ]
    lines += [f"  - {_party_line(p)}" for p in agreement.parties]
    lines.append(f"Goals ({len(agreement.goals)}):")
    lines += [f"  - {g.text}" for g in agreement.goals]
    lines.append(f"Commitments ({len(agreement.commitments)}):")
    lines += [f"  - [{c.party} · {c.strength}] {c.text}" for c in agreement.commitments]
    lines.append(f"Clauses: {len(agreement.clauses)}")
    lines += [f"warning: {w}" for w in agreement.warnings]
    return "\n".join(lines) + "\n"
