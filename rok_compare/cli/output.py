"""Shared helpers for printing errors the same way in every command."""

from __future__ import annotations

import typer


def fail(message: str) -> str:
    """Print one error line to stderr and return it (for the end-of-batch count)."""
    typer.echo(f"error: {message}", err=True)
    return message


def report_failures(failures: list[str]) -> None:
    """Exit non-zero when any file failed, after the others have been processed."""
    if failures:
        typer.echo(f"{len(failures)} file(s) failed", err=True)
        raise typer.Exit(code=1)
