"""Writing the report's files: each once, atomically, and not at all when it is unchanged.

A :class:`PageWriter` is made in the building process before any worker forks; a worker writes
with its inherited copy and hands back the stamp of each file it wrote (:meth:`PageWriter.write`
returns it), which the building process records (:meth:`PageWriter.record`) before it writes the
manifest (:meth:`PageWriter.finish`).
"""

from __future__ import annotations

from pathlib import Path

from rok_compare.report.manifest import (
    Stamp,
    content_digest,
    previous_stamps,
    remove_stale,
    stamp,
    unchanged,
    write_atomic,
    write_manifest,
)

Written = tuple[str, Stamp]
"""A file written (relative to the site root, POSIX) and its stamp."""


class ReportError(Exception):
    """The report cannot be written (e.g. the output path is a file). ``str()`` is one line."""


class PageWriter:
    """Writes UTF-8 files under the output folder and remembers them; a file an earlier build wrote
    with the same content, untouched since, is left as it is."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.previous = previous_stamps(out)
        self.stamps: dict[str, Stamp] = {}

    @property
    def pages(self) -> int:
        return sum(1 for name in self.stamps if name.endswith(".html"))

    def write(self, relative: str, text: str) -> Stamp:
        """Write ``text`` to ``relative`` (unless it is there, unchanged) and record it; its stamp."""
        path = self.out / relative
        data = text.encode("utf-8")
        digest = content_digest(data)
        try:
            if not unchanged(path, self.previous.get(relative), digest):
                write_atomic(path, data)
            written = self.stamps[relative] = stamp(path, digest)
        except OSError as error:
            raise ReportError(f"{path}: cannot write ({error.strerror or error})") from error
        return written

    def record(self, files: list[Written]) -> None:
        """Files another process wrote with a copy of this writer."""
        self.stamps.update(files)

    def finish(self, previous: set[str]) -> None:
        """Record what was written, then delete what the earlier build wrote and this one did not.

        The manifest first lists both, so a build stopped while deleting still knows every file it owns."""
        written = set(self.stamps)
        try:
            if previous - written:
                write_manifest(self.out, previous | written, self.stamps)
                remove_stale(self.out, previous, written)
            write_manifest(self.out, written, self.stamps)
        except OSError as error:
            raise ReportError(f"{self.out}: cannot finish the report ({error.strerror or error})") from error
