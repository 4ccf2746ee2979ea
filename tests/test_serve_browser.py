"""``rok serve`` in a real headless Chromium, driven over the DevTools protocol as
``test_report_browser`` drives it (no Python package, no network).

The server runs as ``rok serve --port 0`` in a child process over a store of the seeds, the shared
dev and train documents when present, and the hostile and split/moved documents of ``test_serve``.
A person picks two documents and sees their alignment (and the revision diff of two versions), a
search for "bostad" finds clauses, and over 20 queries the served search (the server's page and the
report's own search page, which asks ``/api/search``) returns the clauses ``rok search --format
json`` returns.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from test_report import IMG, SCRIPT
from test_report_browser import CHROMIUM, TIMEOUT, Browser
from test_serve import build_store, ids
from typer.testing import CliRunner

from rok_compare.cli import app as cli

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="headless browser test needs /usr/bin/chromium "
                                "(apt-get install chromium)")
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
SHARED_SETS = [SHARED / name for name in ("dev", "train") if (SHARED / name).is_dir()]
START_TIMEOUT = 600.0
"""Seconds for the server to build the report of the store before it listens."""

QUERIES: list[dict[str, str]] = [
    {"q": "bostad"}, {"q": "bostäder"}, {"q": "bostadsförsörjning"}, {"q": "hälsoundersökning"},
    {"q": "etablering"}, {"q": "etabl*"}, {"q": "arbetsmarknad"}, {"q": "tolk"},
    {"q": '"svenska för invandrare"'}, {"q": "samhällsorientering"}, {"q": "Arbetsförmedlingen ansvarar"},
    {"q": "praktik OR validering"}, {"q": "nyanlända NOT asylsökande"},
    {"q": "nyanlända", "county": "Norrbottens län"}, {"q": "samverkan", "kind": "commitment"},
    {"q": "skola", "theme": "education_language"}, {"q": "nyanlända", "party": "Migrationsverket"},
    {"q": "introduktion", "year": "2008"}, {"county": "Jämtlands län", "kind": "goal"},
    {"q": "alert"},
]


class Tab(Browser):
    """The report test's CDP client, pointed at URLs instead of files."""

    def goto(self, url: str) -> None:
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        self.wait_load()

    def wait_load(self) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self._event(self._read(deadline))

    def wait_for(self, expression: str) -> Any:
        """Poll ``expression`` until it is truthy (a script's fetch, a navigation)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            try:
                value = self.js(expression)
            except (AssertionError, RuntimeError):  # a navigation under way destroys the context
                value = None
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression}")

    def screenshot(self, path: Path) -> None:
        import base64

        data = self.call("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))


@contextmanager
def serving(folder: Path, db: Path) -> Iterator[str]:
    """``rok serve`` of ``db`` on a free port in a child process (its cache under ``folder``): the base URL."""
    env = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache-home")}
    command = [sys.executable, "-c", "from rok_compare.cli.entry import main; main()", "serve", "--db", str(db),
               "--port", "0"]
    with open(folder / "stderr.txt", "w+", encoding="utf-8") as errors:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, stdin=subprocess.DEVNULL, text=True,
                                env=env)
        try:
            yield _announced_url(proc, errors)
        finally:
            _stop(proc)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``rok serve`` on a free port: (base URL, store)."""
    folder = tmp_path_factory.mktemp("serve-browser")
    db = build_store(folder, SHARED_SETS)
    with serving(folder, db) as url:
        yield url, db


def _stop(proc: subprocess.Popen) -> None:
    """Ctrl-C, as a person stops the server; killed if it does not stop."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _announced_url(proc: subprocess.Popen, errors) -> str:
    """The URL of the "serving ... at http://127.0.0.1:PORT/" line."""
    import select

    def failed() -> AssertionError:
        errors.seek(0)
        return AssertionError(f"rok serve exited with {proc.returncode}: {errors.read()}")

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if not select.select([proc.stdout], [], [], 1.0)[0]:
            if proc.poll() is not None:
                raise failed()
            continue
        line = proc.stdout.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if found:
            return found.group(1)
        if not line and proc.wait() is not None:
            raise failed()
    raise AssertionError("rok serve did not start listening")


@pytest.fixture(scope="module")
def tab() -> Iterator[Tab]:
    chrome = Tab()
    yield chrome
    chrome.close()


def _pair(db: Path) -> tuple[int, int]:
    """Two versions of one agreement: the Koordination Norrort pages of 2017 and 2019 when the
    shared documents are there, else the two hostile Gotland revisions."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, path FROM documents WHERE path LIKE '%koordination_norrort_sk%' "
                            "ORDER BY path").fetchall()
        if len(rows) != 2:
            rows = conn.execute("SELECT id, path FROM documents WHERE path LIKE 'hostile_%' ORDER BY path").fetchall()
    return rows[0][0], rows[1][0]


def test_pick_two_documents_and_see_their_alignment(served: tuple[str, Path], tab: Tab) -> None:
    url, db = served
    old, new = _pair(db)
    tab.goto(url + "compare")
    assert tab.js("document.querySelectorAll('#pick-a option[value]:not([value=\"\"])').length") >= 9
    tab.js(f"""(() => {{
        document.getElementById('pick-a').value = '{new}';
        document.getElementById('pick-b').value = '{old}';
        document.getElementById('align').click();
    }})()""")
    tab.wait_for(f"location.search === '?a={new}&b={old}' && document.readyState === 'complete' && "
                 "document.getElementById('alignment') !== null")
    rows = tab.js("document.querySelectorAll('#alignment tbody tr').length")
    paired = tab.js("document.querySelectorAll('#alignment tbody tr.unchanged, #alignment tbody tr.edited').length")
    assert rows >= 5 and paired >= 3  # the hostile revisions (no ../shared) align in 5 rows
    assert tab.js("document.getElementById('pick-a').selectedOptions[0].textContent.includes(' · ')")
    assert tab.problems() == []
    tab.js("document.getElementById('diff-link').click()")
    tab.wait_for(f"location.pathname === '/diff' && location.search === '?a={old}&b={new}' && "
                 "document.readyState === 'complete' && document.getElementById('revision') !== null")
    assert tab.js("document.querySelectorAll('#revision tbody tr').length") == rows
    assert tab.js("document.getElementById('shares').textContent").startswith("Text: unchanged ")
    assert tab.problems() == []


def test_moved_and_split_clauses_show(served: tuple[str, Path], tab: Tab) -> None:
    url, db = served
    old, new = ids(db, "blekinge_%")
    tab.goto(f"{url}compare?a={old}&b={new}")
    flags = tab.js("[...document.querySelectorAll('#alignment .flag')].map(f => f.textContent)")
    assert sorted(flags) == ["moved", "split", "split"]
    assert tab.js("getComputedStyle(document.querySelector('#alignment .flag.split')).display") == "inline-block"
    assert tab.problems() == []


def test_a_search_for_bostad_finds_clauses(served: tuple[str, Path], tab: Tab) -> None:
    url, _ = served
    tab.goto(url + "search")
    tab.js("document.getElementById('q').value = 'bostad'; document.getElementById('search').click()")
    tab.wait_for("new URLSearchParams(location.search).get('q') === 'bostad' && document.readyState === 'complete' && "
                 "document.getElementById('results') !== null")
    texts = tab.js("[...document.querySelectorAll('#results li .rtext')].map(t => t.textContent.toLowerCase())")
    assert texts and all("bostad" in t or "bostäd" in t for t in texts)
    links = tab.js("[...document.querySelectorAll('#results li .rmeta a.doc')].map(a => a.getAttribute('href'))")
    assert all(re.fullmatch(r"/doc/\d+\.html#clause-\d+", link) for link in links)
    if SHARED_SETS:  # the yardstick: word forms and compounds
        assert any("bostäder" in t for t in texts) and any("bostadsförsörjning" in t for t in texts)
    tab.goto(url + links[0].split("#")[0])
    assert tab.problems() == []


def _cli_clauses(db: Path, params: dict[str, str], limit: int) -> list[int] | str:
    """The clause ids ``rok search --format json`` finds, or its error line."""
    args = ["search", "--db", str(db), "--format", "json", "--limit", str(limit)]
    for name in ("county", "kind", "theme", "party", "year"):
        if name in params:
            args += [f"--{name}", params[name]]
    args += ["--", params.get("q", "")]
    result = CliRunner().invoke(cli, args)
    if result.exit_code != 0:
        return result.stderr.strip().removeprefix("error: ")
    return [hit["occurrence"]["clause_id"] for hit in json.loads(result.stdout)]


def test_served_searches_return_what_rok_search_returns(served: tuple[str, Path], tab: Tab) -> None:
    url, db = served
    answered = 0
    for params in QUERIES:
        expected = _cli_clauses(db, params, 20)
        tab.goto(f"{url}search?{urlencode(params)}")
        if isinstance(expected, str):  # both refuse the query, with the same words
            assert tab.js("document.getElementById('message').textContent") == expected, params
            continue
        answered += 1
        found = tab.js("[...document.querySelectorAll('#results li')].map(li => Number(li.dataset.clauseId))")
        assert found == expected, params
    assert answered >= 18
    assert tab.problems() == []


def test_the_reports_search_page_asks_the_server(served: tuple[str, Path], tab: Tab) -> None:
    """The report's own search page, served, sends its query and filters to /api/search."""
    url, db = served
    tab.goto(url + "search.html")
    if not tab.js("document.documentElement.getAttribute('data-served') === 'yes'"):
        pytest.skip("this report's search page does not ask the server")
    for params in QUERIES:
        expected = _cli_clauses(db, params, 200)
        if isinstance(expected, str) or "party" in params or "year" in params:
            continue  # the report's page has no party or year filter
        tab.js(f"""(() => {{
            const values = {json.dumps(params)};
            for (const name of ['county', 'kind', 'theme']) {{
                const select = document.getElementById('f-' + name);
                select.value = values[name] || '';
                select.dispatchEvent(new Event('change'));
            }}
            const q = document.getElementById('q');
            q.value = values.q || ''; q.dispatchEvent(new Event('input'));
            document.getElementById('count').removeAttribute('data-count');
        }})()""")
        tab.wait_for("document.getElementById('count').hasAttribute('data-count')")
        found = tab.js("[...document.querySelectorAll('#results li .rmeta a')].map(a => a.getAttribute('href'))"
                       ".filter(h => h.includes('#clause-')).map(h => Number(h.split('#clause-')[1]))")
        assert found == expected, params
    assert tab.problems() == []


def test_the_reports_search_page_marks_the_forms_the_server_matched(served: tuple[str, Path], tab: Tab) -> None:
    """Served, a hit for "bostad" that says "bostäder" has "bostäder" marked, as the server
    matched it, not only the letters typed."""
    url, _ = served
    tab.goto(url + "search.html")
    if not tab.js("document.documentElement.getAttribute('data-served') === 'yes'"):
        pytest.skip("this report's search page does not ask the server")
    tab.js("""(() => { const q = document.getElementById('q'); q.value = 'bostad';
        document.getElementById('count').removeAttribute('data-count'); q.dispatchEvent(new Event('input')); })()""")
    tab.wait_for("document.getElementById('count').hasAttribute('data-count')")
    hits = tab.js("[...document.querySelectorAll('#results li .rtext')].map(t => ({text: t.textContent, "
                  "marks: [...t.querySelectorAll('mark')].map(m => m.textContent.toLowerCase())}))")
    assert hits and all(hit["marks"] for hit in hits), hits
    assert any("bostäder" in hit["marks"] for hit in hits)
    assert tab.problems() == []


def test_hostile_text_shows_as_text_in_served_pages(served: tuple[str, Path], tab: Tab) -> None:
    url, db = served
    old, new = ids(db, "hostile_%")
    for page in (f"compare?a={old}&b={new}", f"diff?a={old}&b={new}", "search?q=alert", "compare"):
        tab.goto(url + page)
        text = tab.js("document.body.innerText")
        if page != "compare":
            assert SCRIPT in text and (IMG in text or page.startswith("search")), page
        assert tab.js("document.querySelectorAll('main img, main b, main script').length") == 0, page
        assert tab.problems() == [], page  # a dialog would be listed here


def test_screenshots_of_every_served_page_type(served: tuple[str, Path], tab: Tab) -> None:
    """Written to $ROK_SCREENSHOTS (when set) for a person to look at; each page must draw something."""
    folder = os.environ.get("ROK_SCREENSHOTS")
    if not folder:
        pytest.skip("set ROK_SCREENSHOTS=/folder to keep screenshots of the served pages")
    url, db = served
    old, new = _pair(db)
    pages = {"index": "", "compare-pickers": "compare", "compare": f"compare?a={old}&b={new}",
             "diff": f"diff?a={old}&b={new}", "search": "search?q=bostad", "search-error": "search?q=%22open",
             "not-found": "compare?a=1&b=99999", "report-search": "search.html#q=bostad"}
    tab.call("Emulation.setDeviceMetricsOverride", session=True, width=1280, height=900, deviceScaleFactor=1,
             mobile=False)
    for name, page in pages.items():
        tab.goto(url + page)
        time.sleep(0.5)
        path = Path(folder) / f"{name}.png"
        tab.screenshot(path)
        assert path.stat().st_size > 10_000, name


def test_the_served_report_pages_load_without_errors(served: tuple[str, Path], tab: Tab) -> None:
    """The static report through the server: every top-level page, a document page and a
    precomputed comparison load with their scripts and stylesheet, and no console error."""
    url, db = served
    tab.goto(url)
    pages = tab.js("[...document.querySelectorAll('nav a')].map(a => a.getAttribute('href'))")
    assert len(pages) >= 8
    first = ids(db)[0]
    for page in [*pages, f"doc/{first}.html"]:
        tab.goto(url + page.lstrip("/"))
        assert tab.problems() == [], page
        assert tab.js("getComputedStyle(document.querySelector('nav')).position") == "sticky", page
    tab.goto(url + "compare.html")
    static = tab.js("[...document.querySelectorAll('main a[href]')].map(a => a.getAttribute('href'))"
                    ".filter(h => h.startsWith('/compare?') || h.startsWith('compare/'))")
    assert static, "the report lists no comparisons"
    tab.goto(url + static[0].lstrip("/"))
    assert tab.js("document.querySelector('table.sxs') !== null") and tab.problems() == []
