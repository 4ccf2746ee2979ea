"""What the extraction speed work must keep: the same matches from the faster code paths, a
command line that starts without the heavy libraries, and a multi-party benchmark agreement whose
parties and commitments the extractor really finds (else the benchmark would measure nothing)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rok_compare.extract.organisations import name_occurrences
from rok_compare.extract.registry import PartyRegistry

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("spacy", "sklearn", "pandas", "scipy", "numpy", "pdfplumber", "pdfminer", "starlette", "uvicorn",
         "pypdfium2", "rapidfuzz", "rich", "pyarrow", "dask")


def _modules_after(statement: str) -> set[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return set(json.loads(done.stdout))


def test_command_line_imports_no_heavy_library():
    loaded = _modules_after("import rok_compare.cli")
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
    assert heavy == [], f"import rok_compare.cli loaded {heavy[:8]}"
    assert "rok_compare.extract.pipeline" not in loaded  # the extractor loads when a command needs it
    assert "rok_compare.store.database" not in loaded


def test_package_import_loads_no_stage():
    loaded = _modules_after("import rok_compare")
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}
    assert not {m for m in loaded if m.startswith(("rok_compare.extract", "rok_compare.store"))}


def _texts() -> list[str]:
    folders = [ROOT / "corpus" / "seeds", ROOT.parent / "shared" / "corpus" / "dev"]
    return [path.read_text(encoding="utf-8") for folder in folders if folder.is_dir()
            for path in sorted(folder.glob("*.txt"))]


def test_name_occurrences_are_the_whole_word_regex_matches():
    """One pass for all names finds what a regex per name between word boundaries finds, names that
    overlap one another ("Region Skåne", "Skåne") and repeat themselves ("anan" in "ananan") included."""
    names = ["Arbetsförmedlingen", "Länsstyrelsen", "Region Skåne", "Skåne", "kommun", "Migrationsverket",
             "anan", "och och", "Försäkringskassan", "Region"]
    texts = [*_texts(), "ananan anan_anan anan; Region Skånes Region Skåne och och och.", "",
             "😀 Arbetsförmedlingen och 𝔘 Region Skåne"]  # characters beyond the BMP before a name
    for text in texts:
        found = name_occurrences(text, names)
        for name in names:
            expected = [m.start() for m in re.finditer(rf"(?<![\wåäö]){re.escape(name)}(?![\wåäö])", text)]
            assert found[name] == expected, name
    assert name_occurrences("x", []) == {}


def test_remembered_fuzzy_lookup_gives_the_first_answer_again():
    registry = PartyRegistry.default()
    first = registry.fuzzy_key("robetsfors", bare_only=True)
    assert first is not None and first[0].canonical == "Robertsfors kommun"
    assert registry.fuzzy_key("robetsfors", bare_only=True) == first
    assert registry.fuzzy_key("robetsfors") is not None
    assert registry.fuzzy_key("zzzzzzzz", bare_only=True) is None


@pytest.fixture(scope="module")
def multiparty(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "tests"))
    from agreement_factory import multiparty_agreement, multiparty_parties

    from rok_compare.extract import extract_document

    path = tmp_path_factory.mktemp("multiparty") / "agreement.pdf"
    spec = multiparty_agreement(path, pages=16)
    return spec, multiparty_parties(), extract_document(path)


def test_multiparty_benchmark_agreement_names_its_parties(multiparty):
    spec, parties, agreement = multiparty
    assert spec.pages == 16
    assert len(parties) >= 50
    assert [p.name for p in agreement.parties] == parties
    assert agreement.county is not None and agreement.county.code == "14"
    assert (agreement.period.start, agreement.period.end) == (2020, 2024)


def test_multiparty_benchmark_commitments_belong_to_their_parties(multiparty):
    _, parties, agreement = multiparty
    owners = {c.party for c in agreement.commitments}
    assert len(owners - {"*"}) >= 20  # the per-party sections are read as each party's
    ale = [c for c in agreement.commitments if c.party == "Ale kommun"]
    assert ale and all(c.strength for c in ale)


def test_heading_starts_are_the_look_behind_regex_matches():
    """The segmenter's run-in heading starts, found from the capitals, are where the look-behind
    regex they replace matched: at the start (after a number), after a stop, after "3 " or "12 "."""
    from rok_compare.segment.blocks import _heading_starts

    regex = re.compile(r"(?:^(?:\d{1,3}\s+)?|(?<=[.!?]\s)|(?<=\s\d\s)|(?<=\s\d\d\s))(?=[A-ZÅÄÖ])")
    chunks = ["12 Abc. Def 3 Ghi 45 Jkl 456 Mno", "1  Abc", "1 2 Abc", "Abc", "abc! Def? Ghi.\nJkl", "", "3",
              " 7 Åtgärder", "2 Syfte. 10 Mål Övrigt"]
    for text in _texts():
        chunks += [text[i : i + 400] for i in range(0, len(text), 397)]
    for chunk in chunks:
        assert _heading_starts(chunk) == [m.end() for m in regex.finditer(chunk)], chunk[:60]
