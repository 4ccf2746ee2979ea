"""Shared fixtures: the bundled seed corpus and the development documents beside the project."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
SHARED = ROOT.parent / "shared"
DEV = SHARED / "corpus" / "dev"


def seed(prefix: str) -> Path:
    """The seed document whose file name starts with ``prefix`` ("000", "001", ...)."""
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def dev_doc(name: str) -> Path:
    path = DEV / name
    if not path.exists():
        pytest.skip(f"development corpus not available ({path})")
    return path
