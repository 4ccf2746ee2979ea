"""Digest of a report site's files, to show that a change of the report's code left the pages as they were.

    .venv/bin/python scripts/report_digest.py SITE [SITE ...] [--list]

Prints one line per site: the SHA-256 over every file's relative path and content (sorted by path),
the number of files and their total size. The build's manifest (``.rok-report.json``) is left out:
it stamps each file with its modification time. ``--list`` also prints each file's digest, so two
listings can be diffed to find the pages that differ.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

MANIFEST = ".rok-report.json"
BUILT = re.compile(rb"built \d{4}-\d\d-\d\d \d\d:\d\d UTC")
"""The build time on the overview page: the one thing two builds of the same store differ in."""


def file_digests(site: Path) -> dict[str, str]:
    """Each file's path relative to ``site`` (POSIX) and the SHA-256 of its content, the manifest left out."""
    out = {}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if path.is_file() and relative != MANIFEST:
            content = path.read_bytes()
            if relative == "index.html":
                content = BUILT.sub(b"built <time>", content)
            out[relative] = hashlib.sha256(content).hexdigest()
    return out


def site_digest(site: Path) -> tuple[str, int, int]:
    """The site's digest, its number of files and their total size in bytes."""
    digest = hashlib.sha256()
    files = file_digests(site)
    for relative, content in files.items():
        digest.update(f"{relative}\0{content}\n".encode())
    size = sum((site / relative).stat().st_size for relative in files)
    return digest.hexdigest(), len(files), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="+", type=Path, help="report folders")
    parser.add_argument("--list", action="store_true", help="also print each file's digest")
    args = parser.parse_args()
    for site in args.sites:
        if not site.is_dir():
            sys.exit(f"{site}: not a folder")
        digest, count, size = site_digest(site)
        print(f"{digest}  {count} files  {size:,} bytes  {site}")
        if args.list:
            for relative, content in file_digests(site).items():
                print(f"  {content}  {relative}")


if __name__ == "__main__":
    main()
