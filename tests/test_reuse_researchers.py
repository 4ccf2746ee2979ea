"""``rok reuse`` for researchers: reuse within a county or lineage left out, where a passage recurs,
and character offsets for every clause and aligned pair."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rok_compare.align.lineage import lineage_groups
from rok_compare.align.reuse import county_groups, find_reuse
from rok_compare.align.reuse_query import find_passage
from rok_compare.cli import app
from rok_compare.export.stored import load
from rok_compare.store import Store, ingest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
DEV = ROOT.parent / "shared" / "corpus" / "dev"
TEMPLATE = ("Samverkan syftar till att ge alla flickor, pojkar, kvinnor och män samma rättigheter och "
            "möjligheter att bli aktiva samhällsmedborgare.")
"""A sentence of seed 000 (Jämtland) that seed 001 (Norrbotten) copies word for word."""
runner = CliRunner()


def _same_text(document: str, start: int, end: int, text: str) -> bool:
    """The offsets point at the clause in the document's text (whitespace evened out)."""
    return " ".join(Path(document).read_text(encoding="utf-8")[start:end].split()) == " ".join(text.split())


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("reuse_seeds") / "rok.db"
    ingest([SEEDS], db)
    return db


@pytest.fixture(scope="module")
def dev_db(tmp_path_factory) -> Path:
    if not DEV.is_dir():
        pytest.skip(f"development corpus not available ({DEV})")
    db = tmp_path_factory.mktemp("reuse_dev") / "rok.db"
    ingest([SEEDS, DEV], db, workers=2)
    return db


def _stored(db: Path):
    with Store.open(db, readonly=True) as store:
        return [doc.document for doc in load(store)]


def test_a_series_leaves_out_the_reuse_within_it(seed_db: Path) -> None:
    """Seeds 000 and 001 share template clauses; counted as one series, only reuse with others stays."""
    documents = _stored(seed_db)
    everything = find_reuse(documents)[0]
    series = ["template" if Path(d.path).name[:3] in ("000", "001") else d.path for d in documents]
    apart = find_reuse(documents, groups=series, excluded_within="series")[0]
    pair = {d.path for d in documents if Path(d.path).name[:3] in ("000", "001")}
    only_the_pair = [c for c in everything.clusters if {m.path for m in c.members} == pair]
    assert only_the_pair and len(apart.clusters) == len(everything.clusters) - len(only_the_pair)
    assert all({m.path for m in c.members} != pair for c in apart.clusters)
    assert apart.to_dict()["excluded_within"] == "series"
    shared = {d.path: d.shared for d in apart.documents}
    assert all(shared[p] < next(d.shared for d in everything.documents if d.path == p) for p in pair)


def test_within_county_and_lineage_left_out_on_the_development_set(dev_db: Path) -> None:
    documents = _stored(dev_db)
    everything = find_reuse(documents)[0]
    by_county = find_reuse(documents, groups=county_groups(documents))[0]
    groups, unstored = lineage_groups(documents, dev_db)
    by_lineage = find_reuse(documents, groups=groups)[0]
    assert not unstored
    assert all(c.counties >= 2 for c in by_county.clusters)
    lineage_of = dict(zip((d.path for d in documents), groups, strict=True))
    assert all(len({lineage_of[m.path] for m in c.members}) >= 2 for c in by_lineage.clusters)
    # Koordination Norrort 2017 and 2019 share eleven clusters, found nowhere else
    assert len(by_county.clusters) < len(everything.clusters)
    assert len(by_county.clusters) <= len(by_lineage.clusters) < len(everything.clusters)
    norrort = [c for c in everything.clusters if all("koordination_norrort" in m.path for m in c.members)]
    assert len(norrort) >= 5
    assert not any(all("koordination_norrort" in m.path for m in c.members) for c in by_lineage.clusters)


def test_cli_exclude_within(seed_db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["reuse", "--db", str(seed_db), "--exclude-within", "county", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["excluded_within"] == "county" and all(c["counties"] >= 2 for c in data["clusters"])
    text = runner.invoke(app, ["reuse", "--db", str(seed_db), "--exclude-within", "lineage"])
    assert text.exit_code == 0 and "reuse within one lineage left out: each spans 2 lineages or more" in text.stdout
    missing = runner.invoke(app, ["reuse", str(SEEDS), "--db", str(tmp_path / "none.db"),
                                  "--exclude-within", "lineage"])
    assert missing.exit_code == 2 and "--exclude-within lineage: no store at" in missing.stderr
    bad = runner.invoke(app, ["reuse", "--db", str(seed_db), "--exclude-within", "party"])
    assert bad.exit_code == 2


def test_members_and_pairs_carry_character_offsets(seed_db: Path) -> None:
    result = runner.invoke(app, ["reuse", str(SEEDS), "--db", str(seed_db), "-f", "json"])
    assert result.exit_code == 0, result.output
    clusters = json.loads(result.stdout)["clusters"]
    assert clusters
    for cluster in clusters:
        for member in cluster["members"]:
            assert _same_text(member["path"], member["start"], member["end"], member["text"])
        assert cluster["pairs"], cluster
        for pair in cluster["pairs"]:
            assert pair["a"]["path"] != pair["b"]["path"] and 0.7 <= pair["score"] <= 1.0
            assert {"start", "end", "id"} <= pair["a"].keys() and pair["a"]["end"] > pair["a"]["start"]
    every = {(m["path"], m["id"]) for c in clusters for m in c["members"]}
    paired = {(side["path"], side["id"]) for c in clusters for p in c["pairs"] for side in (p["a"], p["b"])}
    assert paired == every  # each member is in a pair
    rows = runner.invoke(app, ["reuse", str(SEEDS), "--db", str(seed_db), "-f", "csv"]).stdout.splitlines()
    assert rows[0].startswith("cluster,") and ",page,start,end," in rows[0]


def test_a_passage_is_found_where_it_recurs(seed_db: Path) -> None:
    report = find_passage(TEMPLATE + " Parterna marknadsför Värmlands län som ett attraktivt län att bo och verka i.",
                          _stored(seed_db))
    assert len(report.sentences) == 2 and report.documents == 5
    names = {(Path(m.path).name[:3], m.sentence) for m in report.matches}
    assert names == {("000", 0), ("001", 0), ("000", 1), ("001", 1)}  # the county name differs: still a copy
    for match in report.matches:
        assert match.score >= 0.7 and match.how == "copy"
        assert _same_text(str(SEEDS / Path(match.path).name), match.start, match.end, match.text)


def test_a_quoted_sentence_inside_a_longer_clause_is_found(seed_db: Path) -> None:
    documents = _stored(seed_db)
    longest = max((c for d in documents for c in d.clauses), key=lambda c: len(c.text.split()))
    words = longest.text.split()
    quoted = " ".join(words[len(words) // 3: len(words) // 3 + 14])  # fourteen words from its middle
    report = find_passage(quoted, documents)
    assert any(m.text == longest.text and m.how == "quote" for m in report.matches)
    assert find_passage("Månen är gjord av grön ost och besöks varje tisdag av kommunens ekorrar.",
                        documents).matches == []


def test_cli_query_text_and_file(seed_db: Path, tmp_path: Path) -> None:
    text = runner.invoke(app, ["reuse", "--db", str(seed_db), "--query", TEMPLATE])
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith("2 clause(s) in 2 of 5 documents copy or quote the passage")
    assert "chars " in text.stdout
    passage = tmp_path / "mall.txt"
    passage.write_text(TEMPLATE + "\n", encoding="utf-8")
    from_file = runner.invoke(app, ["reuse", "--db", str(seed_db), "--query", str(passage), "-f", "json"])
    data = json.loads(from_file.stdout)
    assert data["found_in"] == 2 and data["sentences"] == [TEMPLATE]
    assert {m["id"] for m in data["matches"]} == {"c4", "c13"}
    rows = runner.invoke(app, ["reuse", "--db", str(seed_db), "--query", TEMPLATE, "-f", "csv"]).stdout.splitlines()
    assert rows[0].startswith("score,how,sentence,") and len(rows) == 3
    typo = runner.invoke(app, ["reuse", "--db", str(seed_db), "--query", str(tmp_path / "mal.txt")])
    assert typo.exit_code == 2 and "mal.txt: no such file" in typo.stderr
    empty = runner.invoke(app, ["reuse", "--db", str(seed_db), "--query", "   "])
    assert empty.exit_code == 2 and "no text to look for" in empty.stderr
    both = runner.invoke(app, ["reuse", "--db", str(seed_db), "--query", TEMPLATE, "--exclude-within", "county"])
    assert both.exit_code == 2 and "cannot be combined" in both.stderr
