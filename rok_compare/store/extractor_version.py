"""The version of the extractor that made a stored extraction.

``rok extract`` hands out a stored extraction instead of extracting again only when the same
extractor would make it today. A version number alone would not say so (the code changes between
releases, and the models in ``models/`` are rebuilt), so the version is the extractor's import
reference, the package version, a digest of the code and data files that reading, segmenting,
classifying and extracting use, a digest of the models in use, and the switches that turn the
models off. Any change to one of them makes every stored extraction "from another extractor".

A custom extractor (``--extractor`` / ``$ROK_EXTRACTOR``) is known by its reference only: its own
code is not hashed.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
EXTRACTION_CODE = ("ingest", "segment", "extract", "classify", "model.py", "nlp.py", "errors.py")
"""The parts of the package (folders and modules) whose code or data can change an extraction."""
MODEL_SWITCHES = ("ROK_DECIDERS", "ROK_CLAUSE_MODELS")
MODELS_DIR_ENV = "ROK_MODELS_DIR"
"""Environment variables that turn the shipped models off (see ``extract.deciders``, ``classify.shipped``)."""


def _files(part: Path) -> list[Path]:
    if part.is_file():
        return [part]
    return sorted(p for p in part.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and p.suffix not in (".pyc", ".pyo"))


def _digest(paths: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


@cache
def code_digest() -> str:
    """Digest of the extraction's code and data files (read once per process)."""
    return _digest([f for part in EXTRACTION_CODE for f in _files(_PACKAGE / part)], _PACKAGE)


@cache
def _models_digest(directory: str) -> str:
    folder = Path(directory)
    return _digest(sorted(folder.glob("*.json")), folder) if folder.is_dir() else "none"


def models_dir() -> Path:
    """The models extraction uses, found as ``classify.shipped.models_dir`` finds them (not imported
    from there: that module loads numpy and scipy, a second's work that reading the store does not need)."""
    return Path(os.environ.get(MODELS_DIR_ENV) or _PACKAGE.parent / "models")


def extractor_version(ref: str | None = None) -> str:
    """The version of extractor ``ref`` (default: ``$ROK_EXTRACTOR``, else the project's) as it runs
    in this process, e.g. ``rok_compare.extract:extract_document 0.1.0 code 3f2a.. models 9b1c..``."""
    from rok_compare import __version__
    from rok_compare.store.executors import extractor_ref

    switches = [f"{name}={os.environ[name]}" for name in MODEL_SWITCHES if os.environ.get(name)]
    return " ".join([extractor_ref(ref), __version__, "code", code_digest(),
                     "models", _models_digest(str(models_dir())), *switches])
