"""``rok search`` refuses a county or party filter that names nothing in the store (a typo, most
often) with one line naming the value and the store's closest names, and a non-zero exit; the
library's :func:`search` still lets such a filter select nothing. On the real seed documents."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rok_compare.cli import app
from rok_compare.search import SearchQueryError, check_names, search
from rok_compare.search.filters import close_names
from rok_compare.store import ingest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
runner = CliRunner()


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("filter_names") / "rok.db"
    ingest([SEEDS], db, workers=1)
    return db


def run(db: Path, *args: str):
    return runner.invoke(app, ["search", "--db", str(db), *args])


@pytest.mark.parametrize(("option", "value", "suggested"), [
    ("--county", "Varmland", "'Värmlands län'"),
    ("--county", "jamtland", "'Jämtlands län'"),
    ("--party", "Migrationsvrket", "'Migrationsverket'"),
    ("--party", "arbetsformedlingen", "'Arbetsförmedlingen'"),
])
def test_a_misspelt_county_or_party_is_an_error_with_close_names(seeds_db: Path, option: str, value: str,
                                                                  suggested: str) -> None:
    result = run(seeds_db, option, value, "nyanlända")
    assert result.exit_code == 2, result.output
    what = option.removeprefix("--")
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith(f"error: unknown {what} {value!r}: ")
    assert f"did you mean {suggested}" in line and "Traceback" not in result.output
    assert result.stdout == ""


def test_a_name_close_to_nothing_says_so(seeds_db: Path) -> None:
    result = run(seeds_db, "--party", "Zzyzx", "--kind", "goal")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("error: unknown party 'Zzyzx': no document of the store names a party like it "
                                     "(no party of the store is close)")


def test_an_unknown_county_code_lists_the_codes_of_the_store(seeds_db: Path) -> None:
    result = run(seeds_db, "--county", "99")
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.startswith("error: unknown county '99': ") and "'23'" not in line and " 23" in line


@pytest.mark.parametrize(("option", "value"), [("--county", "Värmland"), ("--county", "jämtlands LÄN"),
                                                ("--county", "23"), ("--party", "Migrationsverket"),
                                                ("--party", "arbetsförmedlingen")])
def test_names_the_store_holds_still_search(seeds_db: Path, option: str, value: str) -> None:
    result = run(seeds_db, option, value, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith("[")


def test_the_library_check_and_search(seeds_db: Path) -> None:
    with pytest.raises(SearchQueryError, match=r"unknown county 'Varmland'.*'Värmlands län'"):
        check_names(seeds_db, county="Varmland")
    check_names(seeds_db, county="Värmland", party="Migrationsverket")  # both known: no error
    check_names(seeds_db)
    assert search(seeds_db, "nyanlända", county="Varmland") == []  # the library itself selects nothing


def test_close_names_prefers_the_closest() -> None:
    names = ["Värmlands län", "Hallands län", "Jämtlands län", "Skåne län"]
    assert close_names("Varmland", names) == ["Värmlands län"]
    assert close_names("xyz", names) == []
    assert close_names("län", names)[0] in names


def test_the_server_says_the_same(seeds_db: Path, tmp_path: Path) -> None:
    """``/api/search`` and ``/search`` of ``rok serve`` refuse the name as ``rok search`` does."""
    from starlette.testclient import TestClient

    from rok_compare.serve.app import create_app

    client = TestClient(create_app(seeds_db, tmp_path / "cache"), base_url="http://127.0.0.1")
    expected = run(seeds_db, "--party", "Migrationsvrket", "nyanlända").stderr.strip().removeprefix("error: ")
    answer = client.get("/api/search", params={"q": "nyanlända", "party": "Migrationsvrket"})
    assert answer.status_code == 400 and answer.json() == {"error": expected}
    page = client.get("/search", params={"q": "nyanlända", "county": "Varmland"})
    message = re.search(r'<p class="error" id="message">([^<]*)</p>', page.text)
    assert page.status_code == 400 and message is not None
    assert html.unescape(message.group(1)).startswith("unknown county 'Varmland': ")
    assert "did you mean 'Värmlands län'?" in html.unescape(message.group(1))
    assert client.get("/api/search", params={"q": "nyanlända", "party": "Migrationsverket"}).json()["hits"]
