"""Commands that compare documents: align, diff (and the registration of reuse, similarity).

Document text reaches the terminal only through :func:`terminal_safe` (text formats) or as JSON
with control characters escaped (:func:`json_safe`); CSV cells are guarded against spreadsheet
formulas unless ``--no-csv-guard``.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rok_compare.cli.documents import DocumentError, NamedClauses, clauses_of
from rok_compare.cli.output import (
    Progress,
    color_enabled,
    fail,
    format_choice,
    json_safe,
    terminal_safe,
)
from rok_compare.model import Clause


class AlignFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    HTML = "html"


class DiffFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"


def register(app: typer.Typer) -> None:
    """Add the comparison commands to ``app`` (reuse and similarity live in :mod:`.corpus_compare`)."""
    from rok_compare.cli.corpus_compare import reuse_command, similarity_command

    app.command("align")(align_command)
    app.command("diff")(diff_command)
    app.command("reuse")(reuse_command)
    app.command("similarity")(similarity_command)


def _both(label: str, a: str, b: str, db: Path | None) -> tuple[NamedClauses, NamedClauses]:
    """Both documents' clauses, from the store where it holds them, else extracted from the files
    (with a progress bar should reading them take a while)."""
    with Progress(label, total=2) as progress:
        progress.update(note="reading")
        found = []
        for name in (a, b):
            try:
                found.append(clauses_of(name, db))
            except DocumentError as error:
                fail(str(error))
                raise typer.Exit(code=1) from None
            progress.update(advance=1)
        progress.update(note="comparing")
    return found[0], found[1]


def _style(no_color: bool = False):
    """Colour on a terminal unless ``--no-color`` (here or before the command) or ``NO_COLOR``; else
    plain ``[-removed-]`` / ``{+added+}`` marks."""
    from rok_compare.align.render import terminal_style

    return terminal_style(color_enabled(sys.stdout.isatty(), no_color))


def _shown(clauses: list[Clause]) -> list[Clause]:
    """Clauses whose text and section are safe to print: the renderer adds its own colour codes, so
    the document's escape sequences are removed before, not after."""
    return [dataclasses.replace(c, text=terminal_safe(c.text),
                                section=terminal_safe(c.section) if c.section else c.section) for c in clauses]


def _dumps(data: object) -> str:
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2))


_HTML_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Written as character references in HTML output: the same text in a browser, inert on a terminal."""
_NO_COLOR_HELP = "No colour; changes marked [-removed-] and {+added+} (also: rok --no-color, NO_COLOR)."
_CSV_GUARD_HELP = ("Write CSV cells as they are. By default a cell starting with = + - @, tab or CR gets a "
                   "leading ' so that a spreadsheet shows it instead of running it as a formula.")


_DOCUMENT_HELP = "A file, or a stored document (its id, path or file name; read from the store, not the file)."
_DB_HELP = "The store to read stored documents from (default: $ROK_DB, else rok.db)."


def align_command(
    a: Annotated[str, typer.Argument(help=f"First document. {_DOCUMENT_HELP}")],
    b: Annotated[str, typer.Argument(help=f"Second document. {_DOCUMENT_HELP}")],
    format: Annotated[AlignFormat, typer.Option("--format", "-f", **format_choice(AlignFormat))]  # noqa: A002
    = AlignFormat.TEXT,
    no_color: Annotated[bool, typer.Option("--no-color", help=_NO_COLOR_HELP)] = False,
    no_csv_guard: Annotated[bool, typer.Option("--no-csv-guard", help=_CSV_GUARD_HELP)] = False,
    db: Annotated[Path | None, typer.Option("--db", help=_DB_HELP)] = None,
) -> None:
    """Pair the clauses of A and B: identical, edited or related, moved, split or merged."""
    from rok_compare.align import align
    from rok_compare.align.render import alignment_html, alignment_text

    doc_a, doc_b = _both("align", a, b, db)
    a, b = doc_a.label, doc_b.label
    if format is AlignFormat.TEXT:
        alignment = align(_shown(doc_a.clauses), _shown(doc_b.clauses), terminal_safe(str(a)), terminal_safe(str(b)))
        typer.echo(alignment_text(alignment, _style(no_color)), nl=False)
        return
    alignment = align(doc_a.clauses, doc_b.clauses, str(a), str(b))
    if format is AlignFormat.JSON:
        typer.echo(_dumps(alignment.to_dict()))
    elif format is AlignFormat.CSV:
        from rok_compare.align.revisions import document_order

        typer.echo(_entries_csv(document_order(alignment), guard=not no_csv_guard, revision=False), nl=False)
    else:
        typer.echo(_HTML_UNSAFE.sub(lambda m: f"&#x{ord(m.group()):x};", alignment_html(alignment)), nl=False)


def diff_command(
    old: Annotated[str, typer.Argument(help=f"Older version of an agreement. {_DOCUMENT_HELP}")],
    new: Annotated[str, typer.Argument(help=f"Newer version of the same agreement. {_DOCUMENT_HELP}")],
    format: Annotated[DiffFormat, typer.Option("--format", "-f", **format_choice(DiffFormat))]  # noqa: A002
    = DiffFormat.TEXT,
    no_color: Annotated[bool, typer.Option("--no-color", help=_NO_COLOR_HELP)] = False,
    no_csv_guard: Annotated[bool, typer.Option("--no-csv-guard", help=_CSV_GUARD_HELP)] = False,
    db: Annotated[Path | None, typer.Option("--db", help=_DB_HELP)] = None,
) -> None:
    """Added, removed, edited and moved clauses from OLD to NEW, and how much changed."""
    from rok_compare.align.render import revision_text
    from rok_compare.align.revisions import diff_revisions

    doc_old, doc_new = _both("diff", old, new, db)
    old, new = doc_old.label, doc_new.label
    if format is DiffFormat.JSON:
        revision = diff_revisions(doc_old.clauses, doc_new.clauses, str(old), str(new))
        typer.echo(_dumps(revision.to_dict()))
    elif format is DiffFormat.CSV:
        revision = diff_revisions(doc_old.clauses, doc_new.clauses, str(old), str(new))
        typer.echo(_entries_csv(revision.entries, guard=not no_csv_guard, revision=True), nl=False)
    else:
        revision = diff_revisions(_shown(doc_old.clauses), _shown(doc_new.clauses), terminal_safe(str(old)),
                                  terminal_safe(str(new)))
        typer.echo(revision_text(revision, _style(no_color)), nl=False)


def _csv(header: list[str], rows: list[list[object]], guard: bool) -> str:
    """CSV text with every text cell terminal-safe and, with ``guard``, formula-safe (document text)."""
    from rok_compare.export.csv_guard import neutralise

    def cell(value: object) -> object:
        if not isinstance(value, str):
            return "" if value is None else value
        value = terminal_safe(value)
        return neutralise(value) if guard else value

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


def _entries_csv(entries, guard: bool, revision: bool) -> str:
    """One row per pair or unpaired clause, in B's order. ``diff`` says ``change`` (unchanged, edited,
    added, removed) and the pair's ``relation``; ``align`` says ``relation`` (identical, edited, related,
    only_a, only_b)."""
    rows = []
    for e in entries:
        pair = [None if e.score is None else round(e.score, 3), e.moved, str(e.shape) if e.old and e.new else None,
                e.old.id if e.old else None, e.new.id if e.new else None,
                e.old.text if e.old else None, e.new.text if e.new else None]
        relation = str(e.relation) if e.relation else None
        if revision:
            rows.append([str(e.change), relation, *pair])
        else:
            rows.append([relation or ("only_b" if e.old is None else "only_a"), *pair])
    a, b = ("old", "new") if revision else ("a", "b")
    labels = ["change", "relation"] if revision else ["relation"]
    return _csv([*labels, "score", "moved", "shape", f"{a}_id", f"{b}_id", f"{a}_text", f"{b}_text"], rows, guard)
