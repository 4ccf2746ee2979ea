"""The HTML report in a real headless Chromium (Debian's ``chromium`` package).

Chromium is driven over the Chrome DevTools Protocol on ``--remote-debugging-pipe`` (commands on
fd 3, replies and events on fd 4, NUL-separated JSON), so the test needs no Python package and no
network: every page loads without console errors or failed requests, the search filters as one
types, and a hostile document's text shows as text (no dialog fires, the literal ``<script>`` is
visible on the page).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from test_report import IMG, SCRIPT, build_site

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="headless browser test needs /usr/bin/chromium "
                                "(apt-get install chromium)")
TIMEOUT = 60.0
"""Seconds to wait for one answer: chromium starts slowly on a loaded machine (20 s was too short
at a load of 15); only a failing run waits this long."""


class Browser:
    """A minimal CDP client: one tab, its events collected while waiting for replies."""

    def __init__(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="rok-chromium-")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire() -> None:  # in the child: the pipe ends become fds 3 and 4 (moved out of the way first)
            read_end, write_end = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_chrome_r, from_chrome_w))
            for source, target in ((read_end, 3), (write_end, 4)):
                os.dup2(source, target)
                os.set_inheritable(target, True)

        self.proc = subprocess.Popen(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--disable-sync", "--remote-debugging-pipe", f"--user-data-dir={self.profile}", "about:blank"],
            preexec_fn=wire, close_fds=False, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=True)

    def close(self) -> None:
        with contextlib.suppress(Exception):  # it may already be gone
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._from_chrome], [], [], remaining)[0]:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._event(reply)

    def _event(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        if event.get("method") == "Page.javascriptDialogOpening":  # never leave a dialog blocking the page
            os.write(self._to_chrome, json.dumps({"id": 0, "method": "Page.handleJavaScriptDialog",
                                                  "params": {"accept": False}, "sessionId": self.session})
                     .encode() + b"\0")

    def open(self, path: Path) -> None:
        """Navigate and wait for the load event."""
        self.events.clear()
        self.call("Page.navigate", session=True, url=path.resolve().as_uri())
        deadline = time.monotonic() + TIMEOUT
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self._event(self._read(deadline))

    def js(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, failed loads and dialogs since the last navigation."""
        self.js("0")  # let pending events arrive
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(f"console: {[a.get('value') for a in params.get('args', [])]}")
            elif method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
            elif method == "Page.javascriptDialogOpening":
                found.append(f"dialog: {params.get('message')}")
        return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_site(tmp_path_factory.mktemp("report-browser"))


@pytest.fixture(scope="module")
def browser() -> Any:
    chrome = Browser()
    yield chrome
    chrome.close()


def test_every_page_loads_without_console_errors(site: tuple[Path, Path], browser: Browser) -> None:
    _, out = site
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        browser.open(page)
        assert browser.problems() == [], page
        assert browser.js("document.querySelector('nav') !== null && document.title.length > 0"), page


def test_search_filters_as_one_types(site: tuple[Path, Path], browser: Browser) -> None:
    _, out = site
    browser.open(out / "search.html")
    total = browser.js("Number(document.getElementById('count').dataset.count)")
    assert total > 50

    def search(query: str, county: str = "") -> tuple[int, int]:
        browser.js(f"""(() => {{
            const q = document.getElementById('q'), c = document.getElementById('f-county');
            c.value = {json.dumps(county)}; c.dispatchEvent(new Event('change'));
            q.value = {json.dumps(query)}; q.dispatchEvent(new Event('input'));
        }})()""")
        return (browser.js("Number(document.getElementById('count').dataset.count)"),
                browser.js("document.querySelectorAll('#results li').length"))

    matched, shown = search("hälsoundersökning")
    assert 2 <= matched < total and shown == min(matched, 200)
    assert browser.js("[...document.querySelectorAll('#results li')].every("
                      "li => li.textContent.toLowerCase().includes('hälsoundersökning'))")
    assert browser.js("document.querySelectorAll('#results mark').length") >= matched
    narrowed, _ = search("hälsoundersökning", county="Gotlands län")
    assert 0 < narrowed < matched
    assert search("zzzz-no-such-word") == (0, 0)
    assert browser.problems() == []


def test_hostile_text_shows_as_text(site: tuple[Path, Path], browser: Browser) -> None:
    db, out = site
    import sqlite3

    with sqlite3.connect(db) as conn:
        doc_id = conn.execute("SELECT id FROM documents WHERE path LIKE 'hostile_2024%'").fetchone()[0]
    browser.open(out / "doc" / f"{doc_id}.html")
    browser.js("document.querySelectorAll('details').forEach(d => d.open = true)")
    text = browser.js("document.body.innerText")
    assert SCRIPT in text and IMG in text and "<b>fet</b>" in text
    assert browser.js("document.querySelectorAll('main img, main b, main script').length") == 0
    browser.open(out / "search.html")
    browser.js("const q = document.getElementById('q'); q.value = 'alert'; q.dispatchEvent(new Event('input'))")
    assert browser.js("document.getElementById('results').innerText").count(SCRIPT) >= 2
    assert browser.js("document.querySelectorAll('#results img, #results script').length") == 0
    assert browser.problems() == []
    for page in ("reuse.html", "compare.html", "documents.html", "timeline.html", f"doc/{doc_id}.html"):
        browser.open(out / page)
        assert browser.problems() == [], page  # a dialog would be listed here
