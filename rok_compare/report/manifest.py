"""What a report build wrote, so that a rebuild removes exactly that and nothing of the user's.

The site folder may be one the user already keeps files in (``rok report --out .``): a build
records every file it writes in ``.rok-report.json`` and a rebuild deletes only files listed
there that it no longer writes. A non-empty folder without that record is refused unless forced,
and then nothing in it is deleted. Every file is written to a temporary name and renamed, so a
build that is killed leaves each file either whole and old or whole and new. The manifest also
stamps each file (size, modification time, digest of the content): a rebuild leaves a file alone
when it is still as stamped and its new content has the same digest (renaming over a file costs a
flush of its blocks on ext4, milliseconds a page, and most pages do not change).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path, PurePosixPath

MANIFEST = ".rok-report.json"
_KIND = "rok-compare report"


class ManifestError(Exception):
    """The folder cannot be used for a report as it is; ``str()`` is one line."""


def previous_files(out: Path, *, force: bool) -> set[str]:
    """Files (relative, POSIX) that an earlier build into ``out`` wrote; refuse a foreign folder.

    A folder that does not exist or is empty is fine; a non-empty one needs the manifest of an
    earlier build, or ``force`` (then nothing of what is there will be deleted).
    """
    if not out.exists():
        return set()
    manifest = out / MANIFEST
    if not manifest.is_file():
        try:
            empty = next(out.iterdir(), None) is None
        except OSError as error:
            raise ManifestError(f"{out}: cannot be listed ({error.strerror or error})") from error
        if empty or force:
            return set()
        raise ManifestError(f"{out}: folder is not empty and holds no earlier report ({MANIFEST}); "
                            "choose an empty or new folder, or pass --force (nothing in it is deleted)")
    try:
        record = json.loads(manifest.read_text(encoding="utf-8"))
        files = record["files"] if record.get("kind") == _KIND else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        files = None
    if not isinstance(files, list) or not all(isinstance(name, str) for name in files):
        if force:
            return set()
        raise ManifestError(f"{out / MANIFEST}: not a report manifest this program wrote; "
                            "pass --force to write the report anyway (nothing in the folder is deleted)")
    return {name for name in files if _inside(name)}


def _inside(name: str) -> bool:
    """Only plain relative paths below the folder: a manifest edited by hand deletes nothing outside."""
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name \
        and path.parts[:1] != (MANIFEST,)


Stamp = tuple[int, int, str]
"""A written file's size, modification time (ns) and content digest, as the manifest records them."""


def previous_stamps(out: Path) -> dict[str, Stamp]:
    """What the earlier build recorded of each file it wrote (nothing when the manifest has no stamps)."""
    try:
        record = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        stamps = record.get("stamps", {}) if record.get("kind") == _KIND else {}
        return {name: (int(s[0]), int(s[1]), str(s[2])) for name, s in stamps.items() if _inside(name)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return {}


def content_digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def stamp(path: Path, digest: str) -> Stamp:
    status = path.stat()
    return status.st_size, status.st_mtime_ns, digest


def unchanged(path: Path, recorded: Stamp | None, digest: str) -> bool:
    """Whether ``path`` still is the file an earlier build wrote with this content (same size and
    modification time as recorded, same digest): then it need not be written again."""
    if recorded is None or recorded[2] != digest:
        return False
    try:
        status = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and (status.st_size, status.st_mtime_ns) == recorded[:2]


def write_manifest(out: Path, files: set[str], stamps: dict[str, Stamp] | None = None) -> None:
    record: dict[str, object] = {"kind": _KIND, "version": 1, "files": sorted(files)}
    if stamps:
        record["stamps"] = {name: list(stamps[name]) for name in sorted(files) if name in stamps}
    write_atomic(out / MANIFEST, json.dumps(record, separators=(",", ":")) + "\n")


def remove_stale(out: Path, previous: set[str], written: set[str]) -> None:
    """Delete what an earlier build wrote and this one did not (pages of deleted documents)."""
    for name in sorted(previous - written):
        path = out / name
        if path.is_file() or path.is_symlink():
            path.unlink(missing_ok=True)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to a temporary file beside ``path`` and rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
