"""``rok report``: a self-contained HTML site of the corpus store."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the report command to ``app``."""
