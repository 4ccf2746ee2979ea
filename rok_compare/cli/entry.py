"""The ``rok`` console script: a Ctrl-C while the command line is still being imported (it loads the
extractor, a second or so) is one line, not a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from rok_compare.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted before the command started; nothing was changed\n")
        sys.exit(130)
    run()
