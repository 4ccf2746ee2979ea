"""Shared helpers for every command: errors printed the same way, document text printed safely on
a terminal, colour only where the user wants it, and a progress bar for long runs."""

from __future__ import annotations

import os
import re
import sys
import threading
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress as RichProgress

E = TypeVar("E", bound=StrEnum)

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


_no_color = False


def set_no_color(value: bool) -> None:
    """``rok --no-color``: no colour anywhere in this run (the root callback sets it for each run)."""
    global _no_color
    _no_color = value


def color_enabled(is_terminal: bool, no_color: bool = False) -> bool:
    """Colour only on a terminal, and never under ``--no-color`` (global or the command's own) or
    when the ``NO_COLOR`` environment variable is set to anything but the empty string (no-color.org)."""
    return is_terminal and not (no_color or _no_color or os.environ.get("NO_COLOR"))


def _stdout_is_terminal() -> bool:
    """Output printed while the bar is shown goes above it when it is on the same terminal; to a pipe
    or file (``rok extract ... > out.jsonl``) it goes untouched, never into the bar's stream."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False


class Progress:
    """A progress bar on stderr for work that may take a while.

    It appears only after ``delay`` seconds (quick runs print nothing extra), only when stderr is a
    terminal (a log file or a pipe gets no bar), is removed when the work ends, and follows
    ``--no-color`` / ``NO_COLOR``. ``counted=False``: work without items to count (a bar without an
    end and the time taken); else "done/total" items, the total given here or by :meth:`update`.
    """

    def __init__(self, label: str, total: int | None = None, delay: float = 2.0,
                 console: Console | None = None, counted: bool = True) -> None:
        from rich.console import Console

        self.console = console or Console(stderr=True)
        self.console.no_color = self.console.no_color or not color_enabled(True)
        self.label, self.total, self.delay, self.counted = label, total, delay, counted
        self.shown = False
        self._bar: RichProgress | None = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()  # the timer's thread starts the bar; the work may end meanwhile

    def __enter__(self) -> Progress:
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        count = [MofNCompleteColumn()] if self.counted else []
        self._bar = RichProgress(TextColumn(f"[bold]{self.label}"), BarColumn(), *count,
                                 TextColumn("{task.description}"), TimeElapsedColumn(), console=self.console,
                                 transient=True, disable=not self.console.is_terminal,
                                 redirect_stdout=_stdout_is_terminal())
        self._task = self._bar.add_task("", total=self.total)
        if self.console.is_terminal:
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def _show(self) -> None:
        with self._lock:
            if self._bar is not None and not self.shown:
                self.shown = True
                self._bar.start()

    def update(self, *, advance: int = 0, total: int | None = None, note: str | None = None) -> None:
        """Move the bar on by ``advance`` items; ``total`` sets the number of items; ``note`` is the
        phase shown beside it ("finding reuse")."""
        if self._bar is None:
            return
        changes: dict[str, object] = {"advance": advance}
        if total is not None:
            changes["total"] = total
        if note is not None:
            changes["description"] = note
        self._bar.update(self._task, **changes)  # type: ignore[arg-type]

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            if self._bar is not None and self.shown:
                self._bar.stop()
            self._bar = None


FORMAT_ALIASES = {"table": "text"}
"""Old spellings of ``--format`` values, still accepted but not shown: ``table`` was the readable
format of ``status`` and ``search`` while the other commands called it ``text``."""


def format_choice(choices: type[E]) -> dict[str, Any]:
    """``typer.Option`` arguments for a ``--format`` of ``choices``: the values shown in the help are
    the enum's, and the :data:`FORMAT_ALIASES` of them are accepted too, so old scripts keep working.

        format: Annotated[DiffFormat, typer.Option("--format", "-f", **format_choice(DiffFormat))]
    """
    names = [str(c.value) for c in choices]

    def parse(value: str | E) -> E:
        if isinstance(value, choices):
            return value
        key = str(value).lower()
        key = FORMAT_ALIASES.get(key, key) if FORMAT_ALIASES.get(key) in names else key
        try:
            return choices(key)
        except ValueError:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(names)}") from None

    return {"parser": parse, "metavar": f"[{'|'.join(names)}]",
            "help": f"{', '.join(names[:-1])} or {names[-1]}." if len(names) > 1 else f"{names[0]}."}


class OcrMode(StrEnum):
    """``--ocr``: read scanned PDF pages with Tesseract when it is installed, always, or never."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


OCR_ENV = "ROK_OCR"
"""Read by the PDF reader (``rok_compare.ingest.pdf.ocr.ENVIRONMENT``), here and in worker processes."""
