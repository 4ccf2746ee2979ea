"""Write ``rok_compare/search/data/lexicon.txt``: the words that compound splitting knows as parts.

The words of a reference corpus of RÖK documents (by default the bundled seeds and the shared dev
and train sets), one per line with the number of documents it occurs in:

- every word of four letters or more, and three-letter words found in at least two documents;
- words learned from compounds: a word that never stands alone in the corpus but ends compounds
  after at least :data:`MIN_MODIFIERS` different known first parts ("marknad" from
  "arbetsmarknaden" and "bostadsmarknad"), with the number of those first parts as its count.

Function words (``stopwords.txt``), derivational endings (``not_parts.txt``) and words with digits
are left out. Search adds the words of the store it searches to these, so the list matters most
for a small store.

    .venv/bin/python scripts/build_search_lexicon.py [FOLDER ...]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from rok_compare.errors import InputError
from rok_compare.ingest import read_document
from rok_compare.search.swedish import MIN_PART, bases, fold, word_data

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDERS = [ROOT / "corpus" / "seeds", ROOT.parent / "shared" / "corpus" / "dev",
                   ROOT.parent / "shared" / "corpus" / "train"]
OUT = ROOT / "rok_compare" / "search" / "data" / "lexicon.txt"
SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".docx", ".odt"}
_WORD = re.compile(r"[^\W\d_]+")
MIN_MODIFIERS = 2
"""Different first parts a learned compound ending must follow."""
MIN_HEAD = 4
"""Letters in a learned compound ending."""


def document_words(folders: list[Path]) -> tuple[Counter[str], int]:
    """In how many documents each folded word occurs, and how many documents were read."""
    counts: Counter[str] = Counter()
    n = 0
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() not in SUFFIXES:
                continue
            try:
                text = read_document(path).text
            except InputError as error:
                print(f"skipped {error}", file=sys.stderr)
                continue
            counts.update({fold(w) for w in _WORD.findall(text)})
            n += 1
    return counts, n


def compound_heads(words: set[str], known: set[str]) -> dict[str, int]:
    """Words that end compounds after :data:`MIN_MODIFIERS` or more different known first parts,
    with how many. The forms of one word count together ("marknad", "marknaden") and the shortest
    form seen is kept.

    Learning is stricter than splitting: the first part must be a known word as it stands or
    with a linking ``s`` (``bostads``), and an ending that is a known word or another ending
    with a linking letter added or taken away (``tyrelse`` beside ``styrelse``, ``sgrupp``
    beside ``grupp``), or the end of a word one or two letters longer (``amma`` of ``samma``), is not learned.
    """
    endings = set(word_data().endings) | word_data().not_parts
    suffixes = tuple(s for s in word_data().not_parts if len(s) >= MIN_PART)
    modifiers: dict[str, set[str]] = {}
    shortest: dict[str, str] = {}
    for word in words:
        for i in range(MIN_PART, len(word) - MIN_HEAD + 1):
            modifier, tail = word[:i], word[i:]
            linked = modifier.endswith("s") and modifier[:-1] in known
            if tail in endings or tail.startswith(suffixes) or modifier not in known and not linked:
                continue
            group = min(bases(tail), key=lambda b: (len(b), b))
            modifiers.setdefault(group, set()).add(modifier.removesuffix("s"))
            if len(tail) < len(shortest.get(group, tail + " ")):
                shortest[group] = tail
    learned = {shortest[g]: len(m) for g, m in modifiers.items() if len(m) >= MIN_MODIFIERS}
    linked = {link + head for head in learned | dict.fromkeys(known) for link in "seoua"}
    words_around = known | word_data().stopwords | word_data().not_parts | set(learned)
    fragments = {w[i:] for w in words_around for i in (1, 2)}  # "amma" of "samma"
    return {head: n for head, n in learned.items() if head not in known and head not in linked
            and head not in fragments}


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [f for f in DEFAULT_FOLDERS if f.is_dir()]
    counts, n = document_words(folders)
    data = word_data()
    standalone = {w: c for w, c in counts.items() if (len(w) > MIN_PART or len(w) == MIN_PART and c >= 2)
                  and w not in data.stopwords and w not in data.not_parts}
    learned = compound_heads(set(counts), set(standalone))
    entries = {**standalone, **learned}
    kept = sorted(entries)
    header = ["# Words that compound splitting knows as parts (word<TAB>documents it occurs in, or for a",
              "# word learned from compounds, how many different first parts it follows).",
              f"# Built by scripts/build_search_lexicon.py from {n} documents: "
              + ", ".join(f.name for f in folders) + "."]
    OUT.write_text("\n".join(header + [f"{w}\t{entries[w]}" for w in kept]) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(kept)} words ({len(learned)} learned from compounds) "
          f"from {n} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
