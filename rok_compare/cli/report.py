"""``rok report``: a self-contained HTML site of the corpus store."""

from __future__ import annotations

from pathlib import Path

import typer

from rok_compare.cli.corpus import _db, _db_option, _errors, _shown
from rok_compare.cli.output import Progress, fail


def register(app: typer.Typer) -> None:
    """Add the report command to ``app``."""
    app.command("report")(report_command)


def report_command(
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write the site into (created if needed)."),  # noqa: B008
    db: Path | None = _db_option(),  # noqa: B008
    force: bool = typer.Option(False, "--force", help="Write into a non-empty folder that holds no earlier "
                               "report. Even then nothing the report did not write is deleted."),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1, help="Processes that align the side-by-side "
                                       "comparisons and render the pages (default: one per core, at most 4; "
                                       "1: all in this process)."),
) -> None:
    """Write a browsable HTML report of the store: overview, documents, a page per party and per
    county, themes, similarity, reuse, side-by-side comparisons, revision lineages and clause search.
    Every table sorts, filters and downloads as CSV.

    The site is plain files that work opened from disk, with nothing loaded from the network.
    The files written are listed in OUT/.rok-report.json; a rebuild deletes only files listed there
    that it no longer writes. A non-empty folder without that list is refused unless --force.
    """
    from rok_compare.report import ReportError, build_report

    db = _db(db)
    with _errors(db), Progress("report", counted=False):
        try:
            summary = build_report(db, out, force=force, workers=workers)
        except ReportError as error:
            fail(str(error))
            raise typer.Exit(code=2) from None
    typer.echo(f"{_shown(str(out))}: {summary.pages} pages written in {summary.seconds:.1f} s "
               f"({summary.documents} documents, {summary.comparisons} side-by-side comparisons: "
               f"{summary.aligned} aligned, {summary.cached} from the store's cache)")
    typer.echo(f"open {_shown(str(summary.index))} in a browser")
