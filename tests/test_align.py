"""Clause alignment: relations, one-to-one pairs, moves, splits, merges, diffs, JSON, CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rok_compare.align import Relation, Shape, align
from rok_compare.align.normalize import normalize, surface_key
from rok_compare.align.pairwise import longest_increasing_subsequence
from rok_compare.align.revisions import Change, diff_revisions
from rok_compare.align.worddiff import split_diff, word_diff
from rok_compare.cli import app
from rok_compare.model import Clause, ClauseKind, Span

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
GOLD = ROOT.parent / "shared" / "gold" / "seed_alignments.json"

# Sentences from the seed documents (000 Jämtland, 001 Norrbotten, 004 Värmland).
S = {
    "syn": "Överenskommelsen bygger på en gemensam syn, att länet behöver fler invånare för att skapa "
           "tillväxt och en positiv utveckling.",
    "jamt": "Parterna marknadsför Jämtlands län som ett attraktivt län att bo och verka i.",
    "norr": "Parterna marknadsför Norrbottens län som ett attraktivt län att bo och verka i.",
    "samverkan": "Samverkan syftar till att ge alla flickor, pojkar, kvinnor och män samma rättigheter och "
                 "möjligheter att bli aktiva samhällsmedborgare.",
    "flickor": "Flickor, pojkar, kvinnor och män ska, oavsett etnisk tillhörighet, ha samma möjligheter och "
               "villkor i fråga om utbildning och betalt arbete som ger ekonomisk självständighet.",
    "klara": "För att klara den framtida kompetens- och arbetskraftsförsörjningen samt för att bibehålla och "
             "utveckla välfärden måste alla aktörer i länet ta ett gemensamt ansvar för att så snabbt som "
             "möjligt lotsa in de nyanlända invandrarna på arbetsmarknaden och i samhället.",
    "klara_v": "För att klara den framtida arbetskraftsförsörjningen samt bibehålla och utveckla välfärden "
               "måste alla aktörer i länet ta ett gemensamt ansvar för att så snabbt som möjligt lotsa in de "
               "nyanlända invandrarna på arbetsmarknaden och samhället.",
    "strategi": "Länets regionala utvecklingsstrategi pekar särskilt på att det är viktigt att utveckla "
                "etableringen och integrationen för nyanlända invandrare.",
    "tillvaxt": "Tillväxtprogrammet pekar särskilt på att det är viktigt att utveckla introduktionen för "
                "nyanlända invandrare.",
    "styr": "Den regionala överenskommelsen är ett styrdokument.",
    "hand": "Årliga handlingsplaner utarbetas utifrån den målstruktur som är bestämd.",
    "kommuner": "Värmland består av sexton kommuner och totalt bor det cirka 273 000 invånare i länet.",
    "prognos": "På grund av oroligheter runt om i världen förväntas en hög flyktingtillströmning under åren "
               "2007–2010.",
}


def clauses(*keys_or_texts: str, prefix: str = "c") -> list[Clause]:
    return [Clause(f"{prefix}{k + 1}", None, ClauseKind.OTHER, [], S.get(t, t), Span(1, 0, 0))
            for k, t in enumerate(keys_or_texts)]


def pair_of(alignment, a_id: str):
    return [p for p in alignment.pairs if p.a.id == a_id]


def test_relations_identical_edited_and_masked_county_names():
    a = clauses("syn", "jamt", "klara", "strategi")
    b = clauses("syn", "norr", "klara_v", "tillvaxt")
    result = align(a, b)
    relations = {p.a.id: (p.b.id, p.relation) for p in result.pairs}
    assert relations == {"c1": ("c1", Relation.IDENTICAL), "c2": ("c2", Relation.EDITED),
                         "c3": ("c3", Relation.EDITED), "c4": ("c4", Relation.EDITED)}
    assert normalize(S["jamt"]).stems == normalize(S["norr"]).stems


def test_unrelated_clauses_stay_apart_as_only_a_and_only_b():
    result = align(clauses("syn", "styr"), clauses("kommuner", "syn", "prognos"))
    assert [(p.a.id, p.b.id) for p in result.pairs] == [("c1", "c2")]
    assert [c.id for c in result.only_a] == ["c2"]
    assert [c.id for c in result.only_b] == ["c1", "c3"]
    assert result.summary.only_a == 1 and result.summary.only_b == 2


def test_assignment_is_one_to_one_and_pairs_repeated_clauses_in_place():
    a = clauses("syn", "samverkan", "syn", "hand")
    b = clauses("syn", "samverkan", "syn", "hand")
    result = align(a, b)
    assert [(p.a.id, p.b.id) for p in result.pairs] == [(f"c{k}", f"c{k}") for k in range(1, 5)]
    assert not any(p.moved for p in result.pairs)


def test_moved_clause_is_reported_as_moved_not_deleted_and_added():
    a = clauses("syn", "jamt", "samverkan", "flickor", "klara", "styr", "hand")
    b = clauses("syn", "jamt", "flickor", "klara", "styr", "samverkan", "hand")
    result = align(a, b)
    assert not result.only_a and not result.only_b
    assert [p.a.id for p in result.pairs if p.moved] == ["c3"]
    assert result.summary.moved == 1


def test_split_and_merge_are_recognised():
    whole = ("Samverkan syftar till att ge alla flickor, pojkar, kvinnor och män samma rättigheter och "
             "möjligheter, och flickor, pojkar, kvinnor och män ska ha samma villkor i fråga om utbildning "
             "och betalt arbete.")
    parts = ["Samverkan syftar till att ge alla flickor, pojkar, kvinnor och män samma rättigheter och "
             "möjligheter.", "Flickor, pojkar, kvinnor och män ska ha samma villkor i fråga om utbildning "
             "och betalt arbete."]
    split = align(clauses("syn", whole, "hand"), clauses("syn", *parts, "hand"))
    shaped = pair_of(split, "c2")
    assert [(p.b.id, p.shape) for p in shaped] == [("c2", Shape.SPLIT), ("c3", Shape.SPLIT)]
    assert {p.relation for p in shaped} == {Relation.EDITED}
    merge = align(clauses("syn", *parts, "hand"), clauses("syn", whole, "hand"))
    assert [(p.a.id, p.b.id, p.shape) for p in merge.pairs if p.shape is Shape.MERGE] == [
        ("c2", "c2", Shape.MERGE), ("c3", "c2", Shape.MERGE)]
    assert not merge.only_a and not merge.only_b


def test_split_without_changed_words_is_identical():
    result = align(clauses(S["samverkan"] + " " + S["flickor"]), clauses("samverkan", "flickor"))
    assert [(p.shape, p.relation) for p in result.pairs] == [(Shape.SPLIT, Relation.IDENTICAL)] * 2


def test_word_diff_marks_changes_and_rebuilds_both_texts():
    diff = word_diff(S["jamt"], S["norr"])
    assert ("-", " Jämtlands") in diff and ("+", " Norrbottens") in diff
    assert "".join(t for s, t in diff if s != "-") == S["norr"]
    assert "".join(t for s, t in diff if s != "+") == S["jamt"]
    parts = split_diff("Vi gör A och B.", ["Vi gör A.", "Och B."])
    assert "".join(t for s, t in parts[0] if s != "-") == "Vi gör A."


def test_surface_key_ignores_spacing_case_bullets_and_punctuation_only():
    assert surface_key("- Migrationsverket ,  och  LÄNET.") == surface_key("migrationsverket och länet")
    assert surface_key(S["jamt"]) != surface_key(S["norr"])


def test_longest_increasing_subsequence():
    assert longest_increasing_subsequence([0, 1, 5, 2, 3, 4]) == [0, 1, 3, 4, 5]
    assert longest_increasing_subsequence([]) == []


def test_json_follows_the_design_contract():
    result = align(clauses("syn", "jamt", "styr"), clauses("norr", "syn", "kommuner"), "a.txt", "b.txt")
    data = result.to_dict()
    assert set(data) == {"a", "b", "pairs", "only_a", "only_b", "summary"}
    assert data["a"] == {"path": "a.txt"} and data["b"] == {"path": "b.txt"}
    pair = data["pairs"][0]
    assert set(pair) == {"a", "b", "score", "relation", "moved", "shape", "diff"}
    assert set(pair["a"]) == {"id", "text"} and pair["shape"] in {"1:1", "split", "merge"}
    assert all(op[0] in "=-+" and isinstance(op[1], str) for p in data["pairs"] for op in p["diff"])
    assert set(data["summary"]) == {"identical", "edited", "related", "moved", "only_a", "only_b"}
    json.dumps(data)


def test_revision_diff_in_document_order_with_shares():
    old = clauses("syn", "jamt", "styr", "hand")
    new = clauses("syn", "norr", "hand", "prognos")
    revision = diff_revisions(old, new)
    changes = [(e.change, e.old.id if e.old else None, e.new.id if e.new else None) for e in revision.entries]
    assert changes == [
        (Change.UNCHANGED, "c1", "c1"), (Change.EDITED, "c2", "c2"), (Change.REMOVED, "c3", None),
        (Change.UNCHANGED, "c4", "c3"), (Change.ADDED, None, "c4"),
    ]
    s = revision.summary
    assert (s.unchanged, s.edited, s.added, s.removed) == (2, 1, 1, 1)
    assert abs(s.share_unchanged + s.share_edited + s.share_added + s.share_removed - 1.0) < 1e-9


def test_empty_documents_align_to_nothing():
    result = align([], clauses("syn"))
    assert result.pairs == [] and [c.id for c in result.only_b] == ["c1"]


# ---------------------------------------------------------------- command line

runner = CliRunner()


@pytest.fixture
def fake_extraction(monkeypatch):
    """Extraction that returns hand-built clauses, so the CLI is tested on its own."""
    from rok_compare.model import Agreement, DocType, SourceDocument, SourceFormat

    docs = {"a.txt": clauses("syn", "jamt", "<script>alert(1)</script> och Jämtlands län."),
            "b.txt": clauses("norr", "syn", "kommuner")}

    def fake(path):
        source = SourceDocument(Path(path), "0", SourceFormat.TEXT, "", [])
        return Agreement(source, None, None, None, None, DocType.OTHER, [], [], [], docs[Path(path).name])

    monkeypatch.setattr(sys.modules["rok_compare.extract"], "extract_document", fake)


def test_cli_align_json_text_and_html(fake_extraction):
    out = runner.invoke(app, ["align", "a.txt", "b.txt", "--format", "json"])
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    assert data["summary"]["identical"] == 1 and data["summary"]["edited"] == 1
    text = runner.invoke(app, ["align", "a.txt", "b.txt"])
    assert text.exit_code == 0 and "{+Norrbottens+}" in text.stdout and "[-Jämtlands-]" in text.stdout
    page = runner.invoke(app, ["align", "a.txt", "b.txt", "--format", "html"]).stdout
    assert page.startswith("<!DOCTYPE html>") and "<script>" not in page and "&lt;script&gt;" in page


def test_cli_diff_json(fake_extraction):
    out = runner.invoke(app, ["diff", "a.txt", "b.txt", "--format", "json"])
    assert out.exit_code == 0
    assert {c["change"] for c in json.loads(out.stdout)["changes"]} >= {"unchanged", "edited", "added"}


def test_cli_align_missing_file_gives_one_error_line_and_exit_1(tmp_path):
    missing = tmp_path / "saknas.txt"
    out = runner.invoke(app, ["align", str(missing), str(SEEDS / "000_7d7dd3b94a00e6f5.txt")])
    assert out.exit_code == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "saknas.txt" in lines[0] and lines[0].startswith("error:")


# ---------------------------------------------------------------- real seeds

def _seed_clauses(name: str) -> list[Clause]:
    from rok_compare import extract_document

    return extract_document(SEEDS / name).clauses


@pytest.mark.skipif(not GOLD.exists(), reason="shared gold alignments not available")
def test_gold_seed_pairs_are_found_with_their_relation():
    from rapidfuzz import fuzz

    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    if not _seed_clauses("000_7d7dd3b94a00e6f5.txt"):
        pytest.skip("extraction produces no clauses yet")
    for a_doc, b_doc in sorted({(g["a"]["doc"], g["b"]["doc"]) for g in gold}):
        result = align(_seed_clauses(a_doc), _seed_clauses(b_doc))
        for g in (g for g in gold if (g["a"]["doc"], g["b"]["doc"]) == (a_doc, b_doc)):
            best = max(result.pairs, key=lambda p: min(fuzz.ratio(p.a.text, g["a"]["text"]),
                                                       fuzz.ratio(p.b.text, g["b"]["text"])))
            assert min(fuzz.ratio(best.a.text, g["a"]["text"]), fuzz.ratio(best.b.text, g["b"]["text"])) >= 85
            assert str(best.relation) == g["relation"], g["a"]["text"]
