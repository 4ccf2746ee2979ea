"""Shared helpers for printing errors the same way in every command."""

from __future__ import annotations

import re

import typer

_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` without control characters, escape sequences or bidi overrides (kept: tab, newline).

    Document text is third-party input: an ESC sequence in it must not drive the user's terminal.
    """
    return _TERMINAL_CONTROLS.sub("", text.replace("\t", " "))


def fail(message: str) -> str:
    """Print one error line to stderr and return it (for the end-of-batch count)."""
    typer.echo(f"error: {message}", err=True)
    return message


def report_failures(failures: list[str]) -> None:
    """Exit non-zero when any file failed, after the others have been processed."""
    if failures:
        typer.echo(f"{len(failures)} file(s) failed", err=True)
        raise typer.Exit(code=1)
