"""Annotation helper: dump the clauses extraction produces to /tmp for reading, and turn a compact
label file into ``corpus/annotations/clauses.jsonl``.

    python scripts/annotate_helper.py dump /tmp/clauses.tsv [--sets seeds,dev,train] [--shared ../shared] [--blind]
    python scripts/annotate_helper.py write /tmp/labels.txt [--dump /tmp/clauses.json] [--out FILE.jsonl]

A label line is ``<number> <kind> [<theme>,<theme>...]`` with short codes (see ``KINDS``/``THEMES``);
the numbers are those of the dump. ``write`` replaces the annotations of the documents in the dump
and keeps those of every other document, so one set (``--sets train``) can be labelled on its own.
Text dumps stay in /tmp: the dev and train texts are third-party.
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


SETS = ("seeds", "dev", "train")


def set_dir(set_name: str, shared: Path) -> Path:
    """The folder of a document set: the seeds are bundled, the others are read from ``shared``."""
    return ROOT / "corpus" / "seeds" if set_name == "seeds" else shared / "corpus" / set_name


def documents(sets: tuple[str, ...], shared: Path) -> list[tuple[str, Path]]:
    """(set, path) of every document of ``sets``, in the order given, each set in name order."""
    return [(name, p) for name in sets for p in sorted(set_dir(name, shared).glob("*.txt"))]


def clause_rows(sets: tuple[str, ...], shared: Path) -> list[dict]:
    rows = []
    for set_name, path in documents(sets, shared):
        for clause in extract_document(path).clauses:
            rows.append({"doc": path.name, "set": set_name, "start": clause.span.start, "end": clause.span.end,
                         "sha1": hashlib.sha1(clause.text.encode("utf-8")).hexdigest(),
                         "rule_kind": str(clause.kind), "rule_themes": clause.themes,
                         "section": clause.section or "", "text": clause.text})
    return rows


def dump(out: Path, sets: tuple[str, ...], shared: Path, blind: bool = False) -> None:
    """Write the clauses to ``out``; ``blind`` leaves out every label (rule/model kind and themes), for
    an independent annotation pass."""
    rows = clause_rows(sets, shared)
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
    dumped = {(row["set"], row["doc"]) for row in rows}
    kept = [line for line in (out.read_text(encoding="utf-8").splitlines() if out.exists() else [])
            if line.strip() and _doc_key(line) not in dumped]
    with out.open("w", encoding="utf-8") as fh:
        fh.writelines(line + "\n" for line in kept)
        for n, row in enumerate(rows):
            if n not in labelled:
                continue
            kind, themes = labelled[n]
            record = {k: row[k] for k in ("doc", "set", "start", "end", "sha1")} | {"kind": kind, "themes": themes}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(labelled)} annotations of {len(dumped)} documents, {len(kept)} kept from other documents -> {out}")


def _doc_key(line: str) -> tuple[str, str]:
    record = json.loads(line)
    return record["set"], record["doc"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["dump", "write"])
    parser.add_argument("file", type=Path)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated document sets to dump")
    parser.add_argument("--out", type=Path, default=ROOT / "corpus" / "annotations" / "clauses.jsonl")
    parser.add_argument("--dump", type=Path, default=Path("/tmp/clauses.json"))
    parser.add_argument("--blind", action="store_true",
                        help="dump without rule/model kinds and themes (second-annotator pass)")
    args = parser.parse_args()
    if args.command == "dump":
        sets = tuple(s for s in args.sets.split(",") if s)
        unknown = [s for s in sets if s not in SETS]
        if unknown or not sets:
            parser.error(f"--sets: unknown set(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(SETS)}")
        dump(args.file, sets, args.shared, blind=args.blind)
    else:
        write(args.file, args.out, args.dump)


if __name__ == "__main__":
    main()
