"""The report's search page (``search.html``) in a real headless Chromium, as the other browser
tests drive it (``test_report_browser``'s DevTools client, ``test_serve_browser``'s server).

Served by ``rok serve``, the page has the document type, party and year filters of ``rok search``
and finds with them what ``rok search --type --party --year`` finds; an address such as
``search.html?q=...&party=...`` opens with that search run, and the address follows the search as
a person types, so it can be shared. Opened as files, ``search.html?q=...`` runs the local filter.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from test_report import build_site
from test_report_browser import CHROMIUM, TIMEOUT, Browser
from test_serve import build_store
from test_serve_browser import SHARED_SETS, Tab, serving
from typer.testing import CliRunner

from rok_compare.cli import app as cli

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="headless browser test needs /usr/bin/chromium "
                                "(apt-get install chromium)")
FILTERED: list[dict[str, str]] = [
    {"q": "nyanlända", "party": "Migrationsverket"},
    {"q": "introduktion", "year": "2008"},
    {"q": "nyanlända", "type": "regional_agreement"},
    {"party": "Arbetsförmedlingen", "kind": "commitment"},
    {"q": "samverkan", "type": "action_plan", "year": "2010-2020"},
]
"""Searches with the filters only the served page has (alone and with the others)."""
CONTROLS = {"county": "f-county", "kind": "f-kind", "theme": "f-theme", "type": "f-type", "party": "f-party",
            "year": "f-year"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``rok serve`` on a free port over the seeds and the shared documents: (base URL, store)."""
    folder = tmp_path_factory.mktemp("search-page-browser")
    db = build_store(folder, SHARED_SETS)
    with serving(folder, db) as url:
        yield url, db


@pytest.fixture(scope="module")
def tab() -> Iterator[Tab]:
    chrome = Tab()
    yield chrome
    chrome.close()


def cli_clauses(db: Path, params: dict[str, str]) -> list[int]:
    """The clause ids ``rok search --format json --limit 200`` finds (the page shows up to 200)."""
    args = ["search", "--db", str(db), "--format", "json", "--limit", "200"]
    for name in CONTROLS:
        if name in params:
            args += [f"--{name}", params[name]]
    result = CliRunner().invoke(cli, [*args, "--", params.get("q", "")])
    assert result.exit_code == 0, result.output
    return [hit["occurrence"]["clause_id"] for hit in json.loads(result.stdout)]


def shown_clauses(tab: Tab) -> list[int]:
    """The clause ids of the hits on the page, in their order."""
    return tab.js("[...document.querySelectorAll('#results li .rmeta a')].map(a => a.getAttribute('href'))"
                  ".filter(h => h.includes('#clause-')).map(h => Number(h.split('#clause-')[1]))")


def wait_answered(tab: Tab) -> None:
    tab.wait_for("document.getElementById('count').hasAttribute('data-count')")


def served_page(tab: Tab, url: str) -> None:
    tab.goto(url)
    if not tab.js("document.documentElement.getAttribute('data-served') === 'yes'"):
        pytest.skip("this report's search page does not ask the server")


def test_the_served_page_has_the_type_party_and_year_filters(served: tuple[str, Path], tab: Tab) -> None:
    url, db = served
    served_page(tab, url + "search.html")
    wait_answered(tab)
    for control in ("f-type", "f-party", "f-year"):
        assert tab.js(f"document.getElementById('{control}') !== null"), control
    tab.wait_for("document.querySelectorAll('#f-type option').length > 1")  # filled from /api/documents
    types = tab.js("[...document.querySelectorAll('#f-type option')].map(o => o.value).filter(Boolean)")
    assert "regional_agreement" in types and len(types) == len(set(types))
    for params in FILTERED:
        tab.js(f"""(() => {{
            const values = {json.dumps(params)}, controls = {json.dumps(CONTROLS)};
            for (const [name, id] of Object.entries(controls)) {{
                const control = document.getElementById(id);
                control.value = values[name] || '';
                control.dispatchEvent(new Event(control.tagName === 'SELECT' ? 'change' : 'input'));
            }}
            const q = document.getElementById('q');
            q.value = values.q || ''; q.dispatchEvent(new Event('input'));
            document.getElementById('count').removeAttribute('data-count');
        }})()""")
        wait_answered(tab)
        expected = cli_clauses(db, params)
        assert expected and shown_clauses(tab) == expected, params
        address = tab.js("Object.fromEntries(new URLSearchParams(location.search))")
        assert address == params, params  # the address holds the search: it can be shared
    assert tab.problems() == []


@pytest.mark.parametrize("params", [{"q": "bostad"}, {"q": "nyanlända", "county": "Jämtlands län"}, *FILTERED])
def test_an_address_with_a_search_opens_with_it_run(served: tuple[str, Path], tab: Tab,
                                                    params: dict[str, str]) -> None:
    url, db = served
    served_page(tab, f"{url}search.html?{urlencode(params)}")
    wait_answered(tab)
    assert shown_clauses(tab) == cli_clauses(db, params)
    assert tab.js("document.getElementById('q').value") == params.get("q", "")
    for name, control in CONTROLS.items():
        if name in params and name != "type":
            assert tab.js(f"document.getElementById('{control}').value") == params[name], name
    if "type" in params:
        tab.wait_for(f"document.getElementById('f-type').value === {json.dumps(params['type'])}")
    assert tab.problems() == []


def test_a_shared_address_shows_what_its_sender_saw(served: tuple[str, Path], tab: Tab) -> None:
    """Type a search, take the address from the bar, open it anew: the same hits."""
    url, _ = served
    served_page(tab, url + "search.html")
    wait_answered(tab)
    tab.js("""(() => {
        const party = document.getElementById('f-party'), q = document.getElementById('q');
        document.getElementById('count').removeAttribute('data-count');
        party.value = 'Migrationsverket'; party.dispatchEvent(new Event('input'));
        q.value = 'nyanlända'; q.dispatchEvent(new Event('input'));
    })()""")
    tab.wait_for("new URLSearchParams(location.search).get('q') === 'nyanlända'")
    wait_answered(tab)
    before, address = shown_clauses(tab), tab.js("location.href")
    assert before and "party=Migrationsverket" in address
    tab.goto("about:blank")
    tab.goto(address)
    wait_answered(tab)
    assert shown_clauses(tab) == before
    assert tab.problems() == []


def test_opened_as_a_file_the_address_runs_the_local_filter(tmp_path_factory: pytest.TempPathFactory) -> None:
    _, out = build_site(tmp_path_factory.mktemp("search-page-file"))
    browser = Browser()
    try:
        page = (out / "search.html").resolve().as_uri()

        def open_address(suffix: str) -> tuple[int, int]:
            browser.events.clear()
            browser.call("Page.navigate", session=True, url=page + suffix)
            deadline = time.monotonic() + TIMEOUT
            while not any(e.get("method") == "Page.loadEventFired" for e in browser.events):
                browser._event(browser._read(deadline))
            return (browser.js("Number(document.getElementById('count').dataset.count)"),
                    browser.js("document.querySelectorAll('#results li').length"))

        everything, _ = open_address("")
        matched, shown = open_address("?q=h%C3%A4lsounders%C3%B6kning")
        assert browser.js("document.getElementById('q').value") == "hälsoundersökning"
        assert 2 <= matched < everything and shown == matched
        assert browser.js("[...document.querySelectorAll('#results li')].every("
                          "li => li.textContent.toLowerCase().includes('hälsoundersökning'))")
        narrowed, _ = open_address("?q=h%C3%A4lsounders%C3%B6kning&county=Gotlands+l%C3%A4n")
        assert 0 < narrowed < matched
        assert browser.js("document.getElementById('f-county').value") == "Gotlands län"
        assert browser.js("document.getElementById('f-party') === null")  # served only: the server filters
        assert browser.problems() == []
    finally:
        browser.close()
