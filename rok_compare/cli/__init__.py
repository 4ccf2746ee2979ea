"""The ``rok`` command line: a thin layer that parses arguments, calls the library and prints."""

from __future__ import annotations

from typing import Annotated

import typer

from rok_compare.cli import compare, corpus, extract, report, search, serve
from rok_compare.cli.output import set_no_color

app = typer.Typer(
    name="rok",
    help="Compare Swedish regional agreements (RÖK) on newly arrived immigrants.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    """Runs while the options are parsed, so ``rok --version`` needs no command after it."""
    if value:
        from rok_compare import __version__

        typer.echo(f"rok-compare {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.", is_eager=True,
                                          callback=_print_version)] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour in any output (also: the NO_COLOR "
                                           "environment variable).")] = False,
) -> None:
    """Compare Swedish regional agreements (RÖK) on newly arrived immigrants."""
    set_no_color(no_color)


extract.register(app)
compare.register(app)
corpus.register(app)
search.register(app)
report.register(app)
serve.register(app)


def main() -> None:
    app()
