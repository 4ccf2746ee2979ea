"""Shared helpers for printing errors the same way in every command, and for printing document
text safely on a terminal."""

from __future__ import annotations

import re

import typer

_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]"  # any other escape sequence (charset switches, keypad modes, reset)
)
"""Whole sequences go, not just the ESC byte: "ESC]0;title BEL" would otherwise leave "]0;title"."""
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` without control characters, escape sequences or bidi overrides (kept: newline; a tab
    becomes a space).

    Document text is third-party input: an escape sequence in it must not drive the user's terminal
    (set its title, rewrite what was printed above, switch its character set).
    """
    if not _TERMINAL_CONTROLS.search(text) and "\t" not in text:
        return text
    return _TERMINAL_CONTROLS.sub("", _ESCAPE_SEQUENCE.sub("", text).replace("\t", " "))


def json_safe(text: str) -> str:
    """JSON text (``json.dumps(..., ensure_ascii=False)``) with DEL, C1 controls, line separators and
    bidi overrides written as ``\\uXXXX`` escapes: the same data, but nothing a terminal acts on.

    Those characters can only stand inside JSON strings, so the escape is exact."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def fail(message: str) -> str:
    """Print one error line to stderr and return it (for the end-of-batch count).

    The line is made terminal-safe: it may name a file whose name holds escape sequences."""
    typer.echo(f"error: {terminal_safe(message)}", err=True)
    return message


def report_failures(failures: list[str]) -> None:
    """Exit non-zero when any file failed, after the others have been processed."""
    if failures:
        typer.echo(f"{len(failures)} file(s) failed", err=True)
        raise typer.Exit(code=1)
