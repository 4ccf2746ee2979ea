"""Export errors, and the one-line message when the optional ``export`` extra is missing.

pandas and pyarrow are optional (``pip install "rok-compare[export]"``): CSV and JSON work without
them, DataFrames and Parquet do not, and the user should learn which command fixes that instead of
meeting a bare ``ModuleNotFoundError``.
"""

from __future__ import annotations

from types import ModuleType

INSTALL = 'pip install "rok-compare[export]"'


class ExportError(Exception):
    """The export cannot be written; ``str()`` is one line."""


class MissingExtraError(ExportError, ImportError):
    """pandas or pyarrow is not installed. Also an ``ImportError``, for code that expects one."""


def require(module: str, needed_for: str) -> ModuleType:
    """``module`` imported, or :class:`MissingExtraError` saying what to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(f"{needed_for} needs {module}, which is not installed: {INSTALL}") from None


def require_pandas(needed_for: str = "DataFrames") -> ModuleType:
    return require("pandas", needed_for)
