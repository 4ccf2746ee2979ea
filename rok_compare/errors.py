"""Errors that name the file and say what is wrong with it, in one line."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """A file that cannot be read as an agreement document (missing, empty, not a PDF, ...).

    ``str(error)`` is the one line shown to the user: ``"<path>: <what is wrong>"``.
    """

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")
