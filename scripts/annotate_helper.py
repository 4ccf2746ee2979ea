"""Annotation helper: dump the clauses extraction produces to /tmp for reading, and turn a compact
label file into ``corpus/annotations/clauses.jsonl``.

    python scripts/annotate_helper.py dump /tmp/clauses.tsv [--dev-dir ../shared/corpus/dev] [--blind]
    python scripts/annotate_helper.py write /tmp/labels.txt [--out corpus/annotations/clauses.jsonl]

A label line is ``<number> <kind> [<theme>,<theme>...]`` with short codes (see ``KINDS``/``THEMES``);
the numbers are those of the dump. Text dumps stay in /tmp: the dev texts are third-party.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rok_compare.extract import extract_document  # noqa: E402

KINDS = {"g": "goal", "c": "commitment", "p": "principle", "b": "background", "v": "governance",
         "s": "statistics", "k": "contact", "o": "other"}
THEMES = {"lab": "labour_market", "edu": "education_language", "hou": "housing_settlement", "hea": "health",
          "chi": "children_youth", "gen": "gender_equality", "dis": "discrimination_diversity",
          "civ": "civil_society_leisure", "asy": "asylum_reception", "fol": "governance_followup"}


def documents(dev_dir: Path) -> list[tuple[str, Path]]:
    """(set, path) of every annotated-corpus document, seeds first, in name order."""
    seeds = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
    return [("seeds", p) for p in seeds] + [("dev", p) for p in sorted(dev_dir.glob("*.txt"))]


def clause_rows(dev_dir: Path) -> list[dict]:
    rows = []
    for set_name, path in documents(dev_dir):
        for clause in extract_document(path).clauses:
            rows.append({"doc": path.name, "set": set_name, "start": clause.span.start, "end": clause.span.end,
                         "sha1": hashlib.sha1(clause.text.encode("utf-8")).hexdigest(),
                         "rule_kind": str(clause.kind), "rule_themes": clause.themes,
                         "section": clause.section or "", "text": clause.text})
    return rows


def dump(out: Path, dev_dir: Path, blind: bool = False) -> None:
    """Write the clauses to ``out``; ``blind`` leaves out every label (rule/model kind and themes), for
    an independent annotation pass."""
    rows = clause_rows(dev_dir)
    with out.open("w", encoding="utf-8") as fh:
        for n, row in enumerate(rows):
            text = row["text"].replace("\n", " ")
            if blind:
                fh.write(f"{n}\t{row['doc'][:30]}\t[{row['section'][:60]}]\t{text}\n")
                continue
            fh.write(f"{n}\t{row['doc'][:30]}\t{row['rule_kind']}\t{','.join(row['rule_themes'])}\t"
                     f"[{row['section'][:40]}]\t{text}\n")
    (out.with_suffix(".json")).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    print(f"{len(rows)} clauses -> {out}")


def write(labels: Path, out: Path, dump_json: Path) -> None:
    rows = json.loads(dump_json.read_text(encoding="utf-8"))
    labelled: dict[int, tuple[str, list[str]]] = {}
    for line in labels.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        themes = [THEMES[t] for t in parts[2].split(",") if t] if len(parts) > 2 else []
        labelled[int(parts[0])] = (KINDS[parts[1]], sorted(set(themes)))
    missing = [n for n in range(len(rows)) if n not in labelled]
    if missing:
        print(f"unlabelled: {missing[:20]}{'...' if len(missing) > 20 else ''} ({len(missing)})")
    with out.open("w", encoding="utf-8") as fh:
        for n, row in enumerate(rows):
            if n not in labelled:
                continue
            kind, themes = labelled[n]
            record = {k: row[k] for k in ("doc", "set", "start", "end", "sha1")} | {"kind": kind, "themes": themes}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(labelled)} annotations -> {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["dump", "write"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--dev-dir", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    parser.add_argument("--out", type=Path, default=ROOT / "corpus" / "annotations" / "clauses.jsonl")
    parser.add_argument("--dump", type=Path, default=Path("/tmp/clauses.json"))
    parser.add_argument("--blind", action="store_true",
                        help="dump without rule/model kinds and themes (second-annotator pass)")
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.file, args.dev_dir, blind=args.blind)
    else:
        write(args.file, args.out, args.dump)


if __name__ == "__main__":
    main()
