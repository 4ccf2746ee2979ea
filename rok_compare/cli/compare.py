"""Commands that compare documents: align, diff, reuse, similarity."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rok_compare.cli.output import fail, report_failures
from rok_compare.errors import InputError
from rok_compare.model import Agreement


class AlignFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    HTML = "html"


class DiffFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class MatrixFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


class MatrixBy(StrEnum):
    DOCUMENT = "document"
    COUNTY = "county"


def register(app: typer.Typer) -> None:
    """Add the comparison commands to ``app``."""
    app.command("align")(align_command)
    app.command("diff")(diff_command)
    app.command("reuse")(reuse_command)
    app.command("similarity")(similarity_command)


def _extract(path: Path) -> Agreement:
    """Extract one document or stop with one error line naming it (exit code 1)."""
    from rok_compare.extract import extract_document

    try:
        return extract_document(path)
    except InputError as error:
        fail(str(error))
    except Exception as error:  # report a bug on one file in one line, not a traceback
        fail(f"{path}: internal error ({type(error).__name__}: {error})")
    raise typer.Exit(code=1)


def _style():
    from rok_compare.align.render import terminal_style

    return terminal_style(sys.stdout.isatty())


def align_command(
    a: Annotated[Path, typer.Argument(help="First document (PDF or text).")],
    b: Annotated[Path, typer.Argument(help="Second document (PDF or text).")],
    format: Annotated[AlignFormat, typer.Option("--format", "-f", help="text, json or html.")]  # noqa: A002
    = AlignFormat.TEXT,
) -> None:
    """Pair the clauses of A and B: identical, edited or related, moved, split or merged."""
    from rok_compare.align import align
    from rok_compare.align.render import alignment_html, alignment_text

    doc_a, doc_b = _extract(a), _extract(b)
    alignment = align(doc_a.clauses, doc_b.clauses, str(a), str(b))
    if format is AlignFormat.JSON:
        typer.echo(json.dumps(alignment.to_dict(), ensure_ascii=False, indent=2))
    elif format is AlignFormat.HTML:
        typer.echo(alignment_html(alignment), nl=False)
    else:
        typer.echo(alignment_text(alignment, _style()), nl=False)


def diff_command(
    old: Annotated[Path, typer.Argument(help="Older version of an agreement.")],
    new: Annotated[Path, typer.Argument(help="Newer version of the same agreement.")],
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="text or json.")]  # noqa: A002
    = DiffFormat.TEXT,
) -> None:
    """Added, removed, edited and moved clauses from OLD to NEW, and how much changed."""
    from rok_compare.align.render import revision_text
    from rok_compare.align.revisions import diff_revisions

    doc_old, doc_new = _extract(old), _extract(new)
    revision = diff_revisions(doc_old.clauses, doc_new.clauses, str(old), str(new))
    if format is DiffFormat.JSON:
        typer.echo(json.dumps(revision.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(revision_text(revision, _style()), nl=False)


def _load(paths: list[Path]):
    from rok_compare.align.corpus import load_documents

    failures: list[str] = []
    documents = load_documents(paths, lambda message: failures.append(fail(message)))
    return documents, failures


def reuse_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (*.txt, *.pdf, recursively).")],
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="text or json.")]  # noqa: A002
    = DiffFormat.TEXT,
    min_docs: Annotated[int, typer.Option("--min-docs", min=2, help="Report wordings in >= N documents.")]
    = 2,
) -> None:
    """Clauses that recur across documents, and each document's distinctive clauses."""
    from rok_compare.align.render import reuse_text
    from rok_compare.align.reuse import find_reuse

    documents, failures = _load(paths)
    if documents:
        report, _ = find_reuse(documents, min_docs=min_docs)
        if format is DiffFormat.JSON:
            typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        else:
            typer.echo(reuse_text(report), nl=False)
    report_failures(failures)


def similarity_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (*.txt, *.pdf, recursively).")],
    by: Annotated[MatrixBy, typer.Option("--by", help="document or county.")] = MatrixBy.DOCUMENT,
    format: Annotated[MatrixFormat, typer.Option("--format", "-f", help="csv or json.")]  # noqa: A002
    = MatrixFormat.CSV,
) -> None:
    """Share of clauses with a match in the other document (or county), symmetrised."""
    from rok_compare.align.matrix import similarity_matrix
    from rok_compare.align.reuse import find_reuse

    documents, failures = _load(paths)
    if documents:
        _, labels = find_reuse(documents)
        matrix = similarity_matrix(documents, labels, by=str(by))
        typer.echo(matrix.to_json() if format is MatrixFormat.JSON else matrix.to_csv(), nl=False)
    report_failures(failures)
