"""Commands that work on the corpus store: ingest, prune, status, export (search: :mod:`rok_compare.cli.search`).

Thin: each parses its options, calls :mod:`rok_compare.store`, :mod:`rok_compare.search` or
:mod:`rok_compare.export`, and prints. Every expected error is one ``error: ...`` line on stderr
and a non-zero exit (2 for an unusable store, query or option; 1 when files failed to ingest).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path

import typer

from rok_compare.cli.output import OCR_ENV, OcrMode, color_enabled, fail, format_choice, terminal_safe
from rok_compare.ingest.text import MAX_TEXT_MB_ENV

DB_HELP = "The corpus store (default: $ROK_DB, else rok.db in the working directory)."


class Executor(StrEnum):
    PROCESS = "process"
    DASK = "dask"


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


_FORMAT = format_choice(OutputFormat)
"""``--format text|json`` (``table``, the old name of text, still accepted)."""


class ExportFormatOption(StrEnum):
    CSV = "csv"
    JSON = "json"
    PARQUET = "parquet"


def register(app: typer.Typer) -> None:
    """Add the corpus commands to ``app``."""
    app.command("ingest")(ingest_command)
    app.command("prune")(prune_command)
    app.command("status")(status_command)
    app.command("export")(export_command)


def _db_option() -> Path | None:
    return typer.Option(None, "--db", envvar="ROK_DB", help=DB_HELP, show_default=False)


def _db(path: Path | None) -> Path:
    from rok_compare.store import default_db_path

    return path or default_db_path()


def _shown(path: str) -> str:
    """A path relative to the working directory when it lies under it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive
        return path
    return path if relative.startswith("..") else relative


def _shown_arg(path: Path) -> str:
    """A path as the user typed it, printable whatever bytes its name holds."""
    from rok_compare.store.paths import escape_path

    return escape_path(str(path))


@contextmanager
def _errors(db: Path) -> Iterator[None]:
    """Expected errors become one line on stderr and exit code 2, never a traceback.

    pandas wraps SQLite's errors in its own ``DatabaseError`` (an ``OSError``; ``rok export`` of a
    damaged store): the SQLite error behind it is what the message describes.
    """
    from rok_compare.export import ExportError
    from rok_compare.search import SearchQueryError
    from rok_compare.store import StoreError
    from rok_compare.store.database import describe_error

    try:
        yield
    except (StoreError, SearchQueryError) as error:
        fail(terminal_safe(str(error)))
        raise typer.Exit(code=2) from None
    except ExportError as error:
        cause = _sqlite_cause(error)
        fail(terminal_safe(describe_error(db, cause) if cause else str(error)))
        raise typer.Exit(code=2) from None
    except (sqlite3.Error, OverflowError) as error:
        fail(terminal_safe(describe_error(db, error)))
        raise typer.Exit(code=2) from None
    except OSError as error:  # also pandas' DatabaseError, which wraps SQLite's
        cause = _sqlite_cause(error)
        where = db if cause or error.filename is None else error.filename
        fail(terminal_safe(describe_error(where, cause or error)))
        raise typer.Exit(code=2) from None


def _sqlite_cause(error: BaseException) -> sqlite3.Error | None:
    """The SQLite error behind a wrapped one (pandas, an export), if any."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, sqlite3.Error):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def ingest_command(
    paths: list[Path] = typer.Argument(  # noqa: B008
        ..., readable=False,  # an unreadable file is one failure of the batch, not a usage error for all
        help="Files and folders (searched recursively for PDF, text, HTML; links out of a folder are "
             "not followed)."),
    db: Path | None = _db_option(),  # noqa: B008
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", "-w", min=1, help="Extraction processes."),
    executor: Executor = typer.Option(Executor.PROCESS, "--executor", help="process or dask."),  # noqa: B008
    scheduler: str | None = typer.Option(None, "--scheduler",
                                         help="Dask scheduler address (tcp://host:8786); implies dask."),
    timeout: float = typer.Option(300.0, "--timeout", min=0, metavar="SECONDS",  # store.DEFAULT_TIMEOUT
                                  help="Per-file extraction limit; a file over it fails as timed out (0: none). "
                                       "On Dask also how long the batch waits for a lost scheduler or workers."),
    memory_limit: int = typer.Option(4096, "--memory-limit", min=0, metavar="MB",  # store.DEFAULT_MEMORY_LIMIT_MB
                                     help="Address space per worker process; a file that needs more fails "
                                          "(0: no limit)."),
    max_text_mb: float | None = typer.Option(None, "--max-text-mb", min=0, metavar="MB",
                                             help="Largest text or HTML file read (default 50; 0: no limit)."),
    ocr: OcrMode = typer.Option(OcrMode.AUTO, "--ocr",  # noqa: B008
                                help="Read scanned PDF pages with Tesseract: auto (when installed), always, never."),
) -> None:
    """Add documents to the store: unchanged files are skipped, changed ones replaced.

    Each document is stored whole in its own transaction; an interrupted run can simply be run
    again (it also finishes the reuse clusters). Files in a folder that are not documents are
    named with the reason. Exits with 1 if any file failed or was in an unsupported format (the
    reasons are listed; failures are kept for `rok status`).
    """
    db = _db(db)
    if max_text_mb is not None:  # the workers read these from the environment they inherit
        os.environ[MAX_TEXT_MB_ENV] = str(max_text_mb)
    os.environ[OCR_ENV] = ocr.value
    try:
        _ingest(paths, db, workers, executor, scheduler, timeout, memory_limit)
    except KeyboardInterrupt:  # before the batch started (or after it ended): nothing half done
        fail("interrupted: nothing was changed by this run; the store keeps what it held")
        raise typer.Exit(code=130) from None


def _ingest(paths: list[Path], db: Path, workers: int, executor: Executor, scheduler: str | None,
            timeout: float, memory_limit: int) -> None:
    from rok_compare.store import IngestError, IngestInterrupted, ingest

    if scheduler:
        executor = Executor.DASK
    with _errors(db), _progress_bar() as progress:
        try:
            report = ingest(paths, db, workers=workers, executor=executor.value, scheduler=scheduler,
                            progress=progress, timeout=timeout, memory_limit=memory_limit)
        except IngestInterrupted as interrupted:
            done = interrupted.report
            clusters = ("; reuse clusters not updated yet" if done.reuse_pending else "")
            fail(f"interrupted: {done.added + done.updated} document(s) stored whole by this run, "
                 f"{done.stored} in the store{clusters}; run the same command again to continue")
            raise typer.Exit(code=130) from None
        except IngestError as error:
            fail(terminal_safe(str(error)))
            raise typer.Exit(code=2) from None
    for outcome in report.not_taken:
        line = f"{_shown(outcome.path)}: {outcome.reason}"
        typer.echo(f"note: {line}", err=True) if outcome.side_file else fail(line)
    if not report.outcomes:
        fail("no PDF, text or HTML files found in " + ", ".join(_shown_arg(p) for p in paths))
        raise typer.Exit(code=1)
    moved = f", {report.moved} moved" if report.moved else ""
    unsupported = len(report.unsupported)
    left_out = f", {unsupported} not taken" if unsupported else ""
    typer.echo(f"{db}: {len(report.outcomes)} file(s) in {report.seconds:.1f} s: {report.added} added, "
               f"{report.updated} updated, {report.skipped} skipped, {report.failed} failed{moved}{left_out}")
    if report.reuse:
        typer.echo(_reuse_line(report.reuse))
        if report.reuse.note:
            typer.echo(f"warning: {report.reuse.note}; clusters hold identical clauses only", err=True)
    if report.missing:
        folders = " ".join(_shown_arg(p) for p in paths if p.is_dir())
        typer.echo(f"note: {len(report.missing)} stored document(s) under {folders} no longer on disk; "
                   f"`rok prune {folders}` removes them", err=True)
    for outcome in report.failures:
        reason, shown = terminal_safe(outcome.reason or ""), _shown(outcome.path)
        if reason.startswith(outcome.path):
            reason = shown + reason[len(outcome.path):]
        fail(reason if reason.startswith(shown) else f"{shown}: {reason}")
    if report.failed or unsupported:
        parts = [f"{report.failed} file(s) failed"] if report.failed else []
        parts += [f"{unsupported} file(s) not taken"] if unsupported else []
        typer.echo(", ".join(parts), err=True)
        raise typer.Exit(code=1)


@contextmanager
def _progress_bar() -> Iterator[Callable[..., None]]:
    """A rich progress bar on stderr with counts and time left; the callback feeds it."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    counts = {"added": 0, "updated": 0, "skipped": 0, "failed": 0}  # and "moved", when any are
    columns = (TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.description}"), TimeRemainingColumn())
    console = Console(stderr=True, no_color=not color_enabled(True))
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("", total=None)

        def update(outcome: object, done: int, total: int) -> None:
            key = str(outcome.status)  # type: ignore[attr-defined]
            counts[key] = counts.get(key, 0) + 1
            bar.update(task, completed=done, total=total,
                       description=" ".join(f"{k} {v}" for k, v in counts.items()))

        yield update


def prune_command(
    paths: list[Path] = typer.Argument(  # noqa: B008
        None, readable=False, help="Only documents stored under these folders or files (they may no longer exist).",
        show_default=False),
    db: Path | None = _db_option(),  # noqa: B008
    dry_run: bool = typer.Option(False, "--dry-run", "-n", help="Only list what would be removed."),
) -> None:
    """Remove stored documents whose source files no longer exist (deleted or moved away).

    Each document goes with all its clauses, parties, goals, commitments and index entries, in its
    own transaction; reuse clusters are recomputed. Failure records of missing files are dropped too.
    """
    from rok_compare.store import PrunedDocument, prune

    db = _db(db)
    verb = "would remove" if dry_run else "removed"

    def show(doc: PrunedDocument) -> None:
        where = terminal_safe(f"{doc.county or 'unknown county'} {doc.period}, {doc.doc_type}, {doc.n_clauses} clauses")
        typer.echo(f"{verb}  {_shown(doc.path)}  ({where})")

    with _errors(db):
        try:
            report = prune(db, paths or None, dry_run=dry_run, progress=show)
        except KeyboardInterrupt:
            fail("interrupted: the documents listed are removed whole, the others untouched; "
                 "run the same command again to finish")
            raise typer.Exit(code=130) from None
    for path in report.failures:
        typer.echo(f"{verb}  {_shown(path)}  (failure record)")
    for line in report.unchecked:
        typer.echo(f"warning: kept, cannot check {line}", err=True)
    scope = " under " + ", ".join(map(str, paths)) if paths else ""
    if not report.removed and not report.failures:
        typer.echo(f"{db}: all {report.checked} stored document(s){scope} are on disk; nothing to remove")
        if report.reuse:  # clustering left due by an interrupted ingest, finished now
            typer.echo(_reuse_line(report.reuse))
        return
    failures = f" and {len(report.failures)} failure record(s)" if report.failures else ""
    done = "dry run, nothing removed" if dry_run else f"{len(report.removed)} removed{failures}"
    typer.echo(f"{db}: {len(report.removed)} of {report.checked} stored document(s){scope} no longer on disk; "
               f"{done}")
    if report.reuse:
        typer.echo(_reuse_line(report.reuse))


def _reuse_line(reuse) -> str:
    """The reuse clusters in plain words: "reuse clusters: 9 (18 clauses worded alike in more than
    one document)"."""
    exact = " (identical wording only)" if reuse.method != "align" else ""
    return (f"reuse clusters: {reuse.clusters} ({reuse.clauses} clauses worded alike in more than one "
            f"document{exact})")


def status_command(
    db: Path | None = _db_option(),  # noqa: B008
    format: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", "-f", **_FORMAT),  # noqa: A002, B008
) -> None:
    """Show what the store holds: documents by county, period and type; counts; failures."""
    from rok_compare.store import Store, status

    db = _db(db)
    with _errors(db), Store.open(db, readonly=True) as store:
        info = status(store)
    if format is OutputFormat.JSON:
        typer.echo(json.dumps(asdict(info), ensure_ascii=False, indent=2))
        return
    typer.echo(f"{info.path} (schema {info.schema_version}): {info.documents} documents, "
               f"{info.sections} sections, {info.clauses} clauses, {info.parties} party mentions "
               f"({info.distinct_parties} distinct), "
               f"{info.commitments} commitments, {info.goals} goals, {info.reuse_clusters} reuse clusters")
    if info.groups:
        typer.echo("\n  county                     code  period      type                 docs")
        for g in info.groups:
            county = terminal_safe(g.county or "(unknown)")
            typer.echo(f"  {county:<26} {terminal_safe(g.county_code or '--'):<5} {g.period:<11} "
                       f"{terminal_safe(g.doc_type):<20} {g.n_documents:>4}")
    if info.failures:
        typer.echo(f"\n{len(info.failures)} failed file(s):")
        for f in info.failures:
            error = terminal_safe(f.error.removeprefix(f.path + ": "))
            typer.echo(f"  [{terminal_safe(f.kind)}] {terminal_safe(_shown(f.path))}: {error}")


def export_command(
    format: ExportFormatOption = typer.Option(..., "--format", "-f", help="csv, json or parquet."),  # noqa: A002, B008
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the files (created if missing)."),  # noqa: B008
    db: Path | None = _db_option(),  # noqa: B008
    no_csv_guard: bool = typer.Option(False, "--no-csv-guard",
                                      help="Write CSV cells as they are (by default a cell starting with = + - @, "
                                           "tab or CR gets a leading ' so a spreadsheet shows it instead of "
                                           "running it)."),
) -> None:
    """Write documents, sections, clauses, parties, commitments, goals, reuse clusters and a
    party × county matrix, one file per table."""
    from rok_compare.export import export

    db = _db(db)
    with _errors(db):
        files = export(db, format.value, out, csv_guard=not no_csv_guard)
    for f in files:
        typer.echo(f"{f.path}  ({f.rows} rows)")
