"""Corpus-wide reuse: LSH candidates, clusters, distinctive clauses, similarity matrix, CLI."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from rok_compare.align.corpus import CorpusDocument, expand_paths
from rok_compare.align.lsh import MinHashLSH, term_sets
from rok_compare.align.matrix import similarity_matrix
from rok_compare.align.reuse import cluster_texts, find_reuse
from rok_compare.cli import app
from rok_compare.model import Clause, ClauseKind, Span

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"

TEMPLATE = ("Parterna marknadsför {} som ett attraktivt län att bo och verka i och tar ett gemensamt "
            "ansvar för att så snabbt som möjligt lotsa in de nyanlända invandrarna på arbetsmarknaden.")
SHARED = ("Samverkan syftar till att ge alla flickor, pojkar, kvinnor och män samma rättigheter och "
          "möjligheter att bli aktiva samhällsmedborgare.")
OWN = [
    "Värmland består av sexton kommuner och totalt bor det cirka 273 000 invånare i länet.",
    "Under 2006 ökade flyktingmottagandet och ökningen förväntas att fortsätta under 2007.",
    "Mycket samverkansarbete kommer sannolikt också att utvecklas i kommunerna på lokal nivå.",
    "Hälsoundersökningar erbjuds alla asylsökande inom regionens primärvård.",
    "Årliga handlingsplaner utarbetas utifrån den målstruktur som är bestämd.",
]


def doc(path: str, county: str | None, year: int | None, *texts: str) -> CorpusDocument:
    clauses = [Clause(f"c{k + 1}", None, ClauseKind.OTHER, [], t, Span(1, 0, 0)) for k, t in enumerate(texts)]
    return CorpusDocument(path, county, year, clauses)


@pytest.fixture
def corpus() -> list[CorpusDocument]:
    return [
        doc("jamtland.txt", "Jämtlands län", 2010, TEMPLATE.format("Jämtlands län"), SHARED, OWN[0]),
        doc("norrbotten.txt", "Norrbottens län", 2009, OWN[1], TEMPLATE.format("Norrbottens län"), SHARED),
        doc("varmland.txt", "Värmlands län", 2007,
            TEMPLATE.format("Värmlands län").replace("gemensamt", "tydligt"), OWN[2]),
        doc("kalmar.txt", None, None, OWN[3], OWN[4], OWN[4]),
    ]


def test_clusters_hold_copies_with_county_names_and_edits(corpus):
    report, labels = find_reuse(corpus)
    assert len(report.clusters) == 2
    template = report.clusters[0]
    assert template.documents == 3 and template.counties == 3
    assert template.first_year == 2007
    assert template.boilerplate == pytest.approx(3 / 4)
    assert {m.path for m in template.members} == {"jamtland.txt", "norrbotten.txt", "varmland.txt"}
    assert template.canonical in {m.text for m in template.members}
    shared = report.clusters[1]
    assert shared.canonical == SHARED and shared.documents == 2
    assert labels.shape == (11,)


def test_distinctive_clauses_are_shared_with_no_other_document(corpus):
    report, _ = find_reuse(corpus)
    by_path = {d.path: d for d in report.documents}
    assert [c.text for c in by_path["jamtland.txt"].distinctive] == [OWN[0]]
    assert by_path["jamtland.txt"].shared == 2
    # a clause repeated inside one document is still that document's own
    assert [c.id for c in by_path["kalmar.txt"].distinctive] == ["c1", "c2", "c3"]


def test_min_docs_raises_the_bar(corpus):
    report, _ = find_reuse(corpus, min_docs=3)
    assert [c.documents for c in report.clusters] == [3]


def test_lsh_finds_near_duplicates_and_skips_empty_sets():
    texts = ["a b c d e f g h", "a b c d e f g x", "p q r s t u v w", "", "a b c d e f g h"]
    sets = term_sets(texts, common=frozenset())
    pairs = {tuple(p) for p in MinHashLSH(bands=16, rows=2).candidates(sets)}
    assert (0, 1) in pairs and (0, 4) in pairs
    assert not any(3 in p for p in pairs)
    assert not any(2 in p for p in pairs)


def test_cluster_texts_on_many_documents_is_linear_in_effect():
    rng = np.random.default_rng(0)
    vocabulary = [f"ord{k}" for k in range(5000)]
    texts, docs, truth = [], [], []
    for template in range(50):
        words = list(rng.choice(vocabulary, 15))
        for copy in range(4):
            variant = list(words)
            variant[int(rng.integers(15))] = str(rng.choice(vocabulary))
            texts.append(" ".join(variant))
            docs.append(template * 4 + copy)
            truth.append(template)
    for _ in range(2000):
        texts.append(" ".join(rng.choice(vocabulary, 12)))
        docs.append(int(rng.integers(200)))
        truth.append(-1)
    result = cluster_texts(texts, np.array(docs), use_registry=False)
    truth_array = np.array(truth)
    planted = truth_array >= 0
    together = [len(set(result.labels[truth_array == t])) == 1 and result.labels[truth_array == t][0] >= 0
                for t in range(50)]
    assert sum(together) >= 48
    assert (result.labels[~planted] < 0).mean() > 0.99


def test_similarity_matrix_per_document_and_county(corpus):
    _, labels = find_reuse(corpus)
    by_doc = similarity_matrix(corpus, labels)
    assert by_doc.labels == [d.path for d in corpus]
    values = by_doc.values
    assert np.allclose(values, values.T) and np.allclose(np.diag(values), 1.0)
    # jamtland shares 2 of 3 clauses with norrbotten, which shares 2 of 3 back
    assert values[0, 1] == pytest.approx(2 / 3)
    assert values[0, 3] == 0.0
    by_county = similarity_matrix(corpus, labels, by="county")
    assert by_county.labels == ["Jämtlands län", "Norrbottens län", "Värmlands län", "unknown"]
    csv_text = by_county.to_csv()
    assert csv_text.splitlines()[0] == "county,Jämtlands län,Norrbottens län,Värmlands län,unknown"
    assert json.loads(by_county.to_json())["by"] == "county"


def test_expand_paths_walks_folders_for_text_and_pdf(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "sub/b.PDF", "c.csv"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in expand_paths([tmp_path])] == ["a.txt", "b.PDF"]


runner = CliRunner()


@pytest.fixture
def fake_extraction(monkeypatch, corpus):
    from rok_compare.model import Agreement, County, DocType, Period, SourceDocument, SourceFormat

    by_name = {d.path: d for d in corpus}

    def fake(path):
        d = by_name[Path(path).name]
        source = SourceDocument(Path(path), "0", SourceFormat.TEXT, "", [])
        county = County(d.county, "00") if d.county else None
        period = Period(d.year, d.year) if d.year else None
        return Agreement(source, None, county, period, None, DocType.OTHER, [], [], [], d.clauses)

    monkeypatch.setattr(importlib.import_module("rok_compare.extract"), "extract_document", fake)


def test_cli_reuse_json_and_bad_file_reported_while_others_go_through(fake_extraction, tmp_path):
    paths = [str(tmp_path / n) for n in ("jamtland.txt", "norrbotten.txt", "varmland.txt")]
    for p in paths:
        Path(p).write_text("x")
    out = runner.invoke(app, ["reuse", *paths, str(tmp_path / "saknas.pdf"), "--format", "json"])
    assert out.exit_code == 1
    data = json.loads(out.stdout)
    assert data["clusters"][0]["documents"] == 3
    assert data["clusters"][0]["members"][0].keys() == {"path", "county", "year", "id", "text", "page", "start", "end"}
    errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "saknas.pdf" in errors[0]


def test_cli_similarity_csv_by_county(fake_extraction, tmp_path):
    paths = [str(tmp_path / n) for n in ("jamtland.txt", "norrbotten.txt")]
    out = runner.invoke(app, ["similarity", *paths, "--by", "county"])
    assert out.exit_code == 0
    rows = out.stdout.splitlines()
    assert rows[0] == "county,Jämtlands län,Norrbottens län" and len(rows) == 3


def test_cli_reuse_text_on_real_seeds():
    out = runner.invoke(app, ["reuse", str(SEEDS)])
    assert out.exit_code == 0, out.stderr
    assert "reuse clusters" in out.stdout
