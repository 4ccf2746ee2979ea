"""``rok extract``: one document in, parties, goals and commitments out."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rok_compare.cli.documents import ExtractItem
from rok_compare.cli.output import (
    OCR_ENV,
    OcrMode,
    Progress,
    fail,
    format_choice,
    json_safe,
    report_failures,
    terminal_safe,
)
from rok_compare.errors import InputError
from rok_compare.ingest.text import DEFAULT_MAX_TEXT_MB, MAX_TEXT_MB_ENV
from rok_compare.model import Agreement, Party
from rok_compare.serialize import agreement_to_dict


class ExtractFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)


def extract_command(
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH|STORED...",
        help="Files of agreements (PDF, text, HTML, Word, OpenDocument), folders searched for them, and "
             "stored documents (id, stored path or file name), read from the store.")],
    output: Annotated[ExtractFormat, typer.Option(
        "--format", "-f", **format_choice(ExtractFormat))] = ExtractFormat.TEXT,
    timeout: Annotated[float, typer.Option(
        "--timeout", min=0, metavar="SECONDS",
        help="Per-file extraction limit, as for ingest: each file is read in a child process that is "
             "killed when it runs over, and the others go on (0: no limit, read in this process).")] = 300.0,
    max_text_mb: Annotated[float, typer.Option(
        "--max-text-mb", min=0, metavar="MB",
        help=f"Largest text or HTML file read; a larger one fails with one line (0: no limit; "
             f"also ${MAX_TEXT_MB_ENV}).")] = DEFAULT_MAX_TEXT_MB,
    ocr: Annotated[OcrMode, typer.Option(
        "--ocr", help="Read scanned PDF pages with Tesseract: auto (when installed), always, never.")] = OcrMode.AUTO,
    db: Annotated[Path | None, typer.Option(
        "--db", help="The store to read stored documents from (default: $ROK_DB, else rok.db).")] = None,
) -> None:
    """Extract county, period, parties, goals and commitments from each file.

    A stored document, and a file whose content is stored, is printed from the store when the
    extractor that runs now made it; a document stored by another extractor version is extracted
    again (from its file, else from the stored text) with a note on stderr.
    With --format json: one JSON object per document (JSON Lines for several files).
    A file that cannot be read is reported on stderr; the others still go through. Control and
    escape sequences in document text are not printed (text) or are written as \\u escapes (json).
    """
    before = os.environ.get(MAX_TEXT_MB_ENV)
    os.environ[MAX_TEXT_MB_ENV] = f"{max_text_mb:g}"  # read by the text reader, here and in the child
    os.environ[OCR_ENV] = ocr.value  # read by the PDF reader, here and in the child
    failures: list[str] = []
    from rok_compare.cli.documents import extract_items

    items = extract_items(paths, db, lambda message: failures.append(fail(message)),
                          stored_files=ocr is OcrMode.AUTO)

    def emit(item: ExtractItem, outcome: Agreement | str) -> None:
        progress.update(advance=1)
        if item.note:
            typer.echo(f"note: {terminal_safe(item.note)}", err=True)
        if isinstance(outcome, str):
            failures.append(fail(outcome))
        elif output is ExtractFormat.JSON:
            indent = 2 if len(items) == 1 else None
            typer.echo(json_safe(json.dumps(agreement_to_dict(outcome), ensure_ascii=False, indent=indent)))
        else:
            typer.echo(terminal_safe(summary(outcome)))

    try:
        with Progress("extract", total=len(items)) as progress:
            if timeout:
                _extract_in_child(items, timeout, emit)
            else:
                for item in items:
                    emit(item, _ready(item) or _extract_here(item.file))
    finally:
        if before is None:
            os.environ.pop(MAX_TEXT_MB_ENV, None)
        else:
            os.environ[MAX_TEXT_MB_ENV] = before
    report_failures(failures)


def _extract_here(path: Path) -> Agreement | str:
    from rok_compare.extract import extract_document

    try:
        return extract_document(path)
    except InputError as error:
        return str(error)
    except Exception as error:  # a bug on one file must not stop the batch
        return f"{path}: internal error ({type(error).__name__}: {error})"


def _ready(item: ExtractItem) -> Agreement | str | None:
    """The outcome of an item that needs no extraction (read from the store, or an error), else None."""
    if item.file is not None:
        return None
    return item.error or item.agreement  # type: ignore[return-value]


def _extract_in_child(items: list[ExtractItem], timeout: float,
                      emit: Callable[[ExtractItem, Agreement | str], None]) -> None:
    """Extract in one worker process (the ingest's runner): a file over ``timeout`` seconds has its
    process killed and fails as timed out, and the files after it are read in a fresh one. Each
    outcome goes to ``emit`` as soon as those of the items before it are out, in the order given;
    items read from the store need no extraction."""
    from rok_compare.store.executors import ExtractResult, Limits, extractor_ref, run_processes

    results: dict[str, ExtractResult] = {}
    shown = 0

    def flush() -> None:
        nonlocal shown
        while shown < len(items):
            item = items[shown]
            outcome = _ready(item)
            if outcome is None:
                if str(item.file) not in results:
                    return
                outcome = _outcome(item.file, results[str(item.file)])
            emit(item, outcome)
            shown += 1

    def arrived(result: ExtractResult) -> None:
        results[result.path] = result
        flush()

    flush()
    files = list(dict.fromkeys(str(item.file) for item in items if item.file is not None))
    if files:
        run_processes(files, extractor_ref(), 1, arrived, Limits(timeout=timeout))
    for item in items[shown:]:
        emit(item, _ready(item) or _outcome(item.file, results.get(str(item.file))))


def _outcome(path: Path, result: object) -> Agreement | str:
    agreement, error = getattr(result, "agreement", None), getattr(result, "error", None)
    if agreement is not None:
        return agreement
    if result is None:
        return f"{path}: no result (the extraction process was lost)"
    error = error or "extraction failed"
    return error if error.startswith(f"{path}:") else f"{path}: {error}"


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
