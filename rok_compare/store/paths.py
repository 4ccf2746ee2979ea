"""How a file's path is kept in the store and shown: losslessly, whatever bytes its name holds.

A Linux file name is bytes. Python decodes the bytes that are not UTF-8 to lone surrogates
(``os.fsdecode``, ``surrogateescape``), which SQLite cannot store and a terminal cannot print. A
path that holds such a byte, a control character, a bidi override or a backslash is therefore
kept with backslash escapes: ``\\xNN`` for a byte that is not UTF-8, ``\\uNNNN`` for an odd
character, ``\\\\`` for a backslash. Every other path is kept as it is, so ordinary stores do not
change. :func:`fs_path` turns a key back into the exact name on disk.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_ODD = re.compile(r"[\\\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\udc80-\udcff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})")


def escape_path(path: str) -> str:
    """``path`` with its undecodable bytes, odd characters and backslashes escaped (printable, storable)."""
    return _ODD.sub(_escape_one, path) if _ODD.search(path) else path


def _escape_one(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\\":
        return "\\\\"
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def fs_path(key: str) -> str:
    """The name on disk of a stored path (the inverse of :func:`escape_path`)."""
    return _ESCAPE.sub(_unescape_one, key) if "\\" in key else key


def _unescape_one(match: re.Match[str]) -> str:
    code = match.group(1)
    if code == "\\":
        return "\\"
    if code[0] == "x":
        return chr(0xDC00 + int(code[1:], 16))
    return chr(int(code[1:], 16))


def document_key(path: str | os.PathLike[str]) -> str:
    """The key a file is stored under: its absolute, resolved path, escaped by :func:`escape_path`."""
    return escape_path(os.path.realpath(os.fspath(path)))


def clean_text(text: str) -> str:
    """Any text that may hold a file name (an error message, a warning) in a form SQLite can store."""
    return _SURROGATE.sub(_escape_one, text)


def is_under(path: str, root: str) -> bool:
    """Whether the real path ``path`` is ``root`` or lies below it."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def as_path(key: str) -> Path:
    """A stored path as a ``Path`` to open."""
    return Path(fs_path(key))
