"""Commands that compare documents: align, diff, reuse, similarity."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the comparison commands to ``app``."""
