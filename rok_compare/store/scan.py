"""Find the documents in the files and folders a user names, and say why every other file is left out.

A folder is walked without following symlinks out of it: a link inside the folder to a file
inside it is taken once (under the target's path), a link to a folder inside it adds nothing
(that folder is walked anyway), a link that leads outside, a broken link and a link loop are
named with the reason. Named pipes, devices and sockets are never opened (reading a pipe could
wait forever). A sub-folder that cannot be listed is a failure, not a silent gap. Hidden files
and folders (``.git``, ``.DS_Store``) are passed over without a word: they are not documents.

Files named on the command line are taken whatever their ending (the reader says what they
are), except when they are not regular files, or are missing or unreadable.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rok_compare.ingest.sniff import SUPPORTED_SUFFIXES
from rok_compare.store.paths import escape_path, is_under


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path that is not read, and why (one line)."""

    key: str
    """The path as stored and shown (escaped, see :mod:`rok_compare.store.paths`)."""
    reason: str
    failure: bool = False
    """True when the path should have been readable (a missing file, an unlistable folder)."""
    side_file: bool = False
    """A file that accompanies documents without being one (``MANIFEST.csv``, ``README``): named, not an error."""


@dataclass(slots=True)
class Scan:
    files: list[Path] = field(default_factory=list)
    """Regular files to read, each once (a file in a folder spelled from the folder as given)."""
    skipped: list[Skipped] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)
    """Keys of the folders listed in full."""


def scan_paths(paths: Iterable[str | os.PathLike[str]], suffixes: Iterable[str] = SUPPORTED_SUFFIXES) -> Scan:
    """Files and folders as the user named them -> what to read and what not; see the module docstring."""
    walker = _Walker(frozenset(s.lower() for s in suffixes))
    for raw in paths:
        walker.named(os.fspath(raw))
    return walker.scan


def _key(path: str) -> str:
    """How a path left out is named: absolute (as stored paths are), escaped."""
    return escape_path(os.path.abspath(path))


def _special(mode: int) -> str | None:
    """What a non-regular, non-folder file is, for the message."""
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else "not a regular file"


def _why(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symlink loop"
    if isinstance(error, FileNotFoundError):
        return "no such file"
    return f"cannot be read ({error.strerror or error})"


SIDE_SUFFIXES = frozenset({"", ".csv", ".tsv", ".md", ".json", ".jsonl", ".yml", ".yaml", ".toml", ".ini",
                           ".cfg", ".log", ".xml", ".sha256", ".md5"})
"""Endings of files that accompany documents (manifests, notes, checksums): named as not taken, but no
error; any other ending in a folder is a document in a format the batch cannot read."""


def _unsupported(key: str, name: str) -> Skipped:
    suffix = os.path.splitext(name)[1].lower()
    if suffix in SIDE_SUFFIXES:
        what = f"{escape_path(suffix)} file" if suffix else "file without an ending"
        return Skipped(key, f"not a document ({what}); left out", side_file=True)
    return Skipped(key, f"unsupported format: {escape_path(suffix)}")


class _Walker:
    def __init__(self, suffixes: frozenset[str]) -> None:
        self.suffixes = suffixes
        self.scan = Scan()
        self.seen: set[str] = set()
        """Real paths of the files taken and folders walked."""
        self.left_out: set[str] = set()
        """Keys of the paths left out."""

    def named(self, raw: str) -> None:
        """A path from the command line."""
        key = _key(raw)
        try:
            real = os.path.realpath(raw, strict=True)
            mode = os.stat(real).st_mode
        except OSError as error:
            broken = isinstance(error, FileNotFoundError) and os.path.islink(raw)
            self._skip(key, "broken symlink" if broken else _why(error), failure=error.errno != errno.ELOOP)
            return
        if stat.S_ISDIR(mode):
            self._walk(real, raw)
        elif what := _special(mode):
            self._skip(key, f"{what}, not a document; not read")
        else:
            self._take(raw, real)

    def _take(self, path: str, real: str | None = None) -> None:
        """Take ``path`` (as the user's folder spells it) once per real file."""
        real = real or os.path.realpath(path)
        if real not in self.seen:
            self.seen.add(real)
            self.scan.files.append(Path(path))

    def _skip(self, key: str, reason: str, failure: bool = False) -> None:
        self._add(Skipped(key, reason, failure))

    def _add(self, skipped: Skipped) -> None:
        if skipped.key not in self.left_out:
            self.left_out.add(skipped.key)
            self.scan.skipped.append(skipped)

    def _walk(self, root: str, folder: str) -> None:
        """List ``folder`` (spelled as the user gave it, under the real folder ``root``) recursively."""
        real = os.path.realpath(folder)
        if real in self.seen:
            return
        self.seen.add(real)
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: os.fsencode(e.name))
        except OSError as error:
            self._skip(_key(folder), f"folder cannot be listed ({error.strerror or error})", failure=True)
            return
        self.scan.folders.append(escape_path(real))
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                self._entry(root, entry)
            except OSError as error:  # vanished or unreadable between listing and looking
                self._skip(_key(entry.path), _why(error), failure=error.errno != errno.ELOOP)

    def _entry(self, root: str, entry: os.DirEntry[str]) -> None:
        if entry.is_symlink():
            self._link(root, entry)
        elif entry.is_dir(follow_symlinks=False):
            self._walk(root, entry.path)
        elif what := _special(entry.stat(follow_symlinks=False).st_mode):
            self._skip(_key(entry.path), f"{what}, not a document; not read")
        elif os.path.splitext(entry.name)[1].lower() in self.suffixes:
            self._take(entry.path)
        else:
            self._add(_unsupported(_key(entry.path), entry.name))

    def _link(self, root: str, entry: os.DirEntry[str]) -> None:
        key = _key(entry.path)
        try:
            target = os.path.realpath(entry.path, strict=True)
            mode = os.stat(target).st_mode
        except FileNotFoundError:
            self._skip(key, "broken symlink")
            return
        except OSError as error:
            self._skip(key, _why(error))
            return
        if not is_under(target, root):
            self._skip(key, "symlink to a path outside the folder; not followed")
        elif stat.S_ISDIR(mode):
            return  # inside the folder: walked as itself (a link to an ancestor would loop)
        elif what := _special(mode):
            self._skip(key, f"symlink to {what}, not a document; not read")
        elif os.path.splitext(target)[1].lower() in self.suffixes:
            self._take(target, target)
        else:
            self._add(_unsupported(key, target))
