"""The ``rok`` command line: a thin layer that parses arguments, calls the library and prints."""

from __future__ import annotations

from typing import Annotated

import typer

from rok_compare.cli import compare, corpus, extract, report

app = typer.Typer(
    name="rok",
    help="Compare Swedish regional agreements (RÖK) on newly arrived immigrants.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.", is_eager=True)] = False,
) -> None:
    """Compare Swedish regional agreements (RÖK) on newly arrived immigrants."""
    if version:
        from rok_compare import __version__

        typer.echo(f"rok-compare {__version__}")
        raise typer.Exit()


extract.register(app)
compare.register(app)
corpus.register(app)
report.register(app)


def main() -> None:
    app()
