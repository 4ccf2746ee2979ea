"""Preloaded by the extraction fork server: the project's extractor imported and run once on a short
sample agreement (``data/warmup_agreement.txt``), so that its first-use work (compiled patterns,
the mention finder, feature tables; ~0.13 s of CPU) is done once in the server. Every worker forked
from it starts warm: a one-file ``rok ingest`` waits for the server while it opens the store, not
for the worker after, and a batch does that work once instead of once per worker.

A warm-up that fails leaves the server up (the workers then warm themselves as before).
"""

from __future__ import annotations

import logging
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent / "data" / "warmup_agreement.txt"


def warm() -> bool:
    """Run the extractor on the sample; False (and a log line) if it could not."""
    try:
        from rok_compare.extract import extract_document

        extract_document(str(SAMPLE))
    except Exception as error:  # never take the fork server down
        logging.getLogger(__name__).warning("extractor warm-up failed (%s: %s)", type(error).__name__, error)
        return False
    return True


warm()
