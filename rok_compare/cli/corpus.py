"""Commands that work on the corpus store: ingest, status, search, export."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the corpus commands to ``app``."""
