"""Write ``rok_compare/align/data/common_stems.txt``: the stems that reuse clustering leaves out of
its MinHash sets because they join unrelated clauses.

    .venv/bin/python scripts/build_common_stems.py [--share 0.05] [FOLDER ...]

A stem is common when it occurs in more than ``--share`` of the distinct normalised clause texts
of the real corpus (the seeds and the shared dev and train sets by default): the rule
``max_df = 0.05`` applied once to a fixed corpus, so that a clause's MinHash set depends on the
clause alone and the store can keep its LSH index up to date one document at a time.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rok_compare.align.corpus import expand_paths, load_documents  # noqa: E402
from rok_compare.align.lsh import COMMON_STEMS_FILE  # noqa: E402
from rok_compare.align.normalize import normalize_many  # noqa: E402
from rok_compare.align.reuse import MIN_CHARS  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
DEFAULT = [ROOT / "corpus" / "seeds", SHARED / "dev", SHARED / "train"]


def common_stems(folders: list[Path], share: float) -> tuple[list[str], int]:
    """Stems in more than ``share`` of the distinct stem texts of the clauses under ``folders``."""
    documents = load_documents(sorted(expand_paths(folders)), lambda message: print(message, file=sys.stderr))
    texts = [c.text for d in documents for c in d.clauses if len(c.text) >= MIN_CHARS]
    distinct = {n.stems for n in normalize_many(texts, False)}
    df = Counter(stem for stems in distinct for stem in set(stems.split()))
    limit = max(2, int(share * len(distinct)))
    return sorted(stem for stem, count in df.items() if count > limit), len(distinct)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[p for p in DEFAULT if p.exists()])
    parser.add_argument("--share", type=float, default=0.05)
    args = parser.parse_args()
    stems, distinct = common_stems(args.folders, args.share)
    header = [f"# Stems in more than {args.share:.0%} of the {distinct} distinct normalised clause texts of",
              "# " + ", ".join(str(f.relative_to(ROOT.parent)) if f.is_relative_to(ROOT.parent) else str(f)
                             for f in args.folders),
              "# (scripts/build_common_stems.py); reuse clustering leaves them out of its MinHash sets."]
    COMMON_STEMS_FILE.write_text("\n".join(header + stems) + "\n", encoding="utf-8")
    print(f"{len(stems)} common stems of {distinct} distinct clause texts -> {COMMON_STEMS_FILE}")


if __name__ == "__main__":
    main()
