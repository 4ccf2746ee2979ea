"""Every hit of the search benchmark's queries on one store, written whole and summed up in a digest,
to show that a change to the search keeps its hits (same clauses, same order, same families).

    .venv/bin/python scripts/search_hits_digest.py STORE OUT.json

The queries are ``bench_search.py``'s seven classes for that store (rare and common words, phrases,
prefixes, boolean queries, words with one filter, filters alone) and the README's examples, each
asked for its first page of 20 hits and for a second page (10 hits after the first 20), with
:func:`rok_compare.search.count_hits` for each. Run it with the code before and after a change on
the same store: equal digests (and equal files) mean equal hits.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_search import query_classes  # noqa: E402

from rok_compare.search import SearchQueryError, count_hits, search  # noqa: E402
from rok_compare.store import Store  # noqa: E402

EXAMPLES: list[tuple[str, dict]] = [
    ("bostad", {}), ('"egen bostad"', {}), ("bostad*", {}), ("bostad tolk", {}), ("bostad OR boende", {}),
    ("bostad -tolk", {}), ("(bostad OR boende) -tolk", {}), ("", {"county": "Värmland", "kind": "goal"}),
    ("samverkan", {"county": "Jämtland"}), ("nyanlända", {"year": "2015-2018"}),
    ("", {"similar_to": "Kommunerna har en viktig uppgift att ta emot nyanlända"}),
    ("arbetsmarknad", {"similar_to": "etablering på arbetsmarknaden för nyanlända"}), ("-tolk", {"county": "Gotland"}),
]
PAGES = ((20, 0), (10, 20))


def hits_of(db: Path) -> dict[str, dict]:
    """Query (class, text, filters, limit, offset) -> its hits (as ``rok search --format json``) and count."""
    found: dict[str, dict] = {}
    with Store.open(db, readonly=True) as store:
        for name, queries in [*query_classes(db).items(), ("examples", EXAMPLES)]:
            for query, options in queries:
                for limit, offset in PAGES:
                    key = f"{name}|{query}|{json.dumps(options, ensure_ascii=False, sort_keys=True)}|{limit}|{offset}"
                    try:
                        hits = [h.to_dict() for h in search(store, query, limit=limit, offset=offset, **options)]
                        total = count_hits(store, query, **options)
                        found[key] = {"hits": hits, "count": [total.n, total.families, total.more]}
                    except SearchQueryError as error:
                        found[key] = {"error": str(error)}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    found = hits_of(args.store)
    text = json.dumps(found, ensure_ascii=False, sort_keys=True, default=str)
    args.out.write_text(text, encoding="utf-8")
    n_hits = sum(len(v.get("hits", [])) for v in found.values())
    print(f"{len(found)} queries, {n_hits} hits; sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
