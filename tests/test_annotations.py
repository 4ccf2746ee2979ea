"""The clause annotations: well-formed labels, every clause of an annotated document labelled once,
spans that still match extraction, and the helper's write that merges one set into the file."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from rok_compare.extract import extract_document

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "corpus" / "annotations" / "clauses.jsonl"
SHARED = ROOT.parent / "shared"
KINDS = {"goal", "commitment", "principle", "background", "governance", "statistics", "contact", "other"}
THEMES = {"labour_market", "education_language", "housing_settlement", "health", "children_youth",
          "gender_equality", "discrimination_diversity", "civil_society_leisure", "asylum_reception",
          "governance_followup"}


def _records() -> list[dict]:
    return [json.loads(line) for line in ANNOTATIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _folder(set_name: str) -> Path:
    return ROOT / "corpus" / "seeds" if set_name == "seeds" else SHARED / "corpus" / set_name


def test_labels_are_well_formed():
    records = _records()
    assert {r["set"] for r in records} == {"seeds", "dev", "train"}
    for r in records:
        assert r["kind"] in KINDS, r
        assert set(r["themes"]) <= THEMES and r["themes"] == sorted(set(r["themes"])), r
        assert 0 <= r["start"] < r["end"]
    spans = Counter((r["set"], r["doc"], r["start"], r["end"]) for r in records)
    assert max(spans.values()) == 1
    assert Counter(r["set"] for r in records)["train"] >= 600


@pytest.mark.parametrize("set_name", ["seeds", "dev", "train"])
def test_every_clause_of_an_annotated_document_is_labelled(set_name):
    if not _folder(set_name).is_dir():
        pytest.skip(f"{_folder(set_name)} absent (../shared not laid out)")
    by_doc: dict[str, dict[tuple[int, int], str]] = {}
    for r in _records():
        if r["set"] == set_name:
            by_doc.setdefault(r["doc"], {})[(r["start"], r["end"])] = r["sha1"]
    assert by_doc
    for doc, labelled in by_doc.items():
        clauses = {(c.span.start, c.span.end): hashlib.sha1(c.text.encode("utf-8")).hexdigest()
                   for c in extract_document(_folder(set_name) / doc).clauses}
        assert clauses == labelled, f"{set_name}/{doc}: segmentation and annotations differ"


def test_write_replaces_dumped_documents_and_keeps_the_others(tmp_path):
    keep = {"doc": "a.txt", "set": "dev", "start": 0, "end": 5, "sha1": "x", "kind": "goal", "themes": []}
    old = {"doc": "b.txt", "set": "train", "start": 0, "end": 9, "sha1": "y", "kind": "other", "themes": []}
    out = tmp_path / "clauses.jsonl"
    out.write_text(json.dumps(keep) + "\n" + json.dumps(old) + "\n", encoding="utf-8")
    dump = tmp_path / "dump.json"
    rows = [{"doc": "b.txt", "set": "train", "start": 0, "end": 4, "sha1": "z", "text": "Text"},
            {"doc": "b.txt", "set": "train", "start": 5, "end": 9, "sha1": "w", "text": "Mer."}]
    dump.write_text(json.dumps(rows), encoding="utf-8")
    labels = tmp_path / "labels.txt"
    labels.write_text("0 v fol,hou  # a comment\n1 c\n", encoding="utf-8")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "annotate_helper.py"), "write", str(labels),
                    "--dump", str(dump), "--out", str(out)], check=True, capture_output=True)
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert written[0] == keep
    assert [(r["start"], r["kind"], r["themes"]) for r in written[1:]] == [
        (0, "governance", ["governance_followup", "housing_settlement"]), (5, "commitment", [])]


def test_dump_rejects_an_unknown_set(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "annotate_helper.py"), "dump",
                             str(tmp_path / "x.tsv"), "--sets", "seeds,tests"], capture_output=True, text=True)
    assert result.returncode != 0
    assert "--sets" in result.stderr and "tests" in result.stderr
